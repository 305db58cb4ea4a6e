/** Order states, lowercase as real STATUS_QUERY answers carry them (contract §2). */
export const ORDER_STATUSES = ['init', 'success', 'fail', 'notpay', 'authorised', 'partial_refunded', 'refunded'] as const
export type OrderStatus = typeof ORDER_STATUSES[number]

/**
 * How the payer pays: the wallets (WeChat Pay, Alipay, UnionPay QR), UnionPay SecurePay's hosted card page, a card
 * on the hosted checkout (`GP`, Global Payments), or `CHECKOUT` while a hosted checkout's payer has not chosen yet.
 */
export const PAY_METHODS = ['WECHATPAY', 'ALIPAY', 'UNIONPAY', 'SECUREPAY', 'GP', 'CHECKOUT'] as const
export type PayMethod = typeof PAY_METHODS[number]

/** The hosted page that plays the payer of an order. */
export type PayerPage = 'scan' | 'unionpay' | 'checkout'

/**
 * How the payer's browser returns to the merchant after paying, as each flow documents it:
 * `unionpay` POSTs the result to `frontUrl`; `alipay` redirects to `returnURL`/`redirect_url` with `total_fee`,
 * `trade_no`, `out_trade_no`, `trade_status`; `h5pay` redirects to `newURL` with `amount` (decimal), `orderID`,
 * `tranID`, `status`; `plain` (WeChat MWEB) redirects to the URL as it is.
 */
export type ReturnStyle = 'unionpay' | 'alipay' | 'h5pay' | 'plain'

/** One refund of an order. Its id shares the merchant's order-id namespace (REFUND's `order_id`). */
export interface Refund {
  refund_id: string
  /** Cents refunded by this refund. */
  amount: string
  /** The acquirer's id of the refund. */
  bizpay_order_id: string
  /** ISO time (sandbox clock). */
  at: string
  /** `yyyyMMddHHmmss` Beijing time. */
  finish_time: string
  /** Who refunded: the REFUND action, the control API, the admin UI. */
  reason: string
}

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
  /** Where callbacks go: `call_back_url` (wallets), `backUrl` (UnionPay), `notifyURL` (links); '' for none. */
  notify_url: string
  /** Where the payer's browser returns: `frontUrl`, `returnURL`, `newURL`, `redirect_url`, when given. */
  return_url: string | null
  /** How the browser returns there (default: `unionpay` for SECUREPAY, `plain` otherwise). */
  return_style?: ReturnStyle
  /** The hosted payer page (default: `unionpay` for SECUREPAY, `scan` otherwise). */
  payer_page?: PayerPage
  /** ISO time an unpaid order expires (PREPAY_INIT `duration`); default: created_at + ORDER_EXPIRY. */
  expires_at?: string
  /** ISO time the scheduler pays this order (PASSIVEPAY's pending-then-paid auth code), before any autopay rule. */
  pay_at?: string
  /** The merchant's sales / invoice number (`sale_num`), when given. */
  sale_num?: string
  /** Facts of one flow (H5PAY's fee, PREPAY_INIT's shop, PASSIVEPAY's auth code…), shown by the admin UI. */
  details?: Record<string, string>
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
  /** Each refund, oldest first. */
  refunds?: Refund[]
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

/** The hosted page of an order, by default from its method. */
export function payerPageOf (order: Order): PayerPage {
  return order.payer_page ?? (order.method === 'SECUREPAY' ? 'unionpay' : 'scan')
}

/** Where an order's hosted payer page lives (a path; prefix PUBLIC_URL or the request origin). */
export function payerPagePath (order: Order): string {
  return `/sandbox/pay/${payerPageOf(order)}/${order.page_token}`
}
