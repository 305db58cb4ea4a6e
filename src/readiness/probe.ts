import type { AllowedHost } from '../config/config.js'
import { callbackBody } from '../domain/callbacks/payload.js'
import { ApiError } from '../domain/errors.js'
import type { Merchant } from '../domain/fixtures.js'
import type { Order } from '../domain/orders/order.js'
import { ATTEMPT_HEADER, callbackAllowed, NOTIFICATION_HEADER } from '../engine/callbacks/dispatcher.js'
import type { OwnListener } from '../engine/callbacks/own-listener.js'
import { postCallback } from '../engine/callbacks/post-callback.js'
import { spoilAnswer } from '../engine/faults/spoil-answer.js'
import type { RequestLog } from '../inspector/request-log.js'
import type { Clock } from '../platform/clock.js'
import type { AckMode, ProbeCase, ProbeRun } from './report.js'

/** Every forged callback carries it: a merchant can tell the probe from the gateway's real notifications. */
export const PROBE_HEADER = 'x-sandbox-probe'
export const PROBE_HEADER_VALUE = 'readiness'

/** The key of "another merchant" when the sandbox knows no other: any key but the merchant's own will do. */
const STRANGER_KEY = 'PROBE-OTHER-MERCHANT-KEY'

export interface ProbeDeps {
  fetch: typeof globalThis.fetch
  clock: Clock
  requestLog: RequestLog
  /** CALLBACK_TIMEOUT */
  timeoutMs: number
  /** CALLBACK_ALLOWLIST */
  allowlist: readonly AllowedHost[] | undefined
  /** The sandbox's own listener (src/engine/callbacks/own-listener.ts). */
  ownListener: OwnListener
}

export interface ProbeTarget {
  merchant: Merchant
  /** Another merchant's key, for the callback sealed with the wrong one. */
  otherKey: string | undefined
  /** The merchant's order the valid callback names (its newest paid one, else its newest); none: those cases are skipped. */
  order: Order | undefined
  url: string
  ack: AckMode
  /** How long (real ms) to wait after each callback for the merchant's gateway calls it may cause. */
  settleMs: number
  /** Makes the notification ids of this run unique. */
  run: number
}

interface Forged {
  case: string
  expect: 'ack' | 'reject'
  notificationId: string
  attempt: number
  orderId: string
  body: Record<string, string>
}

/** An acknowledgement: any 2xx (`status`, as the gateway's own deliveries count it), or a 2xx saying SUCCESS (`body`). */
export function isAcknowledged (status: number | null, reply: string | null, ack: AckMode): boolean {
  if (status === null || status < 200 || status > 299) return false
  return ack === 'status' || /success/i.test(reply ?? '')
}

/** The cases, in the order they are sent. The valid one and its repeat come first, so nothing forged can spoil them. */
function forgeries (target: ProbeTarget, now: number): Forged[] {
  const { merchant, order, run } = target
  const prefix = `probe_${run}`
  const cases: Forged[] = []
  if (order !== undefined) {
    const valid = callbackBody(order, merchant, 'payment', now)
    cases.push({ case: 'valid', expect: 'ack', notificationId: `${prefix}_payment`, attempt: 1, orderId: order.order_id, body: valid })
    cases.push({ case: 'repeat', expect: 'ack', notificationId: `${prefix}_payment`, attempt: 2, orderId: order.order_id, body: valid })
    cases.push({ case: 'declined', expect: 'ack', notificationId: `${prefix}_declined`, attempt: 1, orderId: order.order_id, body: callbackBody(order, merchant, 'declined', now) })
  }
  // The forged ones name a payment the merchant could believe: its order (or a made-up one), its amount.
  const template = order ?? ({ order_id: `PROBE-${run}`, amount: '100', tip: '0', bizpay_order_id: `PROBE${run}`, merchant_id: merchant.merchant_id, action: 'ACTIVEPAY', finish_time: null } as unknown as Order)
  const genuine = callbackBody(template, merchant, 'payment', now)
  cases.push({ case: 'wrong_md5', expect: 'reject', notificationId: `${prefix}_wrong_md5`, attempt: 1, orderId: template.order_id, body: spoilAnswer(genuine, 'md5', merchant.sign_key) as Record<string, string> })
  const stranger = callbackBody(template, { ...merchant, sign_key: target.otherKey ?? STRANGER_KEY }, 'payment', now)
  cases.push({ case: 'other_key', expect: 'reject', notificationId: `${prefix}_other_key`, attempt: 1, orderId: template.order_id, body: stranger })
  const unknownId = `PROBE-UNKNOWN-${run}-${now}`
  const unknown = callbackBody({ ...template, order_id: unknownId, bizpay_order_id: `PROBEUNKNOWN${run}` } as Order, merchant, 'payment', now)
  cases.push({ case: 'unknown_order', expect: 'reject', notificationId: `${prefix}_unknown_order`, attempt: 1, orderId: unknownId, body: unknown })
  return cases
}

/** The number of the newest request-log entry: what came in after it is the merchant's reaction. */
function lastRequest (log: RequestLog): number {
  const newest = log.list({ limit: 1 })[0]
  return newest === undefined ? 0 : Number(newest.id.slice(4))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function send (deps: ProbeDeps, target: ProbeTarget, forged: Forged): Promise<ProbeCase> {
  const before = lastRequest(deps.requestLog)
  const result: ProbeCase = {
    case: forged.case,
    expect: forged.expect,
    notification_id: forged.notificationId,
    order_id: forged.orderId,
    status: null,
    reply: null,
    error: null,
    latency_ms: 0,
    acknowledged: false,
    requests_after: [],
    actions_after: []
  }
  const t0 = performance.now()
  const outcome = await postCallback(deps.fetch, {
    url: target.url,
    headers: { [PROBE_HEADER]: PROBE_HEADER_VALUE, [NOTIFICATION_HEADER]: forged.notificationId, [ATTEMPT_HEADER]: String(forged.attempt) },
    body: forged.body,
    timeoutMs: deps.timeoutMs
  })
  result.status = outcome.status
  result.reply = outcome.reply
  result.error = outcome.error
  result.latency_ms = Math.round(performance.now() - t0)
  result.acknowledged = isAcknowledged(result.status, result.reply, target.ack)
  if (target.settleMs > 0) await sleep(target.settleMs)
  const after = deps.requestLog.list({ merchant_id: target.merchant.merchant_id })
    .filter((e) => Number(e.id.slice(4)) > before && (e.order_id === forged.orderId || e.data?.order_id === forged.orderId))
    .reverse()
  result.requests_after = after.map((e) => e.id)
  result.actions_after = after.map((e) => e.action ?? '')
  return result
}

/**
 * The active probe: forged callbacks to the merchant's endpoint, one after another, each marked with
 * {@link PROBE_HEADER}. Nothing is stored and no order changes: the sandbox only sends and listens (to the answer,
 * and to the gateway calls the merchant makes meanwhile). Refuses a URL outside CALLBACK_ALLOWLIST before sending.
 */
export async function runProbe (deps: ProbeDeps, target: ProbeTarget): Promise<ProbeRun> {
  if (!callbackAllowed(target.url, deps.allowlist)) {
    throw new ApiError('BAD_REQUEST', `the callback URL ${target.url} is not allowed by CALLBACK_ALLOWLIST: the probe sends only where callbacks may go`)
  }
  // As for real callbacks: a probe aimed at the sandbox would drive its own control API (POST …/reset wipes everything).
  if (deps.ownListener.targets(target.url)) {
    throw new ApiError('BAD_REQUEST', `the callback URL ${target.url} is the sandbox itself: the probe sends only to the merchant's endpoint`)
  }
  const now = deps.clock.now()
  const cases: ProbeCase[] = []
  for (const forged of forgeries(target, now)) cases.push(await send(deps, target, forged))
  return {
    ran_at: new Date(now).toISOString(),
    url: target.url,
    ack: target.ack,
    timeout_ms: deps.timeoutMs,
    order_id: target.order?.order_id ?? null,
    cases
  }
}
