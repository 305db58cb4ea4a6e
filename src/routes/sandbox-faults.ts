import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ApiError } from '../domain/errors.js'
import type { MerchantDirectory } from '../engine/merchants.js'
import { parseFault } from './parse-fault.js'
import type { FaultRegistry } from '../engine/faults/registry.js'
import { FaultRequestSchema, FaultViewSchema } from '../engine/faults/schemas.js'
import { apiRoute, IdParams } from './api-schemas.js'

const MerchantQuery = Type.Object({
  merchant_id: Type.Optional(Type.String({ minLength: 1, description: 'only the faults armed for this merchant (not those matching any merchant)' }))
})
const Removed = Type.Object({ removed: Type.Integer({ description: 'how many faults were disarmed' }) })

/** Fault injection (contract §4): arm, list and disarm faults on gateway calls and callbacks. */
export function registerSandboxFaults (app: FastifyInstance, faults: FaultRegistry, merchants: MerchantDirectory): void {
  app.addSchema(FaultViewSchema)
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.post('/sandbox/api/faults', {
    ...apiRoute('Arm a fault: the next matching gateway call or callback (or the next `times`) fails as told', {
      description: 'Gateway effects: `status`, `delay`, `drop`, `corrupt`; callback effects (`match.on: "callback"`): `delay`, `drop`, `duplicate`, `out_of_order`. ' +
        'The oldest armed fault that matches fires; each firing uses up one of its `times`, and at 0 it is gone.',
      body: FaultRequestSchema,
      response: { 201: Type.Ref(FaultViewSchema) }
    }),
    // parseFault validates, so a mistake gets one message naming its field (a union's errors name none).
    validatorCompiler: () => () => true
  }, async (request, reply) => {
    reply.code(201)
    return faults.arm(parseFault(request.body, merchants))
  })

  api.get('/sandbox/api/faults', apiRoute('The armed faults, oldest (first to fire) first, with how many times each has fired and will fire', {
    querystring: MerchantQuery,
    response: { 200: Type.Object({ faults: Type.Array(Type.Ref(FaultViewSchema)) }) }
  }), async (request) => ({ faults: faults.list(request.query.merchant_id) }))

  api.delete('/sandbox/api/faults', apiRoute('Disarm every fault, or those armed for ?merchant_id=', {
    querystring: MerchantQuery,
    response: { 200: Removed }
  }), async (request) => ({ removed: faults.clear(request.query.merchant_id) }))

  api.delete('/sandbox/api/faults/:id', apiRoute('Disarm one fault', { params: IdParams, response: { 200: Removed } }), async (request) => {
    if (faults.remove(request.params.id) === undefined) throw new ApiError('NOT_FOUND', `fault ${request.params.id} is not armed (fired its last time, or never existed)`)
    return { removed: 1 }
  })
}
