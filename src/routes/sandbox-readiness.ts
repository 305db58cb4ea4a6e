import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ApiError } from '../domain/errors.js'
import { parseDuration } from '../platform/duration.js'
import { DEFAULT_POLL_WITHIN_MS, DEFAULT_SETTLE_MS, MAX_SETTLE_MS, type Readiness } from '../readiness/readiness.js'
import { ACK_MODES, ReadinessReportSchema } from '../readiness/report.js'
import { apiRoute } from './api-schemas.js'

const MerchantParams = Type.Object({ merchant_id: Type.String({ minLength: 1, maxLength: 64 }) })

const ReportQuery = Type.Object({
  poll_within: Type.Optional(Type.String({ maxLength: 16, description: `how soon a STATUS_QUERY must follow a payment whose callback has not arrived: 90s, 2m, 250ms (default ${DEFAULT_POLL_WITHIN_MS / 1000}s)` }))
})

const ProbeBody = Type.Object({
  callback_url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'the endpoint to probe (default: the call_back_url of the merchant\'s newest order that has one)' })),
  ack: Type.Optional(Type.Union(ACK_MODES.map((mode) => Type.Literal(mode)), { description: 'how an answer counts as acknowledged: `status` (default) any 2xx, as the gateway\'s deliveries count it; `body` a 2xx whose body contains SUCCESS' })),
  settle_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SETTLE_MS, description: `real ms to wait after each callback for the gateway calls it causes (default ${DEFAULT_SETTLE_MS})` }))
}, { additionalProperties: false })

/** `?poll_within=` as milliseconds; a malformed one is the caller's mistake. */
function pollWithin (text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_POLL_WITHIN_MS
  const ms = parseDuration(text)
  if (ms === undefined || ms <= 0) throw new ApiError('BAD_REQUEST', `poll_within must be a duration such as 90s, 2m or 250ms, got ${JSON.stringify(text)}`)
  return ms
}

/** The go-live checklist of a merchant (issue 17): GET the verdicts, POST to run the callback probe first. */
export function registerSandboxReadiness (app: FastifyInstance, readiness: Readiness): void {
  app.addSchema(ReadinessReportSchema)
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const response = { 200: Type.Ref(ReadinessReportSchema) }

  api.get('/sandbox/api/merchants/:merchant_id/readiness', apiRoute('Go-live readiness: each check passed, failed or not yet exercised, with evidence, the fix and its docs section', {
    params: MerchantParams,
    querystring: ReportQuery,
    response
  }), async (request) => readiness.report(request.params.merchant_id, pollWithin(request.query.poll_within)))

  api.post('/sandbox/api/merchants/:merchant_id/readiness/probe', {
    ...apiRoute('Run the callback probe against the merchant\'s endpoint (forged callbacks marked x-sandbox-probe: readiness; no order changes), then answer the readiness report', {
      params: MerchantParams,
      querystring: ReportQuery,
      body: ProbeBody,
      response
    }),
    // `curl -X POST` sends no body: that asks for every default.
    preValidation: async (request) => { request.body ??= {} }
  }, async (request) => {
    const { callback_url: callbackUrl, ack, settle_ms: settleMs } = request.body
    return readiness.probe(request.params.merchant_id, { callbackUrl, ack, settleMs }, pollWithin(request.query.poll_within))
  })
}
