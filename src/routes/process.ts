import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { GatewayError } from '../domain/errors.js'
import type { Fault } from '../engine/faults/fault.js'
import { createLateAnswers } from '../engine/faults/late-answers.js'
import { faultNote } from '../engine/faults/notes.js'
import type { FaultRegistry } from '../engine/faults/registry.js'
import { spoilAnswer, statusBody } from '../engine/faults/spoil-answer.js'
import { callSummary, GATEWAY_CALL } from '../inspector/call-summary.js'
import type { RequestLog } from '../inspector/request-log.js'
import { INSPECTOR_HEADER, REQUEST_ID_HEADER, RequestEnvelopeSchema, ResponseEnvelopeSchema, type ResponseEnvelope } from '../protocol/envelope.js'
import { processEnvelope, type GatewayDeps, type GatewayTrace } from '../protocol/gateway.js'
import { gatewayOperationDocs } from '../protocol/openapi.js'
import type { BaseUrlOf } from './deps.js'

/** Real clients post to all three paths (docs: /processV2; older PHP: /process; newer card clients: /processV3). */
export const GATEWAY_PATHS = ['/processV2', '/process', '/processV3'] as const

export interface ProcessDeps extends GatewayDeps {
  requestLog: RequestLog
  faults: FaultRegistry
}

function parseReply (payload: unknown): Record<string, unknown> {
  if (typeof payload !== 'string') return {}
  try {
    const value: unknown = JSON.parse(payload)
    return value !== null && typeof value === 'object' ? value as Record<string, unknown> : {}
  } catch {
    return {}
  }
}

/** A field of the envelope as sent, before any validation: what faults match on. */
function envelopeText (body: unknown, field: string): string | undefined {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined
  return typeof value === 'string' ? value : undefined
}

/** The answer a rejection would have had, for the log of a request whose connection a fault dropped. */
function answerOf (err: unknown, request: FastifyRequest): Record<string, unknown> {
  if (err instanceof GatewayError) return { rsp_code: err.code, rsp_msg: err.message }
  request.log.error({ err }, 'unexpected error on the gateway')
  return { rsp_code: 'SYSTEM_ERROR', rsp_msg: 'unexpected sandbox error; see the sandbox log' }
}

const TEXT = 'text/plain; charset=utf-8'

/**
 * The body as documented; the handler reads it as unknown, since processEnvelope, not fastify, validates it (every
 * rejection must be an Appendix B answer).
 */
const RequestBody = Type.Unsafe<unknown>(RequestEnvelopeSchema)

/** A body over BODY_LIMIT: rejected before the gateway reads it, in the gateway's words. */
const TooLargeSchema = Type.Object({
  rsp_code: Type.Literal('PARAM_ERROR'),
  rsp_msg: Type.String({ description: 'names the BODY_LIMIT' })
}, { description: 'The body is larger than BODY_LIMIT' })

/** An injected HTTP status in place of the gateway's answer: plain text, which the route's JSON schemas leave alone. */
function answerStatus (reply: FastifyReply, status: number, faultId: string): FastifyReply {
  return reply.code(status).type(TEXT).send(statusBody(status, faultId))
}

export function registerProcessRoutes (app: FastifyInstance, deps: ProcessDeps, baseUrlOf: BaseUrlOf): void {
  // The trace of each request, for the inspector; requests that never reach the handler have none.
  const traces = new WeakMap<FastifyRequest, GatewayTrace>()
  // The fault that fired on a request, if one did.
  const faultOf = new WeakMap<FastifyRequest, Fault>()
  // The envelope the pipeline answered, so onSend need not parse back what fastify just serialised.
  const answered = new WeakMap<FastifyRequest, ResponseEnvelope>()
  async function answer (request: FastifyRequest, trace: GatewayTrace): Promise<ResponseEnvelope> {
    const envelope = await processEnvelope(request.body, deps, baseUrlOf(request), trace)
    answered.set(request, envelope)
    return envelope
  }
  const late = createLateAnswers()
  // Delayed answers go out at once on close: server.close() would otherwise wait for them (up to 2 minutes).
  app.addHook('preClose', async () => late.release())

  /** Logs the call; returns its id and, when the log kept it, the inspector page that explains it. */
  function record (request: FastifyRequest, path: string, httpStatus: number, reply: Record<string, unknown>): { id: string, inspector?: string } {
    const exchange = { path, httpStatus, at: new Date(deps.clock.now()).toISOString(), body: request.body, trace: traces.get(request), reply }
    const recorded = deps.requestLog.record(exchange)
    if (recorded.error !== undefined) request.log.error({ err: recorded.error, request_id: recorded.id }, 'request log entry failed')
    // One log record per call, with the entry's id: the terminal's line leads to the inspector's page.
    request.log.info(callSummary(exchange, recorded.entry, recorded.id), GATEWAY_CALL)
    return recorded.kept ? { id: recorded.id, inspector: `${baseUrlOf(request)}/sandbox/requests/${recorded.id}` } : { id: recorded.id }
  }

  /** Closes the connection without an answer; `process` first runs the request (the order exists). */
  async function drop (request: FastifyRequest, reply: FastifyReply, path: string, trace: GatewayTrace, process: boolean): Promise<FastifyReply> {
    let answer: Record<string, unknown> = {}
    if (process) {
      try {
        answer = { ...await processEnvelope(request.body, deps, baseUrlOf(request), trace) }
      } catch (err) {
        answer = answerOf(err, request)
      }
    }
    // http_status 0 in the log: nothing was answered.
    record(request, path, 0, answer)
    reply.hijack()
    reply.raw.destroy()
    return reply
  }

  /** What a fired fault does to the answer on its way out; the log keeps the real answer and the fault's note. */
  async function alterAnswer (request: FastifyRequest, reply: FastifyReply, fault: Fault, payload: unknown): Promise<unknown> {
    const effect = fault.effect
    if (effect.type === 'status' && effect.when === 'after') {
      reply.code(effect.status).type(TEXT)
      return statusBody(effect.status, fault.id)
    }
    if (effect.type === 'delay') await late.wait(effect.ms)
    if (effect.type === 'corrupt') {
      const merchant = deps.merchants.get(traces.get(request)?.merchant_id ?? '')
      const spoiled = merchant === undefined ? undefined : spoilAnswer(parseReply(payload), effect.target, merchant.sign_key)
      if (spoiled !== undefined) return JSON.stringify(spoiled)
    }
    return payload
  }

  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  for (const url of GATEWAY_PATHS) {
    api.post(url, {
      config: { surface: 'gateway' },
      schema: {
        summary: 'processV2: every encrypted action',
        tags: ['gateway'],
        // The actions with the fields of their encrypted data and of their answers (components named by $id).
        ...gatewayOperationDocs(url),
        body: RequestBody,
        response: { 200: ResponseEnvelopeSchema, 413: TooLargeSchema }
      },
      // The gateway validates the envelope itself (see processEnvelope) so every rejection is an Appendix B answer.
      validatorCompiler: () => () => true,
      // Every answer, success or rejection (including those of the error handler), goes to the request log, and
      // carries the id of its entry (and the inspector's URL) in headers: a rejection links to what explains it.
      onSend: async (request, reply, payload) => {
        const fault = faultOf.get(request)
        const sent = answered.get(request)
        const logged = sent === undefined ? parseReply(payload) : { ...sent }
        if (fault?.effect.type === 'status' && fault.effect.when === 'before') logged.rsp_msg = statusBody(fault.effect.status, fault.id).trim()
        if (fault?.effect.type === 'corrupt' && typeof logged.data !== 'string') {
          traces.get(request)?.warnings.push('the answer was a rejection with no sealed data to corrupt: it was sent as it was')
        }
        const { id, inspector } = record(request, url, fault?.effect.type === 'status' ? fault.effect.status : reply.statusCode, logged)
        reply.header(REQUEST_ID_HEADER, id)
        if (inspector !== undefined) reply.header(INSPECTOR_HEADER, inspector)
        return fault === undefined ? payload : alterAnswer(request, reply, fault, payload)
      },
      handler: async (request, reply) => {
        const trace: GatewayTrace = { warnings: [] }
        traces.set(request, trace)
        const merchantId = envelopeText(request.body, 'merchant_id')
        const action = envelopeText(request.body, 'action')
        const fault = deps.faults.fire('gateway', merchantId, action)
        if (fault === undefined) return answer(request, trace)

        faultOf.set(request, fault)
        trace.warnings.push(faultNote(fault))
        request.log.warn({ fault: fault.id, effect: fault.effect.type, merchant_id: merchantId, action }, 'fault fired')
        const { effect } = fault
        const before = (effect.type === 'status' || effect.type === 'drop') && effect.when === 'before'
        if (before) {
          // Not processed, so the pipeline names nothing: the log still shows who the request was from.
          Object.assign(trace, { merchant_id: merchantId, action, version: envelopeText(request.body, 'version') })
        }
        if (effect.type === 'drop') return drop(request, reply, url, trace, !before)
        if (effect.type === 'status' && before) return answerStatus(reply, effect.status, fault.id)
        return answer(request, trace)
      }
    })
  }
}
