/** Order states, lowercase as real STATUS_QUERY answers carry them (contract §2). */
export const ORDER_STATUSES = ['init', 'success', 'fail', 'notpay', 'authorised', 'partial_refunded', 'refunded'] as const
export type OrderStatus = typeof ORDER_STATUSES[number]

/** How the payer pays: the wallet QR flows, or UnionPay SecurePay's hosted card page. */
export type PayMethod = 'WECHATPAY' | 'ALIPAY' | 'UNIONPAY' | 'SECUREPAY'

export interface StatusChange {
  /** ISO time from the sandbox clock. */
  at: string
  status: OrderStatus
  reason: string
}

/** An order as the sandbox keeps it: enough to answer queries, fire callbacks and tell its whole story. */
export interface Order {
  merchant_id: string
  order_id: string
  action: string
  version: string
  method: PayMethod
  /** Cents, as a digit string. */
  amount: string
  tip: string
  currency: string
  operator_id: string | null
  /** Where callbacks go: `call_back_url` (wallets) or `backUrl` (UnionPay). */
  notify_url: string
  /** Where the payer's browser returns: `frontUrl` (UnionPay), when given. */
  return_url: string | null
  /** The card number with all but the last four digits masked, when one was given. */
  card_masked: string | null
  /** `web` or `mobile` for UnionPay SecurePay. */
  channel: string | null
  bizpay_order_id: string
  code_url: string
  /** The unguessable token in the hosted payer page's URL. */
  page_token: string
  status: OrderStatus
  created_at: string
  updated_at: string
  /** `yyyyMMddHHmmss` Beijing time of the payment, once paid. */
  finish_time: string | null
  /** Cents refunded so far, once refunded (absent on orders stored before refunds existed). */
  refund_amount?: string
  history: StatusChange[]
  /** The decrypted request data (card numbers masked) and the answer's data, as sent. */
  request: Record<string, unknown>
  response: Record<string, unknown>
}

/** Masks a card number to its last four digits: `************2037`. */
export function maskCard (number: string): string {
  const digits = number.replace(/\D/g, '')
  if (digits.length <= 4) return '*'.repeat(digits.length)
  return '*'.repeat(digits.length - 4) + digits.slice(-4)
}

/** Field names that carry a card number in the docs' requests (`cc_number`, `card_no`, `cardNum`, …). */
export function isCardField (key: string): boolean {
  return /^cc_?number$|^card_?n(o|um(ber)?)$/i.test(key)
}

/** A copy of a request's data fit for storing and showing: card numbers masked. */
export function maskRequest (data: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...data }
  for (const key of Object.keys(copy)) {
    const value = copy[key]
    if (isCardField(key) && (typeof value === 'string' || typeof value === 'number')) copy[key] = maskCard(String(value))
  }
  return copy
}

/**
 * Masks card numbers inside a text (a decrypted JSON text, a canonical string): every known card value, and any
 * value of a card field that the text spells as JSON, even when the rest of the text does not parse.
 */
export function maskCardsInText (text: string, knownValues: readonly string[] = []): string {
  let masked = text.replace(/("(?:cc_?number|card_?n(?:o|um(?:ber)?))"\s*:\s*"?)(\d[\d -]*\d)/gi, (_all, head: string, digits: string) => head + maskCard(digits))
  for (const value of knownValues) {
    if (value.length >= 4) masked = masked.split(value).join(maskCard(value))
  }
  return masked
}
