import type { Merchant } from '../fixtures.js'

/** The runtime merchants (POST /sandbox/api/merchants), kept in the data file so they outlive a restart. */
export interface MerchantRepository {
  list(): Merchant[]
  get(merchantId: string): Merchant | undefined
  /** Adds a merchant; resolves once it is on disk. */
  insert(merchant: Merchant): Promise<void>
  /** Removes one merchant (not its orders); resolves once that is on disk. False when there was none. */
  remove(merchantId: string): Promise<boolean>
  /** Removes them all; resolves with how many, once that is on disk. */
  clear(): Promise<number>
}

/** `data.merchants` is replaced wholesale on removal; `persist` writes the data file (undo runs if it fails). */
export function createMerchantRepository (data: { merchants: Merchant[] }, persist: (undo?: () => void) => Promise<void>): MerchantRepository {
  const byId = new Map(data.merchants.map((merchant) => [merchant.merchant_id, merchant]))
  return {
    list: () => [...byId.values()],
    get: (merchantId) => byId.get(merchantId),
    async insert (merchant) {
      data.merchants.push(merchant)
      byId.set(merchant.merchant_id, merchant)
      // Not on disk means its key was never handed out: the merchant does not exist.
      await persist(() => {
        data.merchants = data.merchants.filter((m) => m !== merchant)
        if (byId.get(merchant.merchant_id) === merchant) byId.delete(merchant.merchant_id)
      })
    },
    async remove (merchantId) {
      if (!byId.delete(merchantId)) return false
      data.merchants = data.merchants.filter((m) => m.merchant_id !== merchantId)
      await persist()
      return true
    },
    async clear () {
      const count = byId.size
      byId.clear()
      data.merchants = []
      if (count > 0) await persist()
      return count
    }
  }
}
