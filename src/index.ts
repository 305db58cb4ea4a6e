/** The `ottpay-sandbox` package entry: build and embed the sandbox in another test suite. */
export { buildApp, type AppOptions } from './app.js'
export { loadConfig, ConfigError, type Config } from './config/config.js'
export { loadFixtures, FixtureError, type Fixtures, type Merchant } from './domain/fixtures.js'
export { createStore, type Store } from './store/index.js'
export { systemClock, createManualClock, type Clock, type ManualClock } from './platform/clock.js'
export { createIds, createCounterIds, type Ids } from './platform/ids.js'
export { GATEWAY_CODES, GatewayError, type GatewayCode } from './domain/errors.js'
export type { Order, OrderStatus } from './domain/orders/order.js'
// Hints about decrypted data need the actions' schemas, so they live here rather than in the pure ./crypto export.
export { hintsForData, type DataHintOptions } from './protocol/data-hints.js'
export type { UnsimulatedFlow } from './protocol/unsimulated.js'
