/** Where a fault acts: on a gateway call (/processV2, /process, /processV3), or on a callback to the merchant. */
export type FaultOn = 'gateway' | 'callback'

/**
 * `before`: the request is not processed (nothing happens); `after`: it is processed, then the answer is lost.
 * A dropped callback is always `before`: it is never sent.
 */
export type FaultWhen = 'before' | 'after'

/** An effect with its defaults filled in, as armed. */
export type FaultEffect =
  | { type: 'status', status: number, when: FaultWhen }
  | { type: 'delay', ms: number }
  | { type: 'drop', when: FaultWhen }
  | { type: 'corrupt', target: 'data' | 'md5' }
  | { type: 'duplicate' }
  | { type: 'out_of_order', ms: number }

export type FaultEffectType = FaultEffect['type']

/** What a fault applies to; null matches anything. */
export interface FaultMatch {
  on: FaultOn
  merchant_id: string | null
  action: string | null
}

/** A fault to arm: what it matches, what it does, and how many matching requests or callbacks it hits. */
export interface FaultSpec {
  match: FaultMatch
  effect: FaultEffect
  times: number
}

/** An armed fault, as GET /sandbox/api/faults lists it. */
export interface Fault extends FaultSpec {
  /** `flt_1`, `flt_2`, … in arming order. */
  id: string
  /** How many more times it fires; it is removed when this reaches 0. */
  remaining: number
  /** How many times it has fired so far. */
  fired: number
  /** ISO time it was armed (sandbox clock). */
  armed_at: string
}

export const GATEWAY_EFFECTS: readonly FaultEffectType[] = ['status', 'delay', 'drop', 'corrupt']
export const CALLBACK_EFFECTS: readonly FaultEffectType[] = ['delay', 'drop', 'duplicate', 'out_of_order']
