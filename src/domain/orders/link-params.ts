import { GatewayError } from '../errors.js'
import type { Merchant } from '../fixtures.js'

/**
 * The query of the hosted payment links (/webPay, /wapPay, /h5Pay; reference §8, §10, §12), read into what an
 * order needs. Every refusal is a `PARAM_INVALID` {@link GatewayError} whose detail names the parameter.
 */

/** The query as fastify parsed it: strings, with `+` already read as a space. */
export type LinkQuery = Readonly<Record<string, unknown>>

/** The Alipay links: /webPay (PC browser) and /wapPay (mobile browser). */
export type AlipayLinkKind = 'webPay' | 'wapPay'

/** `scan` redirects the browser to the payer page; `form` answers an HTML form that leads there. */
export type SubmitType = 'scan' | 'form'

export interface AlipayLink {
  merCode: string
  merchantId: string
  orderId: string
  operId: string
  amount: string
  returnUrl: string
  notifyUrl: string
  remarks: string | undefined
  submitType: SubmitType
}

export interface H5Link {
  merCode: string
  /** Not documented for h5Pay; checked against merCode when a merchant sends it anyway. */
  merchantId: string | undefined
  orderId: string
  operId: string | undefined
  amount: string
  newUrl: string
  /** '' when the link has no `notifyURL` (the docs give h5Pay none): no callback is sent. */
  notifyUrl: string
}

const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/
const CENTS = /^(?!0+$)[0-9]{1,12}$/
const MAX_URL = 2048
const DOCS_EXAMPLE = 'aHR0cHM6Ly93d3cub3R0cGF5LmNvbS9yZXN1bHQ= for https://www.ottpay.com/result'

function invalid (detail: string): GatewayError {
  return new GatewayError('PARAM_INVALID', detail)
}

function shown (value: string): string {
  return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)
}

/** A parameter's value; an empty one counts as absent. */
function optional (query: LinkQuery, name: string): string | undefined {
  const value = query[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function required (query: LinkQuery, name: string): string {
  const value = optional(query, name)
  if (value === undefined) throw invalid(`${name} is required`)
  return value
}

function orderIdOf (name: string, value: string): string {
  if (!ORDER_ID.test(value)) throw invalid(`${name} must be 1 to 64 letters, digits, "-" or "_", got ${shown(value)}`)
  return value
}

function amountOf (value: string): string {
  if (!CENTS.test(value)) throw invalid(`amount must be a whole number of cents greater than 0 ("100" for 1.00), got ${shown(value)}`)
  return value
}

/** An absolute http(s) URL with a host, or undefined. */
function httpUrl (value: string): string | undefined {
  if (value.length > MAX_URL) return undefined
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url.toString() : undefined
  } catch {
    return undefined
  }
}

/** The URL a UTF-8 Base64 text spells, or undefined when `value` is no Base64 at all. */
function fromBase64 (value: string): string | undefined {
  // The link is URL-encoded, so an unencoded `+` arrives as a space; `-` and `_` are the URL-safe alphabet.
  const standard = value.replace(/ /g, '+').replace(/[\r\n\t]/g, '').replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')
  if (!/^[A-Za-z0-9+/]+$/.test(standard) || standard.length % 4 === 1) return undefined
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(standard, 'base64'))
  } catch {
    return undefined
  }
}

/**
 * `returnURL` and `notifyURL` are the Base64 of an absolute http(s) URL (standard or URL-safe alphabet, padding
 * optional). Returns the decoded URL.
 */
export function base64Url (name: string, value: string): string {
  const decoded = fromBase64(value)
  if (decoded === undefined) {
    const hint = httpUrl(value) === undefined ? '' : ' (this is a plain URL: Base64-encode it)'
    throw invalid(`${name} must be the Base64 of an absolute http(s) URL, e.g. ${DOCS_EXAMPLE}; got ${shown(value)}${hint}`)
  }
  const url = httpUrl(decoded)
  if (url === undefined) throw invalid(`${name} must be the Base64 of an absolute http(s) URL; it decodes to ${shown(decoded)}`)
  return url
}

function submitTypeOf (value: string | undefined): SubmitType {
  if (value === undefined || value === 'scan' || value === 'form') return value ?? 'scan'
  throw invalid(`submit_type must be "scan" or "form", got ${shown(value)}`)
}

/** Reads a /webPay or /wapPay query; /wapPay documents no `submit_type`, so it always redirects. */
export function readAlipayLink (query: LinkQuery, kind: AlipayLinkKind): AlipayLink {
  const merCode = required(query, 'merCode')
  const merchantId = required(query, 'merchantId')
  const orderId = orderIdOf('orderId', required(query, 'orderId'))
  const operId = required(query, 'operId')
  const amount = amountOf(required(query, 'amount'))
  const returnUrl = base64Url('returnURL', required(query, 'returnURL'))
  const notifyUrl = base64Url('notifyURL', required(query, 'notifyURL'))
  const submitType = kind === 'webPay' ? submitTypeOf(optional(query, 'submit_type')) : 'scan'
  return { merCode, merchantId, orderId, operId, amount, returnUrl, notifyUrl, remarks: optional(query, 'remarks'), submitType }
}

/** The h5Pay order id: `orderId`, or `orderld` as the docs' format line spells it; both must agree. */
function h5OrderId (query: LinkQuery): string {
  const id = optional(query, 'orderId')
  const ld = optional(query, 'orderld')
  if (id !== undefined && ld !== undefined && id !== ld) throw invalid(`orderId and orderld (the docs' spelling) are both given and differ: ${shown(id)}, ${shown(ld)}`)
  const value = id ?? ld
  if (value === undefined) throw invalid('orderId is required (also accepted as orderld)')
  return orderIdOf(id === undefined ? 'orderld' : 'orderId', value)
}

/** `newURL` is a plain absolute http(s) URL (URL-encoded in the link, not Base64). */
function newUrlOf (value: string): string {
  const url = httpUrl(value)
  if (url !== undefined) return url
  const decoded = fromBase64(value)
  const hint = decoded !== undefined && httpUrl(decoded) !== undefined ? ' (this looks like Base64: h5Pay takes the URL itself, URL-encoded)' : ''
  throw invalid(`newURL must be an absolute http(s) URL, got ${shown(value)}${hint}`)
}

/** Reads an /h5Pay query. */
export function readH5Link (query: LinkQuery): H5Link {
  const merCode = required(query, 'merCode')
  const orderId = h5OrderId(query)
  const amount = amountOf(required(query, 'amount'))
  const newUrl = newUrlOf(required(query, 'newURL'))
  const notify = optional(query, 'notifyURL')
  return {
    merCode,
    merchantId: optional(query, 'merchantId'),
    orderId,
    operId: optional(query, 'operId'),
    amount,
    newUrl,
    notifyUrl: notify === undefined ? '' : base64Url('notifyURL', notify)
  }
}

/**
 * The merchant a link is for: by `merchantId` when given, which `merCode` must match, else by `merCode` alone.
 * The refusals never say whose code a wrong `merCode` is, nor what the right one would be.
 */
export function linkMerchant (merchants: readonly Merchant[], merCode: string, merchantId: string | undefined): Merchant {
  if (merchantId === undefined) {
    const merchant = merchants.find((m) => m.mer_code !== undefined && m.mer_code === merCode)
    if (merchant === undefined) throw invalid('merCode is not the payment code of any sandbox merchant (mer_code in the fixtures)')
    return merchant
  }
  const merchant = merchants.find((m) => m.merchant_id === merchantId)
  if (merchant === undefined) throw invalid(`merchantId ${shown(merchantId)} is not a sandbox merchant`)
  if (merchant.mer_code === undefined) throw invalid(`merchant ${merchant.merchant_id} has no mer_code in the fixtures, so it cannot take payment links`)
  if (merchant.mer_code !== merCode) throw invalid(`merCode is not the payment code of merchant ${merchant.merchant_id} (its mer_code in the fixtures)`)
  return merchant
}

/** `operId`, when the link has one, must be one of the merchant's operators. */
export function checkOperId (merchant: Merchant, operId: string | undefined): void {
  if (operId === undefined || merchant.operators.includes(operId)) return
  throw invalid(`operId ${shown(operId)} is not an operator of merchant ${merchant.merchant_id} (known: ${merchant.operators.join(', ')})`)
}
