import { Type, type Static } from '@sinclair/typebox'
import { commitOrder, draftOrder } from '../../engine/orders/create-order.js'
import { payerPagePath } from '../../domain/orders/order.js'
import { GatewayError } from '../../domain/errors.js'
import { defineAction } from '../action.js'
import { OneOf } from '../fields.js'
import { requireEnvelopeMerchant, requireMerchantCurrency } from './rules.js'
import { prepayId, WALLET_ALIASES, walletAnswerFields, walletFields } from './wallet-order.js'

/** The zone of the times the sandbox writes (`finish_time`, `trade_time`: Beijing), as a tz database name. */
export const TIME_ZONE_ID = 'Asia/Shanghai'

/** The data of H5PAY 2.0 (reference §13), in the docs' order. */
export const H5PayDataSchema = Type.Object({
  merchant_id: Type.Optional(Type.String({ errorMessage: 'must be the merchant id of the envelope', description: 'Merchant ID; when given, must be the envelope\'s' })),
  shop_id: Type.Optional(Type.String({ maxLength: 64, errorMessage: 'must be a string of at most 64 characters', description: 'Shop ID, e.g. ON00004652001 (recorded, not checked)' })),
  amount: walletFields.amount,
  order_id: walletFields.order_id,
  currency_type: OneOf(['CAD', 'USD', 'CNY'] as const, 'Transaction currency; must be the merchant\'s currency (fixtures `currency`)'),
  biz_type: walletFields.wechat,
  open_id: Type.Optional(Type.String({ maxLength: 128, errorMessage: 'must be a string of at most 128 characters', description: 'The payer\'s WeChat openid (recorded, not checked)' })),
  operator_id: walletFields.operator_id,
  submit_type: OneOf(['form'] as const, 'Format: "form"'),
  call_back_url: walletFields.call_back_url,
  tip: walletFields.tip
}, { $id: 'H5PayData', additionalProperties: true })

/** The answer's data (reference §13): the MWEB link to send the payer's browser to. */
export const H5PayAnswerSchema = Type.Object({
  order_id: walletAnswerFields.order_id,
  merchant_id: walletAnswerFields.merchant_id,
  amount: Type.String({
    pattern: '^[0-9]{1,13}$',
    description: 'What the payer pays, in cents: the requested amount plus the merchant\'s convenience fee (fixtures `convenience_fee`; 5 → 6 with a 1-cent fee), the requested amount when it has none'
  }),
  payinfo: Type.String({
    format: 'http-url',
    pattern: '/sandbox/pay/scan/[A-Za-z0-9]+\\?prepay_id=wx[0-9]{14}[A-Za-z0-9]+&package=[0-9]+$',
    description: 'MWEB link: the sandbox\'s scan payer page ({PUBLIC_URL or request origin}/sandbox/pay/scan/{token}?prepay_id=…&package=…). ' +
      'As with WeChat, append `&redirect_url=` and the URL-encoded page to return to after paying'
  }),
  time_zone_id: Type.Literal(TIME_ZONE_ID, { description: 'Time zone of the times the sandbox reports (finish_time in callbacks and queries): Beijing' })
}, { $id: 'H5PayAnswer', additionalProperties: false })

/** H5PAY 2.0: WeChat Pay in a mobile browser (MWEB). The payer opens `payinfo`; WeChat's page is the scan page. */
export default defineAction({
  action: 'H5PAY',
  versions: ['2.0'],
  summary: 'Create a WeChat Pay order for a mobile browser (MWEB link)',
  aliases: WALLET_ALIASES,
  trim: ['biz_type', 'submit_type', 'currency_type'],
  data: H5PayDataSchema,
  answer: H5PayAnswerSchema,
  async handle (ctx, data) {
    requireEnvelopeMerchant(ctx, data.merchant_id)
    requireMerchantCurrency(ctx, data.currency_type)
    const fee = ctx.merchant.convenience_fee ?? '0'
    const total = (BigInt(data.amount) + BigInt(fee)).toString()
    // Amounts are at most 12 digits everywhere (queries, refunds): the fee must not push one past that.
    if (total.length > 12) throw new GatewayError('PARAM_INVALID', `amount ${data.amount} plus the ${fee}-cent convenience fee exceeds 12 digits of cents`)
    const order = draftOrder(ctx, {
      order_id: data.order_id,
      method: 'WECHATPAY',
      amount: total,
      tip: data.tip,
      operator_id: data.operator_id,
      notify_url: data.call_back_url,
      payer_page: 'scan',
      details: {
        requested_amount: data.amount,
        convenience_fee: fee,
        ...(data.shop_id === undefined ? {} : { shop_id: data.shop_id }),
        ...(data.open_id === undefined ? {} : { open_id: data.open_id })
      },
      request: data
    })
    // WeChat's MWEB `package` is a number; the 16 digits of an acquirer id give one from the injected ids.
    const pkg = ctx.ids.bizpayOrderId('').slice(-10)
    order.code_url = `${ctx.baseUrl}${payerPagePath(order)}?prepay_id=${prepayId(ctx)}&package=${pkg}`
    const answer: Static<typeof H5PayAnswerSchema> = { order_id: order.order_id, merchant_id: order.merchant_id, amount: order.amount, payinfo: order.code_url, time_zone_id: TIME_ZONE_ID }
    order.response = answer
    await commitOrder(ctx, order)
    return answer
  }
})
