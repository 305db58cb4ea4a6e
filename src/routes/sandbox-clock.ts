import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import type { VirtualClock } from '../platform/clock.js'
import type { Advance } from '../engine/time-travel.js'
import { apiRoute } from './api-schemas.js'

/** A year: far enough for any schedule (the longest default retry gap is 6 h), bounded so a typo cannot overflow dates. */
const MAX_ADVANCE_MS = 366 * 24 * 3_600_000

export const ClockViewSchema = Type.Object({
  now: Type.String({ description: 'the sandbox\'s time, ISO 8601 (UTC)' }),
  now_ms: Type.Integer({ description: 'the same in ms since the epoch' }),
  offset_ms: Type.Integer({ description: 'how far the sandbox runs ahead of real time, in ms (0 until advanced; a full reset puts it back)' })
}, { $id: 'ClockView' })

const AdvanceBody = Type.Object({
  ms: Type.Integer({ minimum: 0, maximum: MAX_ADVANCE_MS, description: 'how far to move the clock forward, in ms (at most a year)' })
}, { additionalProperties: false })

const AdvanceAnswerSchema = Type.Intersect([
  Type.Ref(ClockViewSchema),
  Type.Object({
    from: Type.String({ description: 'the sandbox\'s time before, ISO 8601' }),
    steps: Type.Integer({ description: 'moments on the way at which something fell due and was run (autopay, expiry, callback attempts)' })
  })
])

type ClockView = Static<typeof ClockViewSchema>

function view (clock: VirtualClock): ClockView {
  const now = clock.now()
  return { now: new Date(now).toISOString(), now_ms: now, offset_ms: clock.offset() }
}

/** The virtual clock (contract §4): read it, or move it forward and run what fell due on the way. */
export function registerSandboxClock (app: FastifyInstance, clock: VirtualClock, advance: (ms: number) => Promise<Advance>): void {
  app.addSchema(ClockViewSchema)
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  api.get('/sandbox/api/clock', apiRoute('The sandbox\'s time, and how far it runs ahead of real time', {
    response: { 200: Type.Ref(ClockViewSchema) }
  }), async () => view(clock))

  api.post('/sandbox/api/clock/advance', apiRoute(
    'Move the clock forward by ms; autopay, expiry and callback retries that fall due on the way run in order before the answer',
    { body: AdvanceBody, response: { 200: AdvanceAnswerSchema } }
  ), async (request) => {
    const { from, steps } = await advance(request.body.ms)
    return { ...view(clock), from: new Date(from).toISOString(), steps }
  })
}
