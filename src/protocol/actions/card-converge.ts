import { Type, type Static } from '@sinclair/typebox'
import { HttpUrl, OneOf, OperatorId } from '../fields.js'
import { CardOrderIdField, TxnAmtField, TxnTimeField, type ChannelHandler } from './card-fields.js'

/**
 * The data of Elavon Converge hosted payments (§18). The docs' table and example disagree (§24 items 1, 16, 21):
 * `biz_type` or `bizType`, with or without the leading space, and a `cc_number` the hosted flow has no use for.
 */
export const ConvergeCardDataSchema = Type.Object({
  orderId: Type.Optional(CardOrderIdField),
  merchant_id: Type.String({ errorMessage: 'must be the merchant id of the envelope', description: 'Merchant ID, same as the envelope' }),
  operator_id: OperatorId,
  txnTime: TxnTimeField,
  txnAmt: TxnAmtField,
  cc_number: Type.Optional(Type.String({
    maxLength: 64,
    errorMessage: 'must be a string of at most 64 characters',
    description: 'Not part of the hosted flow (§18\'s table has no such field; its example sends one): accepted and ignored, ' +
      'never stored or shown unmasked. The payer types the card on the hosted page'
  })),
  frontUrl: HttpUrl('Where the payer\'s browser returns after the hosted card page'),
  backUrl: HttpUrl('Where the payment callback is POSTed'),
  channelType: OneOf(['ELAVONECOM'] as const, 'Elavon Converge payment channel identity'),
  bizType: OneOf(['converge_hosted'] as const, 'Business type (also accepted as "biz_type", as §18\'s table spells it; surrounding spaces ignored)'),
  cc_channelType: OneOf(['web'] as const, 'Payment channel: the payer\'s browser')
}, { title: 'Elavon Converge hosted (channelType "ELAVONECOM", §18)', additionalProperties: true })

/** Converge hosted: the payer types the card on the hosted Converge page; a `cc_number` sent anyway is dropped. */
export const convergeOrder: ChannelHandler<Static<typeof ConvergeCardDataSchema>> = (ctx, data) => {
  if (data.cc_number !== undefined) {
    ctx.warnings.push('cc_number is not part of the Converge hosted flow (§18\'s field table has none; its example sends one): ' +
      'ignored, not stored, and masked in this log; the payer types the card on the hosted Converge page')
  }
  return {
    order_id: data.orderId,
    method: 'CONVERGE',
    amount: data.txnAmt,
    tip: undefined,
    operator_id: data.operator_id,
    notify_url: data.backUrl,
    return_url: data.frontUrl,
    return_style: 'unionpay',
    channel: data.cc_channelType,
    details: { channelType: 'ELAVONECOM', bizType: 'converge_hosted' },
    payer_page: 'converge'
  }
}
