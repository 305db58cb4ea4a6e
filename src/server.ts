/**
 * The process entry: read the config, load fixtures and store, build the app, listen, and shut down
 * cleanly. The only file that listens or exits.
 */
import { buildApp, LOG_REDACT, LOG_SERIALIZERS } from './app.js'
import { ConfigError, configWarnings, loadConfig } from './config/config.js'
import { FixtureError, loadFixtures } from './domain/fixtures.js'
import { StoreError } from './domain/errors.js'
import { chooseLogFormat, prettyDestination, startBanner, startLine } from './plugins/log-output.js'
import { createStore } from './store/index.js'

/** The longest a shutdown may take: in-flight requests, callbacks (cut after their grace) and the last writes. */
const SHUTDOWN_LIMIT_MS = 8000

async function main (): Promise<void> {
  const config = loadConfig(process.env)
  // A person at a terminal gets a banner and a line per gateway call; programs (CI, Docker, a pipe) get JSON.
  const format = chooseLogFormat(config.logFormat, process.stdout.isTTY === true)
  const fixtures = await loadFixtures(config.fixturesDir)
  const startupWarnings: string[] = []
  let warn = (message: string): void => { startupWarnings.push(message) }
  const store = await createStore(config.dbFile, {
    retentionOrders: config.retentionOrders,
    sync: config.dbSync,
    journalLimitBytes: config.journalLimitBytes,
    onWarning: (message) => warn(message)
  })
  const app = await buildApp({
    config,
    merchants: fixtures.merchants,
    outcomes: fixtures.outcomes,
    rates: fixtures.rates,
    store,
    logger: {
      level: config.logLevel,
      redact: LOG_REDACT,
      serializers: LOG_SERIALIZERS,
      ...(format === 'pretty' ? { stream: prettyDestination(process.stdout) } : {})
    },
    // The readable log has one line per gateway call; fastify's two per request are for the JSON log.
    logRequests: format === 'json'
  })

  // What the store overcame while loading (a torn journal line, a migration) goes to the log like everything after.
  warn = (message) => app.log.warn(message)
  for (const message of [...configWarnings(config), ...startupWarnings]) warn(message)

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) {
      // A second Ctrl-C means "now": the data file is never half-written (atomic renames), only work is cut.
      app.log.warn(`${signal} received again, exiting without waiting`)
      process.exit(1)
    }
    closing = true
    app.log.info(`${signal} received, finishing in-flight requests and writes`)
    // Below Docker's 10 s before SIGKILL, so the sandbox says why it gave up instead of vanishing.
    setTimeout(() => {
      app.log.error(`shutdown took longer than ${SHUTDOWN_LIMIT_MS} ms, exiting with work still in flight`)
      process.exit(1)
    }, SHUTDOWN_LIMIT_MS).unref()
    // Node closes idle keep-alive connections once, as closing starts; one busy then turns idle only after its
    // answer, and would hold the close for the keep-alive timeout (72 s). Close each as soon as it is idle.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 50)
    app.close()
      .finally(() => clearInterval(sweep))
      .then(() => store.close())
      .then(() => {
        app.log.info('stopped')
        process.exit(0)
      })
      .catch((err: unknown) => {
        app.log.error({ err }, 'shutdown failed')
        process.exit(1)
      })
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)

  const merchants = fixtures.merchants.map((m) => m.merchant_id)
  // The start says where it listens, where the data lives and which merchants exist: one line in JSON, a banner
  // with the admin UI and the docs on a terminal.
  await app.listen({
    port: config.port,
    host: config.host,
    listenTextResolver: (address) => {
      const info = { address, data: store.location, merchants, tokenRequired: config.adminToken !== undefined }
      return format === 'pretty' ? startBanner(info) : startLine(info)
    }
  })
}

main().catch((err: unknown) => {
  // Configuration, fixture and store problems are the user's to fix: say what, without a stack trace.
  if (err instanceof ConfigError || err instanceof FixtureError || err instanceof StoreError) {
    console.error(`ottpay-sandbox cannot start: ${err.message}`)
  } else {
    console.error('ottpay-sandbox cannot start:', err)
  }
  process.exit(1)
})
