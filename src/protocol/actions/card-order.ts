import { Type, type Static } from '@sinclair/typebox'
import { GatewayError } from '../../domain/errors.js'
import { commitOrder, draftOrder } from '../../engine/orders/create-order.js'
import { isCompactTimestamp } from '../../platform/time.js'
import { defineAction, type ActionDefinition } from '../action.js'
import { Cents, HttpUrl, OneOf, OperatorId, OrderId } from '../fields.js'
import { requireEnvelopeMerchant } from './rules.js'

/** The data of UnionPay SecurePay requests (PC browser and mobile), CC_PURCHASE and CC_PREAUTH alike. */
export const CardOrderDataSchema = Type.Object({
  orderId: Type.Optional(OrderId('Order ID; generated when absent (also accepted as "order_id")')),
  merchant_id: Type.String({ errorMessage: 'must be the merchant id of the envelope', description: 'Merchant ID, same as the envelope' }),
  operator_id: Type.Optional(OperatorId),
  txnTime: Type.String({ pattern: '^[0-9]{14}$', errorMessage: 'must be a date and time as "yyyyMMddHHmmss"', description: 'Transaction time, yyyyMMddHHmmss' }),
  txnAmt: Cents('Transaction amount in cents, "100" for 1.00'),
  cc_number: Type.Optional(Type.String({ pattern: '^[0-9]{12,19}$', errorMessage: 'must be 12 to 19 digits', description: 'Card number (optional; shown masked)' })),
  frontUrl: Type.Optional(HttpUrl('Where the payer\'s browser returns after paying (required for cc_channelType "web")')),
  backUrl: HttpUrl('Where the payment callback is POSTed'),
  channelType: OneOf(['UPAYONLINE'] as const, 'UnionPay payment channel identity'),
  bizType: OneOf(['securePay'] as const, 'Business type (also accepted as "biz_type"; surrounding spaces ignored)'),
  cc_channelType: OneOf(['web', 'mobile'] as const, 'Payment channel: PC browser or mobile')
}, { $id: 'CardOrderData', additionalProperties: true })

const cardAnswerFields = {
  rspCode: Type.Literal('PROCESSING', { description: 'From the PSP; the sandbox always answers "PROCESSING": the payer has yet to pay' }),
  rspMsg: Type.Literal('User paying', { description: 'Message of rspCode' }),
  codeUrl: Type.String({
    format: 'http-url',
    pattern: '/sandbox/pay/unionpay/[A-Za-z0-9]+$',
    description: 'Where to send the payer\'s browser: the sandbox\'s hosted UnionPay card page ' +
      '(PUBLIC_URL, or the origin the request reached, then /sandbox/pay/unionpay/{token})'
  }),
  amount: Type.String({ pattern: '^[0-9]{1,12}$', description: 'Transaction amount in cents (txnAmt), "100" for 1.00' })
}

/**
 * The answer's data (docs §9 for "web", §14 for "mobile"): the mobile answer adds the lowercase `respcode` and
 * `respmsg` its page documents, and keeps `codeUrl` (which that page omits) since the payer needs the hosted page.
 */
export const CardOrderAnswerSchema = Type.Union([
  Type.Object(cardAnswerFields, { title: 'web (cc_channelType "web")', additionalProperties: false }),
  Type.Object({
    ...cardAnswerFields,
    respcode: Type.Literal('PROCESSING', { description: 'rspCode, as the mobile page spells it' }),
    respmsg: Type.Literal('User paying', { description: 'rspMsg, as the mobile page spells it' })
  }, { title: 'mobile (cc_channelType "mobile")', additionalProperties: false })
], { $id: 'CardOrderAnswer', description: 'The answer to cc_channelType "web", or to "mobile" with respcode and respmsg as well' })

/** CC_PURCHASE and CC_PREAUTH 2.0 differ only in what a paid order becomes (`success` or `authorised`). */
export function cardOrderAction (action: 'CC_PURCHASE' | 'CC_PREAUTH', summary: string): ActionDefinition {
  return defineAction({
    action,
    versions: ['2.0'],
    summary,
    aliases: { order_id: 'orderId', biz_type: 'bizType' },
    trim: ['bizType', 'channelType', 'cc_channelType'],
    data: CardOrderDataSchema,
    answer: CardOrderAnswerSchema,
    async handle (ctx, data) {
      requireEnvelopeMerchant(ctx, data.merchant_id)
      if (!isCompactTimestamp(data.txnTime)) {
        throw new GatewayError('PARAM_INVALID', `txnTime ${data.txnTime} is not a real date and time (yyyyMMddHHmmss)`)
      }
      if (data.cc_channelType === 'web' && data.frontUrl === undefined) {
        throw new GatewayError('PARAM_INVALID', 'frontUrl is required when cc_channelType is "web"')
      }
      const order = draftOrder(ctx, {
        order_id: data.orderId,
        method: 'SECUREPAY',
        amount: data.txnAmt,
        tip: undefined,
        operator_id: data.operator_id,
        notify_url: data.backUrl,
        return_url: data.frontUrl,
        card_number: data.cc_number,
        channel: data.cc_channelType,
        request: data
      })
      order.code_url = `${ctx.baseUrl}/sandbox/pay/unionpay/${order.page_token}`
      const answer: Static<typeof CardOrderAnswerSchema> = data.cc_channelType === 'mobile'
        // The mobile page documents `respcode`/`respmsg`; both spellings are sent so either kind of client reads it.
        ? { rspCode: 'PROCESSING', rspMsg: 'User paying', respcode: 'PROCESSING', respmsg: 'User paying', codeUrl: order.code_url, amount: order.amount }
        : { rspCode: 'PROCESSING', rspMsg: 'User paying', codeUrl: order.code_url, amount: order.amount }
      order.response = answer
      await commitOrder(ctx, order)
      return answer
    }
  })
}
