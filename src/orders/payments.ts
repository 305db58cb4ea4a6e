import type { Delivery } from '../callbacks/delivery.js'
import type { Dispatcher } from '../callbacks/dispatcher.js'
import { callbackBody } from '../callbacks/payload.js'
import type { Clock } from '../clock.js'
import type { Ids } from '../ids.js'
import type { MerchantDirectory } from '../merchants.js'
import { outcomeFor, type OutcomesFile } from '../outcomes.js'
import type { Store } from '../store/index.js'
import { applyPaymentEvent, applyRefund, TransitionError } from './lifecycle.js'
import type { Order } from './order.js'

export interface PaymentsDeps {
  store: Store
  clock: Clock
  ids: Ids
  merchants: MerchantDirectory
  outcomes: OutcomesFile
  dispatcher: Dispatcher
}

/** Every way an order gets paid, declined or expired goes through here, so each fires the same callbacks. */
export interface Payments {
  /** The payer pays (magic amounts may decline it or refuse). `tip` (cents) replaces the order's tip. */
  pay(order: Order, reason: string, tip?: string): Promise<Order>
  decline(order: Order, reason: string): Promise<Order>
  /** Closes an unpaid order as `notpay`. Sends no callback: the wallets do not notify expiry. */
  expire(order: Order, reason: string): Promise<Order>
  /** Refunds `amount` cents (default: all that is left). Sends no callback: the docs describe none for refunds. */
  refund(order: Order, reason: string, amount?: string): Promise<Order>
}

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

  /** Saves the order and its new callbacks in one write, then lets the dispatcher send them. */
  async function commit (order: Order, deliveries: Delivery[]): Promise<Order> {
    await store.callbacks.insert(deliveries)
    deps.dispatcher.runDue()
    return order
  }

  return {
    async pay (order, reason, tip) {
      const outcome = outcomeFor(deps.outcomes, order.amount)
      if (outcome?.outcome === 'never_pay') {
        throw new TransitionError('ORDER_CLOSED', `order ${order.order_id} has a magic amount ending in ${order.amount.slice(-2)}: it is never paid and will expire`)
      }
      if (outcome?.outcome === 'decline') {
        applyPaymentEvent(order, 'fail', clock.now(), `${reason}: declined (magic amount ending in 01)`)
        return commit(order, [newDelivery(order, 'declined', 0, null)])
      }
      applyPaymentEvent(order, 'pay', clock.now(), reason)
      if (tip !== undefined) order.tip = tip
      const first = newDelivery(order, 'payment', outcome?.outcome === 'callback_timeouts' ? outcome.attempts : 0, null)
      const deliveries = [first]
      if (outcome?.outcome === 'duplicate_callback') deliveries.push(newDelivery(order, 'payment', 0, first.id))
      return commit(order, deliveries)
    },
    async decline (order, reason) {
      applyPaymentEvent(order, 'fail', clock.now(), reason)
      return commit(order, [newDelivery(order, 'declined', 0, null)])
    },
    async expire (order, reason) {
      applyPaymentEvent(order, 'expire', clock.now(), reason)
      await store.orders.save(order)
      return order
    },
    async refund (order, reason, amount) {
      applyRefund(order, amount, clock.now(), reason)
      await store.orders.save(order)
      return order
    }
  }
}
