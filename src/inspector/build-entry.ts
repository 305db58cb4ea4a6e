import { diagnose, jsonDepth, numberHints, openDetailed, type Hint } from '../crypto/index.js'
import type { MerchantDirectory } from '../engine/merchants.js'
import { maskCardNumbersByShape } from '../domain/card-numbers.js'
import { cardFieldValues, cardNumbersIn, isCardField, isMaskedCardField, maskCardsInText, maskedStrings, maskRequest } from '../domain/orders/order.js'
import { dataHints } from '../protocol/data-hints.js'
import type { GatewayTrace } from '../protocol/gateway.js'
import { findAction } from '../protocol/registry.js'
import { GATEWAY_STEPS, STEP_LABELS, type GatewayStep, type RequestLogEntry } from './log-entry.js'

/**
 * The order an exchange is about: a refund (and a query of a refund's id) is about the order refunded, a
 * checkout query about its prepay order, anything else about its `order_id` / `orderId`.
 */
export function orderIdOf (data: Record<string, unknown>): unknown {
  return data.ori_order_id ?? data.prepay_order_id ?? data.order_id ?? data.orderId
}

/** What the gateway route saw and sent, handed to the inspector once the answer is ready. */
export interface GatewayExchange {
  path: string
  httpStatus: number
  at: string
  /** The parsed request body, whatever it was. */
  body: unknown
  /** Undefined when the request never reached the gateway pipeline (unparseable or oversized body). */
  trace: GatewayTrace | undefined
  /** The envelope answered. */
  reply: { rsp_code?: unknown, rsp_msg?: unknown, data?: unknown, md5?: unknown }
}

/** Longest decrypted text kept per entry: the log is bounded in entries, this bounds each entry. */
const MAX_TEXT = 16 * 1024

function clip (text: string | undefined): string | null {
  if (text === undefined) return null
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters)` : text
}

const CRYPTO_STEPS: Record<string, GatewayStep> = { BAD_BASE64: 'base64', DECRYPT_FAILED: 'decrypt', NOT_JSON: 'json', JSON_TOO_DEEP: 'json', MD5_MISMATCH: 'md5', action_rules: 'rules' }

function failedStep (exchange: GatewayExchange, accepted: boolean): GatewayStep | null {
  if (accepted) return null
  const trace = exchange.trace
  const step = trace?.failed_step
  if (trace === undefined) return 'body'
  // Normalising the fields (e.g. order_id and orderId that disagree) rejects without naming a step: the data
  // decrypted but never became the request's data.
  if (step === undefined) return trace.plaintext !== undefined && trace.data === undefined ? 'fields' : 'rules'
  return CRYPTO_STEPS[step] ?? step as GatewayStep
}

function parseObject (text: string | undefined): Record<string, unknown> | undefined {
  // Data the gateway refused as too deep is never parsed here either: walking it (masking, hints) would overflow the stack.
  if (text === undefined || jsonDepth(text).tooDeepAt !== undefined) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

function cardValues (...objects: Array<Record<string, unknown> | undefined>): string[] {
  return [...new Set(objects.flatMap((object) => cardFieldValues(object)))]
}

/**
 * Card numbers a text spells after a card field's name however it is quoted: JSON, JSON inside a JSON string
 * (encoded twice), a query string. Those the text does not spell as plain JSON would escape maskCardsInText.
 */
function cardValuesInText (text: string | undefined): string[] {
  if (text === undefined) return []
  // Digits followed by Base64 characters start encrypted card data (Portico): masked whole as a known value instead.
  const cards = [...text.matchAll(/(?:cc_?number|card_?n(?:o|um(?:ber)?))\W{1,8}?(\d[\d -]*\d)(?![A-Za-z0-9+/=])/gi)].map((match) => match[1]!)
  // A masked-number field's value counts only where it holds a whole card number ("1111" would mask every 1111).
  const masked = [...text.matchAll(/cc_?masked_?num(?:ber)?\W{1,8}?(\d[\d -]*\d)/gi)].flatMap((match) => cardNumbersIn(match[1]!))
  return [...cards, ...masked]
}

function bodyText (body: unknown, field: string): string | null {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined
  return typeof value === 'string' ? value.slice(0, 200) : null
}

function sealedOf (body: unknown): { data: string, md5: string } | undefined {
  const b = body as Record<string, unknown> | null
  return typeof b?.data === 'string' && typeof b.md5 === 'string' ? { data: b.data, md5: b.md5 } : undefined
}

function envelopeText (body: unknown): string | undefined {
  if (body === undefined) return undefined
  try {
    return JSON.stringify(body)
  } catch {
    return undefined
  }
}

/** Hints for a request that names a merchant or action the sandbox does not know. */
function routingHints (step: GatewayStep, action: string | null, sealed?: { data: string, md5: string }, merchants?: MerchantDirectory): Hint[] {
  if (step === 'merchant' && merchants !== undefined) {
    const owner = sealed === undefined
      ? undefined
      : merchants.list().find((m) => { try { openDetailed(sealed, m.sign_key); return true } catch { return false } })
    if (owner !== undefined) return [{ code: 'WRONG_MERCHANT_ID', message: `data opens with the sign key of merchant ${owner.merchant_id}: send merchant_id "${owner.merchant_id}"` }]
    return [{ code: 'UNKNOWN_MERCHANT', message: `merchants in this sandbox: ${merchants.list().map((m) => m.merchant_id).join(', ')} (see /sandbox/merchants)` }]
  }
  if (step === 'action') {
    const known = findAction((action ?? '').trim().toUpperCase())
    if (known !== undefined) return [{ code: 'ACTION_SPELLING', message: `action names are uppercase with no spaces: send "${known.action}"` }]
  }
  return []
}

function hintsFor (step: GatewayStep | null, exchange: GatewayExchange, merchants: MerchantDirectory, decrypted: Record<string, unknown> | undefined): Hint[] {
  const trace = exchange.trace
  if (step === 'base64' || step === 'decrypt' || step === 'json' || step === 'md5') {
    const sealed = sealedOf(exchange.body)
    const merchant = trace?.merchant_id === undefined ? undefined : merchants.get(trace.merchant_id)
    if (sealed === undefined || merchant === undefined) return []
    const others = merchants.list().filter((m) => m.merchant_id !== merchant.merchant_id).map((m) => ({ label: `merchant ${m.merchant_id}`, signKey: m.sign_key }))
    return diagnose(sealed, merchant.sign_key, others)
  }
  if (step === 'merchant' || step === 'action') return routingHints(step, trace?.action ?? null, sealedOf(exchange.body), merchants)
  return decrypted === undefined ? [] : numberHints(decrypted)
}

/**
 * What an entry is derived from: the exchange reduced to the fields the entry shows, the request body among them as
 * JSON text. Card numbers may still be in it
 * unmasked, so it is kept for later only when {@link mayHoldCards} says it holds none.
 */
interface Captured {
  path: string
  httpStatus: number
  at: string
  merchantId: string | null
  action: string | null
  version: string | null
  rspCode: string
  rspMsg: string
  replyMd5: string | null
  dataLength: number
  /** The body as received, as JSON text (clipped), for the inspector's "as received" and "copy as curl". */
  envelope: string | undefined
  step: GatewayStep | null
  plaintext: string | undefined
  canonical: string | undefined
  receivedMd5: string | null
  expectedMd5: string | null
  data: Record<string, unknown> | undefined
  answer: Record<string, unknown> | undefined
  warnings: string[]
  /** Hints worked out when the exchange was recorded, for those that depend on the request body or the merchants. */
  hints: Hint[] | undefined
  /** The gateway's hints about the data of a request rejected at its fields or by the action. */
  dataHints: Hint[] | undefined
}

/** Steps whose hints read the request body or the merchants (and their keys): worked out at once. */
const STEPS_HINTED_NOW: ReadonlySet<GatewayStep | null> = new Set<GatewayStep | null>(['base64', 'decrypt', 'json', 'md5', 'merchant'])

function capture (exchange: GatewayExchange, merchants: MerchantDirectory): Captured {
  const { trace, reply } = exchange
  const rspCode = typeof reply.rsp_code === 'string' ? reply.rsp_code : 'SYSTEM_ERROR'
  const step = failedStep(exchange, rspCode === 'SUCCESS')
  return {
    path: exchange.path,
    httpStatus: exchange.httpStatus,
    at: exchange.at,
    // A malformed envelope still shows what it did name, so filtering by merchant finds it.
    merchantId: trace?.merchant_id ?? bodyText(exchange.body, 'merchant_id'),
    action: trace?.action ?? bodyText(exchange.body, 'action'),
    version: trace?.version ?? bodyText(exchange.body, 'version'),
    rspCode,
    rspMsg: typeof reply.rsp_msg === 'string' ? reply.rsp_msg : '',
    replyMd5: typeof reply.md5 === 'string' ? reply.md5 : null,
    dataLength: sealedOf(exchange.body)?.data.length ?? 0,
    envelope: envelopeText(exchange.body),
    step,
    plaintext: trace?.plaintext,
    canonical: trace?.canonical,
    receivedMd5: trace?.received_md5 ?? null,
    expectedMd5: trace?.expected_md5 ?? null,
    // Copies: the handler's objects (e.g. an order's stored answer) may change after the answer went out.
    data: trace?.data === undefined ? undefined : { ...trace.data },
    answer: trace?.answer === undefined ? undefined : { ...trace.answer },
    warnings: [...(trace?.warnings ?? [])],
    hints: STEPS_HINTED_NOW.has(step) ? hintsFor(step, exchange, merchants, parseObject(trace?.plaintext)) : undefined,
    dataHints: trace?.data_hints?.map(({ code, message }) => ({ code, message }))
  }
}

/**
 * Hints about data that decrypted (the fields and rules steps, or an accepted request): the gateway's for a
 * rejection, else worked out now against the action's schema (an accepted request's look-alike keys and numbers).
 * Messages may quote a value sent: card numbers are masked as everywhere.
 */
function decryptedHints (c: Captured, decrypted: Record<string, unknown>, cards: string[]): Hint[] {
  const definition = c.action === null ? undefined : findAction(c.action)
  const hints = c.dataHints ?? (definition === undefined ? numberHints(decrypted) : dataHints(definition, decrypted))
  return hints.map(({ code, message }) => ({ code, message: maskCardsInText(message, cards) }))
}

/** Any text that names a card field, however it goes on: a superset of every pattern the masking looks for. */
const CARD_NAME = /cc_?num|card_?n(?:o|um)|cc_?masked_?num|pan|credit_?card/i

function hasCardField (object: unknown): boolean {
  if (object === null || typeof object !== 'object') return false
  for (const [key, value] of Object.entries(object)) if (isCardField(key) || isMaskedCardField(key) || hasCardField(value)) return true
  return false
}

/**
 * False only when masking cannot change anything: no text names a card field and no object has one. (The
 * decrypted object's keys are the data's, before normalisation renamed aliases; when the text decrypted but never
 * became data, say true.)
 */
function mayHoldCards (c: Captured): boolean {
  if (c.plaintext !== undefined && c.data === undefined) return true
  if (hasCardField(c.data) || hasCardField(c.answer)) return true
  // A card number under any other name (nested, in a URL): found by its shape.
  if ([c.plaintext, c.canonical, c.rspMsg].some((text) => text !== undefined && maskCardNumbersByShape(text) !== text)) return true
  if (c.envelope !== undefined && CARD_NAME.test(c.envelope)) return true
  if (CARD_NAME.test(c.rspMsg) || (c.plaintext !== undefined && CARD_NAME.test(c.plaintext)) || (c.canonical !== undefined && CARD_NAME.test(c.canonical))) return true
  return c.warnings.some((warning) => CARD_NAME.test(warning))
}

/** Why an entry that holds a card number shows no md5: with the rest of the entry, it would reveal the number. */
export const MD5_WITHHELD = 'withheld: the request carries a card number; the md5 would reveal it (an MD5 of values shown masked can be brute-forced)'

/**
 * The envelope as received, card numbers masked. When the request carries a card number its `data` is withheld
 * (anyone with the merchant's key could read the number the rest of the entry masks) and so is its `md5`.
 */
function envelopeShown (envelope: string | undefined, cards: string[], holdsCard: boolean): string | undefined {
  if (envelope === undefined) return undefined
  let text = envelope
  if (holdsCard) {
    const body = parseObject(envelope)
    if (body !== undefined) {
      const copy = { ...body }
      if ('data' in copy) copy.data = '(withheld: it decrypts to a card number)'
      if ('md5' in copy) copy.md5 = `(${MD5_WITHHELD})`
      text = JSON.stringify(copy)
    }
  }
  return maskCardsInText(text, [...cards, ...cardValuesInText(text)])
}

/** A text with every md5 (32 hex digits) it quotes withheld, for an entry whose md5s are. */
function withoutMd5 (text: string): string {
  return text.replace(/\b[0-9a-f]{32}\b/gi, '[md5 withheld]')
}

/** Turns captured material into the entry: masking, steps, hints. Pure: the same material gives the same entry. */
function entryOf (id: string, c: Captured): RequestLogEntry {
  const accepted = c.rspCode === 'SUCCESS'
  const failedAt = c.step === null ? GATEWAY_STEPS.length : GATEWAY_STEPS.indexOf(c.step)
  const decrypted = parseObject(c.plaintext)
  const cards = [...new Set([...cardValues(decrypted, c.data), ...cardValuesInText(c.plaintext)])]
  // Strings that hold a card number under another name (`pan`, a URL's query): masked in the texts the same way.
  const pairs = [...maskedStrings(decrypted), ...maskedStrings(c.data)]
  const maskText = (text: string): string => {
    let masked = text
    for (const [value, shown] of pairs) masked = masked.split(value).join(shown)
    return maskCardsInText(masked, cards)
  }
  const plaintext = c.plaintext === undefined ? undefined : maskText(c.plaintext)
  const canonical = c.canonical === undefined ? undefined : maskText(c.canonical)
  // The md5s are an unsalted MD5 of the canonical string: next to its masked form they give the hidden digits away.
  const holdsCard = cards.length > 0 || pairs.length > 0 || plaintext !== c.plaintext || canonical !== c.canonical
  const shown = (text: string): string => holdsCard ? withoutMd5(maskText(text)) : maskText(text)
  // Messages and warnings may quote a value the client sent (e.g. "cc_number must be 12 to 19 digits, got …").
  const rspMsg = shown(c.rspMsg)
  // A card number the request carries is masked wherever it shows up again, under any name (a `frontUrl` of it).
  const maskData = (data: Record<string, unknown>): Record<string, unknown> => cards.length === 0 && pairs.length === 0
    ? maskRequest(data)
    : JSON.parse(maskText(JSON.stringify(maskRequest(data)))) as Record<string, unknown>
  const answerData = c.answer === undefined ? null : maskData(c.answer)
  const orderId = orderIdOf(answerData ?? {}) ?? orderIdOf(c.data ?? {})

  return {
    id,
    at: c.at,
    path: c.path,
    http_status: c.httpStatus,
    merchant_id: c.merchantId,
    action: c.action,
    version: c.version,
    verdict: accepted ? 'accepted' : 'rejected',
    rsp_code: c.rspCode,
    rsp_msg: rspMsg,
    failed_step: c.step,
    steps: GATEWAY_STEPS.map((s, i) => ({ step: s, label: STEP_LABELS[s], result: i < failedAt ? 'passed' : i === failedAt ? 'failed' : 'not reached' })),
    order_id: typeof orderId === 'string' ? orderId : null,
    envelope: clip(envelopeShown(c.envelope, cards, holdsCard)),
    crypto: {
      data_length: c.dataLength,
      received_md5: holdsCard ? null : c.receivedMd5,
      expected_md5: holdsCard ? null : c.expectedMd5,
      md5_matches: c.step === 'md5' ? false : c.expectedMd5 === null ? null : true,
      ...(holdsCard && (c.receivedMd5 !== null || c.expectedMd5 !== null) ? { md5_withheld: MD5_WITHHELD } : {}),
      plaintext: clip(plaintext),
      canonical: clip(canonical)
    },
    data: c.data === undefined ? null : maskData(c.data),
    warnings: c.warnings.map(shown),
    hints: (c.hints ?? (c.step === 'action' ? routingHints('action', c.action) : decrypted === undefined ? [] : decryptedHints(c, decrypted, cards))).map(({ code, message }) => ({ code, message: shown(message) })),
    answer: {
      rsp_code: c.rspCode,
      rsp_msg: rspMsg,
      // The answer's md5 is the digest of its data: withheld with the request's, for the same reason.
      md5: holdsCard ? null : c.replyMd5,
      data: answerData
    }
  }
}

/**
 * A request-log entry that is built when first read. What a filter looks at is known at once; the rest (masking,
 * steps, hints) waits for a reader, unless the exchange may hold card numbers (then it is built and masked at once,
 * so an unmasked card number is never kept) or its hints need the request body or the merchants as they are now.
 */
export interface PendingEntry {
  readonly id: string
  readonly merchantId: string | null
  readonly action: string | null
  readonly verdict: 'accepted' | 'rejected'
  readonly orderId: string | null
  entry(): RequestLogEntry
}

export function recordEntry (id: string, exchange: GatewayExchange, merchants: MerchantDirectory): PendingEntry {
  const captured = capture(exchange, merchants)
  // Texts past MAX_TEXT are clipped in the entry: build it now rather than keep the whole text.
  const now = captured.hints !== undefined || mayHoldCards(captured) ||
    (captured.plaintext?.length ?? 0) > MAX_TEXT || (captured.canonical?.length ?? 0) > MAX_TEXT
  let entry: RequestLogEntry | undefined = now ? entryOf(id, captured) : undefined
  let material: Captured | undefined = now ? undefined : captured
  // order_id does not change with masking: no card field is named like an order id.
  const orderId = orderIdOf(captured.answer ?? {}) ?? orderIdOf(captured.data ?? {})
  return {
    id,
    merchantId: captured.merchantId,
    action: captured.action,
    verdict: captured.rspCode === 'SUCCESS' ? 'accepted' : 'rejected',
    orderId: typeof orderId === 'string' ? orderId : null,
    entry () {
      if (entry === undefined) {
        entry = entryOf(id, material!)
        material = undefined
      }
      return entry
    }
  }
}

/**
 * Turns one gateway exchange into a request-log entry: the verdict, each pipeline step, the crypto story
 * (decrypted text, canonical string, expected and received md5) and hints. Card numbers are masked throughout.
 */
export function buildEntry (id: string, exchange: GatewayExchange, merchants: MerchantDirectory): RequestLogEntry {
  return entryOf(id, capture(exchange, merchants))
}
