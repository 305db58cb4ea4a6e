import type { Clock } from '../clock.js'
import type { Ids } from '../ids.js'
import type { MerchantDirectory } from '../merchants.js'
import type { Payments } from '../orders/payments.js'
import type { OutcomesFile } from '../outcomes.js'
import type { RatesFile } from '../rates.js'
import type { Store } from '../store/index.js'
import type { BaseUrlOf } from './process.js'

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
}
