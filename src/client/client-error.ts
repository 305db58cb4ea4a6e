/**
 * What went wrong between the client and the gateway (never an Appendix B rejection: those are answers).
 * - `HTTP_STATUS`: the gateway answered a status outside 2xx
 * - `NOT_JSON`: the answer (or a raw callback body) is not JSON
 * - `NOT_ENVELOPE`: JSON, but not `{rsp_code, rsp_msg, data?, md5?}` (or a callback without `data` and `md5`)
 * - `VERIFY_FAILED`: `data`/`md5` do not open or verify with the sign key (`cause` is the CryptoError)
 * - `NETWORK`: no answer: refused, reset or dropped connection
 * - `TIMEOUT`: no answer within `timeoutMs`
 */
export type ClientErrorCode = 'HTTP_STATUS' | 'NOT_JSON' | 'NOT_ENVELOPE' | 'VERIFY_FAILED' | 'NETWORK' | 'TIMEOUT'

export interface ClientErrorDetails {
  /** The HTTP status of the answer, when there was one. */
  status?: number
  /** The answer's body as text, when there was one. */
  body?: string
  /** The answer's parsed JSON, when it parsed. */
  answer?: unknown
  cause?: unknown
}

/** The one error the client throws; `code` says what failed. */
export class ClientError extends Error {
  readonly code: ClientErrorCode
  readonly status: number | undefined
  readonly body: string | undefined
  readonly answer: unknown

  constructor (code: ClientErrorCode, message: string, details: ClientErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'ClientError'
    this.code = code
    this.status = details.status
    this.body = details.body
    this.answer = details.answer
  }
}
