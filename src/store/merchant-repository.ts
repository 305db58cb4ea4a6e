import type { Merchant } from '../fixtures.js'
import type { Data } from './data.js'

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

/** `data()` is read on every call: the store replaces its arrays wholesale (reset, failed writes). */
export function createMerchantRepository (data: () => Data, persist: () => Promise<void>): MerchantRepository {
  const byId = new Map(data().merchants.map((merchant) => [merchant.merchant_id, merchant]))
  return {
    list: () => [...byId.values()],
    get: (merchantId) => byId.get(merchantId),
    async insert (merchant) {
      data().merchants.push(merchant)
      byId.set(merchant.merchant_id, merchant)
      try {
        await persist()
      } catch (err) {
        // Not on disk means its key was never handed out: the merchant does not exist.
        data().merchants = data().merchants.filter((m) => m !== merchant)
        byId.delete(merchant.merchant_id)
        throw err
      }
    },
    async remove (merchantId) {
      if (!byId.delete(merchantId)) return false
      data().merchants = data().merchants.filter((m) => m.merchant_id !== merchantId)
      await persist()
      return true
    },
    async clear () {
      const count = byId.size
      byId.clear()
      data().merchants = []
      if (count > 0) await persist()
      return count
    }
  }
}
