import { beijingTime } from '../time.js'
import type { Order, OrderStatus } from './order.js'

/** What can happen to an unpaid order. */
export type PaymentEvent = 'pay' | 'fail' | 'expire'

/** An event that does not apply to the order's state; `code` says why. */
export class TransitionError extends Error {
  readonly code: 'ORDER_PAID' | 'ORDER_CLOSED'

  constructor (code: 'ORDER_PAID' | 'ORDER_CLOSED', message: string) {
    super(message)
    this.name = 'TransitionError'
    this.code = code
  }
}

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
