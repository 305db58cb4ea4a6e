/**
 * The error catalogue: every error a client can see is defined here and mapped to the wire in one place
 * (src/plugins/error-handler.ts).
 *
 * Three kinds of errors:
 * - Domain errors ({@link DomainError}: a refused transition, not found, a conflict, a taken id, a failed write):
 *   thrown by domain code (orders, merchants, faults, the store), which knows nothing of HTTP. Each declares its
 *   {@link Answer} on every surface: the control API's status and `error` code, the gateway's Appendix B code,
 *   and the payer pages' HTML status.
 * - {@link GatewayError}: a processV2 rejection with its Appendix B code, thrown by the protocol code.
 * - {@link ApiError}: a purely HTTP-level problem of a control API route (a bad query parameter, no admin token).
 *
 * How to add an error:
 * 1. Domain code refusing something: reuse {@link NotFoundError}, {@link ConflictError} or
 *    {@link TransitionError}; a precise `error` code (ORDER_PAID, FIXTURE_MERCHANT, ...) goes into its reason
 *    union (and so into {@link ApiCode}). Only a new kind of failure needs a new class: extend
 *    {@link DomainError} here and give it an `answer` for all three surfaces.
 * 2. Throw it. Do not catch it to translate it: the error handler maps every DomainError by its `answer`
 *    (test/unit/error-catalogue.test.ts lists each one; add a row there).
 * A page that shows a refused transition in place (the payer pages) names its renderer in its route's
 * `config.refusedPage`; the handler still picks the status.
 */

import { maskCardNumbers, maskQuotedValues } from './card-numbers.js'

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
  // Every rsp_msg is built here, and a detail may quote a value the client sent: a card number never goes back out
  // (nor into logs) in full, whichever field it came in.
  const said = maskCardNumbers(maskQuotedValues(detail))
  return base.endsWith('.') ? `${base} ${said}` : `${base}: ${said}`
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

/** The kind of a control API error: what sets its HTTP status. */
export type ApiErrorCode = keyof typeof API_ERRORS

/** Why an order cannot make a change; the gateway's code where it has one (ORDER_PAID, ORDER_TYPE_ERROR). */
export type TransitionCode = 'ORDER_PAID' | 'ORDER_CLOSED' | 'ORDER_NOT_PAID' | 'ORDER_TYPE_ERROR' | 'REFUND_EXCEEDS'

/** Why something conflicts with what the sandbox holds: CONFLICT, or a more precise reason. */
export type ConflictCode = 'CONFLICT' | 'FIXTURE_MERCHANT' | 'TOO_MANY_FAULTS'

/** Every `error` the control API can answer (clients compare these strings). */
export type ApiCode = ApiErrorCode | TransitionCode | ConflictCode | 'ORDER_USED' | 'DB_ERROR' | 'INTERNAL'

/** How an error is answered on each surface. Messages default to the error's own; the gateway puts its code's text first. */
export interface Answer {
  /** Control API (/sandbox/api): `{error, message}` with `status`. */
  api: { status: number, error: ApiCode, message?: string }
  /** processV2: HTTP 200 `{rsp_code, rsp_msg}`, `rsp_msg` being the code's text followed by `detail`. */
  gateway: { code: GatewayCode, detail?: string }
  /** Payer pages and payment links: an HTML page with `status`. */
  page: { status: number, message?: string }
  /** Set for failures of the sandbox itself: the handler logs them with this text. */
  log?: string
}

/** An error of the domain: it says what went wrong, its {@link Answer} says how each surface answers it. */
export abstract class DomainError extends Error {
  abstract get answer (): Answer
}

/** A control API error, answered as `{error, message}` with the kind's status. */
export class ApiError extends Error {
  /** What the client sees as `error`: the kind, or a more precise reason. */
  readonly code: ApiCode
  readonly statusCode: number

  constructor (kind: ApiErrorCode, message: string, code: ApiCode = kind) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.statusCode = API_ERRORS[kind]
  }
}

/** The Appendix B code of each refused transition: a pre-authorised order and a paid one have their own. */
const TRANSITION_GATEWAY_CODES: Record<TransitionCode, GatewayCode> = {
  ORDER_PAID: 'ORDER_PAID',
  ORDER_TYPE_ERROR: 'ORDER_TYPE_ERROR',
  ORDER_CLOSED: 'PARAM_INVALID',
  ORDER_NOT_PAID: 'PARAM_INVALID',
  REFUND_EXCEEDS: 'PARAM_INVALID'
}

/** A payment event or refund that does not apply to the order's state; `code` says why (ORDER_PAID, ...). */
export class TransitionError extends DomainError {
  readonly code: TransitionCode

  constructor (code: TransitionCode, message: string) {
    super(message)
    this.name = 'TransitionError'
    this.code = code
  }

  get answer (): Answer {
    return { api: { status: 409, error: this.code }, gateway: { code: TRANSITION_GATEWAY_CODES[this.code] }, page: { status: 409 } }
  }
}

/** Something asked for by id that the sandbox does not hold (a merchant, an order, a callback, a fault). */
export class NotFoundError extends DomainError {
  constructor (message: string) {
    super(message)
    this.name = 'NotFoundError'
  }

  get answer (): Answer {
    return { api: { status: 404, error: 'NOT_FOUND' }, gateway: { code: 'PARAM_INVALID' }, page: { status: 404 } }
  }
}

/** A request that conflicts with what the sandbox holds; `code` says why (CONFLICT, FIXTURE_MERCHANT, ...). */
export class ConflictError extends DomainError {
  readonly code: ConflictCode

  constructor (message: string, code: ConflictCode = 'CONFLICT') {
    super(message)
    this.name = 'ConflictError'
    this.code = code
  }

  get answer (): Answer {
    return { api: { status: 409, error: this.code }, gateway: { code: 'PARAM_INVALID' }, page: { status: 409 } }
  }
}

/** A new order or refund whose id the merchant used already (ORDER_USED). */
export class IdTakenError extends DomainError {
  readonly merchantId: string
  readonly id: string

  /** `message` says more where the caller knows more (what the id was used for). */
  constructor (merchantId: string, id: string, message = `order_id ${id} was already used by merchant ${merchantId}`) {
    super(message)
    this.name = 'IdTakenError'
    this.merchantId = merchantId
    this.id = id
  }

  get answer (): Answer {
    return { api: { status: 409, error: 'ORDER_USED' }, gateway: { code: 'ORDER_USED' }, page: { status: 409 } }
  }
}

/** A change of an order that is not stored (any more): a reset removed it. */
export class GoneError extends DomainError {
  constructor (what: string) {
    super(`${what} is not stored any more (removed by a reset)`)
    this.name = 'GoneError'
  }

  get answer (): Answer {
    return { api: { status: 404, error: 'NOT_FOUND' }, gateway: { code: 'PARAM_INVALID' }, page: { status: 404 } }
  }
}

/** A failed write of the store: nothing was changed. Answered `DB_ERROR` and logged. */
export class StoreError extends DomainError {
  constructor (message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreError'
  }

  get answer (): Answer {
    return {
      api: { status: 500, error: 'DB_ERROR', message: `the change could not be saved (${this.message})` },
      gateway: { code: 'DB_ERROR', detail: 'the change could not be saved, so nothing was done (no order created, paid or refunded)' },
      page: { status: 503, message: gatewayMessage('DB_ERROR', 'the change could not be saved, so nothing was done; open the link or page again') },
      log: 'store write failed'
    }
  }
}
