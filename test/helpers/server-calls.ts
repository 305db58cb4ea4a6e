import { readFileSync } from 'node:fs'
import type { DataObject } from '../../src/crypto/index.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import { activePayData, envelope } from './build.js'

/** The shipped fixture merchants (fixtures/merchants.json): what a server started without FIXTURES_DIR knows. */
export const FIXTURE_MERCHANTS = JSON.parse(readFileSync(new URL('../../fixtures/merchants.json', import.meta.url), 'utf8')) as Merchant[]

function fixture (merchantId: string): Merchant {
  const merchant = FIXTURE_MERCHANTS.find((m) => m.merchant_id === merchantId)
  if (merchant === undefined) throw new Error(`${merchantId} is not in fixtures/merchants.json`)
  return merchant
}

/** The first fixture merchant (CAD, operator 0000020156): the one the process tests create orders for. */
export const TEA = fixture('QC00005496')

/** The second fixture merchant (CAD, operator 0000020156). */
export const SHOP = fixture('ON00000097')

/**
 * POSTs ACTIVEPAY ({@link activePayData} with `orderId` and `extra`, sealed for `merchant`) to a running server's
 * /processV2 over real HTTP. Bounded: the fetch is aborted after `ms`.
 */
export function postActivePay (base: string, orderId: string, extra: DataObject = {}, merchant: Merchant = TEA, ms = 10_000): Promise<Response> {
  return fetch(`${base}/processV2`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope('ACTIVEPAY', '1.0', activePayData({ order_id: orderId, ...extra }), merchant)),
    signal: AbortSignal.timeout(ms)
  })
}
