import { Type } from '@sinclair/typebox'
import { orderQueryView, refundQueryView, unknownOrder } from '../../domain/orders/query-view.js'
import { defineAction } from '../action.js'
import { OrderId } from '../fields.js'
import { compile } from '../validate.js'
import { BeijingTimeField, cents, OrderStatusField } from './query-fields.js'

export const StatusQueryDataSchema = Type.Object({
  order_id: OrderId('The order to query (also accepted as "orderId"): an order of any action, or a refund\'s id')
}, { $id: 'StatusQueryData', additionalProperties: true })

/** The answer's data: the docs' page is truncated here, so the fields follow the query vocabulary of §19b and real clients. */
export const StatusQueryAnswerSchema = Type.Object({
  order_id: Type.String({ description: 'The order queried (or the refund\'s id)' }),
  order_status: OrderStatusField,
  bizpay_order_id: Type.String({ description: 'Order ID from the acquirer (for a refund: the refund\'s)' }),
  amount: cents('Order amount in cents (for a refund: the cents refunded)'),
  tip: cents('Tip in cents'),
  merchant_id: Type.String({ description: 'Merchant ID' }),
  currency: Type.String({ description: 'The merchant\'s currency (CAD, USD, CNY)' }),
  refund_amount: Type.Optional(cents('Cents refunded so far; only once something was refunded')),
  finish_time: Type.Optional(BeijingTimeField('Payment time; only once paid (for a refund: the refund time)')),
  ori_order_id: Type.Optional(Type.String({ description: 'Only for a refund\'s id: the order it refunded' }))
}, { $id: 'StatusQueryAnswer', additionalProperties: false })

/** STATUS_QUERY 1.0: the status of any order of the merchant, or of one of its refunds (the sandbox's refund query). */
export default defineAction({
  action: 'STATUS_QUERY',
  versions: ['1.0'],
  summary: 'Query an order (any action) or a refund by its id',
  aliases: { orderId: 'order_id' },
  data: compile(StatusQueryDataSchema),
  answer: compile(StatusQueryAnswerSchema),
  async handle (ctx, data) {
    const merchantId = ctx.merchant.merchant_id
    const order = ctx.store.orders.find(merchantId, data.order_id)
    if (order !== undefined) return { ...orderQueryView(order) }
    const refund = ctx.store.orders.findRefund(merchantId, data.order_id)
    if (refund !== undefined) return { ...refundQueryView(refund.order, refund.refund) }
    throw unknownOrder('order_id', data.order_id, merchantId)
  }
})
