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

/**
 * The sandbox's own time: a base clock (the system's, or a test's manual clock) plus an offset that only moves
 * forward. Everything in the app reads this one, so advancing it (POST /sandbox/api/clock/advance) makes
 * autopay, expiry and callback retries fall due without waiting.
 */
export interface VirtualClock extends Clock {
  /** How far ahead of the base clock the sandbox runs, in ms. */
  offset(): number
  /** Moves the sandbox's time forward to `ms` since the epoch; never backwards. */
  jumpTo(ms: number): void
  /** Back to the base clock's time. */
  reset(): void
}

export function createVirtualClock (base: Clock): VirtualClock {
  let offset = 0
  return {
    now: () => base.now() + offset,
    offset: () => offset,
    jumpTo (ms) {
      const ahead = ms - base.now()
      if (ahead > offset) offset = ahead
    },
    reset () { offset = 0 }
  }
}
