import type { Delivery } from '../../domain/callbacks/delivery.js'
import type { Dispatcher } from '../callbacks/dispatcher.js'
import { callbackBody } from '../../domain/callbacks/payload.js'
import type { Clock } from '../../platform/clock.js'
import { GoneError, TransitionError } from '../../domain/errors.js'
import type { Ids } from '../../platform/ids.js'
import type { MerchantDirectory } from '../merchants.js'
import { magicAmount, outcomeFor, type OutcomesFile } from '../../domain/outcomes.js'
import type { Store } from '../../store/index.js'
import { BIZPAY_PREFIX } from './create-order.js'
import { applyPaymentEvent, applyRefund } from '../../domain/orders/lifecycle.js'
import type { Order, Refund } from '../../domain/orders/order.js'

export interface PaymentsDeps {
  store: Store
  clock: Clock
  ids: Ids
  merchants: MerchantDirectory
  outcomes: OutcomesFile
  dispatcher: Dispatcher
}

/** What the payer decides while paying: a tip, or the method on a hosted checkout. */
export type PaymentChanges = Partial<Pick<Order, 'tip' | 'method' | 'bizpay_order_id' | 'details' | 'card_masked'>>

/**
 * Every way an order gets paid, declined, expired or refunded goes through here, so each fires the same
 * callbacks (to the order's `notify_url`; none when it is ''). Each works on the stored order (the one given
 * only names it) and resolves with the result once durable; when the write fails nothing changed.
 */
export interface Payments {
  /** The payer pays (magic amounts may decline it or refuse), with `changes` applied (a tip replaces the order's). */
  pay(order: Order, reason: string, changes?: PaymentChanges): Promise<Order>
  decline(order: Order, reason: string, changes?: PaymentChanges): Promise<Order>
  /** Closes an unpaid order as `notpay`. Sends no callback: the wallets do not notify expiry. */
  expire(order: Order, reason: string): Promise<Order>
  /**
   * Refunds `amount` cents (default: all that is left) under `refundId` (default: a new id). Sends no callback:
   * the docs describe none for refunds. The caller checks that a given `refundId` is free.
   */
  refund(order: Order, reason: string, amount?: string, refundId?: string): Promise<{ order: Order, refund: Refund }>
}

const gone = (order: Order) => new TransitionError('ORDER_CLOSED', `order ${order.order_id} of merchant ${order.merchant_id} was removed by a reset`)

export function createPayments (deps: PaymentsDeps): Payments {
  const { store, clock } = deps

  function newDelivery (order: Order, kind: Delivery['kind'], simulateTimeouts: number, duplicateOf: string | null): Delivery {
    const merchant = deps.merchants.get(order.merchant_id)
    if (merchant === undefined) throw new Error(`merchant ${order.merchant_id} of order ${order.order_id} is unknown`)
    return {
      id: deps.ids.deliveryId(),
      merchant_id: order.merchant_id,
      order_id: order.order_id,
      kind,
      url: order.notify_url,
      body: callbackBody(order, merchant, kind, clock.now()),
      status: 'pending',
      created_at: new Date(clock.now()).toISOString(),
      next_attempt_at: clock.now(),
      attempts: [],
      simulate_timeouts: simulateTimeouts,
      duplicate_of: duplicateOf
    }
  }

  /**
   * Runs a change on the stored order (a copy of it) and writes it with its new callbacks in one journal line; the
   * store applies it only once written, so a refused change leaves nothing behind. The callbacks go to the
   * dispatcher at once.
   */
  async function change<T> (order: Order, run: (current: Order) => { result: T, deliveries: Delivery[] }): Promise<T> {
    let result!: T
    let sent: Delivery[] = []
    try {
      await store.orders.update(order.merchant_id, order.order_id, (current) => {
        // An order a reset threw away (held by a scheduler tick or a payer page that started before it) is not the
        // stored one any more, even when a new order has taken its id: it must not be paid or called back.
        if (current.page_token !== order.page_token) throw gone(order)
        const outcome = run(current)
        result = outcome.result
        sent = current.notify_url === '' ? [] : outcome.deliveries
        return { order: current, callbacks: sent }
      })
    } catch (err) {
      throw err instanceof GoneError ? gone(order) : err
    }
    if (sent.length > 0) deps.dispatcher.enqueue(sent)
    return result
  }

  return {
    async pay (order, reason, given = {}) {
      // A hosted checkout paid elsewhere (control API, admin UI, autopay) never had its method chosen: the payer
      // used WeChat Pay, so the order and its callback carry an acquirer's id like every paid order.
      const outcome = outcomeFor(deps.outcomes, magicAmount(order))
      if (outcome?.outcome === 'never_pay') {
        throw new TransitionError('ORDER_CLOSED', `order ${order.order_id} has a magic amount ending in ${order.amount.slice(-2)}: it is never paid and will expire`)
      }
      return change(order, (order) => {
        const changes = order.method === 'CHECKOUT' && given.method === undefined
          ? { ...given, method: 'WECHATPAY' as const, bizpay_order_id: deps.ids.bizpayOrderId(BIZPAY_PREFIX.WECHATPAY) }
          : given
        if (outcome?.outcome === 'decline') {
          applyPaymentEvent(order, 'fail', clock.now(), `${reason}: declined (magic amount ending in 01)`)
          Object.assign(order, changes)
          return { result: order, deliveries: [newDelivery(order, 'declined', 0, null)] }
        }
        applyPaymentEvent(order, 'pay', clock.now(), reason)
        Object.assign(order, changes)
        const first = newDelivery(order, 'payment', outcome?.outcome === 'callback_timeouts' ? outcome.attempts : 0, null)
        const deliveries = [first]
        if (outcome?.outcome === 'duplicate_callback') deliveries.push(newDelivery(order, 'payment', 0, first.id))
        return { result: order, deliveries }
      })
    },
    async decline (order, reason, changes = {}) {
      return change(order, (order) => {
        applyPaymentEvent(order, 'fail', clock.now(), reason)
        Object.assign(order, changes)
        return { result: order, deliveries: [newDelivery(order, 'declined', 0, null)] }
      })
    },
    async expire (order, reason) {
      return change(order, (order) => {
        applyPaymentEvent(order, 'expire', clock.now(), reason)
        return { result: order, deliveries: [] }
      })
    },
    async refund (order, reason, amount, refundId) {
      return change(order, (order) => {
        const ids = {
          refund_id: refundId ?? deps.ids.orderId(),
          bizpay_order_id: deps.ids.bizpayOrderId(BIZPAY_PREFIX[order.method])
        }
        return { result: { order, refund: applyRefund(order, amount, ids, clock.now(), reason) }, deliveries: [] }
      })
    }
  }
}
