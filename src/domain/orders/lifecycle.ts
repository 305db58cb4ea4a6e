import { TransitionError } from '../errors.js'
import { beijingTime } from '../../platform/time.js'
import type { Order, OrderStatus, Refund } from './order.js'

/** What can happen to an unpaid order. */
export type PaymentEvent = 'pay' | 'fail' | 'expire'

// The refusal is a domain error of the catalogue; re-exported here, where the rules that throw it live.
export { TransitionError, type TransitionCode } from '../errors.js'

const PAID: OrderStatus[] = ['success', 'authorised', 'partial_refunded', 'refunded']

function isPaid (order: Order): boolean {
  return PAID.includes(order.status)
}

/** The state a payment event leads to; a paid CC_PREAUTH is `authorised`, not `success`. */
function target (order: Order, event: PaymentEvent): OrderStatus {
  if (event === 'pay') return order.action === 'CC_PREAUTH' ? 'authorised' : 'success'
  return event === 'fail' ? 'fail' : 'notpay'
}

/**
 * Applies a payment event to an `init` order, in place: status, history, and `finish_time` when paid.
 * Throws a {@link TransitionError} when the order is already paid or closed.
 */
export function applyPaymentEvent (order: Order, event: PaymentEvent, now: number, reason: string): Order {
  if (isPaid(order)) throw new TransitionError('ORDER_PAID', `order ${order.order_id} is already paid (${order.status})`)
  if (order.status !== 'init') throw new TransitionError('ORDER_CLOSED', `order ${order.order_id} is closed (${order.status})`)
  const status = target(order, event)
  const at = new Date(now).toISOString()
  order.status = status
  order.updated_at = at
  if (event === 'pay') order.finish_time = beijingTime(now)
  order.history.push({ at, status, reason })
  return order
}

/** Cents refunded so far (orders stored before refunds existed have none). */
export function refundedCents (order: Order): bigint {
  return BigInt(order.refund_amount ?? '0')
}

/** What a refund needs besides the amount: its id and the acquirer's id (the caller makes both). */
export interface RefundIds {
  refund_id: string
  bizpay_order_id: string
}

/** True for orders the payer has paid (including those refunded since). */
export function isPaidStatus (status: OrderStatus): boolean {
  return PAID.includes(status)
}

/**
 * Refunds `amount` cents of a paid order, in place (contract §2): partial refunds add up, never beyond the paid
 * amount; the status becomes `partial_refunded` or `refunded`, and the refund is recorded under its own id.
 * A pre-authorised order cannot be refunded (the gateway's ORDER_TYPE_ERROR, "pre-authoried order").
 * `amount` defaults to what is left.
 */
export function applyRefund (order: Order, amount: string | undefined, ids: RefundIds, now: number, reason: string): Refund {
  if (order.status === 'authorised') throw new TransitionError('ORDER_TYPE_ERROR', `order ${order.order_id} is a pre-authorised order; it cannot be refunded`)
  if (order.status !== 'success' && order.status !== 'partial_refunded') {
    throw new TransitionError(order.status === 'refunded' ? 'REFUND_EXCEEDS' : 'ORDER_NOT_PAID',
      order.status === 'refunded'
        ? `order ${order.order_id} is already refunded in full`
        : `order ${order.order_id} is ${order.status}; only paid orders can be refunded`)
  }
  const paid = BigInt(order.amount)
  const left = paid - refundedCents(order)
  const cents = amount === undefined ? left : BigInt(amount)
  if (cents <= 0n) throw new TransitionError('REFUND_EXCEEDS', 'a refund must be at least 1 cent')
  if (cents > left) throw new TransitionError('REFUND_EXCEEDS', `refund of ${cents} cents exceeds the ${left} cents left to refund on order ${order.order_id} (paid ${paid})`)
  const total = refundedCents(order) + cents
  const status: OrderStatus = total === paid ? 'refunded' : 'partial_refunded'
  const at = new Date(now).toISOString()
  const refund: Refund = { refund_id: ids.refund_id, amount: cents.toString(), bizpay_order_id: ids.bizpay_order_id, at, finish_time: beijingTime(now), reason }
  order.refund_amount = total.toString()
  order.refunds = [...(order.refunds ?? []), refund]
  order.status = status
  order.updated_at = at
  order.history.push({ at, status, reason: `${reason}: ${cents} cents refunded as ${ids.refund_id}, ${paid - total} left` })
  return refund
}
