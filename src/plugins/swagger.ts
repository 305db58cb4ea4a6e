import type { FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { actionSchemas } from '../protocol/openapi.js'

/**
 * The OpenAPI document at /docs/json, generated from the same schemas that validate the routes, and the
 * Swagger UI at /docs, served from the package itself (no CDN: CI containers are offline).
 *
 * Shared schemas (`app.addSchema`) are components named after their `$id`: among them the data and answer
 * schemas of every processV2 action, which the gateway operations link from their description and
 * `x-ottpay-actions` extension. Call before registering routes.
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
        { name: 'payment links', description: 'Hosted GET links (webPay, wapPay, h5Pay) that create an order and send the payer to the payer page' },
        { name: 'control API', description: 'Steer and inspect the sandbox from tests' },
        { name: 'admin UI', description: 'HTML pages at /sandbox: orders, the request inspector, merchants' },
        { name: 'sandbox', description: 'Health and metadata' }
      ]
    },
    // Components keep their `$id` as name (`ActivePayData`) instead of `def-0`, so links to them are stable.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}`
    }
  })
  for (const schema of actionSchemas()) app.addSchema(schema)
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The UI must not call out: no online validator badge (validator.swagger.io).
    uiConfig: { validatorUrl: null }
  })
}
