import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import formbody from '@fastify/formbody'
import { createVirtualClock, systemClock, type Clock } from './platform/clock.js'
import type { Config } from './config/config.js'
import type { Merchant } from './domain/fixtures.js'
import { createIds, type Ids } from './platform/ids.js'
import { createDispatcher } from './engine/callbacks/dispatcher.js'
import { createOwnListener } from './engine/callbacks/own-listener.js'
import { createFaultRegistry } from './engine/faults/registry.js'
import { createMerchantDirectory } from './engine/merchants.js'
import { createPayments } from './engine/orders/payments.js'
import type { OutcomesFile } from './domain/outcomes.js'
import type { RatesFile } from './domain/rates.js'
import { createScheduler } from './engine/scheduler.js'
import { createTimeTravel, type Advance } from './engine/time-travel.js'
import { registerSandboxClock } from './routes/sandbox-clock.js'
import { registerControlRoutes } from './routes/sandbox-control.js'
import { registerCheckoutPage } from './routes/hosted-checkout.js'
import { registerHostedLinks } from './routes/hosted-links.js'
import { registerScanPage } from './routes/hosted-scan.js'
import { createRequestLog } from './inspector/request-log.js'
import { registerAdminAuth } from './plugins/admin-auth.js'
import { hostPolicy, registerAllowedHosts } from './plugins/allowed-hosts.js'
import { answerFrameworkError, registerErrorHandler } from './plugins/error-handler.js'
import { lazySchemaController } from './plugins/lazy-schemas.js'
import { registerSwagger } from './plugins/swagger.js'
import { registerHealthRoute } from './routes/health.js'
import { registerHostedConverge } from './routes/hosted-converge.js'
import { registerHostedPortico } from './routes/hosted-portico.js'
import { registerHostedUnionPay } from './routes/hosted-unionpay.js'
import type { BaseUrlOf } from './routes/deps.js'
import { registerProcessRoutes } from './routes/process.js'
import { registerSandboxMerchants } from './routes/sandbox-merchants.js'
import { registerSandboxOrders } from './routes/sandbox-orders.js'
import { registerApiSchemas } from './routes/api-schemas.js'
import { registerSandboxReset } from './routes/sandbox-reset.js'
import { registerSandboxRequests } from './routes/sandbox-requests.js'
import { registerSandboxFaults } from './routes/sandbox-faults.js'
import { registerSandboxStats } from './routes/sandbox-stats.js'
import { registerAdminUi } from './routes/admin-ui.js'
import { registerAdminReadiness } from './routes/admin-readiness.js'
import { registerSandboxReadiness } from './routes/sandbox-readiness.js'
import { createReadiness } from './readiness/readiness.js'
import type { Store } from './store/index.js'
import type { Resettable } from './engine/reset.js'

/** Everything the app is built from. What varies between production and tests is injected here. */
export interface AppOptions {
  config: Config
  merchants: Merchant[]
  store: Store
  clock?: Clock
  ids?: Ids
  /** Magic outcomes by amount (fixtures `outcomes.json`); none by default. */
  outcomes?: OutcomesFile
  /** Exchange rates to CNY (fixtures `rates.json`) for EX_RATE_QUERY; none by default. */
  rates?: RatesFile
  /** Outbound HTTP for callbacks; the global fetch by default. */
  fetch?: typeof globalThis.fetch
  /** How often the scheduler looks for due work (autopay, expiry, retries); 0 turns the timer off. */
  tickIntervalMs?: number
  /** Fastify's logger option: `false` in tests, pino options in the server. */
  logger?: FastifyServerOptions['logger']
  /** Fastify's two lines per request (received, completed); the server's pretty format leaves them out. Default: on. */
  logRequests?: boolean
  /** How long a client may take to send a whole request, headers included (slow or stalled clients); default 30 s. */
  requestTimeoutMs?: number
}

/** Test and embedding hooks: run what fell due now, and wait for callbacks in flight. */
export interface SandboxControls {
  tick(): Promise<void>
  idle(): Promise<void>
  /** Moves the virtual clock forward, running what falls due on the way (POST /sandbox/api/clock/advance). */
  advance(ms: number): Promise<Advance>
}

declare module 'fastify' {
  interface FastifyInstance {
    sandbox: SandboxControls
  }
}

/** A client must send its whole request within this (README, Hardening). */
export const REQUEST_TIMEOUT_MS = 30_000

/** Never log what could carry a secret or a card number. */
export const LOG_REDACT = ['req.headers.authorization', 'req.headers["x-admin-token"]', 'req.body', 'res.body']

/**
 * A URL fit for the log: the payment links' `merCode` (a merchant's payment key) masked. The query is parsed as
 * fastify reads it, so an encoded name (`mer%43ode`) is masked too.
 */
export function logUrl (url: string): string {
  const at = url.indexOf('?')
  if (at < 0) return url
  const query = new URLSearchParams(url.slice(at + 1))
  if (![...query.keys()].some((name) => name.toLowerCase() === 'mercode')) return url
  for (const name of [...new Set(query.keys())]) if (name.toLowerCase() === 'mercode') query.set(name, '***')
  return `${url.slice(0, at)}?${query.toString()}`
}

/** Fastify's request line, with the URL masked. */
export const LOG_SERIALIZERS = {
  req: (req: { method: string, url: string, hostname?: string, ip?: string }) => ({ method: req.method, url: logUrl(req.url), host: req.hostname, remoteAddress: req.ip })
}

/**
 * Builds the sandbox app without listening (src/server.ts listens). Importing this module has no side effects.
 */
export async function buildApp (options: AppOptions): Promise<FastifyInstance> {
  const { config, store } = options
  // Tests inject a manual clock; the control API's virtual clock runs ahead of whichever base it gets.
  const clock = createVirtualClock(options.clock ?? systemClock)
  const ids = options.ids ?? createIds()
  const merchants = createMerchantDirectory(options.merchants, store)
  const logger = options.logger ?? { level: config.logLevel, redact: LOG_REDACT, serializers: LOG_SERIALIZERS }

  // Route schemas compile on their first request, not at ready (start fast, plugins/lazy-schemas.ts).
  const schemas = lazySchemaController()
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  const app = Fastify({
    logger,
    logController: new LogController({ disableRequestLogging: options.logRequests === false }),
    bodyLimit: config.bodyLimit,
    trustProxy: false,
    requestTimeout,
    // Node checks the request and header timeouts only every 30 s by default, so a stalled client held its
    // connection for up to twice the limit: check every second (headers count against the same limit).
    http: { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: Math.min(1000, requestTimeout) },
    // A malformed percent-encoding in a path (/sandbox/pay/scan/%ZZ) is answered by the one error handler, as a
    // page on page routes, instead of fastify's own JSON.
    frameworkErrors: answerFrameworkError,
    schemaController: schemas.schemaController
  })
  schemas.attach(app)
  // Where the server listens, once it does: callbacks must never go there (engine/callbacks/own-listener.ts).
  const ownListener = createOwnListener({ publicUrl: config.publicUrl, address: () => app.server.address() })

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
  registerAllowedHosts(app, hostPolicy(config))
  registerAdminAuth(app, config.adminToken)

  const outcomes = options.outcomes ?? { by_amount_suffix: {} }
  const faults = createFaultRegistry(clock)
  const dispatcher = createDispatcher({
    store,
    clock,
    fetch: options.fetch ?? globalThis.fetch,
    log: app.log,
    timeoutMs: config.callbackTimeoutMs,
    retrySchedule: config.callbackRetrySchedule,
    concurrency: config.callbackConcurrency,
    concurrencyPerHost: config.callbackConcurrencyPerHost,
    faults,
    allowlist: config.callbackAllowlist,
    ownListener,
    // Called only once the app runs, when `scheduler` exists.
    onUnrecorded: (delivery) => { scheduler.retryCallback(delivery.id, clock.now() + 1000) }
  })
  const payments = createPayments({ store, clock, ids, merchants, outcomes, dispatcher })
  const scheduler = createScheduler({
    store,
    clock,
    merchants,
    outcomes,
    payments,
    dispatcher,
    log: app.log,
    autopayAfterMs: config.autopayAfterMs,
    orderExpiryMs: config.orderExpiryMs
  })
  const travel = createTimeTravel({ clock, scheduler, dispatcher })
  const advance = travel.advance
  app.decorate('sandbox', { tick: () => scheduler.tick(), idle: () => dispatcher.idle(), advance })

  // What POST /sandbox/api/reset throws away; each part adds itself.
  const resettables: Resettable[] = [travel]

  const rates = options.rates ?? { rates: {} }
  const baseUrlOf: BaseUrlOf = (request) => config.publicUrl ?? `${request.protocol}://${request.host}`
  registerHealthRoute(app)
  const requestLog = createRequestLog(config.requestLogSize, merchants)
  resettables.push(store, requestLog, merchants)
  resettables.push(faults)
  const readiness = createReadiness({
    store,
    merchants,
    requestLog,
    clock,
    fetch: options.fetch ?? globalThis.fetch,
    callbackTimeoutMs: config.callbackTimeoutMs,
    callbackAllowlist: config.callbackAllowlist,
    ownListener
  })
  resettables.push(readiness)
  registerProcessRoutes(app, { merchants, store, clock, ids, payments, rates, outcomes, ownListener, requestLog, faults }, baseUrlOf)
  registerHostedUnionPay(app, { store, merchants, payments })
  registerHostedConverge(app, { store, merchants, payments })
  registerHostedPortico(app, { store, merchants, payments })
  registerScanPage(app, { store, merchants, payments })
  const hosted = { store, merchants, payments, clock, ids, rates, outcomes, baseUrlOf, ownListener }
  registerCheckoutPage(app, hosted)
  registerHostedLinks(app, hosted)
  registerApiSchemas(app)
  registerSandboxOrders(app, store, baseUrlOf)
  registerControlRoutes(app, { store, payments, dispatcher })
  registerSandboxRequests(app, requestLog)
  registerSandboxMerchants(app, merchants)
  registerSandboxReset(app, resettables)
  registerSandboxFaults(app, faults, merchants)
  registerSandboxStats(app, store, merchants)
  registerSandboxClock(app, clock, advance)
  registerAdminUi(app, { store, merchants, payments, dispatcher, requestLog, faults, clock, adminToken: config.adminToken, baseUrlOf })
  registerSandboxReadiness(app, readiness)
  registerAdminReadiness(app, { readiness, merchants, store, adminToken: config.adminToken })

  // Pending callbacks (also those left by a crash) and due autopay/expiry run on a timer from the start: it wakes
  // when the next thing falls due, and at least every `interval` (the clock may be moved meanwhile).
  const interval = options.tickIntervalMs ?? 100
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const wake = (): void => {
    scheduler.tick()
      .catch((err: unknown) => app.log.error({ err }, 'scheduler tick failed'))
      .finally(() => {
        if (stopped) return
        const now = clock.now()
        const next = scheduler.nextDue(now)
        timer = setTimeout(wake, next === undefined ? interval : Math.min(Math.max(0, next - now), interval)).unref()
      })
  }
  app.addHook('onReady', async () => {
    if (interval > 0) wake()
  })
  // preClose: fastify closes the server before the app's onClose, so a clock advance waiting on a hanging merchant
  // would hold the shutdown; the dispatcher stops first and cuts what is in flight after a grace period.
  let dispatcherClosed: Promise<void> | undefined
  app.addHook('preClose', async () => {
    stopped = true
    clearTimeout(timer)
    dispatcherClosed = dispatcher.close()
  })
  app.addHook('onClose', async () => {
    stopped = true
    clearTimeout(timer)
    // A pass in flight finishes its writes before the store is closed after the app.
    await scheduler.idle()
    await (dispatcherClosed ?? dispatcher.close())
  })

  return app
}
