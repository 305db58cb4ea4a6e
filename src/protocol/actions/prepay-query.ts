import { Type, type Static } from '@sinclair/typebox'
import { GatewayError } from '../../domain/errors.js'
import type { Merchant } from '../../domain/fixtures.js'
import { isPaidStatus } from '../../domain/orders/lifecycle.js'
import type { Order, OrderStatus } from '../../domain/orders/order.js'
import { defineAction } from '../action.js'
import { ORDER_ID_SPELLINGS, OrderId } from '../fields.js'
import { requireEnvelopeMerchant } from './rules.js'
import { BeijingTimeField, cents, OrderStatusField } from './query-fields.js'

/** The methods the checkout page offers, in its order (`GP` is a card through Global Payments). */
export const CHECKOUT_METHODS = ['WECHATPAY', 'ALIPAY', 'UNIONPAY', 'GP'] as const
export type CheckoutMethod = typeof CHECKOUT_METHODS[number]

export const PrepayQueryDataSchema = Type.Object({
  prepay_order_id: OrderId('The checkout order to query (PREPAY_INIT\'s prepay_order_id)'),
  order_id: Type.Optional(Type.String({
    pattern: '^$|^[A-Za-z0-9_-]{1,64}$',
    errorMessage: 'must be 1 to 64 letters, digits, "-" or "_" (or "" for none)',
    description: 'OTT Pay order ID (also accepted as "orderId"; "" is the same as absent); when given, must be the one PREPAY_QUERY answers, which the sandbox makes the prepay_order_id'
  })),
  merchant_id: Type.String({ errorMessage: 'must be the merchant id of the envelope', description: 'Merchant ID, same as the envelope' })
}, { $id: 'PrepayQueryData', additionalProperties: true })

const text = (description: string) => Type.String({ description })

/** The answer's data (docs §20b), plus `order_status`, `bizpay_order_id` and `finish_time` that clients also read. */
export const PrepayQueryAnswerSchema = Type.Object({
  rspCode: Type.Literal('SUCCESS', { description: 'Inquiry response code: the query itself succeeded' }),
  rspMsg: Type.Literal('success', { description: 'Inquiry response message' }),
  merchant_id: text('Merchant ID'),
  merchant_name: text('Merchant name (fixtures `name`)'),
  amount: cents('Payment amount in cents'),
  tip: cents('Tip amount in cents'),
  shop_id: text('Store ID, as sent'),
  operator_id: text('Operator, as sent'),
  status: Type.Union((['PROCESSING', 'SUCCESS', 'ORDERCLOSE'] as const).map((s) => Type.Literal(s)), {
    description: 'PROCESSING (awaiting payment), SUCCESS (paid, also once refunded since), ORDERCLOSE (declined, cancelled or expired)'
  }),
  order_status: OrderStatusField,
  call_back_url: text('Call back URL, as sent'),
  redirect_url: text('Redirect URL, as sent'),
  biz_type: Type.Literal('PREPAY', { description: 'Business type, "PREPAY"' }),
  prepay_order_id: text('Prepay order ID'),
  order_id: Type.Optional(text('OTT Pay order ID; only once the payer used a method (paid or declined). The sandbox keys checkout orders by ' +
    'prepay_order_id, so this is the prepay_order_id: the id STATUS_QUERY and REFUND take')),
  bizpay_order_id: Type.Optional(text('Order ID from the acquirer (WX, AP, UP or GP followed by 16 digits); with order_id')),
  sale_num: text('Sale number: the merchant\'s invoice number'),
  email: Type.Optional(text('Buyer e-mail; only when sent')),
  remarks: Type.Optional(text('Remarks; only when sent')),
  currency_type: text('Currency (CAD, USD, CNY)'),
  duration: text('Payment duration in seconds, as sent'),
  create_time: BeijingTimeField('Creation time'),
  expire_time: BeijingTimeField('Expire time: creation time + duration'),
  finish_time: Type.Optional(BeijingTimeField('Payment time; only once paid')),
  payments_methods: text('The payment method used (e.g. "ALIPAY") once the payer chose one, otherwise the comma-separated methods offered: "WECHATPAY,ALIPAY,UNIONPAY,GP"')
}, { $id: 'PrepayQueryAnswer', additionalProperties: false })

type PrepayQueryAnswer = Static<typeof PrepayQueryAnswerSchema>

/** Checkout statuses (docs §20b) from the order's. */
function checkoutStatus (status: OrderStatus): PrepayQueryAnswer['status'] {
  if (status === 'init') return 'PROCESSING'
  return isPaidStatus(status) ? 'SUCCESS' : 'ORDERCLOSE'
}

/** A payment was attempted (paid, refunded since, or declined): the docs give `order_id` "once a payment method was used". */
function methodUsed (order: Order): boolean {
  return order.status === 'fail' || isPaidStatus(order.status)
}

/** The optional fields, each only when it has a value (absent rather than null). */
function optionalFields (order: Order): Partial<PrepayQueryAnswer> {
  const details = order.details ?? {}
  const fields: Partial<PrepayQueryAnswer> = {}
  if (methodUsed(order)) Object.assign(fields, { order_id: order.order_id, bizpay_order_id: order.bizpay_order_id })
  if (details.email !== undefined) fields.email = details.email
  if (details.remarks !== undefined) fields.remarks = details.remarks
  if (isPaidStatus(order.status) && order.finish_time !== null) fields.finish_time = order.finish_time
  return fields
}

/** A checkout order as PREPAY_QUERY answers it, from the order and the details PREPAY_INIT kept with it. */
export function prepayQueryView (order: Order, merchant: Merchant): PrepayQueryAnswer {
  const details = order.details ?? {}
  return {
    rspCode: 'SUCCESS',
    rspMsg: 'success',
    merchant_id: order.merchant_id,
    merchant_name: merchant.name,
    amount: order.amount,
    tip: order.tip,
    shop_id: details.shop_id ?? '',
    operator_id: order.operator_id ?? '',
    status: checkoutStatus(order.status),
    order_status: order.status,
    call_back_url: order.notify_url,
    redirect_url: order.return_url ?? '',
    biz_type: 'PREPAY',
    prepay_order_id: order.order_id,
    sale_num: order.sale_num ?? '',
    currency_type: order.currency,
    duration: details.duration ?? '',
    create_time: details.create_time ?? '',
    expire_time: details.expire_time ?? '',
    payments_methods: order.method === 'CHECKOUT' ? CHECKOUT_METHODS.join(',') : order.method,
    ...optionalFields(order)
  }
}

/** PREPAY_QUERY 2.0: the state of a hosted checkout order. */
export default defineAction({
  action: 'PREPAY_QUERY',
  versions: ['2.0'],
  summary: 'Query a hosted checkout order (PREPAY_INIT)',
  ...ORDER_ID_SPELLINGS,
  data: PrepayQueryDataSchema,
  answer: PrepayQueryAnswerSchema,
  async handle (ctx, data) {
    requireEnvelopeMerchant(ctx, data.merchant_id)
    const merchantId = ctx.merchant.merchant_id
    const order = ctx.store.orders.find(merchantId, data.prepay_order_id)
    if (order === undefined || order.action !== 'PREPAY_INIT') {
      const other = order === undefined ? '' : ` (it is an order of ${order.action}; query it with STATUS_QUERY 1.0)`
      throw new GatewayError('PARAM_INVALID', `prepay_order_id ${data.prepay_order_id} is not a checkout order of merchant ${merchantId}${other}`)
    }
    if (data.order_id !== undefined && data.order_id !== '' && data.order_id !== order.order_id) {
      throw new GatewayError('PARAM_INVALID', `order_id ${data.order_id} is not the order of prepay_order_id ${order.order_id} (its order_id is ${order.order_id})`)
    }
    return prepayQueryView(order, ctx.merchant)
  }
})
