import { seal, type DataObject } from '../crypto/index.js'
import type { ActionName, Actions, AnswerFor, CallbackData, GatewayResult, OpenedCallback } from './action-types.js'
import { ClientError } from './client-error.js'
import { readAnswer } from './read-answer.js'
import { openCallback, verifyCallback, type CallbackBody } from './verify-callback.js'

export interface ClientOptions {
  /** Where the sandbox (or OTT Pay) listens, e.g. `http://127.0.0.1:8080`; a path prefix is kept. */
  baseUrl: string
  merchantId: string
  signKey: string
  /** The fetch to use; the global one by default (pass a stub in unit tests). */
  fetch?: typeof globalThis.fetch
  /** How long one request may take, answer included; 10000 by default. */
  timeoutMs?: number
  /** The gateway path; `/processV2` by default (`/process` and `/processV3` are its aliases). */
  path?: string
}

type Answer<A extends string> = Promise<GatewayResult<AnswerFor<A>>>

/**
 * The typed helper methods: each sends its action at the version the docs' table gives (MAPPPAY 1.1: the docs'
 * example sends 1.0, also answered; use `request` for it).
 */
const METHODS = {
  statusQuery: ['STATUS_QUERY', '1.0'],
  refund: ['REFUND', '1.0'],
  exRateQuery: ['EX_RATE_QUERY', '1.0'],
  activePay: ['ACTIVEPAY', '1.0'],
  h5Pay: ['H5PAY', '2.0'],
  mappPay: ['MAPPPAY', '1.1'],
  ccPurchase: ['CC_PURCHASE', '2.0'],
  ccPreauth: ['CC_PREAUTH', '2.0'],
  ccQueryPay: ['CC_QUERYPAY', '2.0'],
  passivePay: ['PASSIVEPAY', '1.0'],
  prepayInit: ['PREPAY_INIT', '2.0'],
  prepayQuery: ['PREPAY_QUERY', '2.0']
} as const satisfies Record<string, readonly [ActionName, string]>

type ActionMethods = { [M in keyof typeof METHODS]: (data: Actions[typeof METHODS[M][0]]['data']) => Answer<typeof METHODS[M][0]> }

export interface SandboxClient extends ActionMethods {
  readonly merchantId: string
  /** The URL requests are POSTed to. */
  readonly url: string
  /**
   * Seals `data`, POSTs the envelope and returns the answer with its data opened and verified. Appendix B codes
   * other than SUCCESS are returned, not thrown. `data` is not checked here, so a test can send a wrong field
   * on purpose; the helpers below type it.
   */
  request<A extends string>(action: A, version: string, data: DataObject): Answer<A>
  /** {@link verifyCallback} with this client's sign key. */
  verifyCallback<T extends DataObject = CallbackData & DataObject>(body: CallbackBody): T
  /** {@link openCallback} with this client's sign key. */
  openCallback<T extends DataObject = CallbackData & DataObject>(body: CallbackBody): OpenedCallback<T>
}

const DEFAULT_TIMEOUT_MS = 10_000

function requireText (value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`createClient: ${name} must be a non-empty string`)
  return value
}

function checkOptions (options: ClientOptions): { url: string, timeoutMs: number } {
  const baseUrl = requireText(options.baseUrl, 'baseUrl')
  let parsed: URL
  try {
    parsed = new URL(baseUrl)
  } catch {
    throw new TypeError(`createClient: baseUrl must be an absolute http(s) URL such as "http://127.0.0.1:8080", got ${JSON.stringify(baseUrl)}`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`createClient: baseUrl must be an http(s) URL, got ${JSON.stringify(baseUrl)}`)
  }
  requireText(options.merchantId, 'merchantId')
  requireText(options.signKey, 'signKey')
  const path = options.path ?? '/processV2'
  if (!path.startsWith('/')) throw new TypeError(`createClient: path must start with "/", got ${JSON.stringify(path)}`)
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError(`createClient: timeoutMs must be a number of milliseconds > 0, got ${String(timeoutMs)}`)
  return { url: baseUrl.replace(/\/+$/, '') + path, timeoutMs }
}

/** A failed fetch as a NETWORK or TIMEOUT error, with the socket's reason (ECONNREFUSED, …) when node gives one. */
function transportError (err: unknown, what: string, timeoutMs: number): ClientError {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new ClientError('TIMEOUT', `${what} got no answer within ${timeoutMs} ms`, { cause: err })
  }
  const cause = err instanceof Error ? err.cause : undefined
  const reason = cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : err instanceof Error ? err.message : String(err)
  return new ClientError('NETWORK', `${what} failed: ${reason}`, { cause: err })
}

/**
 * A processV2 client for one merchant: it seals requests with the merchant's sign key and opens and verifies
 * every answer. Works against the sandbox and OTT Pay alike; needs nothing but Node's fetch and crypto.
 */
export function createClient (options: ClientOptions): SandboxClient {
  const { url, timeoutMs } = checkOptions(options)
  const { merchantId, signKey } = options
  const fetchImpl = options.fetch ?? globalThis.fetch

  async function request<A extends string> (action: A, version: string, data: DataObject): Answer<A> {
    const what = `${action} ${version} (POST ${url})`
    const body = JSON.stringify({ action, version, merchant_id: merchantId, ...seal(data, signKey) })
    let status: number
    let text: string
    try {
      const res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs)
      })
      status = res.status
      text = await res.text()
    } catch (err) {
      throw transportError(err, what, timeoutMs)
    }
    return readAnswer<AnswerFor<A>>(status, text, signKey, what)
  }

  return {
    merchantId,
    url,
    request,
    ...(Object.fromEntries(Object.entries(METHODS).map(([name, [action, version]]) =>
      [name, (data: DataObject) => request(action, version, data)])) as unknown as ActionMethods),
    verifyCallback: (body) => verifyCallback(body, signKey),
    openCallback: (body) => openCallback(body, signKey)
  }
}
