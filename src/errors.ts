/**
 * The error catalogue: every error a client can see is defined here and mapped to the wire in one place
 * (src/plugins/error-handler.ts).
 */

/** Appendix B, verbatim (typos and trailing periods included: clients compare these strings). */
export const GATEWAY_CODES = {
  SUCCESS: 'success',
  PROCESSING: 'transaction processing',
  PWD_INCORRECT: 'password is incorrect',
  FAIL: 'failure.',
  TIMEOUT: 'timeout.',
  SYSTEM_ERROR: 'system error.',
  PARAM_INVALID: 'invalid parameter',
  PARAM_ERROR: 'parameter format error',
  ORDER_PAID: 'order paid',
  ORDER_USED: 'order number duplicated',
  ORDER_TYPE_ERROR: 'pre-authoried order',
  DB_ERROR: 'database error'
} as const

export type GatewayCode = keyof typeof GATEWAY_CODES

/** The documented message, followed by the sandbox's explanation of what exactly failed. */
export function gatewayMessage (code: GatewayCode, detail?: string): string {
  const base = GATEWAY_CODES[code]
  if (detail === undefined || detail === '') return base
  return base.endsWith('.') ? `${base} ${detail}` : `${base}: ${detail}`
}

/** A processV2 failure: answered as HTTP 200 `{rsp_code, rsp_msg}` (or `httpStatus` where set, e.g. 413). */
export class GatewayError extends Error {
  readonly code: GatewayCode
  readonly detail: string | undefined
  readonly httpStatus: number

  constructor (code: GatewayCode, detail?: string, httpStatus = 200) {
    super(gatewayMessage(code, detail))
    this.name = 'GatewayError'
    this.code = code
    this.detail = detail
    this.httpStatus = httpStatus
  }
}

/** Errors of the control API (/sandbox/api), answered as `{error, message}` with an HTTP status. */
export const API_ERRORS = {
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403
} as const

export type ApiErrorCode = keyof typeof API_ERRORS

export class ApiError extends Error {
  /** What the client sees as `error`: the kind, or a more precise reason such as ORDER_PAID. */
  readonly code: string
  readonly statusCode: number

  constructor (kind: ApiErrorCode, message: string, code: string = kind) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.statusCode = API_ERRORS[kind]
  }
}

/** A failed write of the store: answered `DB_ERROR` on the gateway. */
export class StoreError extends Error {
  constructor (message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreError'
  }
}

/** A new order or refund whose id the merchant used already (ORDER_USED). */
export class IdTakenError extends Error {
  readonly merchantId: string
  readonly id: string

  constructor (merchantId: string, id: string) {
    super(`order_id ${id} was already used by merchant ${merchantId}`)
    this.name = 'IdTakenError'
    this.merchantId = merchantId
    this.id = id
  }
}

/** A change of an order that is not stored (any more): a reset removed it. */
export class GoneError extends Error {
  constructor (what: string) {
    super(`${what} is not stored any more (removed by a reset)`)
    this.name = 'GoneError'
  }
}
