import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { RequestLog } from '../inspector/request-log.js'
import { RequestEnvelopeSchema, ResponseEnvelopeSchema } from '../protocol/envelope.js'
import { processEnvelope, type GatewayDeps, type GatewayTrace } from '../protocol/gateway.js'
import { gatewayOperationDocs } from '../protocol/openapi.js'

/** Real clients post to all three paths (docs: /processV2; older PHP: /process; newer card clients: /processV3). */
export const GATEWAY_PATHS = ['/processV2', '/process', '/processV3'] as const

/** The origin for absolute URLs in answers: PUBLIC_URL, or the origin the client used to reach the sandbox. */
export type BaseUrlOf = (request: { protocol: string, host: string }) => string

function parseReply (payload: unknown): Record<string, unknown> {
  if (typeof payload !== 'string') return {}
  try {
    const value: unknown = JSON.parse(payload)
    return value !== null && typeof value === 'object' ? value as Record<string, unknown> : {}
  } catch {
    return {}
  }
}

export function registerProcessRoutes (app: FastifyInstance, deps: GatewayDeps & { requestLog: RequestLog }, baseUrlOf: BaseUrlOf): void {
  // The trace of each request, for the inspector; requests that never reach the handler have none.
  const traces = new WeakMap<FastifyRequest, GatewayTrace>()
  for (const url of GATEWAY_PATHS) {
    app.post(url, {
      config: { surface: 'gateway' },
      schema: {
        summary: 'processV2: every encrypted action',
        tags: ['gateway'],
        // The actions with the fields of their encrypted data and of their answers (components named by $id).
        ...gatewayOperationDocs(url),
        body: RequestEnvelopeSchema,
        response: { 200: ResponseEnvelopeSchema }
      },
      // The gateway validates the envelope itself (see processEnvelope) so every rejection is an Appendix B answer.
      validatorCompiler: () => () => true,
      // Every answer, success or rejection (including those of the error handler), goes to the request log.
      onSend: async (request, reply, payload) => {
        try {
          deps.requestLog.record({
            path: url,
            httpStatus: reply.statusCode,
            at: new Date(deps.clock.now()).toISOString(),
            body: request.body,
            trace: traces.get(request),
            reply: parseReply(payload)
          })
        } catch (err) {
          // The inspector is a diagnostic aid: its failure must never change what the merchant receives.
          request.log.error({ err }, 'request log entry failed')
        }
        return payload
      },
      handler: async (request) => {
        const trace: GatewayTrace = { warnings: [] }
        traces.set(request, trace)
        return processEnvelope(request.body, deps, baseUrlOf(request), trace)
      }
    })
  }
}
