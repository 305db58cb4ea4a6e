import { GatewayError } from '../errors.js'
import { isPaidStatus } from './lifecycle.js'
import type { Order, OrderStatus, Refund } from './order.js'

/**
 * What a query answers about an order or a refund (STATUS_QUERY's fields; CC_QUERYPAY reuses them), in the query
 * vocabulary of the docs (PASSIVEPAY's answer, Portico's CC_QUERYPAY): where they spell a field two ways, both
 * spellings, with the same value (`amount` and `total_amount`, `finish_time` and `trade_time`).
 */
export interface QueryView {
  order_id: string
  order_status: OrderStatus
  bizpay_order_id: string
  amount: string
  total_amount: string
  tip: string
  merchant_id: string
  currency: string
  refund_amount?: string
  finish_time?: string
  trade_time?: string
  receipt_amount?: string
  buyer_pay_amount?: string
  ori_order_id?: string
}

/**
 * An order as queries show it: `refund_amount` once something was refunded; once paid, the payment time
 * (`finish_time`, `trade_time`) and what was received (`receipt_amount`, `buyer_pay_amount`: the amount).
 */
export function orderQueryView (order: Order): QueryView {
  const view: QueryView = {
    order_id: order.order_id,
    order_status: order.status,
    bizpay_order_id: order.bizpay_order_id,
    amount: order.amount,
    total_amount: order.amount,
    tip: order.tip,
    merchant_id: order.merchant_id,
    currency: order.currency
  }
  if (order.refund_amount !== undefined && order.refund_amount !== '0') view.refund_amount = order.refund_amount
  if (isPaidStatus(order.status) && order.finish_time !== null) {
    Object.assign(view, { finish_time: order.finish_time, trade_time: order.finish_time, receipt_amount: order.amount, buyer_pay_amount: order.amount })
  }
  return view
}

/**
 * A refund as STATUS_QUERY shows it under its own id (decided: the docs' refund query is unreadable): status
 * `refunded`, `amount`, `total_amount` and `refund_amount` all the refunded cents, `finish_time` and `trade_time`
 * the refund time, `ori_order_id` the refunded order. Nothing was received, so no `receipt_amount`.
 */
export function refundQueryView (order: Order, refund: Refund): QueryView {
  return {
    order_id: refund.refund_id,
    order_status: 'refunded',
    bizpay_order_id: refund.bizpay_order_id,
    amount: refund.amount,
    total_amount: refund.amount,
    tip: '0',
    merchant_id: order.merchant_id,
    currency: order.currency,
    refund_amount: refund.amount,
    finish_time: refund.finish_time,
    trade_time: refund.finish_time,
    ori_order_id: order.order_id
  }
}

/** The error for an id the merchant never used: names the id and the merchant. */
export function unknownOrder (field: string, id: string, merchantId: string): GatewayError {
  return new GatewayError('PARAM_INVALID', `${field} ${id} is not an order of merchant ${merchantId}`)
}
