import type { FastifyBaseLogger } from 'fastify'
import type { Attempt, Delivery } from '../../domain/callbacks/delivery.js'
import type { Clock } from '../../platform/clock.js'
import type { Store } from '../../store/index.js'
import { droppedAttemptError, faultNote } from './notes.js'
import type { FaultRegistry } from './registry.js'

export interface CallbackFaultsOptions {
  store: Store
  clock: Clock
  faults: FaultRegistry | undefined
  log: FastifyBaseLogger
}

/**
 * Callback faults as the dispatcher meets them. A fault is looked up once per delivery, before its first
 * attempt. `delay` and `out_of_order` only move the delivery's `next_attempt_at` (on disk, so a postponed or
 * held callback stays in the outbox and still goes out after a restart, at the latest when that time comes);
 * the virtual clock skips the wait like any retry. `drop` records one attempt that made no HTTP request, saying
 * which fault dropped it, and gives the delivery up (`failed`, like a callback CALLBACK_ALLOWLIST refuses): a lost
 * callback is not retried, it is what the merchant survives by polling STATUS_QUERY; a redelivery sends it for real.
 */
export interface CallbackFaults {
  /** Fires the first matching callback fault; resolves false when the delivery must not go out now (postponed, held or dropped). */
  beforeFirstAttempt(delivery: Delivery): Promise<boolean>
  /** After an attempt the merchant acknowledged: true once if a `duplicate` fault asked for a second copy. */
  duplicateDue(delivery: Delivery): boolean
  /** After an attempt: the callbacks held for the same merchant fall due now. Resolves with them. */
  sent(delivery: Delivery): Promise<Delivery[]>
}

export function createCallbackFaults (options: CallbackFaultsOptions): CallbackFaults {
  const { store, clock, log } = options
  // Deliveries a fault was looked up for: a postponed one must not meet a second fault when it falls due.
  const checked = new Set<string>()
  const duplicates = new Set<string>()
  // Held (out_of_order) deliveries by id, with their merchant, in the order they were held.
  const held = new Map<string, string>()

  return {
    async beforeFirstAttempt (delivery) {
      if (options.faults === undefined || checked.has(delivery.id)) return true
      checked.add(delivery.id)
      const action = store.orders.find(delivery.merchant_id, delivery.order_id)?.action
      const fault = options.faults.fire('callback', delivery.merchant_id, action)
      if (fault === undefined) return true
      log.warn({ fault: fault.id, effect: fault.effect.type, delivery: delivery.id, merchant_id: delivery.merchant_id, order: delivery.order_id }, faultNote(fault))
      const effect = fault.effect
      if (effect.type === 'duplicate') duplicates.add(delivery.id)
      if (effect.type === 'drop') {
        const record: Attempt = { n: 1, at: new Date(clock.now()).toISOString(), url: delivery.url, status: null, error: droppedAttemptError(fault), latency_ms: 0, reply: null, delivered: false }
        // Gone (a reset) or sent meanwhile (a redelivery): nothing left to drop.
        await store.callbacks.update(delivery.id, (current) =>
          current.status === 'pending' && current.attempts.length === 0 ? { ...current, status: 'failed', next_attempt_at: null, attempts: [record] } : undefined)
        // Its attempt is recorded, so a later one (a redelivery) never meets a fault. Nothing went out: no held
        // callback is released.
        checked.delete(delivery.id)
        return false
      }
      if (effect.type !== 'delay' && effect.type !== 'out_of_order') return true
      if (effect.type === 'out_of_order') held.set(delivery.id, delivery.merchant_id)
      const at = clock.now() + effect.ms
      await store.callbacks.update(delivery.id, (current) => ({ ...current, next_attempt_at: at }))
      return false
    },
    duplicateDue (delivery) {
      return duplicates.delete(delivery.id)
    },
    async sent (delivery) {
      checked.delete(delivery.id)
      held.delete(delivery.id)
      if (delivery.status !== 'pending') duplicates.delete(delivery.id)
      const released: Delivery[] = []
      for (const [id, merchantId] of held) {
        if (merchantId !== delivery.merchant_id) continue
        held.delete(id)
        const now = clock.now()
        // Gone (a reset) or sent meanwhile (a redelivery): nothing left to release.
        const waiting = await store.callbacks.update(id, (current) =>
          current.status === 'pending' && current.attempts.length === 0 ? { ...current, next_attempt_at: now } : undefined)
        if (waiting === undefined) continue
        released.push(waiting)
        log.info({ delivery: id, after: delivery.id }, 'held callback released after the merchant\'s next callback')
      }
      return released
    }
  }
}
