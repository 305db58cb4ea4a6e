import { Type, type Static } from '@sinclair/typebox'

/** A gateway delay holds a real connection open: two minutes is longer than any client timeout worth testing. */
export const GATEWAY_DELAY_MAX_MS = 120_000
/** Callback delays run on the sandbox clock (advance it to skip them): up to a year, as POST /sandbox/api/clock/advance. */
export const CALLBACK_DELAY_MAX_MS = 366 * 24 * 3_600_000
/** How long an out-of-order callback waits for the merchant's next callback before it goes out anyway. */
export const DEFAULT_HOLD_MS = 300_000
export const MAX_TIMES = 1_000_000
/** Armed faults at once: a runaway test loop gets a clear 409 instead of growing memory. */
export const MAX_ARMED = 1000

const When = Type.Union([Type.Literal('before'), Type.Literal('after')], {
  description: '`before` (default): the request is not processed; `after`: it is processed (the order exists), then the answer is lost (gateway only: a dropped callback is never sent)',
  errorMessage: 'must be "before" or "after"'
})

const Ms = (max: number, description: string) => Type.Integer({ minimum: 0, maximum: max, description, errorMessage: `must be a whole number of milliseconds from 0 to ${max}` })

export const StatusEffectSchema = Type.Object({
  type: Type.Literal('status'),
  status: Type.Integer({ minimum: 400, maximum: 599, description: 'the HTTP status answered, e.g. 500, 502, 503', errorMessage: 'must be an HTTP status from 400 to 599' }),
  when: Type.Optional(When)
}, { title: 'status (gateway)', description: 'Answer this HTTP status with a short text/plain body instead of the gateway\'s answer', additionalProperties: false })

export const DelayEffectSchema = Type.Object({
  type: Type.Literal('delay'),
  ms: Ms(CALLBACK_DELAY_MAX_MS, `gateway: real milliseconds the answer is held back (at most ${GATEWAY_DELAY_MAX_MS}); callback: sandbox-clock milliseconds added before the first attempt`)
}, { title: 'delay (gateway or callback)', description: 'Gateway: process the request, answer late. Callback: postpone the first attempt on the sandbox clock', additionalProperties: false })

export const DropEffectSchema = Type.Object({
  type: Type.Literal('drop'),
  when: Type.Optional(When)
}, { title: 'drop (gateway or callback)', description: 'Gateway: close the connection without an answer. Callback (`match.on: "callback"`): the callback is never sent, as if lost on the way, and not retried (status `failed`; a redelivery sends it)', additionalProperties: false })

export const CorruptEffectSchema = Type.Object({
  type: Type.Literal('corrupt'),
  target: Type.Optional(Type.Union([Type.Literal('data'), Type.Literal('md5')], {
    description: '`data` (default): data cut short, so it does not decrypt; `md5`: a wrong md5 (data re-encrypted under it, so it decrypts but the digest does not match)',
    errorMessage: 'must be "data" or "md5"'
  }))
}, { title: 'corrupt (gateway)', description: 'Process the request, then spoil the sealed answer', additionalProperties: false })

export const DuplicateEffectSchema = Type.Object({
  type: Type.Literal('duplicate')
}, { title: 'duplicate (callback)', description: 'Once the merchant acknowledges the callback, send the same notification again (same notification id header)', additionalProperties: false })

export const OutOfOrderEffectSchema = Type.Object({
  type: Type.Literal('out_of_order'),
  ms: Type.Optional(Ms(CALLBACK_DELAY_MAX_MS, `the longest the callback waits for the merchant's next one, in sandbox-clock ms (default ${DEFAULT_HOLD_MS})`))
}, { title: 'out_of_order (callback)', description: 'Hold the callback and send it right after the next callback of the same merchant', additionalProperties: false })

export const EFFECT_SCHEMAS = {
  status: StatusEffectSchema,
  delay: DelayEffectSchema,
  drop: DropEffectSchema,
  corrupt: CorruptEffectSchema,
  duplicate: DuplicateEffectSchema,
  out_of_order: OutOfOrderEffectSchema
} as const

export const FaultMatchSchema = Type.Object({
  on: Type.Optional(Type.Union([Type.Literal('gateway'), Type.Literal('callback')], {
    description: 'what the fault acts on; default `callback` for duplicate and out_of_order, `gateway` otherwise',
    errorMessage: 'must be "gateway" or "callback"'
  })),
  merchant_id: Type.Optional(Type.String({ minLength: 1, description: 'only this merchant (default: any; give it when tests run in parallel)', errorMessage: 'must be a merchant id' })),
  action: Type.Optional(Type.String({ minLength: 1, description: 'only this action, e.g. ACTIVEPAY (for callbacks: the action that created the order; default: any)', errorMessage: 'must be an action name' }))
}, { additionalProperties: false })

const Times = Type.Integer({ minimum: 1, maximum: MAX_TIMES, description: 'how many matching requests or callbacks it hits (default 1)', errorMessage: `must be a whole number from 1 to ${MAX_TIMES}` })

/** The body of POST /sandbox/api/faults with one effect shape; the route documents the union of all. */
export const faultRequestSchema = <E extends typeof EFFECT_SCHEMAS[keyof typeof EFFECT_SCHEMAS]>(effect: E) => Type.Object({
  match: Type.Optional(FaultMatchSchema),
  effect,
  times: Type.Optional(Times)
}, { additionalProperties: false })

export const FaultRequestSchema = Type.Object({
  match: Type.Optional(FaultMatchSchema),
  effect: Type.Union(Object.values(EFFECT_SCHEMAS)),
  times: Type.Optional(Times)
}, { additionalProperties: false })

export type FaultRequest = Static<typeof FaultRequestSchema>

/** An armed fault in answers: its effect with the defaults filled in. */
export const FaultViewSchema = Type.Object({
  id: Type.String({ description: 'flt_1, flt_2, … in arming order' }),
  match: Type.Object({
    on: Type.Union([Type.Literal('gateway'), Type.Literal('callback')]),
    merchant_id: Type.Union([Type.String(), Type.Null()], { description: 'null: any merchant' }),
    action: Type.Union([Type.String(), Type.Null()], { description: 'null: any action' })
  }),
  effect: Type.Object({
    type: Type.Union(Object.keys(EFFECT_SCHEMAS).map((type) => Type.Literal(type))),
    status: Type.Optional(Type.Integer()),
    ms: Type.Optional(Type.Integer()),
    when: Type.Optional(Type.Union([Type.Literal('before'), Type.Literal('after')])),
    target: Type.Optional(Type.Union([Type.Literal('data'), Type.Literal('md5')]))
  }),
  times: Type.Integer({ description: 'as armed' }),
  remaining: Type.Integer({ description: 'how many more times it fires; at 0 it is gone' }),
  fired: Type.Integer({ description: 'how many times it fired so far' }),
  armed_at: Type.String({ description: 'ISO time, sandbox clock' })
}, { $id: 'Fault' })
