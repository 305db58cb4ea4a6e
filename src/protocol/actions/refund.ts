import { Type } from '@sinclair/typebox'
import { GatewayError } from '../../domain/errors.js'
import type { Order } from '../../domain/orders/order.js'
import { defineAction, type ActionContext } from '../action.js'
import { Cents, ORDER_ID_SPELLINGS, OrderId } from '../fields.js'
import { BeijingTimeField, cents, OrderStatusField } from './query-fields.js'
import { refundNamed, requireOrder } from './rules.js'

export const RefundDataSchema = Type.Object({
  order_id: Type.Optional(OrderId('The refund\'s own order id (a new one; generated when absent). Unique per merchant, like every order id')),
  ori_order_id: OrderId('The paid order to refund'),
  refund_amt: Cents('Cents to refund, "100" for 1.00; partial refunds add up to at most the paid amount')
}, { $id: 'RefundData', additionalProperties: true })

/**
 * The answer's data: truncated in the docs, so decided here in the query vocabulary (§17a, §19b), both spellings
 * where the docs use two (README "Queries and refunds" says which field is documented where).
 */
export const RefundAnswerSchema = Type.Object({
  order_id: Type.String({ description: 'The refund\'s id: query it with STATUS_QUERY' }),
  ori_order_id: Type.String({ description: 'The refunded order' }),
  refund_amt: cents('Cents refunded by this refund'),
  amount: cents('Cents refunded by this refund: the amount of the refund\'s id, as STATUS_QUERY answers it'),
  total_amount: cents('The same as amount (the docs spell an order\'s total both ways, §17a and §19b)'),
  refund_amount: cents('Cents refunded on the original order so far, this refund included'),
  order_status: OrderStatusField,
  bizpay_order_id: Type.String({ description: 'The acquirer\'s id of the refund' }),
  merchant_id: Type.String({ description: 'Merchant ID' }),
  currency: Type.String({ description: 'The merchant\'s currency (CAD, USD, CNY)' }),
  finish_time: BeijingTimeField('Refund time'),
  trade_time: BeijingTimeField('The same as finish_time, as the queries of §17a and §19b spell it')
}, { $id: 'RefundAnswer', additionalProperties: false })

/** The paid order `ori_order_id` names; a refund's id is refused with its order's (ids of both share a namespace). */
function originalOrder (ctx: ActionContext, id: string): Order {
  const refund = refundNamed(ctx, id)
  if (refund !== undefined) throw new GatewayError('PARAM_INVALID', `ori_order_id ${id} is a refund; refund its order ${refund.order.order_id} instead`)
  return requireOrder(ctx, 'ori_order_id', id)
}

/** REFUND 1.0: refunds a paid order in part or in full, under a refund id of its own. Sends no callback (none is documented). */
export default defineAction({
  action: 'REFUND',
  versions: ['1.0'],
  summary: 'Refund a paid order, in part or in full',
  ...ORDER_ID_SPELLINGS,
  data: RefundDataSchema,
  answer: RefundAnswerSchema,
  async handle (ctx, data) {
    const order = originalOrder(ctx, data.ori_order_id)
    const merchantId = ctx.merchant.merchant_id
    if (data.order_id !== undefined && ctx.store.orders.idTaken(merchantId, data.order_id)) {
      throw new GatewayError('ORDER_USED', `order_id ${data.order_id} was already used by merchant ${merchantId}; a refund needs an order id of its own`)
    }
    // A refused refund is a TransitionError: ORDER_TYPE_ERROR for a pre-authorised order, otherwise PARAM_INVALID (src/domain/errors.ts).
    const { order: refunded, refund } = await ctx.payments.refund(order, `refunded by REFUND ${ctx.version}`, data.refund_amt, data.order_id)
    return {
      order_id: refund.refund_id,
      ori_order_id: refunded.order_id,
      refund_amt: refund.amount,
      amount: refund.amount,
      total_amount: refund.amount,
      refund_amount: refunded.refund_amount ?? refund.amount,
      order_status: refunded.status,
      bizpay_order_id: refund.bizpay_order_id,
      merchant_id: refunded.merchant_id,
      currency: refunded.currency,
      finish_time: refund.finish_time,
      trade_time: refund.finish_time
    }
  }
})
