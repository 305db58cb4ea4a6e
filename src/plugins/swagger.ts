import type { FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

/**
 * The OpenAPI document at /docs/json, generated from the same schemas that validate the routes, and the
 * Swagger UI at /docs, served from the package itself (no CDN: CI containers are offline).
 */
export async function registerSwagger (app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'ottpay-sandbox',
        description: 'A local stand-in for the OTT Pay payment gateway (processV2), its hosted payer pages and its control API.',
        version: '0.1.0'
      },
      tags: [
        { name: 'gateway', description: 'The encrypted OTT Pay API, as in production' },
        { name: 'payer pages', description: 'Hosted pages where a person or a headless browser plays the payer' },
        { name: 'control API', description: 'Steer and inspect the sandbox from tests' },
        { name: 'sandbox', description: 'Health and metadata' }
      ]
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
}
