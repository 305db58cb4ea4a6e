import { diagnose, numberHints, openDetailed, type Hint } from '../crypto/index.js'
import type { MerchantDirectory } from '../merchants.js'
import { isCardField, maskCardsInText, maskRequest } from '../orders/order.js'
import type { GatewayTrace } from '../protocol/gateway.js'
import { findAction } from '../protocol/registry.js'
import { GATEWAY_STEPS, STEP_LABELS, type GatewayStep, type RequestLogEntry } from './log-entry.js'

/**
 * The order an exchange is about: a refund (and a query of a refund's id) is about the order refunded, a
 * checkout query about its prepay order, anything else about its `order_id` / `orderId`.
 */
function orderIdOf (data: Record<string, unknown>): unknown {
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
  if (text === undefined) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

function cardValues (...objects: Array<Record<string, unknown> | undefined>): string[] {
  const values = new Set<string>()
  for (const object of objects) {
    for (const [key, value] of Object.entries(object ?? {})) {
      if (isCardField(key) && (typeof value === 'string' || typeof value === 'number')) values.add(String(value))
    }
  }
  return [...values]
}

/**
 * Card numbers a text spells after a card field's name however it is quoted: JSON, JSON inside a JSON string
 * (encoded twice), a query string. Those the text does not spell as plain JSON would escape maskCardsInText.
 */
function cardValuesInText (text: string | undefined): string[] {
  if (text === undefined) return []
  return [...text.matchAll(/(?:cc_?number|card_?n(?:o|um(?:ber)?))\W{1,8}?(\d[\d -]*\d)/gi)].map((match) => match[1]!)
}

function bodyText (body: unknown, field: string): string | null {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined
  return typeof value === 'string' ? value.slice(0, 200) : null
}

function sealedOf (body: unknown): { data: string, md5: string } | undefined {
  const b = body as Record<string, unknown> | null
  return typeof b?.data === 'string' && typeof b.md5 === 'string' ? { data: b.data, md5: b.md5 } : undefined
}

/** Hints for a request that names a merchant or action the sandbox does not know. */
function routingHints (step: GatewayStep, exchange: GatewayExchange, merchants: MerchantDirectory): Hint[] {
  const sealed = sealedOf(exchange.body)
  if (step === 'merchant') {
    const owner = sealed === undefined
      ? undefined
      : merchants.list().find((m) => { try { openDetailed(sealed, m.sign_key); return true } catch { return false } })
    if (owner !== undefined) return [{ code: 'WRONG_MERCHANT_ID', message: `data opens with the sign key of merchant ${owner.merchant_id}: send merchant_id "${owner.merchant_id}"` }]
    return [{ code: 'UNKNOWN_MERCHANT', message: `merchants in this sandbox: ${merchants.list().map((m) => m.merchant_id).join(', ')} (see /sandbox/merchants)` }]
  }
  if (step === 'action') {
    const name = exchange.trace?.action ?? ''
    const known = findAction(name.trim().toUpperCase())
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
  if (step === 'merchant' || step === 'action') return routingHints(step, exchange, merchants)
  return decrypted === undefined ? [] : numberHints(decrypted)
}

/**
 * Turns one gateway exchange into a request-log entry: the verdict, each pipeline step, the crypto story
 * (decrypted text, canonical string, expected and received md5) and hints. Card numbers are masked throughout.
 */
export function buildEntry (id: string, exchange: GatewayExchange, merchants: MerchantDirectory): RequestLogEntry {
  const { trace, reply } = exchange
  const rspCode = typeof reply.rsp_code === 'string' ? reply.rsp_code : 'SYSTEM_ERROR'
  const accepted = rspCode === 'SUCCESS'
  const step = failedStep(exchange, accepted)
  const failedAt = step === null ? GATEWAY_STEPS.length : GATEWAY_STEPS.indexOf(step)
  const decrypted = parseObject(trace?.plaintext)
  const cards = [...new Set([...cardValues(decrypted, trace?.data), ...cardValuesInText(trace?.plaintext)])]
  // Messages and warnings may quote a value the client sent (e.g. "cc_number must be 12 to 19 digits, got …").
  const rspMsg = typeof reply.rsp_msg === 'string' ? maskCardsInText(reply.rsp_msg, cards) : ''
  const sealed = sealedOf(exchange.body)
  const expected = trace?.expected_md5 ?? null
  const answerData = trace?.answer === undefined ? null : maskRequest(trace.answer)
  const orderId = orderIdOf(answerData ?? {}) ?? orderIdOf(trace?.data ?? {})

  return {
    id,
    at: exchange.at,
    path: exchange.path,
    http_status: exchange.httpStatus,
    // A malformed envelope still shows what it did name, so filtering by merchant finds it.
    merchant_id: trace?.merchant_id ?? bodyText(exchange.body, 'merchant_id'),
    action: trace?.action ?? bodyText(exchange.body, 'action'),
    version: trace?.version ?? bodyText(exchange.body, 'version'),
    verdict: accepted ? 'accepted' : 'rejected',
    rsp_code: rspCode,
    rsp_msg: rspMsg,
    failed_step: step,
    steps: GATEWAY_STEPS.map((s, i) => ({ step: s, label: STEP_LABELS[s], result: i < failedAt ? 'passed' : i === failedAt ? 'failed' : 'not reached' })),
    order_id: typeof orderId === 'string' ? orderId : null,
    crypto: {
      data_length: sealed?.data.length ?? 0,
      received_md5: trace?.received_md5 ?? null,
      expected_md5: expected,
      md5_matches: step === 'md5' ? false : expected === null ? null : true,
      plaintext: clip(trace?.plaintext === undefined ? undefined : maskCardsInText(trace.plaintext, cards)),
      canonical: clip(trace?.canonical === undefined ? undefined : maskCardsInText(trace.canonical, cards))
    },
    data: trace?.data === undefined ? null : maskRequest(trace.data),
    warnings: (trace?.warnings ?? []).map((warning) => maskCardsInText(warning, cards)),
    hints: hintsFor(step, exchange, merchants, decrypted),
    answer: {
      rsp_code: rspCode,
      rsp_msg: rspMsg,
      md5: typeof reply.md5 === 'string' ? reply.md5 : null,
      data: answerData
    }
  }
}
