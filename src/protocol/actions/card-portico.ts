import { Type, type Static } from '@sinclair/typebox'
import { GatewayError } from '../../domain/errors.js'
import { HttpUrl, OneOf, OperatorId } from '../fields.js'
import { CardOrderIdField, TxnAmtField, TxnTimeField, type ChannelHandler } from './card-fields.js'

// Base64 in whole groups of four, padded: the structure of encrypted card data, whatever the cipher.
const BASE64 = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$'
// 16 to 4096 bytes of ciphertext: at least one AES block, at most far more than the documented fields need.
const MIN_BASE64 = 24
const MAX_BASE64 = 5464

const text = (description: string) => Type.String({ minLength: 1, maxLength: 64, errorMessage: 'must be 1 to 64 characters', description })

/**
 * The data of Global Payments Portico e-commerce payments (§19a). The card data travels encrypted with an algorithm
 * the docs do not show (Appendix A part 2), so the sandbox checks `cc_number` and `cc_sha` for structure only.
 */
export const PorticoCardDataSchema = Type.Object({
  orderId: Type.Optional(CardOrderIdField),
  merId: Type.Optional(text('Merchant ID (§19a, optional); accepted, not checked: the docs do not say whose id it is')),
  merchant_id: Type.Optional(Type.String({ errorMessage: 'must be the merchant id of the envelope', description: 'Merchant ID; not in §19a\'s table; when given, must be the envelope\'s' })),
  shopId: text('Store ID; accepted, not checked (the sandbox keeps no stores)'),
  termId: Type.Optional(OneOf(['CNP_ECOM'] as const, 'Terminal: "CNP_ECOM" (card not present, e-commerce)')),
  operator_id: OperatorId,
  txnTime: TxnTimeField,
  txnAmt: TxnAmtField,
  cc_number: Type.String({
    pattern: BASE64,
    minLength: MIN_BASE64,
    maxLength: MAX_BASE64,
    errorMessage: `must be the encrypted card data in Base64 (${MIN_BASE64} to ${MAX_BASE64} characters of A-Z, a-z, 0-9, "+" and "/", padded with "=" to a multiple of 4)`,
    description: 'Encrypted card data (card number, holder, expiry, CVV2, address), Base64. Checked for structure only: ' +
      'the encryption is not documented, so the sandbox cannot decrypt it; never stored or shown'
  }),
  cc_sha: Type.String({ pattern: '^[0-9A-Fa-f]{64}$', errorMessage: 'must be the SHA-256 of the card data as 64 hex digits', description: 'SHA-256 of the card data, 64 hex digits; not compared with the card data (which the sandbox cannot decrypt)' }),
  cc_type: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2,16}$', errorMessage: 'must be the card brand in letters, e.g. "VISA" or "MC"', description: 'Card type, e.g. "VISA" or "MC"' })),
  channelType: OneOf(['PORTICOECOM'] as const, 'Global Payments Portico payment channel identity'),
  bizType: OneOf(['portico_card'] as const, 'Business type (also accepted as "biz_type", as §19a\'s table spells it; surrounding spaces ignored)'),
  cc_channelType: Type.Optional(OneOf(['web', 'GLBPAYMNTS'] as const, 'Payment channel: "web" (§19a); "GLBPAYMNTS", as the query page spells it, is accepted too')),
  currency: OneOf(['CAD', 'USD'] as const, 'Currency; must be the merchant\'s'),
  cc_maskednum: Type.String({
    pattern: '^[0-9*Xx]{4,19}$',
    errorMessage: 'must be the last 4 digits of the card number ("1111") or the masked number ending in them ("************1111")',
    description: 'Last 4 digits of the card number ("1111"), or the masked number ending in them ("411111******1111")'
  }),
  frontUrl: Type.Optional(HttpUrl('Not in §19a\'s table: where the sandbox\'s decision page returns the browser, when given')),
  backUrl: Type.Optional(HttpUrl('Not in §19a\'s table (its callback part is unreadable): where the payment callback is POSTed, when given. Without it no callback is sent: query with CC_QUERYPAY'))
}, { title: 'Global Payments Portico (channelType "PORTICOECOM", §19a)', additionalProperties: true })

type PorticoData = Static<typeof PorticoCardDataSchema>

/** What `cc_maskednum` may be: four digits, or a masked number (BIN kept or not) ending in four digits. */
const MASKED = /^(?:[0-9]{4}|[0-9]{0,6}[*Xx]+[0-9]{4})$/

/** Bytes a padded Base64 text decodes to. */
function base64Bytes (value: string): number {
  return value.length / 4 * 3 - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0)
}

/**
 * A rejected `cc_number` must not be echoed: the likeliest mistake is a card number sent in clear. Replaces the
 * value a message quotes with what it looks like.
 */
export function porticoProblem (problem: string, data: Record<string, unknown>): string {
  if (!problem.startsWith('cc_number ')) return problem
  const value = data.cc_number
  const cut = problem.indexOf(', got ')
  if (cut < 0 || typeof value !== 'string') return problem
  const looksLikeCard = /^[0-9 -]{12,23}$/.test(value)
  return problem.slice(0, cut) + (looksLikeCard
    ? ', got what looks like a card number in clear (not shown): Portico\'s cc_number is the encrypted card data (Appendix A part 2)'
    : `, got ${value.length} characters (not shown)`)
}

/**
 * Portico: the card data arrives encrypted, so no payer types a card. The order waits for the decision: the
 * sandbox's decision page (`codeUrl`), the control API or admin UI, or a magic amount.
 */
export const porticoOrder: ChannelHandler<PorticoData> = (ctx, data) => {
  if (!MASKED.test(data.cc_maskednum)) {
    // Not quoted: all digits and longer than four, it is likely a whole card number.
    throw new GatewayError('PARAM_INVALID', 'cc_maskednum must be the last 4 digits of the card number ("1111") or the masked number ending in them ("************1111"); the value sent is neither (not shown: it may be a whole card number)')
  }
  if (data.currency !== ctx.merchant.currency) {
    throw new GatewayError('PARAM_INVALID', `currency ${data.currency} is not the currency of merchant ${ctx.merchant.merchant_id} (${ctx.merchant.currency})`)
  }
  const last4 = data.cc_maskednum.slice(-4)
  ctx.warnings.push(
    `cc_number checked for structure only (Base64, ${base64Bytes(data.cc_number)} bytes): OTT Pay's card-data encryption (Appendix A part 2) ` +
      'is not in the docs, so the sandbox did not decrypt it and did not verify the card number, holder name, expiry, CVV2 or address inside it',
    'cc_sha checked to be 64 hex digits only: not compared with the card data, which the sandbox cannot decrypt',
    `cc_maskednum (last digits ${last4}) and cc_type could not be compared with the card inside cc_number`
  )
  return {
    order_id: data.orderId,
    method: 'GP',
    amount: data.txnAmt,
    tip: undefined,
    operator_id: data.operator_id,
    notify_url: data.backUrl ?? '',
    return_url: data.frontUrl,
    return_style: 'unionpay',
    card_last4: last4,
    channel: data.cc_channelType,
    details: {
      channelType: 'PORTICOECOM',
      shopId: data.shopId,
      ...(data.termId === undefined ? {} : { termId: data.termId }),
      ...(data.merId === undefined ? {} : { merId: data.merId }),
      ...(data.cc_type === undefined ? {} : { cc_type: data.cc_type }),
      currency: data.currency
    },
    payer_page: 'portico'
  }
}
