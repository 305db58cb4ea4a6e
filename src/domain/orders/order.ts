import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { asciiDigits, maskCard, maskCardNumbers, maskCardNumbersByShape } from '../card-numbers.js'

/** Order states, lowercase as real STATUS_QUERY answers carry them (contract §2). */
export const ORDER_STATUSES = ['init', 'success', 'fail', 'notpay', 'authorised', 'partial_refunded', 'refunded'] as const
export type OrderStatus = typeof ORDER_STATUSES[number]

/**
 * How the payer pays: the wallets (WeChat Pay, Alipay, UnionPay QR), UnionPay SecurePay's hosted card page, a card
 * through Global Payments (`GP`: on the hosted checkout, or Portico's encrypted card data), Elavon Converge's hosted
 * card page (`CONVERGE`), or `CHECKOUT` while a hosted checkout's payer has not chosen yet.
 */
export const PAY_METHODS = ['WECHATPAY', 'ALIPAY', 'UNIONPAY', 'SECUREPAY', 'GP', 'CONVERGE', 'CHECKOUT'] as const
export type PayMethod = typeof PAY_METHODS[number]

/**
 * The hosted page that plays the payer of an order. `portico` is the sandbox's own: Portico's card data arrives
 * encrypted, so the page plays the card network's decision rather than a payer typing a card.
 */
export const PAYER_PAGES = ['scan', 'unionpay', 'checkout', 'converge', 'portico'] as const
export type PayerPage = typeof PAYER_PAGES[number]

/**
 * How the payer's browser returns to the merchant after paying, as each flow documents it:
 * `unionpay` POSTs the result to `frontUrl`; `alipay` redirects to `returnURL`/`redirect_url` with `total_fee`,
 * `trade_no`, `out_trade_no`, `trade_status`; `h5pay` redirects to `newURL` with `amount` (decimal), `orderID`,
 * `tranID`, `status`; `plain` (WeChat MWEB) redirects to the URL as it is.
 */
export const RETURN_STYLES = ['unionpay', 'alipay', 'h5pay', 'plain'] as const
export type ReturnStyle = typeof RETURN_STYLES[number]

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(values.map((value) => Type.Literal(value)), description === undefined ? {} : { description })
const nullable = <T extends TSchema>(schema: T, description?: string) =>
  Type.Union([schema, Type.Null()], description === undefined ? {} : { description })

/** One refund of an order. Its id shares the merchant's order-id namespace (REFUND's `order_id`). */
export const RefundSchema = Type.Object({
  refund_id: Type.String(),
  amount: Type.String({ description: 'cents refunded by this refund' }),
  bizpay_order_id: Type.String({ description: 'the acquirer\'s id of the refund' }),
  at: Type.String({ description: 'ISO time (sandbox clock)' }),
  finish_time: Type.String({ description: '`yyyyMMddHHmmss` Beijing time' }),
  reason: Type.String({ description: 'who refunded: the REFUND action, the control API, the admin UI' })
})
export type Refund = Static<typeof RefundSchema>

export const StatusChangeSchema = Type.Object({
  at: Type.String({ description: 'ISO time from the sandbox clock' }),
  status: literals(ORDER_STATUSES),
  reason: Type.String()
})
export type StatusChange = Static<typeof StatusChangeSchema>

/**
 * An order as the sandbox keeps it: enough to answer queries, fire callbacks and tell its whole story. The control
 * API shows it as it is stored (component `Order`).
 */
export const OrderSchema = Type.Object({
  merchant_id: Type.String(),
  order_id: Type.String(),
  action: Type.String({ description: 'the action (or payment link) that made the order, e.g. ACTIVEPAY' }),
  version: Type.String(),
  method: literals(PAY_METHODS),
  amount: Type.String({ description: 'cents, as a digit string' }),
  tip: Type.String(),
  currency: Type.String(),
  operator_id: nullable(Type.String()),
  notify_url: Type.String({ description: 'where callbacks go: `call_back_url` (wallets), `backUrl` (UnionPay), `notifyURL` (links); \'\' for none' }),
  return_url: nullable(Type.String(), 'where the payer\'s browser returns: `frontUrl`, `returnURL`, `newURL`, `redirect_url`, when given'),
  return_style: Type.Optional(literals(RETURN_STYLES, 'how the browser returns there (default: `unionpay` for SECUREPAY, `plain` otherwise)')),
  payer_page: Type.Optional(literals(PAYER_PAGES, 'the hosted payer page (default: `unionpay` for SECUREPAY, `scan` otherwise)')),
  expires_at: Type.Optional(Type.String({ description: 'ISO time an unpaid order expires (PREPAY_INIT `duration`); default: created_at + ORDER_EXPIRY' })),
  pay_at: Type.Optional(Type.String({ description: 'ISO time the scheduler pays this order (PASSIVEPAY\'s pending-then-paid auth code), before any autopay rule' })),
  sale_num: Type.Optional(Type.String({ description: 'the merchant\'s sales / invoice number (`sale_num`), when given' })),
  details: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'facts of one flow (H5PAY\'s fee, PREPAY_INIT\'s shop, PASSIVEPAY\'s auth code…), shown by the admin UI' })),
  card_masked: nullable(Type.String(), 'the card number with all but the last four digits masked, when one was given'),
  channel: nullable(Type.String(), '`cc_channelType` of a card order: `web` or `mobile` (UnionPay SecurePay), `web` (Converge), `web` or `GLBPAYMNTS` (Portico)'),
  bizpay_order_id: Type.String(),
  code_url: Type.String(),
  page_token: Type.String({ description: 'the unguessable token in the hosted payer page\'s URL' }),
  status: literals(ORDER_STATUSES),
  created_at: Type.String(),
  updated_at: Type.String(),
  finish_time: nullable(Type.String(), '`yyyyMMddHHmmss` Beijing time of the payment, once paid'),
  refund_amount: Type.Optional(Type.String({ description: 'cents refunded so far, once refunded (absent on orders stored before refunds existed)' })),
  refunds: Type.Optional(Type.Array(RefundSchema, { description: 'each refund, oldest first' })),
  history: Type.Array(StatusChangeSchema),
  request: Type.Record(Type.String(), Type.Unknown(), { description: 'the decrypted request data (card numbers masked), as sent' }),
  response: Type.Record(Type.String(), Type.Unknown(), { description: 'the answer\'s data, as sent' })
}, { $id: 'Order', additionalProperties: true })
export type Order = Static<typeof OrderSchema>

export { maskCard }

/**
 * A card field's value fit for showing: a card number (digits, spaces, dashes) masked to its last four digits; any
 * other text (Portico's encrypted card data, a mistake) replaced by its length, since its digits mean nothing.
 */
export function maskCardValue (value: string): string {
  return /^[0-9 -]*$/.test(value) ? maskCard(value) : `[${value.length} characters, not shown]`
}

/**
 * Field names that carry a card number: the docs' (`cc_number`, `card_no`, `cardNum`, …) and the usual others a
 * client may send (`pan`, `ccNum`, `creditCardNumber`, `credit_card_no`).
 */
export function isCardField (key: string): boolean {
  return /^cc_?num(ber)?$|^card_?n(o|um(ber)?)$|^pan$|^credit_?card_?n(o|um(ber)?)$/i.test(key)
}

/** Objects whose `number` (or `no`, `pan`) is a card number: `card: {number: …}`. */
function isCardObject (key: string): boolean {
  return /^(credit_?|payment_?)?card$/i.test(key)
}

/**
 * Field names of a card number's masked form (Portico's `cc_maskednum`). Its value is shown as sent ("1111",
 * "411111******1111") unless a client put the whole card number in it: see {@link maskCardNumbersIn}.
 */
export function isMaskedCardField (key: string): boolean {
  return /^cc_?masked_?num(ber)?$/i.test(key)
}

/**
 * 12 digits or more (separators between them allowed: spaces, dots, dashes, slashes, underscores): a card number,
 * where a masked number has at most 10.
 */
const CARD_NUMBER_RUN = /\d(?:[ .\-/_]*\d){11,}/g

/** The runs of a text that look like a whole card number (12 digits or more in a row). */
export function cardNumbersIn (text: string): string[] {
  return asciiDigits(text).match(CARD_NUMBER_RUN) ?? []
}

/** A text with each run that looks like a whole card number masked to its last four digits; the rest as it was. */
export function maskCardNumbersIn (text: string): string {
  return asciiDigits(text).replace(CARD_NUMBER_RUN, (run) => maskCard(run))
}

/** What a value under a key is: a card number, a masked card number, or anything else. */
type Role = 'card' | 'masked' | 'other'

function roleOf (key: string, parentKey: string | undefined): Role {
  if (isCardField(key) || (parentKey !== undefined && isCardObject(parentKey) && /^(n(o|um(ber)?)|pan)$/i.test(key))) return 'card'
  return isMaskedCardField(key) ? 'masked' : 'other'
}

/** One value fit for showing, at any depth: see {@link maskRequest}. */
function maskValue (value: unknown, role: Role, key: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => maskValue(item, role, key))
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) copy[k] = maskValue(v, roleOf(k, key), k)
    return copy
  }
  if (typeof value !== 'string' && typeof value !== 'number') return value
  if (role === 'card') return maskCardValue(String(value))
  if (role === 'masked') return maskCardNumbersIn(String(value))
  // Anywhere else a card number is one by its shape (Luhn): order ids and amounts stay as sent.
  return typeof value === 'string' ? maskCardNumbers(value) : value
}

/**
 * A copy of a request's data fit for storing and showing, at every depth (nested objects, arrays): a card field's
 * value masked whatever it holds, a masked-number field's whole card number masked, and in every other string a
 * card number (Luhn-valid, in any spelling {@link maskCardNumbers} knows) masked too.
 */
export function maskRequest (data: Record<string, unknown>): Record<string, unknown> {
  return maskValue(data, 'other', undefined) as Record<string, unknown>
}

/** The values of card fields in a request's data, at any depth: known values for {@link maskCardsInText}. */
export function cardFieldValues (data: Record<string, unknown> | undefined): string[] {
  const values: string[] = []
  const walk = (value: unknown, role: Role, key: string | undefined): void => {
    if (Array.isArray(value)) for (const item of value) walk(item, role, key)
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, roleOf(k, key), k)
    else if (typeof value === 'string' || typeof value === 'number') {
      if (role === 'card') values.push(String(value))
      // A whole card number sent as the masked number (cc_maskednum): only its card-number run, so "1111" stays.
      else if (role === 'masked') values.push(...cardNumbersIn(String(value)))
    }
  }
  walk(data ?? {}, 'other', undefined)
  return values
}

/**
 * Each string of a request's data that masking changes, with what it becomes (e.g. a `frontUrl` whose query names
 * a `pan`): a text that spells the data (the decrypted JSON, the canonical string) is masked with the same pairs.
 */
export function maskedStrings (data: Record<string, unknown> | undefined): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  const walk = (value: unknown, masked: unknown): void => {
    if (typeof value === 'string' && typeof masked === 'string' && value !== masked) pairs.push([value, masked])
    else if (value !== null && typeof value === 'object' && masked !== null && typeof masked === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, (masked as Record<string, unknown>)[k])
    }
  }
  walk(data ?? {}, maskRequest(data ?? {}))
  // Longest first: a value that contains another is replaced whole.
  return pairs.sort((a, b) => b[0].length - a[0].length)
}

/**
 * Masks card numbers inside a text (a decrypted JSON text, a canonical string): every known card value, any value
 * of a card field that the text spells as JSON, even when the rest of the text does not parse, and any other card
 * number by its shape ({@link maskCardNumbers}).
 */
export function maskCardsInText (text: string, knownValues: readonly string[] = []): string {
  let masked = text
  // Known values first: an encrypted value (Portico) that starts with digits is then replaced whole, not in part.
  for (const value of knownValues) {
    if (value.length >= 4) masked = masked.split(value).join(maskCardValue(value))
  }
  // Digits followed by Base64 characters are the start of encrypted card data, not a card number.
  masked = masked
    .replace(/("(?:cc_?num(?:ber)?|card_?n(?:o|um(?:ber)?)|pan|credit_?card_?n(?:o|um(?:ber)?))"\s*:\s*"?)(\d[\d -]*\d)(?![A-Za-z0-9+/=])/gi, (_all, head: string, digits: string) => head + maskCard(digits))
    .replace(/("cc_?masked_?num(?:ber)?"\s*:\s*"?)([^"]*)/gi, (_all, head: string, value: string) => head + maskCardNumbersIn(value))
  return maskCardNumbersByShape(masked)
}

/** The hosted page of an order, by default from its method. */
export function payerPageOf (order: Order): PayerPage {
  return order.payer_page ?? (order.method === 'SECUREPAY' ? 'unionpay' : 'scan')
}

/** Where an order's hosted payer page lives (a path; prefix PUBLIC_URL or the request origin). */
export function payerPagePath (order: Order): string {
  return `/sandbox/pay/${payerPageOf(order)}/${order.page_token}`
}
