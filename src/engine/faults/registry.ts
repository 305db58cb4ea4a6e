import type { Clock } from '../../platform/clock.js'
import { ConflictError } from '../../domain/errors.js'
import type { Resettable } from '../reset.js'
import type { Fault, FaultOn, FaultSpec } from './fault.js'
import { MAX_ARMED } from './schemas.js'

/**
 * The armed faults, in memory only (a restart disarms them all). Faults are tried in arming order: the oldest
 * armed fault that matches fires, and each firing uses up one of its `times`.
 */
export interface FaultRegistry extends Resettable {
  arm(spec: FaultSpec): Fault
  /** Armed faults, oldest first; with `merchantId`, those armed for that merchant only. */
  list(merchantId?: string): Fault[]
  remove(id: string): Fault | undefined
  /** Disarms every fault, or those armed for `merchantId`; returns how many. */
  clear(merchantId?: string): number
  /**
   * Fires the first armed fault that matches a gateway call or a callback, if any: counts it and removes it
   * once used up. Returns a snapshot taken as it fired.
   */
  fire(on: FaultOn, merchantId: string | undefined, action: string | undefined): Fault | undefined
}

export function createFaultRegistry (clock: Clock): FaultRegistry {
  let armed: Fault[] = []
  let sequence = 0

  function clear (merchantId?: string): number {
    const before = armed.length
    armed = merchantId === undefined ? [] : armed.filter((f) => f.match.merchant_id !== merchantId)
    return before - armed.length
  }

  return {
    arm (spec) {
      if (armed.length >= MAX_ARMED) {
        throw new ConflictError(`${MAX_ARMED} faults are armed already: DELETE /sandbox/api/faults to start over`, 'TOO_MANY_FAULTS')
      }
      sequence += 1
      const fault: Fault = { id: `flt_${sequence}`, ...structuredClone(spec), remaining: spec.times, fired: 0, armed_at: new Date(clock.now()).toISOString() }
      armed.push(fault)
      return structuredClone(fault)
    },
    list: (merchantId) => structuredClone(merchantId === undefined ? armed : armed.filter((f) => f.match.merchant_id === merchantId)),
    remove (id) {
      const fault = armed.find((f) => f.id === id)
      if (fault !== undefined) armed = armed.filter((f) => f !== fault)
      return fault
    },
    clear,
    fire (on, merchantId, action) {
      const fault = armed.find((f) => f.match.on === on &&
        (f.match.merchant_id === null || f.match.merchant_id === merchantId) &&
        (f.match.action === null || f.match.action === action))
      if (fault === undefined) return undefined
      fault.remaining -= 1
      fault.fired += 1
      if (fault.remaining === 0) armed = armed.filter((f) => f !== fault)
      return structuredClone(fault)
    },
    reset (merchantId): Record<string, number> {
      return { faults: clear(merchantId) }
    }
  }
}
