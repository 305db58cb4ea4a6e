import type { Merchant } from './fixtures.js'

/** Looks merchants up by id. Fixture merchants today; runtime-created ones can join later. */
export interface MerchantDirectory {
  get(merchantId: string): Merchant | undefined
  list(): Merchant[]
}

export function createMerchantDirectory (merchants: Merchant[]): MerchantDirectory {
  const byId = new Map(merchants.map((merchant) => [merchant.merchant_id, merchant]))
  return {
    get: (merchantId) => byId.get(merchantId),
    list: () => [...byId.values()]
  }
}
