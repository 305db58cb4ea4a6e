import { Type } from '@sinclair/typebox'
import { orderQueryView, refundQueryView, type QueryView } from '../../domain/orders/query-view.js'
import { defineAction, type ActionContext } from '../action.js'
import { ORDER_ID_SPELLINGS, OrderId } from '../fields.js'
import { BeijingTimeField, cents, OrderStatusField } from './query-fields.js'
import { refundNamed, requireOrder } from './rules.js'

export const StatusQueryDataSchema = Type.Object({
  order_id: OrderId('The order to query (also accepted as "orderId"): an order of any action, or a refund\'s id')
}, { $id: 'StatusQueryData', additionalProperties: true })

/**
 * The answer's data: the docs' page is truncated here, so the fields follow the query vocabulary of PASSIVEPAY's
 * answer (§17a) and Portico's CC_QUERYPAY (§19b), both spellings where the docs use two, and what real clients read
 * (§4, §26): README "Queries and refunds" says which field is documented where.
 */
export const StatusQueryAnswerSchema = Type.Object({
  order_id: Type.String({ description: 'The order queried (or the refund\'s id)' }),
  order_status: OrderStatusField,
  bizpay_order_id: Type.String({ description: 'Order ID from the acquirer (for a refund: the refund\'s)' }),
  amount: cents('Order amount in cents (for a refund: the cents refunded)'),
  total_amount: cents('The same as amount: PASSIVEPAY\'s answer (§17a) spells the order total "total_amount", CC_QUERYPAY\'s (§19b) "amount"'),
  tip: cents('Tip in cents'),
  merchant_id: Type.String({ description: 'Merchant ID' }),
  currency: Type.String({ description: 'The merchant\'s currency (CAD, USD, CNY)' }),
  refund_amount: Type.Optional(cents('Cents refunded so far; only once something was refunded')),
  finish_time: Type.Optional(BeijingTimeField('Payment time; only once paid (for a refund: the refund time)')),
  trade_time: Type.Optional(BeijingTimeField('The same as finish_time, as the queries of §17a and §19b spell it; only once paid (for a refund: the refund time)')),
  receipt_amount: Type.Optional(cents('Amount on the receipt: the amount; only once paid (not for a refund)')),
  buyer_pay_amount: Type.Optional(cents('What the payer paid: the amount; only once paid (not for a refund)')),
  ori_order_id: Type.Optional(Type.String({ description: 'Only for a refund\'s id: the order it refunded' }))
}, { $id: 'StatusQueryAnswer', additionalProperties: false })

/** What STATUS_QUERY shows for an id: the merchant's order, or one of its refunds (they share the id namespace). */
function queryViewOf (ctx: ActionContext, id: string): QueryView {
  const refund = refundNamed(ctx, id)
  return refund === undefined ? orderQueryView(requireOrder(ctx, 'order_id', id)) : refundQueryView(refund.order, refund.refund)
}

/** STATUS_QUERY 1.0: the status of any order of the merchant, or of one of its refunds (the sandbox's refund query). */
export default defineAction({
  action: 'STATUS_QUERY',
  versions: ['1.0'],
  summary: 'Query an order (any action) or a refund by its id',
  ...ORDER_ID_SPELLINGS,
  data: StatusQueryDataSchema,
  answer: StatusQueryAnswerSchema,
  async handle (ctx, data) {
    return { ...queryViewOf(ctx, data.order_id) }
  }
})
