import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { ApiError } from '../errors.js'
import { RequestLogEntrySchema } from '../inspector/log-entry.js'
import type { RequestLog, RequestLogFilter } from '../inspector/request-log.js'

const ListQuery = Type.Object({
  merchant_id: Type.Optional(Type.String()),
  action: Type.Optional(Type.String()),
  order_id: Type.Optional(Type.String()),
  verdict: Type.Optional(Type.Union([Type.Literal('accepted'), Type.Literal('rejected')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 }))
})

/** The request inspector as JSON (contract §4): every gateway call with its crypto story, newest first. */
export function registerSandboxRequests (app: FastifyInstance, requestLog: RequestLog): void {
  app.addSchema(RequestLogEntrySchema)

  app.get<{ Querystring: RequestLogFilter }>('/sandbox/api/requests', {
    config: { admin: 'api' },
    schema: {
      summary: 'The request log: gateway calls, newest first, with decrypted data, canonical string, md5s, verdict and hints',
      tags: ['control API'],
      querystring: ListQuery,
      response: { 200: Type.Object({ size: Type.Integer({ description: 'REQUEST_LOG_SIZE' }), requests: Type.Array(Type.Ref(RequestLogEntrySchema)) }) }
    }
  }, async (request) => ({ size: requestLog.size, requests: requestLog.list(request.query) }))

  app.get<{ Params: { id: string } }>('/sandbox/api/requests/:id', {
    config: { admin: 'api' },
    schema: {
      summary: 'One logged gateway call',
      tags: ['control API'],
      params: Type.Object({ id: Type.String() }),
      response: { 200: Type.Ref(RequestLogEntrySchema) }
    }
  }, async (request) => {
    const entry = requestLog.get(request.params.id)
    if (entry === undefined) throw new ApiError('NOT_FOUND', `request ${request.params.id} is not in the log (it keeps the last ${requestLog.size})`)
    return entry
  })
}
