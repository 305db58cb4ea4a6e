import type { Dispatcher } from './callbacks/dispatcher.js'
import type { Clock } from './clock.js'
import { parseDuration } from './duration.js'
import type { MerchantDirectory } from './merchants.js'
import { magicAmount, outcomeFor, type OutcomesFile } from './outcomes.js'
import type { Payments } from './orders/payments.js'
import type { Order } from './orders/order.js'
import type { Store } from './store/index.js'
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
 * Everything that happens with time: autopay, expiry and callback retries. It reads only the injected clock,
 * so `tick()` after moving a manual (or virtual) clock runs exactly what fell due.
 */
export interface Scheduler {
  tick(): Promise<void>
  /** The earliest time after `now` at which something falls due (an order event or a callback attempt). */
  nextDue(now: number): number | undefined
}

/** What will happen to an open order, and when: it closes unpaid at `expireAt` unless paid at `payAt` first. */
interface Plan {
  expireAt: number
  expireReason: string
  pay?: { at: number, reason: string }
}

export function createScheduler (options: SchedulerOptions): Scheduler {
  const { clock, payments } = options

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

  async function due (order: Order, now: number): Promise<void> {
    const { expireAt, expireReason, pay } = plan(order)
    if (now >= expireAt) await payments.expire(order, expireReason)
    else if (pay !== undefined && now >= pay.at) await payments.pay(order, pay.reason)
  }

  // The tick in progress: ticks never overlap, a new one waits for it.
  let running: Promise<void> = Promise.resolve()

  async function run (): Promise<void> {
    const now = clock.now()
    for (const order of options.store.orders.listOpen()) {
      // A reset during this tick may have thrown the order away (and a new one may have taken its id).
      if (options.store.orders.find(order.merchant_id, order.order_id) !== order) continue
      try {
        await due(order, now)
      } catch (err) {
        options.log.error({ err, order: order.order_id }, 'scheduled payment event failed')
      }
    }
    options.dispatcher.runDue()
  }

  return {
    tick () {
      running = running.then(run, run)
      return running
    },
    nextDue (now) {
      let next: number | undefined
      const consider = (at: number) => { if (at > now && (next === undefined || at < next)) next = at }
      for (const order of options.store.orders.listOpen()) {
        const { expireAt, pay } = plan(order)
        consider(expireAt)
        if (pay !== undefined && pay.at < expireAt) consider(pay.at)
      }
      for (const delivery of options.store.callbacks.due(Number.POSITIVE_INFINITY)) {
        if (delivery.next_attempt_at !== null) consider(delivery.next_attempt_at)
      }
      return next
    }
  }
}
