import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { NotFoundError } from '../domain/errors.js'
import { RequestLogEntrySchema } from '../inspector/log-entry.js'
import { REQUEST_PAGE, type RequestLog } from '../inspector/request-log.js'
import { apiRoute, IdParams } from './api-schemas.js'

const ListQuery = Type.Object({
  merchant_id: Type.Optional(Type.String()),
  action: Type.Optional(Type.String()),
  order_id: Type.Optional(Type.String()),
  request_id: Type.Optional(Type.String({ description: 'only the entry with this id: the `x-sandbox-request-id` header of a gateway answer (e.g. "req_12")' })),
  verdict: Type.Optional(Type.Union([Type.Literal('accepted'), Type.Literal('rejected')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: REQUEST_PAGE.max, description: `entries per page (default ${REQUEST_PAGE.default}, at most ${REQUEST_PAGE.max})` })),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'the `next` of the previous page' }))
})

/** The request inspector as JSON (contract §4): every gateway call with its crypto story, newest first. */
export function registerSandboxRequests (app: FastifyInstance, requestLog: RequestLog): void {
  app.addSchema(RequestLogEntrySchema)

  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.get('/sandbox/api/requests', apiRoute('The request log: gateway calls, newest first, a page at a time, with decrypted data, canonical string, md5s, verdict and hints', {
    querystring: ListQuery,
    response: {
      200: Type.Object({
        size: Type.Integer({ description: 'REQUEST_LOG_SIZE' }),
        requests: Type.Array(Type.Ref(RequestLogEntrySchema)),
        next: Type.Union([Type.String(), Type.Null()], { description: 'the cursor of the next (older) page; null on the last' }),
        next_url: Type.Union([Type.String(), Type.Null()], { description: 'the next page, with the same filters' })
      })
    }
  }), async (request) => {
    const page = requestLog.page(request.query)
    const query = new URLSearchParams(Object.entries({ ...request.query, cursor: page.next ?? '' }).map(([k, v]): [string, string] => [k, String(v)]))
    return { size: requestLog.size, ...page, next_url: page.next === null ? null : `/sandbox/api/requests?${query.toString()}` }
  })

  api.get('/sandbox/api/requests/:id', apiRoute('One logged gateway call', {
    params: IdParams,
    response: { 200: Type.Ref(RequestLogEntrySchema) }
  }), async (request) => {
    const entry = requestLog.get(request.params.id)
    if (entry === undefined) throw new NotFoundError(`request ${request.params.id} is not in the log (it keeps the last ${requestLog.size})`)
    return entry
  })
}
