import type { Dispatcher } from './callbacks/dispatcher.js'
import type { VirtualClock } from '../platform/clock.js'
import type { Resettable } from './reset.js'
import type { Scheduler } from './scheduler.js'

export interface TimeTravelDeps {
  clock: VirtualClock
  scheduler: Scheduler
  dispatcher: Dispatcher
}

export interface Advance {
  /** Sandbox time before and after, ms since the epoch. */
  from: number
  to: number
  /** How many due moments were run on the way (each autopay, expiry or callback attempt time). */
  steps: number
}

/**
 * Moves the virtual clock forward by `ms`, stopping at every moment something falls due on the way, in order:
 * a retry scheduled 15 s after a failed attempt is tried at +15 s of sandbox time, and the retry it schedules
 * is found on the next step. So advancing 6 h runs a whole retry schedule, as if the time had passed, in the
 * time the HTTP attempts take.
 */
/** A full reset puts the clock back to real time; a merchant's reset leaves it, as every merchant shares it. */
export interface TimeTravel extends Resettable {
  advance(ms: number): Promise<Advance>
}

export function createTimeTravel (deps: TimeTravelDeps): TimeTravel {
  const { clock, scheduler, dispatcher } = deps
  // One advance (or reset) at a time: two tests advancing together would interleave their steps.
  let running: Promise<unknown> = Promise.resolve()

  async function runNow (): Promise<void> {
    await scheduler.tick()
    await dispatcher.idle()
  }

  async function advance (ms: number): Promise<Advance> {
    const from = clock.now()
    const to = from + ms
    let steps = 0
    await runNow()
    for (let next = scheduler.nextDue(clock.now()); next !== undefined && next <= to; next = scheduler.nextDue(clock.now())) {
      clock.jumpTo(next)
      steps += 1
      await runNow()
    }
    clock.jumpTo(to)
    await runNow()
    return { from, to: clock.now(), steps }
  }

  function serially<T> (run: () => Promise<T> | T): Promise<T> {
    const result = running.then(run)
    running = result.catch(() => undefined)
    return result
  }

  return {
    advance: (ms) => serially(() => advance(ms)),
    // After any advance in progress, which would otherwise move the clock again after the reset.
    reset: async (merchantId) => merchantId !== undefined
      ? {}
      : serially(() => {
        const moved = clock.offset() !== 0
        clock.reset()
        return moved ? { clock: 1 } : {}
      })
  }
}
