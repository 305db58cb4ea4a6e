import { Type, type Static } from '@sinclair/typebox'
import { GatewayError } from '../../domain/errors.js'
import { HttpUrl, OneOf, OperatorId } from '../fields.js'
import { CardOrderIdField, TxnAmtField, TxnTimeField, type ChannelHandler } from './card-fields.js'

/** The data of UnionPay SecurePay requests (PC browser §9 and mobile §14). */
export const UnionPayCardDataSchema = Type.Object({
  orderId: Type.Optional(CardOrderIdField),
  merchant_id: Type.String({ errorMessage: 'must be the merchant id of the envelope', description: 'Merchant ID, same as the envelope' }),
  operator_id: Type.Optional(OperatorId),
  txnTime: TxnTimeField,
  txnAmt: TxnAmtField,
  cc_number: Type.Optional(Type.String({ pattern: '^[0-9]{12,19}$', errorMessage: 'must be 12 to 19 digits', description: 'Card number (optional; shown masked)' })),
  frontUrl: Type.Optional(HttpUrl('Where the payer\'s browser returns after paying (required for cc_channelType "web")')),
  backUrl: HttpUrl('Where the payment callback is POSTed'),
  channelType: OneOf(['UPAYONLINE'] as const, 'UnionPay payment channel identity'),
  bizType: OneOf(['securePay'] as const, 'Business type (also accepted as "biz_type"; surrounding spaces ignored)'),
  cc_channelType: OneOf(['web', 'mobile'] as const, 'Payment channel: PC browser or mobile')
}, { title: 'UnionPay SecurePay (channelType "UPAYONLINE", §9 web and §14 mobile)', additionalProperties: true })

/** UnionPay SecurePay: the payer pays on the hosted UnionPay page; `frontUrl` only for the PC browser. */
export const unionPayOrder: ChannelHandler<Static<typeof UnionPayCardDataSchema>> = (_ctx, data) => {
  if (data.cc_channelType === 'web' && data.frontUrl === undefined) {
    throw new GatewayError('PARAM_INVALID', 'frontUrl is required when cc_channelType is "web"')
  }
  return {
    order_id: data.orderId,
    method: 'SECUREPAY',
    amount: data.txnAmt,
    tip: undefined,
    operator_id: data.operator_id,
    notify_url: data.backUrl,
    return_url: data.frontUrl,
    card_number: data.cc_number,
    channel: data.cc_channelType,
    payer_page: 'unionpay'
  }
}
