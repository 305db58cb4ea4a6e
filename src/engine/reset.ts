/**
 * Something that holds state a test run can throw away (POST /sandbox/api/reset, DELETE
 * /sandbox/api/merchants/:merchant_id): orders, callbacks, the request log, faults, runtime merchants, the
 * virtual clock. Each part forgets its own state and says how much it removed, so the routes can reset
 * everything without knowing every part.
 */
export interface Resettable {
  /** Forgets everything, or only what belongs to `merchantId`; resolves with counts by kind (e.g. `{ orders: 3 }`). */
  reset(merchantId?: string): Promise<Record<string, number>> | Record<string, number>
  /** Refuses (throws a NotFoundError or ConflictError) before any part has forgotten anything: an unknown merchant, a fixture merchant to delete. */
  check?(merchantId: string, purpose: 'reset' | 'delete'): void
  /** Removes the merchant itself (only the merchant directory does). */
  forget?(merchantId: string): Promise<Record<string, number>> | Record<string, number>
}
