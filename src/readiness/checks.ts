import type { Delivery } from '../domain/callbacks/delivery.js'
import type { Order } from '../domain/orders/order.js'
import { DROPPED_ATTEMPT } from '../engine/faults/notes.js'
import type { RequestLogEntry } from '../inspector/log-entry.js'
import { JAVA_MD5_WARNING } from '../protocol/gateway.js'
import { findAction } from '../protocol/registry.js'
import type { Check, CheckGroup, CheckStatus, ProbeCase, ProbeRun } from './report.js'

/** The page that explains every check; each check links its own section. */
export const DOCS_PAGE = 'docs/go-live-checklist.md'

/** What the verdicts are computed from: what the sandbox has seen of one merchant, and its last probe. */
export interface ReadinessInput {
  /** The merchant's gateway calls in the request log, oldest first. */
  entries: readonly RequestLogEntry[]
  /** The merchant's orders, each with its callback deliveries. */
  orders: ReadonlyArray<{ order: Order, deliveries: readonly Delivery[] }>
  probe: ProbeRun | undefined
  /** Sandbox clock, ms. */
  now: number
  pollWithinMs: number
}

interface Spec {
  id: string
  group: CheckGroup
  title: string
  required: boolean
  fix: string
  anchor: string
  /** The check's rule. */
  verdict: (input: ReadinessInput) => Verdict
}

/**
 * Every check, in the order the checklist shows them, with its rule (below). The anchors are headings of
 * docs/go-live-checklist.md.
 */
export const SPECS = [
  { id: 'sealing', group: 'requests', title: 'Requests are sealed with a correct md5, without the Java-number fallback', required: true, anchor: 'sealing-and-md5', fix: 'Build md5 from the values as strings, sorted by key (Appendix A), derive the AES key from it, and seal every request with your own sign key.', verdict: ({ entries }) => sealing(entries) },
  { id: 'amounts-as-strings', group: 'requests', title: 'Amounts and every other value are sent as strings', required: true, anchor: 'amounts-as-strings', fix: 'Send every value of data as a JSON string ("100" for 1.00), never as a number.', verdict: ({ entries }) => amountsAsStrings(entries) },
  { id: 'order-ids', group: 'requests', title: 'Order ids are unique and within the documented length', required: true, anchor: 'order-ids', fix: 'Give every new order and refund a fresh id of 1 to 64 letters, digits, "-" or "_", and reuse an id only to retry the very same request.', verdict: ({ entries }) => orderIds(entries) },
  { id: 'operator-id', group: 'requests', title: 'operator_id is sent where the action takes it', required: true, anchor: 'operator-id', fix: 'Send the operator_id OTT Pay issued you with every action that takes one.', verdict: ({ entries }) => operatorId(entries) },
  { id: 'actions-succeed', group: 'requests', title: 'Every action the integration uses has been answered SUCCESS at least once', required: true, anchor: 'every-action-succeeds', fix: 'Open the rejected requests in the request inspector and fix what their hints name until each action you use succeeds.', verdict: ({ entries }) => actionsSucceed(entries) },
  { id: 'answers-verified', group: 'requests', title: 'Answers are verified: a corrupted answer is noticed (optional)', required: false, anchor: 'answers-verified', fix: 'Open every answer with your key and check its md5; when it does not verify, ask again (STATUS_QUERY) instead of trusting it.', verdict: ({ entries }) => afterFaults(entries, CORRUPTED, 'corrupted answer', 'the next request was about another order: the spoiled answer was trusted') },
  { id: 'callback-valid', group: 'callback', title: 'A valid callback is acknowledged with 2xx within the timeout', required: true, anchor: 'valid-callback', fix: 'Answer a callback that verifies with HTTP 2xx (body SUCCESS) quickly, and do slow work after answering.', verdict: ({ probe }) => acknowledged(probe, 'valid', 'A valid callback') },
  { id: 'callback-duplicate', group: 'callback', title: 'The same callback again is acknowledged and not booked twice', required: true, anchor: 'repeated-callback', fix: 'Remember the notification id (or the order\'s paid state) and acknowledge a repeat without acting on it again.', verdict: ({ probe }) => duplicate(probe) },
  { id: 'callback-wrong-md5', group: 'callback', title: 'A callback with a wrong md5 is not acknowledged', required: true, anchor: 'forged-callbacks', fix: 'Open every callback with your sign key and refuse it (non-2xx) when it does not decrypt or its md5 does not match.', verdict: ({ probe }) => refused(probe, 'wrong_md5', 'A callback with a wrong md5') },
  { id: 'callback-other-key', group: 'callback', title: 'A callback sealed with another merchant\'s key is not acknowledged', required: true, anchor: 'forged-callbacks', fix: 'Open callbacks with your own sign key only, and refuse one that does not open with it.', verdict: ({ probe }) => refused(probe, 'other_key', 'A callback sealed with another merchant\'s key') },
  { id: 'callback-unknown-order', group: 'callback', title: 'A callback for an order you never created is not acknowledged', required: true, anchor: 'forged-callbacks', fix: 'Look the callback\'s order_id up in your own records and refuse it when you never created that order.', verdict: ({ probe }) => refused(probe, 'unknown_order', 'A callback for an order never created') },
  { id: 'callback-declined', group: 'callback', title: 'A FAIL callback is acknowledged', required: true, anchor: 'fail-callback', fix: 'Acknowledge a FAIL callback with 2xx too (and leave the order unpaid): otherwise the gateway keeps sending it.', verdict: ({ probe }) => acknowledged(probe, 'declined', 'A FAIL callback') },
  { id: 'polls-lost-callback', group: 'resilience', title: 'When a callback does not arrive, STATUS_QUERY is polled in time', required: true, anchor: 'poll-when-the-callback-is-lost', fix: 'Poll STATUS_QUERY for an order still unpaid on your side a short while after the payer paid, instead of waiting for the callback forever.', verdict: pollsLostCallback },
  { id: 'retry-after-timeout', group: 'resilience', title: 'After a gateway timeout, the same order is retried or queried, not created again', required: true, anchor: 'retry-after-a-timeout', fix: 'When a request times out, query its order_id (or resend it unchanged) before creating anything new.', verdict: ({ entries }) => afterFaults(entries, NO_ANSWER, 'gateway timeout', 'a new order of the same action and amount was created instead of querying or retrying the first') }
] as const satisfies readonly Spec[]

export type CheckId = typeof SPECS[number]['id']

/** At most this many request ids back a verdict: enough to open, short enough to read. */
const MAX_IDS = 10

interface Verdict {
  status: CheckStatus
  evidence: string
  requests?: readonly string[]
  attempts?: readonly string[]
}

function checkOf (spec: Spec, verdict: Verdict): Check {
  return {
    id: spec.id,
    group: spec.group,
    title: spec.title,
    required: spec.required,
    status: verdict.status,
    evidence: verdict.evidence,
    requests: [...new Set(verdict.requests ?? [])].slice(0, MAX_IDS),
    attempts: [...(verdict.attempts ?? [])],
    fix: spec.fix,
    docs: `${DOCS_PAGE}#${spec.anchor}`
  }
}

const ids = (entries: readonly RequestLogEntry[]): string[] => entries.map((e) => e.id)
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** The data as the merchant sent it: the decrypted text, before the gateway normalised anything. */
function sentData (entry: RequestLogEntry): Record<string, unknown> | undefined {
  if (entry.crypto.plaintext === null) return undefined
  try {
    const value: unknown = JSON.parse(entry.crypto.plaintext)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

const dataOf = (entry: RequestLogEntry): Record<string, unknown> | undefined => entry.data ?? sentData(entry)
const isQuery = (action: string | null): boolean => action !== null && action.includes('QUERY')

/** The id the request itself carries: a new order's or refund's id, or the order a query asks about. */
function ownOrderId (entry: RequestLogEntry): string | undefined {
  const id = dataOf(entry)?.order_id
  return typeof id === 'string' ? id : entry.order_id ?? undefined
}

/** True when a request is about this order: it names it, as its own id or as the order it refunds or queries. */
const about = (entry: RequestLogEntry, orderId: string): boolean => ownOrderId(entry) === orderId || entry.order_id === orderId

const SEALING_STEPS: ReadonlySet<string> = new Set(['base64', 'decrypt', 'json', 'md5'])

function sealing (entries: readonly RequestLogEntry[]): Verdict {
  const broken = entries.filter((e) => e.failed_step !== null && SEALING_STEPS.has(e.failed_step))
  const java = entries.filter((e) => e.warnings.includes(JAVA_MD5_WARNING))
  if (broken.length > 0 || java.length > 0) {
    const parts = [
      broken.length > 0 && `${plural(broken.length, 'request')} did not open (the ${[...new Set(broken.map((e) => e.failed_step))].join(', ')} step failed)`,
      java.length > 0 && `${plural(java.length, 'request')} matched md5 only with numbers spelled the Java way ("100.0")`
    ].filter((part): part is string => part !== false)
    return { status: 'failed', evidence: `${parts.join('; ')}.`, requests: ids([...broken, ...java]) }
  }
  const opened = entries.filter((e) => e.crypto.md5_matches === true)
  if (opened.length === 0) return { status: 'not_exercised', evidence: 'No request has reached the md5 check yet.' }
  return { status: 'passed', evidence: `${plural(opened.length, 'request')} opened and matched md5 as Appendix A builds it.`, requests: ids(opened.slice(-3)) }
}

function amountsAsStrings (entries: readonly RequestLogEntry[]): Verdict {
  const decrypted = entries.filter((e) => sentData(e) !== undefined)
  const numeric = decrypted.map((e) => ({ e, keys: Object.entries(sentData(e)!).filter(([, v]) => typeof v === 'number').map(([k]) => k) })).filter((x) => x.keys.length > 0)
  if (numeric.length > 0) {
    const keys = [...new Set(numeric.flatMap((x) => x.keys))].map((k) => `"${k}"`).join(', ')
    return { status: 'failed', evidence: `${keys} sent as JSON numbers in ${plural(numeric.length, 'request')}.`, requests: ids(numeric.map((x) => x.e)) }
  }
  if (decrypted.length === 0) return { status: 'not_exercised', evidence: 'No request has decrypted yet.' }
  return { status: 'passed', evidence: `Every value of ${plural(decrypted.length, 'decrypted request')} is a string.`, requests: ids(decrypted.slice(-3)) }
}

const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/

function orderIds (entries: readonly RequestLogEntry[]): Verdict {
  const creating = entries.filter((e) => e.action !== null && !isQuery(e.action) && typeof dataOf(e)?.order_id === 'string')
  if (creating.length === 0) return { status: 'not_exercised', evidence: 'No request has created an order or a refund yet.' }
  const malformed = creating.filter((e) => !ORDER_ID.test(dataOf(e)!.order_id as string))
  // A retry of the very same request (same action and amount) reuses its id on purpose; anything else is a second order.
  const first = new Map<string, RequestLogEntry>()
  const reused: RequestLogEntry[] = []
  for (const e of creating) {
    const id = dataOf(e)!.order_id as string
    const earlier = first.get(id)
    if (earlier === undefined) {
      first.set(id, e)
      if (e.rsp_code === 'ORDER_USED') reused.push(e)
    } else if (earlier.action !== e.action || dataOf(earlier)?.amount !== dataOf(e)?.amount) {
      reused.push(e)
    }
  }
  if (malformed.length > 0 || reused.length > 0) {
    const parts = [
      malformed.length > 0 && `${plural(malformed.length, 'order id')} outside 1 to 64 letters, digits, "-" or "_"`,
      reused.length > 0 && `${plural(reused.length, 'request')} reused an order id for a different order or refund`
    ].filter((part): part is string => part !== false)
    return { status: 'failed', evidence: `${parts.join('; ')}.`, requests: ids([...malformed, ...reused]) }
  }
  return { status: 'passed', evidence: `${plural(first.size, 'order id')} used, each for one order or refund and within the documented length.`, requests: ids(creating.slice(-3)) }
}

function takesOperator (action: string | null): boolean {
  if (action === null) return false
  const schema = findAction(action)?.data.schema as { properties?: Record<string, unknown> } | undefined
  return schema?.properties?.operator_id !== undefined
}

function operatorId (entries: readonly RequestLogEntry[]): Verdict {
  const relevant = entries.filter((e) => takesOperator(e.action) && dataOf(e) !== undefined)
  if (relevant.length === 0) return { status: 'not_exercised', evidence: 'No request of an action that takes operator_id has decrypted yet.' }
  const missing = relevant.filter((e) => { const id = dataOf(e)!.operator_id; return typeof id !== 'string' || id.trim() === '' })
  if (missing.length > 0) return { status: 'failed', evidence: `${plural(missing.length, 'request')} without operator_id.`, requests: ids(missing) }
  return { status: 'passed', evidence: `operator_id present in all ${plural(relevant.length, 'request')} that take it.`, requests: ids(relevant.slice(-3)) }
}

function actionsSucceed (entries: readonly RequestLogEntry[]): Verdict {
  const known = entries.filter((e) => e.action !== null && findAction(e.action) !== undefined)
  if (known.length === 0) return { status: 'not_exercised', evidence: 'No request of a known action yet.' }
  const actions = [...new Set(known.map((e) => e.action!))]
  const never = actions.filter((a) => !known.some((e) => e.action === a && e.rsp_code === 'SUCCESS'))
  if (never.length > 0) {
    const latest = never.map((a) => known.filter((e) => e.action === a).at(-1)!)
    return { status: 'failed', evidence: `Never answered SUCCESS: ${never.join(', ')}.`, requests: ids(latest) }
  }
  const succeeded = actions.map((a) => known.find((e) => e.action === a && e.rsp_code === 'SUCCESS')!)
  return { status: 'passed', evidence: `Each action used (${actions.join(', ')}) has been answered SUCCESS.`, requests: ids(succeeded) }
}

/** Gateway faults after which the merchant got no answer in time: a held answer, a dropped connection. */
const NO_ANSWER = /fired: (the request was processed and the answer held back|the request was processed, then the connection was closed)/
const CORRUPTED = /fired: the request was processed, then the answer('s data was cut short| was sent with a wrong md5)/

type FollowUp = { kind: 'same', entry: RequestLogEntry } | { kind: 'other', entry: RequestLogEntry } | undefined

/**
 * What the merchant did next about a request a fault spoiled: the first later request about the same order
 * (`same`: a query or the request again), or the first later one that creates another order of the same action and
 * amount (`other`: a duplicate). Undefined when it has done neither yet.
 */
function followUp (entries: readonly RequestLogEntry[], at: number): FollowUp {
  const spoiled = entries[at]!
  const orderId = ownOrderId(spoiled)
  if (orderId === undefined) return undefined
  const amount = dataOf(spoiled)?.amount
  for (const e of entries.slice(at + 1)) {
    if (about(e, orderId)) return { kind: 'same', entry: e }
    if (e.action === spoiled.action && amount !== undefined && dataOf(e)?.amount === amount) return { kind: 'other', entry: e }
  }
  return undefined
}

function afterFaults (entries: readonly RequestLogEntry[], fault: RegExp, what: string, failure: string): Verdict {
  const hit = entries.flatMap((e, i) => e.warnings.some((w) => fault.test(w)) && ownOrderId(e) !== undefined ? [i] : [])
  if (hit.length === 0) return { status: 'not_exercised', evidence: `No ${what} yet: arm one with POST /sandbox/api/faults.` }
  const outcomes = hit.map((i) => ({ spoiled: entries[i]!, next: followUp(entries, i) }))
  const bad = outcomes.filter((o) => o.next?.kind === 'other')
  if (bad.length > 0) {
    return { status: 'failed', evidence: `After ${plural(bad.length, what)}, ${failure}.`, requests: bad.flatMap((o) => [o.spoiled.id, o.next!.entry.id]) }
  }
  const good = outcomes.filter((o) => o.next?.kind === 'same')
  if (good.length === 0) return { status: 'not_exercised', evidence: `No request after the ${what} yet (req ${outcomes.map((o) => o.spoiled.id).join(', ')}).`, requests: outcomes.map((o) => o.spoiled.id) }
  return { status: 'passed', evidence: `After ${plural(good.length, what)}, the same order was queried or retried.`, requests: good.flatMap((o) => [o.spoiled.id, o.next!.entry.id]) }
}

/** When a payment happened: the first change to a paid (or pre-authorised) status. */
function paidAt (order: Order): number | undefined {
  const change = order.history.find((h) => h.status === 'success' || h.status === 'authorised')
  return change === undefined ? undefined : Date.parse(change.at)
}

function firstDelivered (deliveries: readonly Delivery[]): number | undefined {
  const times = deliveries.filter((d) => d.kind === 'payment').flatMap((d) => d.attempts.filter((a) => a.delivered).map((a) => Date.parse(a.at)))
  return times.length === 0 ? undefined : Math.min(...times)
}

/** A paid order whose callback had not arrived in time, with its deliveries. */
type Lost = ReadinessInput['orders'][number]

/** The order, and the fault that dropped its callback if one did: `A1 (callback dropped by fault flt_1)`. */
function lostCallbackOf ({ order, deliveries }: Lost): string {
  const faults = deliveries.flatMap((d) => d.attempts.flatMap((a) => DROPPED_ATTEMPT.exec(a.error ?? '')?.[1] ?? []))
  return faults.length === 0 ? order.order_id : `${order.order_id} (callback dropped by fault ${faults.join(', ')})`
}

/**
 * A paid order whose payment callback was not delivered within the window (a `drop` callback fault lost it, a
 * `delay` one held it, the endpoint was down) must have been polled within it.
 */
function pollsLostCallback (input: ReadinessInput): Verdict {
  const { entries, now, pollWithinMs } = input
  const seconds = `${Math.round(pollWithinMs / 1000)} s`
  const passed: Lost[] = []
  const failed: Lost[] = []
  const polls: string[] = []
  for (const { order, deliveries } of input.orders) {
    // Orders created through the gateway calls still in the log: for older ones the log has forgotten the polls.
    if (!entries.some((e) => e.order_id === order.order_id && !isQuery(e.action))) continue
    const paid = paidAt(order)
    if (paid === undefined) continue
    const deadline = paid + pollWithinMs
    const delivered = firstDelivered(deliveries)
    if (delivered !== undefined && delivered <= deadline) continue
    const poll = entries.find((e) => isQuery(e.action) && e.order_id === order.order_id && Date.parse(e.at) >= paid && Date.parse(e.at) <= deadline)
    if (poll !== undefined) {
      passed.push({ order, deliveries })
      polls.push(poll.id)
    } else if (now > deadline) {
      failed.push({ order, deliveries })
    }
  }
  const named = (lost: readonly Lost[]) => lost.map(lostCallbackOf).join(', ')
  const callbacks = (lost: readonly Lost[]) => lost.flatMap((o) => o.deliveries.map((d) => d.id))
  if (failed.length > 0) {
    return { status: 'failed', evidence: `No STATUS_QUERY within ${seconds} of the payment of ${named(failed)}, whose callback had not arrived.`, attempts: callbacks(failed) }
  }
  if (passed.length > 0) return { status: 'passed', evidence: `Polled within ${seconds} for ${named(passed)}, whose callback had not arrived.`, requests: polls, attempts: callbacks(passed) }
  return { status: 'not_exercised', evidence: `No paid order has gone ${seconds} without its callback yet: arm a callback fault (drop, or delay) and pay an order.` }
}

const PROBE_HINT = 'The callback probe has not run: POST /sandbox/api/merchants/:merchant_id/readiness/probe, the admin UI\'s button, or `ottpay-sandbox readiness`.'

function answered (c: ProbeCase): string {
  if (c.status === null) return c.error ?? 'no answer'
  const reply = (c.reply ?? '').trim().slice(0, 60)
  return `HTTP ${c.status}${reply === '' ? '' : ` "${reply}"`} in ${c.latency_ms} ms`
}

const caseRef = (c: ProbeCase): string => `probe:${c.case}`

function probeCase (probe: ProbeRun | undefined, name: string): ProbeCase | undefined {
  return probe?.cases.find((c) => c.case === name)
}

function acknowledged (probe: ProbeRun | undefined, name: string, what: string): Verdict {
  const c = probeCase(probe, name)
  if (probe === undefined) return { status: 'not_exercised', evidence: PROBE_HINT }
  if (c === undefined) return { status: 'not_exercised', evidence: 'The merchant has no order the probe could name: create and pay one, then run the probe again.' }
  if (c.acknowledged) return { status: 'passed', evidence: `${what} was acknowledged: ${answered(c)} (timeout ${probe.timeout_ms} ms).`, attempts: [caseRef(c)] }
  return { status: 'failed', evidence: `${what} was not acknowledged (ack=${probe.ack}): ${answered(c)} (timeout ${probe.timeout_ms} ms).`, attempts: [caseRef(c)] }
}

function refused (probe: ProbeRun | undefined, name: string, what: string): Verdict {
  const c = probeCase(probe, name)
  if (probe === undefined || c === undefined) return { status: 'not_exercised', evidence: PROBE_HINT }
  if (c.acknowledged) return { status: 'failed', evidence: `${what} was acknowledged as success (ack=${probe.ack}): ${answered(c)}.`, attempts: [caseRef(c)] }
  return { status: 'passed', evidence: `${what} was refused: ${answered(c)}.`, attempts: [caseRef(c)] }
}

function duplicate (probe: ProbeRun | undefined): Verdict {
  const valid = probeCase(probe, 'valid')
  const repeat = probeCase(probe, 'repeat')
  if (probe === undefined) return { status: 'not_exercised', evidence: PROBE_HINT }
  if (valid === undefined || repeat === undefined) return { status: 'not_exercised', evidence: 'The merchant has no order the probe could name: create and pay one, then run the probe again.' }
  const attempts = [caseRef(valid), caseRef(repeat)]
  const requests = [...valid.requests_after, ...repeat.requests_after]
  if (!repeat.acknowledged) return { status: 'failed', evidence: `The repeat (same notification id) was not acknowledged: ${answered(repeat)}; the gateway would keep sending it.`, attempts, requests }
  if ([...valid.actions_after, ...repeat.actions_after].includes('REFUND')) {
    return { status: 'failed', evidence: `A REFUND of ${valid.order_id} followed the repeated callback.`, attempts, requests }
  }
  if (valid.requests_after.length > 0 && repeat.requests_after.length > 0) {
    return { status: 'failed', evidence: `The repeat was acted on like a new payment: ${repeat.actions_after.join(', ')} for ${valid.order_id} followed it as it followed the first.`, attempts, requests }
  }
  return { status: 'passed', evidence: `The repeat was acknowledged (${answered(repeat)}) and nothing was done again for ${valid.order_id}.`, attempts, requests }
}

/** The checklist of one merchant, from what the sandbox has seen and the last probe. Pure. */
export function readinessChecks (input: ReadinessInput): Check[] {
  return SPECS.map((spec) => checkOf(spec, spec.verdict(input)))
}
