import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import type { Resettable } from '../engine/reset.js'
import { apiRoute } from './api-schemas.js'

const ResetQuery = Type.Object({
  merchant_id: Type.Optional(Type.String({ minLength: 1, description: 'only this merchant\'s orders, refunds, callbacks, logged requests and faults; the merchant itself stays (404 for an unknown merchant)' }))
})

const MerchantParams = Type.Object({ merchant_id: Type.String({ minLength: 1 }) })

const ResetAnswerSchema = Type.Object({
  merchant_id: Type.Union([Type.String(), Type.Null()], { description: 'the merchant reset, or null for everything' }),
  removed: Type.Record(Type.String(), Type.Integer(), { description: 'how many of each kind were thrown away (orders, refunds, callbacks, requests, faults, merchants, clock)' })
}, { $id: 'ResetAnswer' })

export type ResetAnswer = Static<typeof ResetAnswerSchema>

type Counts = Record<string, number>

function add (into: Counts, counts: Counts): void {
  for (const [kind, count] of Object.entries(counts)) into[kind] = (into[kind] ?? 0) + count
}

/**
 * POST /sandbox/api/reset: throw away what a test run left behind, everything or one merchant's (contract §4).
 * DELETE /sandbox/api/merchants/:merchant_id lives here too: deleting a merchant throws away what every part
 * holds for it.
 */
export function registerSandboxReset (app: FastifyInstance, parts: readonly Resettable[]): void {
  app.addSchema(ResetAnswerSchema)
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const answer = { 200: Type.Ref(ResetAnswerSchema) }

  api.post('/sandbox/api/reset', apiRoute(
    'Clear everything (orders, callbacks, request log, faults, runtime merchants, virtual clock), or one merchant\'s with ?merchant_id=',
    { querystring: ResetQuery, response: answer }
  ), async (request) => {
    const merchantId = request.query.merchant_id
    if (merchantId !== undefined) for (const part of parts) part.check?.(merchantId, 'reset')
    const removed: Counts = {}
    for (const part of parts) add(removed, await part.reset(merchantId))
    return { merchant_id: merchantId ?? null, removed }
  })

  api.delete('/sandbox/api/merchants/:merchant_id', apiRoute(
    'Delete a runtime merchant with its orders, refunds, callbacks, logged requests and faults (409 for a fixture merchant)',
    { params: MerchantParams, response: answer }
  ), async (request) => {
    const merchantId = request.params.merchant_id
    for (const part of parts) part.check?.(merchantId, 'delete')
    const removed: Counts = {}
    // The merchant goes first, so the gateway refuses its requests while its data is being thrown away.
    for (const part of parts) if (part.forget !== undefined) add(removed, await part.forget(merchantId))
    for (const part of parts) add(removed, await part.reset(merchantId))
    return { merchant_id: merchantId, removed }
  })
}
