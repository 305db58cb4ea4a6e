import type { FastifyInstance } from 'fastify'
import { RequestEnvelopeSchema, ResponseEnvelopeSchema } from '../protocol/envelope.js'
import { processEnvelope, type GatewayDeps, type GatewayTrace } from '../protocol/gateway.js'

/** Real clients post to all three paths (docs: /processV2; older PHP: /process; newer card clients: /processV3). */
export const GATEWAY_PATHS = ['/processV2', '/process', '/processV3'] as const

/** The origin for absolute URLs in answers: PUBLIC_URL, or the origin the client used to reach the sandbox. */
export type BaseUrlOf = (request: { protocol: string, host: string }) => string

export function registerProcessRoutes (app: FastifyInstance, deps: GatewayDeps, baseUrlOf: BaseUrlOf): void {
  for (const url of GATEWAY_PATHS) {
    app.post(url, {
      config: { surface: 'gateway' },
      schema: {
        summary: 'processV2: every encrypted action',
        tags: ['gateway'],
        body: RequestEnvelopeSchema,
        response: { 200: ResponseEnvelopeSchema }
      },
      // The gateway validates the envelope itself (see processEnvelope) so every rejection is an Appendix B answer.
      validatorCompiler: () => () => true,
      handler: async (request) => {
        const trace: GatewayTrace = { warnings: [] }
        return processEnvelope(request.body, deps, baseUrlOf(request), trace)
      }
    })
  }
}
