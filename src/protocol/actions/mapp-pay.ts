import { createHash } from 'node:crypto'
import { Type, type Static } from '@sinclair/typebox'
import { commitOrder, draftOrder, requestedOrder } from '../../engine/orders/create-order.js'
import { defineAction, type ActionContext } from '../action.js'
import { prepayId, WALLET_SPELLINGS, walletAnswerFields, walletFields } from './wallet-order.js'

/** The data of MAPPPAY (reference §11; the union of its two archived tables, in their order). */
export const MappPayDataSchema = Type.Object({
  order_id: walletFields.order_id,
  operator_id: walletFields.operator_id,
  amount: walletFields.amount,
  tip: walletFields.tip,
  biz_type: walletFields.wechat,
  app_id: Type.String({
    pattern: '^wx[A-Za-z0-9]{1,32}$',
    errorMessage: 'must be a WeChat AppID: "wx" followed by letters and digits (e.g. "wx8888888888888888")',
    description: 'AppID of the merchant\'s WeChat Mini-Program ("wx…")'
  }),
  open_id: Type.String({
    pattern: '^[A-Za-z0-9_-]{1,128}$',
    errorMessage: 'must be the payer\'s WeChat openid (letters, digits, "-" or "_")',
    description: 'The payer\'s openid in the Mini-Program (wx.login / code2Session)'
  }),
  call_back_url: walletFields.call_back_url,
  sale_num: walletFields.sale_num
}, { $id: 'MappPayData', additionalProperties: true })

const PayInfoSchema = Type.Object({
  appId: Type.String({ description: 'The app_id sent' }),
  timeStamp: Type.String({ pattern: '^[0-9]{1,12}$', description: 'Unix time in seconds, as a string (sandbox clock)' }),
  nonceStr: Type.String({ pattern: '^[A-Za-z0-9]{1,32}$', description: 'Random string' }),
  packageStr: Type.String({ pattern: '^prepay_id=wx[0-9]{14}[A-Za-z0-9]+$', description: '"prepay_id=wx…": pass it as `package` to wx.requestPayment' }),
  signType: Type.Literal('MD5', { description: 'Signature type: "MD5"' }),
  paySign: Type.String({
    pattern: '^[0-9A-F]{32}$',
    description: 'Uppercase MD5 of "appId=…&nonceStr=…&package=…&signType=MD5&timeStamp=…&key=" + the merchant\'s sign key: ' +
      'the sandbox\'s own signature (WeChat signs with the merchant\'s WeChat API key), so nothing can verify it against WeChat'
  })
}, { description: 'What wx.requestPayment takes (pass packageStr as `package`)', additionalProperties: false })

/** The answer's data (reference §11). */
export const MappPayAnswerSchema = Type.Object({
  payInfo: PayInfoSchema,
  merchant_id: walletAnswerFields.merchant_id,
  order_id: walletAnswerFields.order_id,
  amount: walletAnswerFields.amount,
  sale_num: Type.String({ description: 'The sale_num sent; "" when none was' })
}, { $id: 'MappPayAnswer', additionalProperties: false })

type PayInfo = Static<typeof PayInfoSchema>

/** WeChat Pay's MD5 signature: the fields sorted by name as `k=v&…`, then `&key=` and the key; uppercase hex. */
function wechatMd5Sign (fields: Record<string, string>, key: string): string {
  const text = Object.keys(fields).sort().map((name) => `${name}=${fields[name]}`).join('&') + `&key=${key}`
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase()
}

/** What a Mini-Program order keeps: the app, the payer and WeChat's prepay id (the admin UI shows them). */
type MiniProgramDetails = {
  app_id: string
  open_id: string
  prepay_id: string
}

/** The `wx.requestPayment` parameters of a Mini-Program payment, signed as WeChat signs them. */
function payInfoOf (ctx: ActionContext, details: MiniProgramDetails): PayInfo {
  const fields = {
    appId: details.app_id,
    timeStamp: String(Math.floor(ctx.clock.now() / 1000)),
    nonceStr: ctx.ids.pageToken(),
    package: `prepay_id=${details.prepay_id}`,
    signType: 'MD5' as const
  }
  return {
    appId: fields.appId,
    timeStamp: fields.timeStamp,
    nonceStr: fields.nonceStr,
    packageStr: fields.package,
    signType: fields.signType,
    paySign: wechatMd5Sign(fields, ctx.merchant.sign_key)
  }
}

/**
 * MAPPPAY: WeChat Pay inside a Mini-Program. Nothing is scanned: the order is paid like any wallet order
 * (control API, admin UI, scan page, autopay) and the callback then goes to call_back_url.
 */
export default defineAction({
  action: 'MAPPPAY',
  // The docs' table says 1.1, their example sends 1.0.
  versions: ['1.1', '1.0'],
  summary: 'Create a WeChat Pay order for a Mini-Program (wx.requestPayment parameters)',
  ...WALLET_SPELLINGS,
  data: MappPayDataSchema,
  answer: MappPayAnswerSchema,
  async handle (ctx, data) {
    const details: MiniProgramDetails = { app_id: data.app_id, open_id: data.open_id, prepay_id: prepayId(ctx) }
    const order = draftOrder(ctx, {
      ...requestedOrder(data),
      method: 'WECHATPAY',
      notify_url: data.call_back_url,
      payer_page: 'scan',
      sale_num: data.sale_num,
      details,
      request: data
    })
    const answer: Static<typeof MappPayAnswerSchema> = {
      payInfo: payInfoOf(ctx, details),
      merchant_id: order.merchant_id,
      order_id: order.order_id,
      amount: order.amount,
      sale_num: data.sale_num ?? ''
    }
    // No code_url: a Mini-Program payment has nothing to scan, and a QR of the prepay id would mislead.
    order.response = answer
    await commitOrder(ctx, order)
    return answer
  }
})
