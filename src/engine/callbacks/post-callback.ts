/** The start of the merchant's reply that is kept: enough to read an acknowledgement, never the whole body. */
export const REPLY_BYTES = 512

/** One callback POST: a JSON body to the merchant's URL, cut at the timeout. */
export interface CallbackPost {
  url: string
  /** Headers beyond the content type and user agent every callback carries. */
  headers: Record<string, string>
  /** Sent as JSON. */
  body: unknown
  /** CALLBACK_TIMEOUT: the whole attempt, reply included. */
  timeoutMs: number
  /** Cuts the POST early (the sandbox shutting down): when it aborts first, the outcome's error is `error`. */
  cancel?: { signal: AbortSignal, error: string }
}

/**
 * What came of it: the merchant's HTTP status and the start of its reply, or why there is none (with the status
 * when the merchant answered but the reply was cut, by the timeout or a broken connection).
 */
export type CallbackOutcome = { status: number, reply: string, error: null } | { status: number | null, reply: null, error: string }

// The reason the timer aborts with; any other abort is the cancel.
const TIMED_OUT = new DOMException('callback timeout', 'TimeoutError')

/** Why there is no answer: the timeout, the cancel, or the error the fetch failed with. */
function failure (err: unknown, signal: AbortSignal, post: CallbackPost): string {
  const timedOut = `timeout after ${post.timeoutMs} ms`
  if (signal.aborted) return signal.reason === TIMED_OUT || post.cancel === undefined ? timedOut : post.cancel.error
  const e = err as { name?: string, message?: string, cause?: { code?: string, message?: string } }
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return timedOut
  const cause = e.cause?.code ?? e.cause?.message
  return cause === undefined ? String(e.message ?? err) : `${e.message ?? 'fetch failed'} (${cause})`
}

/**
 * The merchant's reply, up to `limit` bytes: a merchant that streams megabytes (or never ends its body) must not
 * fill the sandbox's memory or hold the slot past the timeout.
 */
async function firstBytes (res: Response, limit: number): Promise<string> {
  if (res.body === null) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < limit) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
    }
  } finally {
    reader.cancel().catch(() => undefined)
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8')
}

/**
 * POSTs a callback as the gateway does, for the dispatcher's deliveries and the readiness probe's forged ones alike.
 * Never rejects: a network error, the timeout or a cancel is the outcome's `error`.
 */
export async function postCallback (fetch: typeof globalThis.fetch, post: CallbackPost): Promise<CallbackOutcome> {
  // One signal for the timeout and the cancel (AbortSignal.any is missing from early Node 20).
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(TIMED_OUT), post.timeoutMs)
  const { cancel } = post
  const cut = () => abort.abort()
  if (cancel?.signal.aborted === true) cut()
  cancel?.signal.addEventListener('abort', cut, { once: true })
  let status: number | null = null
  try {
    const res = await fetch(post.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'ottpay-sandbox', ...post.headers },
      body: JSON.stringify(post.body),
      signal: abort.signal,
      // A redirect could lead anywhere, past CALLBACK_ALLOWLIST too: a 3xx is an answer, not an acknowledgement.
      redirect: 'manual'
    })
    status = res.status
    return { status, reply: await firstBytes(res, REPLY_BYTES), error: null }
  } catch (err) {
    return { status, reply: null, error: failure(err, abort.signal, post) }
  } finally {
    clearTimeout(timer)
    cancel?.signal.removeEventListener('abort', cut)
  }
}
