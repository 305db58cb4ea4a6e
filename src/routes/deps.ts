// What the route modules are built from: the services app.ts wires and hands to each register function.
import type { Dispatcher } from '../engine/callbacks/dispatcher.js'
import type { OwnListener } from '../engine/callbacks/own-listener.js'
import type { RequestLog } from '../inspector/request-log.js'
import type { Clock, VirtualClock } from '../platform/clock.js'
import type { FaultRegistry } from '../engine/faults/registry.js'
import type { Ids } from '../platform/ids.js'
import type { MerchantDirectory } from '../engine/merchants.js'
import type { Payments } from '../engine/orders/payments.js'
import type { OutcomesFile } from '../domain/outcomes.js'
import type { RatesFile } from '../domain/rates.js'
import type { Store } from '../store/index.js'

/** The origin for absolute URLs in answers: PUBLIC_URL, or the origin the client used to reach the sandbox. */
export type BaseUrlOf = (request: { protocol: string, host: string }) => string

/** What the hosted pages that create or pay orders (checkout, payment links) are built from. */
export interface HostedDeps {
  store: Store
  merchants: MerchantDirectory
  payments: Payments
  clock: Clock
  ids: Ids
  rates: RatesFile
  outcomes: OutcomesFile
  baseUrlOf: BaseUrlOf
  ownListener: OwnListener
}

/** What the admin UI's pages and buttons are built from. */
export interface AdminUiDeps {
  store: Store
  merchants: MerchantDirectory
  payments: Payments
  dispatcher: Dispatcher
  requestLog: RequestLog
  /** Read by the faults page and the clock page (and every page's clock banner); they change through the control API. */
  faults: FaultRegistry
  clock: VirtualClock
  /** config.adminToken: when set, the pages need it and offer "Log out". */
  adminToken: string | undefined
  baseUrlOf: BaseUrlOf
}
