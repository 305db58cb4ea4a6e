/**
 * The process entry: read the config, load fixtures and store, build the app, listen, and shut down
 * cleanly. The only file that listens or exits.
 */
import { buildApp, LOG_REDACT, LOG_SERIALIZERS } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { FixtureError, loadFixtures } from './fixtures.js'
import { StoreError } from './errors.js'
import { createStore } from './store/index.js'

async function main (): Promise<void> {
  const config = loadConfig(process.env)
  const fixtures = await loadFixtures(config.fixturesDir)
  const store = await createStore(config.dbFile)
  const app = await buildApp({
    config,
    merchants: fixtures.merchants,
    outcomes: fixtures.outcomes,
    rates: fixtures.rates,
    store,
    logger: { level: config.logLevel, redact: LOG_REDACT, serializers: LOG_SERIALIZERS }
  })

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info(`${signal} received, finishing in-flight requests and writes`)
    app.close()
      .then(() => store.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        app.log.error({ err }, 'shutdown failed')
        process.exit(1)
      })
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)

  const ids = fixtures.merchants.map((m) => m.merchant_id).join(', ')
  // One start line that says where it listens, where the data lives and which merchants exist.
  await app.listen({
    port: config.port,
    host: config.host,
    listenTextResolver: (address) => `ottpay-sandbox listening on ${address} · data: ${store.location} · merchants: ${ids}`
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
