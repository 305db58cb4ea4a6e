import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import { actionSchemas } from '../protocol/openapi.js'
import { FAVICON_SVG } from '../views/favicon.js'
import { lazySchemaController } from './lazy-schemas.js'

/**
 * The OpenAPI document at /docs/json, generated from the same schemas that validate the routes, and the
 * Swagger UI at /docs, served from the package itself (no CDN: CI containers are offline).
 *
 * Shared schemas (`app.addSchema`) are components named after their `$id`: among them the data and answer
 * schemas of every processV2 action, which the gateway operations link from their description and
 * `x-ottpay-actions` extension. Call before registering routes.
 *
 * Start fast (issue 13): @fastify/swagger and @fastify/swagger-ui (with yaml, @fastify/static and the UI's files)
 * are loaded on the first /docs request, not at the start. The app records its routes as they are added; the first
 * docs request builds a small app of its own with the two plugins, the same options, the same shared schemas and
 * the recorded routes (their schemas and config, with no handler of use), and the /docs routes here answer with
 * what it answers. The document, the UI pages and their assets are byte for byte what the plugins served when they
 * were registered on the app itself.
 */

const SWAGGER_OPTIONS = {
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
    buildLocalReference: (json: { $id?: unknown }, _baseUri: unknown, _fragment: unknown, i: number) => typeof json.$id === 'string' ? json.$id : `def-${i}`
  }
}

// swagger-ui's page has no viewport tag and no way back to the admin UI: a small script adds both (issue 16).
const DOCS_SCRIPT = `(function () {
  var meta = document.createElement('meta')
  meta.name = 'viewport'
  meta.content = 'width=device-width, initial-scale=1'
  document.head.appendChild(meta)
  var bar = document.createElement('p')
  bar.className = 'sandbox-back'
  var link = document.createElement('a')
  link.href = '/sandbox'
  link.textContent = '\u2190 Admin UI (/sandbox)'
  bar.appendChild(link)
  document.body.insertBefore(bar, document.body.firstChild)
})()
`
const DOCS_CSS = `.sandbox-back{margin:0;padding:.5rem 1rem;background:#1f2937;font-family:system-ui,sans-serif}
.sandbox-back a{color:#f9fafb}
.swagger-ui .wrapper{padding:0 .75rem}
.swagger-ui .opblock .opblock-summary-path{word-break:break-all}
.swagger-ui table{table-layout:fixed}
.swagger-ui .topbar{display:none}
`

const UI_OPTIONS = {
  routePrefix: '/docs',
  // The UI must not call out: no online validator badge (validator.swagger.io).
  uiConfig: { validatorUrl: null },
  theme: {
    title: 'ottpay-sandbox API docs',
    js: [{ filename: 'sandbox.js', content: DOCS_SCRIPT }],
    css: [{ filename: 'sandbox.css', content: DOCS_CSS }],
    favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: FAVICON_SVG }]
  }
}

/** The docs routes, as @fastify/swagger-ui registers them under /docs (its static files under /docs/static). */
const DOCS_ROUTES = ['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/static/*']

/** Headers of the docs app's answer that belong to its own (injected) connection, not to the relayed answer. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'content-length'])

/** The docs app: the two plugins over the app's shared schemas and recorded routes. Built once, on first use. */
async function buildDocsApp (app: FastifyInstance, routes: readonly RouteOptions[]): Promise<FastifyInstance> {
  const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
    import('fastify'),
    import('@fastify/swagger'),
    import('@fastify/swagger-ui')
  ])
  const schemas = lazySchemaController()
  const docs = Fastify({ logger: false, schemaController: schemas.schemaController })
  await docs.register(swagger, SWAGGER_OPTIONS)
  // In the app's order: the document lists the components as @fastify/swagger collected them from the app.
  for (const schema of Object.values(app.getSchemas())) docs.addSchema(schema)
  // Only what the document is made of: the path, the method, the schema and the config (swaggerTransform).
  const stub = async () => undefined
  for (const route of routes) docs.route({ method: route.method, url: route.url, schema: route.schema, config: route.config, exposeHeadRoute: false, handler: stub })
  await docs.register(swaggerUi, UI_OPTIONS)
  await docs.ready()
  return docs
}

export async function registerSwagger (app: FastifyInstance): Promise<void> {
  const routes: RouteOptions[] = []
  let docs: Promise<FastifyInstance> | undefined
  const docsApp = () => {
    docs ??= buildDocsApp(app, routes).catch((err: unknown) => {
      docs = undefined
      throw err
    })
    return docs
  }

  // The docs app answers as a GET; the app's own HEAD routes drop the body, as they did for the plugins' routes.
  async function relay (request: FastifyRequest, reply: FastifyReply) {
    const answer = await (await docsApp()).inject({ method: 'GET', url: request.url, headers: request.headers })
    // A missing file: the app's own not-found answer, as @fastify/static gave it.
    if (answer.statusCode === 404) return reply.callNotFound()
    reply.code(answer.statusCode)
    for (const [name, value] of Object.entries(answer.headers)) {
      if (!HOP_HEADERS.has(name) && value !== undefined) reply.header(name, value)
    }
    // An empty answer (a redirect) goes out as one, without a content type.
    return answer.rawPayload.length === 0 ? reply.send() : reply.send(answer.rawPayload)
  }

  app.addHook('onRoute', (route) => {
    // HEAD routes are left out of the document (@fastify/swagger's default); the docs app makes its own docs routes.
    if (route.method !== 'HEAD' && route.handler !== relay) routes.push(route)
  })
  for (const schema of actionSchemas()) app.addSchema(schema)
  for (const url of DOCS_ROUTES) app.get(url, { schema: { hide: true } }, relay)
  app.addHook('onClose', async () => {
    if (docs !== undefined) await (await docs.catch(() => undefined))?.close()
  })
}
