import { Type } from '@sinclair/typebox'
import { GatewayError } from '../../domain/errors.js'
import { isPaidStatus } from '../../domain/orders/lifecycle.js'
import { orderQueryView, unknownOrder } from '../../domain/orders/query-view.js'
import { defineAction } from '../action.js'
import { OrderId } from '../fields.js'
import { BeijingTimeField, cents, OrderStatusField } from './query-fields.js'
import { requireEnvelopeMerchant } from './rules.js'

const optionalText = (description: string) => Type.Optional(Type.String({ maxLength: 64, errorMessage: 'must be a string', description }))

/**
 * Portico's table (§19b) and the UnionPay query page (§9a, `order_id`) together: only the order id is needed. The
 * §19b fields (`termId`, `channelType`, `bizType`, `cc_channelType` "GLBPAYMNTS") are accepted for any card order.
 */
export const CcQueryPayDataSchema = Type.Object({
  orderId: OrderId('The card order to query (also accepted as "order_id")'),
  merchant_id: optionalText('Merchant ID; when given, must be the envelope\'s'),
  shopId: optionalText('Store ID (Portico); accepted, not checked'),
  termId: optionalText('Device ID, "CNP_ECOM" (Portico); accepted, not checked'),
  channelType: optionalText('Payment channel identity, e.g. "PORTICOECOM" or "UPAYONLINE"; accepted, not checked'),
  bizType: optionalText('Payment type, e.g. "portico_card" or "securePay"; accepted, not checked'),
  cc_channelType: optionalText('Payment platform, e.g. "GLBPAYMNTS"; accepted, not checked')
}, { $id: 'CcQueryPayData', additionalProperties: true })

/** The answer's data (§19b). */
export const CcQueryPayAnswerSchema = Type.Object({
  rspCode: Type.Literal('SUCCESS', { description: 'Inquiry response code: the query itself succeeded' }),
  rspMsg: Type.Literal('success', { description: 'Inquiry response message' }),
  order_status: OrderStatusField,
  trade_time: Type.Optional(BeijingTimeField('Transaction time; only once paid')),
  finish_time: Type.Optional(BeijingTimeField('trade_time, as STATUS_QUERY and the callbacks spell it; only once paid')),
  orderId: Type.String({ description: 'Order ID' }),
  order_id: Type.String({ description: 'orderId, as the UnionPay query page (§9a) and STATUS_QUERY spell it' }),
  merchant_id: Type.String({ description: 'Merchant ID (as STATUS_QUERY answers it)' }),
  currency: Type.String({ description: 'The merchant\'s currency (as STATUS_QUERY answers it)' }),
  bizpay_order_id: Type.String({ description: 'Order ID from the payment gateway' }),
  amount: cents('Order total amount in cents'),
  total_amount: cents('amount, as STATUS_QUERY and PASSIVEPAY (§17a) spell "Order total amount"'),
  receipt_amount: Type.Optional(cents('Amount on the receipt; only once paid')),
  buyer_pay_amount: Type.Optional(cents('What the payer paid; only once paid')),
  tip: cents('Tip in cents'),
  refund_amount: Type.Optional(cents('Cents refunded so far; only once something was refunded'))
}, { $id: 'CcQueryPayAnswer', additionalProperties: false })

/** CC_QUERYPAY 2.0: the status of a card order (CC_PURCHASE or CC_PREAUTH, any channel) in Portico's fields (§19b). */
export default defineAction({
  action: 'CC_QUERYPAY',
  versions: ['2.0'],
  summary: 'Query a card order (CC_PURCHASE, CC_PREAUTH)',
  aliases: { order_id: 'orderId', biz_type: 'bizType' },
  data: CcQueryPayDataSchema,
  answer: CcQueryPayAnswerSchema,
  async handle (ctx, data) {
    const merchantId = ctx.merchant.merchant_id
    requireEnvelopeMerchant(ctx, data.merchant_id)
    const order = ctx.store.orders.find(merchantId, data.orderId)
    if (order === undefined) throw unknownOrder('orderId', data.orderId, merchantId)
    // Every card channel's order (UnionPay, Converge, Portico) answers here; the docs are silent on Converge's query, so it is Portico's.
    if (order.action !== 'CC_PURCHASE' && order.action !== 'CC_PREAUTH') {
      throw new GatewayError('PARAM_INVALID', `orderId ${data.orderId} is not a card order (it was created by ${order.action}); query it with STATUS_QUERY 1.0`)
    }
    const view = orderQueryView(order)
    const paid = isPaidStatus(order.status)
    return {
      rspCode: 'SUCCESS' as const,
      rspMsg: 'success' as const,
      order_status: view.order_status,
      ...(paid && view.finish_time !== undefined ? { trade_time: view.finish_time, finish_time: view.finish_time } : {}),
      orderId: order.order_id,
      // Both spellings where the docs use two (README "Where the answers' fields come from").
      order_id: order.order_id,
      merchant_id: view.merchant_id,
      currency: view.currency,
      bizpay_order_id: order.bizpay_order_id,
      amount: order.amount,
      total_amount: order.amount,
      ...(paid ? { receipt_amount: order.amount, buyer_pay_amount: order.amount } : {}),
      tip: order.tip,
      ...(view.refund_amount === undefined ? {} : { refund_amount: view.refund_amount })
    }
  }
})
