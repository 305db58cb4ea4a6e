import type { Delivery } from '../domain/callbacks/delivery.js'
import type { Dispatcher } from './callbacks/dispatcher.js'
import type { Clock } from '../platform/clock.js'
import { parseDuration } from '../platform/duration.js'
import type { MerchantDirectory } from './merchants.js'
import { magicAmount, outcomeFor, type OutcomesFile } from '../domain/outcomes.js'
import { TransitionError } from '../domain/errors.js'
import type { Payments } from './orders/payments.js'
import type { Order } from '../domain/orders/order.js'
import type { Store } from '../store/index.js'
import { TimerQueue, type Due } from '../platform/timer-queue.js'
import type { FastifyBaseLogger } from 'fastify'

export interface SchedulerOptions {
  store: Store
  clock: Clock
  merchants: MerchantDirectory
  outcomes: OutcomesFile
  payments: Payments
  dispatcher: Dispatcher
  log: FastifyBaseLogger
  /** AUTOPAY_AFTER: pay new orders automatically after this long (undefined: never). */
  autopayAfterMs: number | undefined
  /** ORDER_EXPIRY: unpaid orders close as `notpay` after this long. */
  orderExpiryMs: number
}

/**
 * Everything that happens with time: autopay, `pay_at`, expiry and callback attempts (retries and delayed faults).
 * Each falls due at a time kept in one timer queue, filled from the store's changes, so a tick costs the due items
 * only, however many orders wait. It reads only the injected clock: `tick()` after moving a manual (or virtual)
 * clock runs exactly what fell due.
 */
export interface Scheduler {
  tick(): Promise<void>
  /** The earliest time after `now` at which something falls due (an order event or a callback attempt). */
  nextDue(now: number): number | undefined
  /** Tries a callback again at `at`: its attempt was made but could not be recorded (the store refused the write). */
  retryCallback(id: string, at: number): void
  /** Resolves when no pass is running (the app waits for it before the store closes). */
  idle(): Promise<void>
}

/** What will happen to an open order, and when: it closes unpaid at `expireAt` unless paid at `pay.at` first. */
export interface Plan {
  expireAt: number
  expireReason: string
  pay?: { at: number, reason: string }
}

export type PlannerOptions = Pick<SchedulerOptions, 'merchants' | 'outcomes' | 'autopayAfterMs' | 'orderExpiryMs'>

/** When each open order falls due, from its own fields, the merchant's fixtures and the configuration. */
export function createPlanner (options: PlannerOptions): { plan(order: Order): Plan, momentsOf(order: Order): number[] } {
  /** Magic `03` first, then the merchant's fixture `autopay_after`, then AUTOPAY_AFTER. */
  function autopayDelay (order: Order): number | undefined {
    const outcome = outcomeFor(options.outcomes, magicAmount(order))
    if (outcome?.outcome === 'autopay') return parseDuration(outcome.after)
    const perMerchant = options.merchants.get(order.merchant_id)?.autopay_after
    if (typeof perMerchant === 'string') return parseDuration(perMerchant)
    return options.autopayAfterMs
  }

  function plan (order: Order): Plan {
    const created = Date.parse(order.created_at)
    // The order's own deadline (PREPAY_INIT `duration`) replaces ORDER_EXPIRY.
    const expiry = order.expires_at !== undefined
      ? { expireAt: Date.parse(order.expires_at), expireReason: `expired unpaid at its expire time (${order.expires_at})` }
      : { expireAt: created + options.orderExpiryMs, expireReason: `expired unpaid after ORDER_EXPIRY (${Math.round(options.orderExpiryMs / 1000)} s)` }
    // A never-paid magic amount wins over every schedule: the order just waits for its expiry.
    if (outcomeFor(options.outcomes, magicAmount(order))?.outcome === 'never_pay') return expiry
    if (order.pay_at !== undefined) {
      return { ...expiry, pay: { at: Date.parse(order.pay_at), reason: `paid by the payer at ${order.pay_at} (the order's own schedule)` } }
    }
    const delay = autopayDelay(order)
    return delay === undefined ? expiry : { ...expiry, pay: { at: created + delay, reason: `paid automatically ${delay} ms after creation` } }
  }

  /** The moments an open order falls due: its expiry, and its payment when that comes first. */
  function momentsOf (order: Order): number[] {
    if (order.status !== 'init') return []
    const { expireAt, pay } = plan(order)
    return pay !== undefined && pay.at < expireAt ? [pay.at, expireAt] : [expireAt]
  }

  return { plan, momentsOf }
}

/**
 * Queue keys: `o` + merchant + NUL + order id, `c` + delivery id, or `r` + either for a retry after a failed write
 * (which stands for as long as the order is open or the callback pending, whatever its schedule says).
 */
type Key = string
const orderKey = (order: { merchant_id: string, order_id: string }): Key => `o${order.merchant_id}\u0000${order.order_id}`
const callbackKey = (id: string): Key => `c${id}`

/** Changes of this many orders run together, so that they share journal writes. */
const BATCH = 256

export function createScheduler (options: SchedulerOptions): Scheduler {
  const { clock, payments, store } = options
  const queue = new TimerQueue<Key>()
  /** Entries found due by `nextDue`: the next tick runs them first. */
  const dueNow: Array<Due<Key>> = []

  const { plan, momentsOf } = createPlanner(options)

  function schedule (at: number, key: Key): void {
    if (!Number.isNaN(at)) queue.push(at, key)
  }
  const scheduleOrder = (order: Order) => { for (const at of momentsOf(order)) schedule(at, orderKey(order)) }
  const scheduleDelivery = (delivery: Delivery) => {
    if (delivery.status === 'pending' && delivery.next_attempt_at !== null) schedule(delivery.next_attempt_at, callbackKey(delivery.id))
  }

  store.subscribe((change) => {
    for (const order of change.orders) scheduleOrder(order)
    for (const delivery of change.callbacks) scheduleDelivery(delivery)
  })
  // What was stored before this start: open orders and pending callbacks (also those left by a crash).
  for (let page = store.orders.page({ status: 'init', limit: 1000 }); ; page = store.orders.page({ status: 'init', limit: 1000, cursor: page.next })) {
    for (const order of page.items) scheduleOrder(order)
    if (page.next === null) break
  }
  for (const delivery of store.callbacks.pending()) scheduleDelivery(delivery)

  function split (key: Key): [string, string] {
    const at = key.indexOf('\u0000')
    return [key.slice(1, at), key.slice(at + 1)]
  }

  /** True while the entry still stands for something that falls due then (a later change may have moved it). */
  function stands (entry: Due<Key>): boolean {
    if (entry.key.startsWith('r')) {
      const key = entry.key.slice(1)
      if (key.startsWith('c')) return store.callbacks.get(key.slice(1))?.status === 'pending'
      return store.orders.find(...split(key))?.status === 'init'
    }
    if (entry.key.startsWith('c')) {
      const delivery = store.callbacks.get(entry.key.slice(1))
      return delivery?.status === 'pending' && delivery.next_attempt_at === entry.at
    }
    const order = store.orders.find(...split(entry.key))
    return order !== undefined && momentsOf(order).includes(entry.at)
  }

  async function runOrder (entry: Due<Key>, now: number): Promise<void> {
    const order = store.orders.find(...split(entry.key))
    if (order === undefined || order.status !== 'init') return
    const { expireAt, expireReason, pay } = plan(order)
    try {
      if (now >= expireAt) await payments.expire(order, expireReason)
      else if (pay !== undefined && now >= pay.at) await payments.pay(order, pay.reason)
    } catch (err) {
      // The order moved on meanwhile (paid by its payer, removed by a reset): nothing left to do.
      if (err instanceof TransitionError) return
      options.log.error({ err, order: order.order_id }, 'scheduled payment event failed; tried again in a second')
      schedule(now + 1000, `r${orderKey(order)}`)
    }
  }

  // The tick in progress: ticks never overlap, a new one waits for it.
  let running: Promise<void> = Promise.resolve()

  async function run (): Promise<void> {
    const now = clock.now()
    const due = dueNow.splice(0)
    for (let top = queue.peek(); top !== undefined && top.at <= now; top = queue.peek()) due.push(queue.pop()!)
    // A retry is run as what it retries.
    const keys = due.map((entry) => ({ at: entry.at, key: entry.key.startsWith('r') ? entry.key.slice(1) : entry.key }))
    const orders = keys.filter((entry) => entry.key.startsWith('o'))
    for (let at = 0; at < orders.length; at += BATCH) {
      await Promise.all(orders.slice(at, at + BATCH).map((entry) => runOrder(entry, now)))
    }
    const deliveries = new Map<string, Delivery>()
    for (const entry of keys) {
      if (!entry.key.startsWith('c')) continue
      const delivery = store.callbacks.get(entry.key.slice(1))
      if (delivery?.status === 'pending' && delivery.next_attempt_at !== null && delivery.next_attempt_at <= now) deliveries.set(delivery.id, delivery)
    }
    if (deliveries.size > 0) options.dispatcher.enqueue([...deliveries.values()])
  }

  return {
    tick () {
      running = running.then(run, run)
      return running
    },
    retryCallback (id, at) {
      schedule(at, `r${callbackKey(id)}`)
    },
    idle: () => running,
    nextDue (now) {
      for (let top = queue.peek(); top !== undefined; top = queue.peek()) {
        if (!stands(top)) queue.pop()
        else if (top.at <= now) dueNow.push(queue.pop()!)
        else return top.at
      }
      return undefined
    }
  }
}
