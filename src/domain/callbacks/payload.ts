import { seal } from '../../crypto/index.js'
import { GATEWAY_CODES } from '../errors.js'
import type { Merchant } from '../fixtures.js'
import type { Order } from '../orders/order.js'
import { beijingTime } from '../../platform/time.js'
import type { Delivery } from './delivery.js'

/**
 * The callback body both seeds document: outer `{rsp_code, rsp_msg, merchant_id, data, md5}`, inner
 * `{finish_time, order_id, amount, tip, bizpay_order_id, merchant_id}` sealed with the merchant's key, plus
 * `order_status` (the apidocs callback, reference §22): the order's status as the event left it (`success`,
 * `authorised` for a pre-authorisation, `fail`). A declined payment sends the same fields with `rsp_code` FAIL and
 * the time of the decline. Orders with a `sale_num` add it; hosted checkout orders (PREPAY_INIT) add `prepay_order_id`.
 */
export function callbackBody (order: Order, merchant: Merchant, kind: Delivery['kind'], now: number): Record<string, string> {
  const inner: Record<string, string> = {
    finish_time: order.finish_time ?? beijingTime(now),
    order_id: order.order_id,
    order_status: order.status,
    amount: order.amount,
    tip: order.tip,
    bizpay_order_id: order.bizpay_order_id,
    merchant_id: order.merchant_id
  }
  // Checkout clients match the callback by `prepay_order_id` or `sale_num` (docs §20, third-party clients).
  if (order.sale_num !== undefined) inner.sale_num = order.sale_num
  if (order.action === 'PREPAY_INIT') inner.prepay_order_id = order.order_id
  const code = kind === 'payment' ? 'SUCCESS' : 'FAIL'
  return { rsp_code: code, rsp_msg: GATEWAY_CODES[code], merchant_id: merchant.merchant_id, ...seal(inner, merchant.sign_key) }
}
