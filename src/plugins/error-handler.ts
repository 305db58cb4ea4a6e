import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, DomainError, GatewayError, gatewayMessage, TransitionError } from '../domain/errors.js'
import { adminErrorPage } from '../views/admin/error-pages.js'
import type { SafeHtml } from '../views/html.js'
import { renderPageError } from '../views/payer/error-pages.js'
import { sendHtml } from '../views/send-html.js'

/** Which wire format a route answers errors in. Routes declare it in `config.surface`. */
export type Surface = 'gateway' | 'api' | 'page'

/**
 * How a page shows a refused transition in place (the order as it is now, and why nothing changed), e.g. the
 * payer pages after a second Pay. The error handler still decides that it is a refusal, and its status.
 */
export type RefusedPage = (request: FastifyRequest, err: TransitionError) => SafeHtml

declare module 'fastify' {
  interface FastifyContextConfig {
    surface?: Surface
    refusedPage?: RefusedPage
  }
}

const UNEXPECTED = 'unexpected sandbox error; see the sandbox log'

function surfaceOf (request: FastifyRequest): Surface {
  return request.routeOptions.config?.surface ?? 'api'
}

/** An error fastify raised for the request itself (bad JSON, failed schema): its status is below 500. */
function requestProblem (err: Error): FastifyError | undefined {
  const fastifyError = err as FastifyError
  return fastifyError.statusCode !== undefined && fastifyError.statusCode < 500 ? fastifyError : undefined
}

/** Turns anything thrown on a gateway route into an Appendix B answer; never a 5xx. */
function gatewayError (err: FastifyError | Error, request: FastifyRequest): GatewayError {
  if (err instanceof GatewayError) return err
  if (err instanceof DomainError) {
    const { gateway } = err.answer
    return new GatewayError(gateway.code, gateway.detail ?? err.message)
  }
  if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new GatewayError('PARAM_ERROR', `the body is larger than the ${request.server.initialConfig.bodyLimit}-byte limit (BODY_LIMIT)`, 413)
  }
  const problem = requestProblem(err)
  if (problem !== undefined) return new GatewayError('PARAM_ERROR', `the body is not a JSON object (${problem.message})`)
  request.log.error({ err }, 'unexpected error on the gateway')
  return new GatewayError('SYSTEM_ERROR', UNEXPECTED)
}

/** A control API answer: status and `{error, message}`. */
function apiError (err: FastifyError | Error, request: FastifyRequest): { status: number, body: { error: string, message: string } } {
  if (err instanceof ApiError) return { status: err.statusCode, body: { error: err.code, message: err.message } }
  if (err instanceof DomainError) {
    const { api } = err.answer
    return { status: api.status, body: { error: api.error, message: api.message ?? err.message } }
  }
  const problem = requestProblem(err)
  if (problem !== undefined) return { status: problem.statusCode!, body: { error: 'BAD_REQUEST', message: problem.message } }
  request.log.error({ err }, 'unexpected error')
  return { status: 500, body: { error: 'INTERNAL', message: UNEXPECTED } }
}

/** A page answer: status and the message the error page shows (or the route's own page for a refused transition). */
function pageError (err: FastifyError | Error, request: FastifyRequest): { status: number, html?: SafeHtml, message: string } {
  if (err instanceof DomainError) {
    const { page, gateway } = err.answer
    const refusedPage = request.routeOptions.config?.refusedPage
    if (refusedPage !== undefined && err instanceof TransitionError) return { status: page.status, html: refusedPage(request, err), message: err.message }
    // Payer pages and links are OTT Pay's pages: they say what failed in Appendix B words.
    return { status: page.status, message: page.message ?? gatewayMessage(gateway.code, gateway.detail ?? err.message) }
  }
  // The payment links check their parameters as the gateway does (PARAM_INVALID).
  if (err instanceof GatewayError) return { status: 400, message: err.message }
  const problem = requestProblem(err)
  if (problem !== undefined) return { status: problem.statusCode!, message: problem.message }
  request.log.error({ err }, 'unexpected error on a page')
  return { status: 500, message: UNEXPECTED }
}

/** Logs the catalogue's failures of the sandbox itself (a failed store write). */
function logFailure (err: Error, request: FastifyRequest): void {
  const log = err instanceof DomainError ? err.answer.log : undefined
  if (log !== undefined) request.log.error({ err }, log)
}

/** Answers an error in the surface's format; `adminPage`: a page of the admin UI (its shell, not the payer's). */
function answer (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply, surface: Surface, adminPage: boolean): FastifyReply {
  logFailure(err, request)
  if (surface === 'gateway') {
    const failure = gatewayError(err, request)
    return reply.code(failure.httpStatus).send({ rsp_code: failure.code, rsp_msg: failure.message })
  }
  if (surface === 'page') {
    const failure = pageError(err, request)
    const render = adminPage ? adminErrorPage : renderPageError
    return sendHtml(reply, failure.html ?? render(failure.message), failure.status)
  }
  const failure = apiError(err, request)
  return reply.code(failure.status).send(failure.body)
}

/**
 * Fastify's `frameworkErrors`: a path fastify cannot decode (`/sandbox/pay/scan/%ZZ`) matches no route, so the
 * surface comes from the path: the control API answers JSON, the admin UI and the payer pages an HTML page.
 */
export function answerFrameworkError (err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?')[0]!
  const problem = err.code === 'FST_ERR_BAD_URL'
    ? Object.assign(new Error(`the address ${path} is not valid: a % must be followed by two hexadecimal digits`), { statusCode: 400 })
    : err
  const api = !path.startsWith('/sandbox') || path.startsWith('/sandbox/api/')
  answer(problem, request, reply, api ? 'api' : 'page', !api && !path.startsWith('/sandbox/pay/'))
}

/** The one error handler (style rule 5): maps catalogue errors to each surface's wire format. */
export function registerErrorHandler (app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    return answer(err, request, reply, surfaceOf(request), request.routeOptions.config?.admin === 'ui')
  })

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` })
  })
}
