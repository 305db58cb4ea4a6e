import { Type, type Static } from '@sinclair/typebox'

/** What a check found: it held, it did not, or nothing the sandbox has seen exercised it yet. */
export const CHECK_STATUSES = ['passed', 'failed', 'not_exercised'] as const
export type CheckStatus = typeof CHECK_STATUSES[number]

export const CHECK_GROUPS = ['requests', 'callback', 'resilience'] as const
export type CheckGroup = typeof CHECK_GROUPS[number]

/** How the probe reads the merchant's answer to a callback (`?ack=`, the CLI's `--ack`). */
export const ACK_MODES = ['status', 'body'] as const
export type AckMode = typeof ACK_MODES[number]

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(values.map((value) => Type.Literal(value)), { description })

export const ProbeCaseSchema = Type.Object({
  case: Type.String({ description: 'valid, repeat, declined, wrong_md5, other_key, unknown_order' }),
  expect: literals(['ack', 'reject'] as const, 'what a ready endpoint does with it'),
  notification_id: Type.String({ description: 'the x-ottpay-sandbox-notification-id header sent (the repeat has the valid one\'s)' }),
  order_id: Type.String(),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status of the merchant\'s answer' }),
  reply: Type.Union([Type.String(), Type.Null()], { description: 'the first bytes of the answer' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'timeout, connection refused…' }),
  latency_ms: Type.Number(),
  acknowledged: Type.Boolean({ description: 'acknowledged as success, as `ack` reads answers' }),
  requests_after: Type.Array(Type.String(), { description: 'ids of the merchant\'s gateway calls about this order that arrived while the probe waited after this callback' }),
  actions_after: Type.Array(Type.String(), { description: 'their actions, in the same order' })
})
export type ProbeCase = Static<typeof ProbeCaseSchema>

export const ProbeRunSchema = Type.Object({
  ran_at: Type.String({ description: 'ISO time (sandbox clock)' }),
  url: Type.String({ description: 'the callback URL probed' }),
  ack: literals(ACK_MODES, '`status`: any 2xx acknowledges; `body`: a 2xx whose body contains SUCCESS acknowledges'),
  timeout_ms: Type.Integer({ description: 'CALLBACK_TIMEOUT: an answer later than this is no answer' }),
  order_id: Type.Union([Type.String(), Type.Null()], { description: 'the merchant\'s own order the valid callback, its repeat and the FAIL callback name; null when it has none' }),
  cases: Type.Array(ProbeCaseSchema)
})
export type ProbeRun = Static<typeof ProbeRunSchema>

export const CheckSchema = Type.Object({
  id: Type.String({ description: 'stable name, e.g. sealing, callback-duplicate' }),
  group: literals(CHECK_GROUPS, 'requests (what the gateway saw), callback (the active probe), resilience (after faults)'),
  title: Type.String(),
  required: Type.Boolean({ description: 'a failed required check makes `ready` false (and the CLI exit 1)' }),
  status: literals(CHECK_STATUSES, 'passed, failed, or not_exercised (nothing seen yet tests it)'),
  evidence: Type.String({ description: 'what the verdict rests on, in a sentence' }),
  requests: Type.Array(Type.String(), { description: 'request-log ids the verdict rests on (GET /sandbox/api/requests/:id)' }),
  attempts: Type.Array(Type.String(), { description: 'probe cases or callback deliveries the verdict rests on' }),
  fix: Type.String({ description: 'what to change, in one sentence' }),
  docs: Type.String({ description: 'the section of docs/go-live-checklist.md that explains the check' })
})
export type Check = Static<typeof CheckSchema>

export const ReadinessReportSchema = Type.Object({
  merchant_id: Type.String(),
  generated_at: Type.String({ description: 'ISO time (sandbox clock)' }),
  ready: Type.Boolean({ description: 'no required check failed (checks not yet exercised do not count against it)' }),
  summary: Type.Object({ passed: Type.Integer(), failed: Type.Integer(), not_exercised: Type.Integer() }),
  poll_within_ms: Type.Integer({ description: 'how soon a STATUS_QUERY must follow a payment whose callback did not arrive' }),
  probe: Type.Union([ProbeRunSchema, Type.Null()], { description: 'the last callback probe of this merchant, null before the first' }),
  checks: Type.Array(CheckSchema)
}, { $id: 'ReadinessReport' })
export type ReadinessReport = Static<typeof ReadinessReportSchema>
