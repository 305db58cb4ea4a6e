/** The one source of time. Everything time-based reads it, so tests (and later a virtual clock) can steer time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that stands still until moved: for tests. */
export interface ManualClock extends Clock {
  set(ms: number): void
  advance(ms: number): void
}

export function createManualClock (start: number | string): ManualClock {
  let current = typeof start === 'string' ? Date.parse(start) : start
  return {
    now: () => current,
    set: (ms) => { current = ms },
    advance: (ms) => { current += ms }
  }
}
