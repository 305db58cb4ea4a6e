import { Type, type Static } from '@sinclair/typebox'
import { GatewayError } from '../../domain/errors.js'
import { payerPagePath } from '../../domain/orders/order.js'
import { commitOrder, draftOrder } from '../../engine/orders/create-order.js'
import { beijingTime } from '../../platform/time.js'
import { defineAction, type ActionContext } from '../action.js'
import { Cents, HttpUrl, OneOf, OperatorId, OrderId } from '../fields.js'
import { BeijingTimeField, cents } from './query-fields.js'
import { requireEnvelopeMerchant, requireMerchantCurrency } from './rules.js'

/** Bounds of `duration` (decided: the docs give none): one second to seven days. */
export const MAX_DURATION_SECONDS = 7 * 24 * 60 * 60

export const CURRENCIES = ['CAD', 'USD', 'CNY'] as const

export const PrepayInitDataSchema = Type.Object({
  merchant_id: Type.String({ errorMessage: 'must be the merchant id of the envelope', description: 'Merchant ID, same as the envelope' }),
  shop_id: Type.String({
    pattern: '^[A-Za-z0-9]{1,32}$',
    errorMessage: 'must be 1 to 32 letters or digits (e.g. "ON00004652001")',
    description: 'Shop ID issued by OTT Pay (e.g. the merchant ID followed by 3 digits); kept with the order, not checked against a shop list'
  }),
  operator_id: OperatorId,
  prepay_order_id: OrderId('The merchant\'s checkout order ID, unique per merchant; it is the order\'s `order_id` for STATUS_QUERY and REFUND'),
  sale_num: Type.String({
    minLength: 1,
    maxLength: 64,
    errorMessage: 'must be 1 to 64 characters (the merchant\'s invoice number)',
    description: 'Sale number: the merchant\'s invoice number'
  }),
  currency_type: OneOf(CURRENCIES, 'Currency; must be the merchant\'s (fixtures `currency`)'),
  biz_type: OneOf(['PREPAY'] as const, 'Business type, "PREPAY" (also accepted as "bizType"; surrounding spaces ignored)'),
  redirect_url: HttpUrl('Where the payer\'s browser returns after the checkout, with `total_fee`, `trade_no`, `out_trade_no`, `trade_status`'),
  call_back_url: HttpUrl('Where the payment callback is POSTed'),
  duration: Type.String({
    pattern: '^[0-9]{1,7}$',
    errorMessage: `must be a number of seconds as a string of digits (1 to ${MAX_DURATION_SECONDS})`,
    description: `How long the payer may pay, in seconds (1 to ${MAX_DURATION_SECONDS}, 7 days); the order expires unpaid at creation + duration`
  }),
  amount: Cents('Order amount in cents, "100" for 1.00 (in the docs\' example, not in their table: required by the sandbox)'),
  email: Type.Optional(Type.String({
    pattern: '^$|^[^@\\s]+@[^@\\s]+$',
    maxLength: 254,
    errorMessage: 'must be an e-mail address',
    description: 'The payer\'s e-mail address (optional; "" is the same as absent)'
  })),
  remarks: Type.Optional(Type.String({ maxLength: 1024, errorMessage: 'must be at most 1024 characters', description: 'Transaction remark (optional)' }))
}, { $id: 'PrepayInitData', additionalProperties: true })

/** The answer's data (docs §20a): `payinfo`, plus the ids, amount and times a client keeps. */
export const PrepayInitAnswerSchema = Type.Object({
  payinfo: Type.String({
    format: 'http-url',
    pattern: '/sandbox/pay/checkout/[A-Za-z0-9]+$',
    description: 'The hosted checkout page to send the payer\'s browser to (PUBLIC_URL, or the origin the request reached, ' +
      'then /sandbox/pay/checkout/{token}). Append `?selected=NONE|WECHATPAY|ALIPAY|UNIONPAY|GP` to preselect a method'
  }),
  prepay_order_id: Type.String({ description: 'The checkout order ID sent' }),
  sale_num: Type.String({ description: 'The sale number sent' }),
  amount: cents('Order amount in cents'),
  currency_type: Type.String({ description: 'Currency (CAD, USD, CNY)' }),
  duration: Type.String({ description: 'Payment duration in seconds, as sent' }),
  create_time: BeijingTimeField('Creation time'),
  expire_time: BeijingTimeField('Expire time: creation time + duration; the unpaid order closes then')
}, { $id: 'PrepayInitAnswer', additionalProperties: false })

type PrepayInitData = Static<typeof PrepayInitDataSchema>

/** The rules the schema cannot say: the merchant's currency, a fresh prepay_order_id, the bounds of `duration`. */
function checkRequest (ctx: ActionContext, data: PrepayInitData): number {
  requireEnvelopeMerchant(ctx, data.merchant_id)
  requireMerchantCurrency(ctx, data.currency_type)
  const seconds = Number(data.duration)
  if (seconds < 1 || seconds > MAX_DURATION_SECONDS) {
    throw new GatewayError('PARAM_INVALID', `duration ${data.duration} must be between 1 and ${MAX_DURATION_SECONDS} seconds (7 days)`)
  }
  // draftOrder says "order_id"; the merchant sent prepay_order_id, so name that.
  if (ctx.store.orders.idTaken(ctx.merchant.merchant_id, data.prepay_order_id)) {
    throw new GatewayError('ORDER_USED', `prepay_order_id ${data.prepay_order_id} was already used by merchant ${ctx.merchant.merchant_id}`)
  }
  return seconds
}

/** What the admin UI and PREPAY_QUERY show of the request: only the fields that were given. */
function checkoutDetails (data: PrepayInitData, createTime: string, expireTime: string): Record<string, string> {
  const details: Record<string, string> = { shop_id: data.shop_id, duration: data.duration, create_time: createTime, expire_time: expireTime }
  if (data.email !== undefined && data.email !== '') details.email = data.email
  if (data.remarks !== undefined) details.remarks = data.remarks
  return details
}

/** PREPAY_INIT 2.0: a hosted checkout where the payer picks WeChat Pay, Alipay, UnionPay or a card. */
export default defineAction({
  action: 'PREPAY_INIT',
  versions: ['2.0'],
  summary: 'Create a hosted checkout order (the payer chooses the method on the checkout page)',
  aliases: { bizType: 'biz_type' },
  trim: ['biz_type', 'currency_type'],
  data: PrepayInitDataSchema,
  answer: PrepayInitAnswerSchema,
  async handle (ctx, data) {
    const seconds = checkRequest(ctx, data)
    const now = ctx.clock.now()
    const createTime = beijingTime(now)
    const expireTime = beijingTime(now + seconds * 1000)
    const order = draftOrder(ctx, {
      order_id: data.prepay_order_id,
      method: 'CHECKOUT',
      amount: data.amount,
      tip: undefined,
      operator_id: data.operator_id,
      notify_url: data.call_back_url,
      return_url: data.redirect_url,
      return_style: 'alipay',
      payer_page: 'checkout',
      expires_at: new Date(now + seconds * 1000).toISOString(),
      sale_num: data.sale_num,
      details: checkoutDetails(data, createTime, expireTime),
      request: data
    })
    order.code_url = `${ctx.baseUrl}${payerPagePath(order)}`
    const answer = {
      payinfo: order.code_url,
      prepay_order_id: order.order_id,
      sale_num: data.sale_num,
      amount: order.amount,
      currency_type: order.currency,
      duration: data.duration,
      create_time: createTime,
      expire_time: expireTime
    }
    order.response = answer
    await commitOrder(ctx, order)
    return answer
  }
})
