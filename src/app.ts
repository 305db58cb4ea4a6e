import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import formbody from '@fastify/formbody'
import { systemClock, type Clock } from './clock.js'
import type { Config } from './config.js'
import type { Merchant } from './fixtures.js'
import { createIds, type Ids } from './ids.js'
import { createMerchantDirectory } from './merchants.js'
import { registerErrorHandler } from './plugins/error-handler.js'
import { registerSwagger } from './plugins/swagger.js'
import { registerHealthRoute } from './routes/health.js'
import { registerHostedUnionPay } from './routes/hosted-unionpay.js'
import { registerProcessRoutes, type BaseUrlOf } from './routes/process.js'
import { registerSandboxOrders } from './routes/sandbox-orders.js'
import type { Store } from './store/index.js'

/** Everything the app is built from. What varies between production and tests is injected here. */
export interface AppOptions {
  config: Config
  merchants: Merchant[]
  store: Store
  clock?: Clock
  ids?: Ids
  /** Fastify's logger option: `false` in tests, pino options in the server. */
  logger?: FastifyServerOptions['logger']
}

/** Never log what could carry a secret or a card number. */
export const LOG_REDACT = ['req.headers.authorization', 'req.headers["x-admin-token"]', 'req.body', 'res.body']

/**
 * Builds the sandbox app without listening (src/server.ts listens). Importing this module has no side effects.
 */
export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const { config, store } = options
  const clock = options.clock ?? systemClock
  const ids = options.ids ?? createIds()
  const merchants = createMerchantDirectory(options.merchants)
  const logger = options.logger ?? { level: config.logLevel, redact: LOG_REDACT }

  const app = Fastify({ logger, bodyLimit: config.bodyLimit, trustProxy: false })

  await app.register(formbody, { bodyLimit: config.bodyLimit })
  // Some clients send the JSON envelope as text/plain or with no content type at all; read it as JSON anyway.
  app.removeContentTypeParser('text/plain')
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string))
    } catch (err) {
      done(Object.assign(err as Error, { statusCode: 400 }), undefined)
    }
  })
  registerErrorHandler(app)
  await registerSwagger(app)

  const baseUrlOf: BaseUrlOf = (request) => config.publicUrl ?? `${request.protocol}://${request.host}`
  registerHealthRoute(app)
  registerProcessRoutes(app, { merchants, store, clock, ids }, baseUrlOf)
  registerHostedUnionPay(app, { store, merchants, clock })
  registerSandboxOrders(app, store)

  return app
}
