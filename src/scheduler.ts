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
}

export function createScheduler (options: SchedulerOptions): Scheduler {
  const { clock, payments } = options

  /** Magic `03` first, then the merchant's fixture `autopay_after`, then AUTOPAY_AFTER. */
  function autopayDelay (order: Order): number | undefined {
    const outcome = outcomeFor(options.outcomes, magicAmount(order))
    if (outcome?.outcome === 'never_pay') return undefined
    if (outcome?.outcome === 'autopay') return parseDuration(outcome.after)
    const perMerchant = options.merchants.get(order.merchant_id)?.autopay_after
    if (typeof perMerchant === 'string') return parseDuration(perMerchant)
    return options.autopayAfterMs
  }

  async function due (order: Order, now: number): Promise<void> {
    const age = now - Date.parse(order.created_at)
    if (order.expires_at !== undefined) {
      // The order's own deadline (PREPAY_INIT `duration`) replaces ORDER_EXPIRY.
      if (now >= Date.parse(order.expires_at)) {
        await payments.expire(order, `expired unpaid at its expire time (${order.expires_at})`)
        return
      }
    } else if (age >= options.orderExpiryMs) {
      await payments.expire(order, `expired unpaid after ORDER_EXPIRY (${Math.round(options.orderExpiryMs / 1000)} s)`)
      return
    }
    if (order.pay_at !== undefined) {
      // A never-paid magic amount wins over the payer's own schedule: the order just waits for its expiry.
      if (outcomeFor(options.outcomes, magicAmount(order))?.outcome === 'never_pay') return
      if (now >= Date.parse(order.pay_at)) await payments.pay(order, `paid by the payer at ${order.pay_at} (the order's own schedule)`)
      return
    }
    const delay = autopayDelay(order)
    if (delay !== undefined && age >= delay) await payments.pay(order, `paid automatically ${delay} ms after creation`)
  }

  // The tick in progress: ticks never overlap, a new one waits for it.
  let running: Promise<void> = Promise.resolve()

  async function run (): Promise<void> {
    const now = clock.now()
    for (const order of options.store.orders.listOpen()) {
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
    }
  }
}
