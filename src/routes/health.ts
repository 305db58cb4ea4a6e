import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'

/** Liveness and readiness: the app is only built once the store has loaded, so answering means ready. */
export function registerHealthRoute (app: FastifyInstance): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/healthz', {
    // Container health probes hit this every few seconds; keep them out of the info log.
    logLevel: 'warn',
    // The answer is one fixed object: plain JSON.stringify writes what the compiled serializer would, and a health
    // probe right after the start does not wait for fast-json-stringify to load (plugins/lazy-schemas.ts).
    serializerCompiler: () => (data) => JSON.stringify(data),
    schema: {
      summary: 'Readiness check',
      tags: ['sandbox'],
      response: { 200: Type.Object({ status: Type.Literal('ok') }) }
    }
  }, async () => ({ status: 'ok' as const }))
}
