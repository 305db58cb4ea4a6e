import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, GatewayError, GoneError, IdTakenError, StoreError } from '../errors.js'
import { adminErrorPage } from '../views/admin/error-pages.js'
import { renderPageError } from '../views/payer/error-pages.js'
import { sendHtml } from '../views/send-html.js'

/** Which wire format a route answers errors in. Routes declare it in `config.surface`. */
export type Surface = 'gateway' | 'api' | 'page'

declare module 'fastify' {
  interface FastifyContextConfig {
    surface?: Surface
  }
}

function surfaceOf (request: FastifyRequest): Surface {
  return request.routeOptions.config?.surface ?? 'api'
}

/** Turns anything thrown on a gateway route into an Appendix B answer; never a 5xx. */
function gatewayError (err: FastifyError | Error, request: FastifyRequest): GatewayError {
  if (err instanceof GatewayError) return err
  // Two requests raced for one id: the store refused the second before anything was written.
  if (err instanceof IdTakenError) return new GatewayError('ORDER_USED', err.message)
  if (err instanceof StoreError) {
    request.log.error({ err }, 'store write failed')
    return new GatewayError('DB_ERROR', 'the change could not be saved, so nothing was done (no order created, paid or refunded)')
  }
  const fastifyError = err as FastifyError
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new GatewayError('PARAM_ERROR', `the body is larger than the ${request.server.initialConfig.bodyLimit}-byte limit (BODY_LIMIT)`, 413)
  }
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) {
    return new GatewayError('PARAM_ERROR', `the body is not a JSON object (${fastifyError.message})`)
  }
  request.log.error({ err }, 'unexpected error on the gateway')
  return new GatewayError('SYSTEM_ERROR', 'unexpected sandbox error; see the sandbox log')
}

/** Payer pages answer errors as HTML: the payer's browser shows a page, not a JSON blob. */
function sendPageError (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const fastifyError = err as FastifyError
  // Admin pages keep the admin shell; payer pages the payer's.
  const render = request.routeOptions.config?.admin === 'ui' ? adminErrorPage : renderPageError
  if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) {
    return sendHtml(reply, render(fastifyError.message), fastifyError.statusCode)
  }
  request.log.error({ err }, 'unexpected error on a page')
  return sendHtml(reply, render('unexpected sandbox error; see the sandbox log'), 500)
}

/** The one error handler (style rule 5): maps catalogue errors to each surface's wire format. */
export function registerErrorHandler (app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (surfaceOf(request) === 'gateway') {
      const failure = gatewayError(err, request)
      return reply.code(failure.httpStatus).send({ rsp_code: failure.code, rsp_msg: failure.message })
    }
    if (surfaceOf(request) === 'page') return sendPageError(err, request, reply)
    if (err instanceof ApiError) return reply.code(err.statusCode).send({ error: err.code, message: err.message })
    if (err instanceof IdTakenError) return reply.code(409).send({ error: 'ORDER_USED', message: err.message })
    if (err instanceof GoneError) return reply.code(404).send({ error: 'NOT_FOUND', message: err.message })
    if (err instanceof StoreError) {
      request.log.error({ err }, 'store write failed')
      return reply.code(500).send({ error: 'DB_ERROR', message: `the change could not be saved (${err.message})` })
    }
    const fastifyError = err as FastifyError
    if (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500) {
      return reply.code(fastifyError.statusCode).send({ error: 'BAD_REQUEST', message: fastifyError.message })
    }
    request.log.error({ err }, 'unexpected error')
    return reply.code(500).send({ error: 'INTERNAL', message: 'unexpected sandbox error; see the sandbox log' })
  })

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` })
  })
}
