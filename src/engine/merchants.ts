import { ConflictError, NotFoundError } from '../domain/errors.js'
import type { Merchant } from '../domain/fixtures.js'
import { createMerchantKeys, type MerchantKeys } from '../domain/merchant-keys.js'
import type { Store } from '../store/index.js'

/** What POST /sandbox/api/merchants may choose; the sandbox picks the id, the sign key and the merCode. */
export type NewMerchant = Partial<Pick<Merchant, 'name' | 'currency' | 'operators' | 'autopay_after' | 'convenience_fee'>>

/** The operator a runtime merchant gets when none is asked for. */
export const DEFAULT_OPERATOR = '0000000001'

/**
 * Looks merchants up by id: the fixture merchants, and those created at run time (kept in the store, so they
 * come back after a restart). A fixture merchant wins over a stored one with the same id.
 */
export interface MerchantDirectory {
  get(merchantId: string): Merchant | undefined
  /** Fixture merchants first, then runtime ones in the order they were created. */
  list(): Merchant[]
  isRuntime(merchantId: string): boolean
  /** Creates a merchant with a fresh random id, sign key and merCode; resolves once it is on disk. */
  create(input?: NewMerchant): Promise<Merchant>
  /**
   * Before a reset or a delete touches anything: 404 for a merchant the sandbox does not know (and holds no
   * order of), 409 for deleting a fixture merchant.
   */
  check(merchantId: string, purpose: 'reset' | 'delete'): void
  /** Removes a runtime merchant itself (DELETE /sandbox/api/merchants/:merchant_id). */
  forget(merchantId: string): Promise<Record<string, number>>
  /** A full reset removes every runtime merchant; a merchant's reset keeps the merchant, so it can go on. */
  reset(merchantId?: string): Promise<Record<string, number>>
}

/** Ids are random in a space of 10^8: a collision is rare, but never allowed. */
const MAX_TRIES = 100

export function createMerchantDirectory (fixtures: Merchant[], store: Store, keys: MerchantKeys = createMerchantKeys()): MerchantDirectory {
  const byId = new Map(fixtures.map((merchant) => [merchant.merchant_id, merchant]))
  const runtime = () => store.merchants.list().filter((m) => !byId.has(m.merchant_id))
  const get = (merchantId: string) => byId.get(merchantId) ?? store.merchants.get(merchantId)
  const list = () => [...byId.values(), ...runtime()]

  function fresh (what: string, make: () => string, taken: (value: string) => boolean): string {
    for (let i = 0; i < MAX_TRIES; i++) {
      const value = make()
      if (!taken(value)) return value
    }
    throw new Error(`no free ${what} found in ${MAX_TRIES} tries`)
  }

  return {
    get,
    list,
    isRuntime: (merchantId) => !byId.has(merchantId) && store.merchants.get(merchantId) !== undefined,
    async create (input = {}) {
      // Id and merCode are chosen and taken within one synchronous step: concurrent creates cannot collide.
      const merchantId = fresh('merchant_id', keys.merchantId, (id) => get(id) !== undefined)
      const merCode = fresh('mer_code', keys.merCode, (code) => list().some((m) => m.mer_code === code))
      const merchant: Merchant = {
        merchant_id: merchantId,
        name: input.name ?? `Runtime merchant ${merchantId}`,
        sign_key: keys.signKey(),
        currency: input.currency ?? 'CAD',
        operators: [...(input.operators ?? [DEFAULT_OPERATOR])],
        mer_code: merCode,
        ...(input.convenience_fee === undefined ? {} : { convenience_fee: input.convenience_fee }),
        ...(input.autopay_after === undefined ? {} : { autopay_after: input.autopay_after })
      }
      await store.merchants.insert(merchant)
      return merchant
    },
    check (merchantId, purpose) {
      if (get(merchantId) === undefined) {
        // Orders can outlive their merchant when FIXTURES_DIR changes under the same DB_FILE: those can be reset.
        if (purpose === 'reset' && store.orders.hasAny(merchantId)) return
        throw new NotFoundError(`merchant ${merchantId} is not a merchant of this sandbox (see GET /sandbox/api/merchants)`)
      }
      if (purpose === 'delete' && byId.has(merchantId)) {
        throw new ConflictError(`merchant ${merchantId} comes from the fixtures (FIXTURES_DIR) and cannot be deleted; POST /sandbox/api/reset?merchant_id=${merchantId} clears its orders`, 'FIXTURE_MERCHANT')
      }
    },
    async forget (merchantId) {
      return { merchants: byId.has(merchantId) ? 0 : Number(await store.merchants.remove(merchantId)) }
    },
    async reset (merchantId): Promise<Record<string, number>> {
      if (merchantId !== undefined) return {}
      return { merchants: await store.merchants.clear() }
    }
  }
}
