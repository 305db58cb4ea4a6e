import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'

/** Liveness and readiness: the app is only built once the store has loaded, so answering means ready. */
export function registerHealthRoute (app: FastifyInstance): void {
  app.get('/healthz', {
    // Container health probes hit this every few seconds; keep them out of the info log.
    logLevel: 'warn',
    schema: {
      summary: 'Readiness check',
      tags: ['sandbox'],
      response: { 200: Type.Object({ status: Type.Literal('ok') }) }
    }
  }, async () => ({ status: 'ok' as const }))
}
