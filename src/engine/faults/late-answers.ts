import { setTimeout as sleep } from 'node:timers/promises'

/** Delayed gateway answers; closing the app sends the ones still waiting at once, so a shutdown never waits for them. */
export interface LateAnswers {
  /** Resolves after `ms`, or as soon as the app closes. */
  wait(ms: number): Promise<void>
  /** Ends every wait now. */
  release(): void
}

export function createLateAnswers (): LateAnswers {
  const closing = new AbortController()
  return {
    async wait (ms) {
      try {
        await sleep(ms, undefined, { signal: closing.signal })
      } catch (err) {
        if ((err as Error).name !== 'AbortError') throw err
      }
    },
    release: () => closing.abort()
  }
}
