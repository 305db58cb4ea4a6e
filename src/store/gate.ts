/**
 * Who may change what at the same time. Changes of one key (an order, a delivery) run one after another, so each
 * validates against the state its predecessor left. A reset (or the retention policy) runs alone: it waits for the
 * changes in flight, and changes that arrive meanwhile wait for it, so none validates against an order the reset
 * is about to remove.
 */
export interface Gate {
  /** Runs `task` after every earlier task of `key`. */
  serial<T>(key: string, task: () => Promise<T>): Promise<T>
  /** Runs `task` beside other shared tasks, never during an exclusive one. */
  shared<T>(task: () => Promise<T>): Promise<T>
  /** Runs `task` alone. */
  exclusive<T>(task: () => Promise<T>): Promise<T>
}

export function createGate (): Gate {
  const tails = new Map<string, Promise<unknown>>()
  let active = 0
  let closed: Promise<void> | undefined
  let drained: (() => void) | undefined

  return {
    async serial (key, task) {
      const before = tails.get(key) ?? Promise.resolve()
      const run = before.then(task, task)
      const tail = run.catch(() => undefined)
      tails.set(key, tail)
      try {
        return await run
      } finally {
        if (tails.get(key) === tail) tails.delete(key)
      }
    },
    async shared (task) {
      // eslint-disable-next-line no-unmodified-loop-condition -- another exclusive task may close it again meanwhile
      while (closed !== undefined) await closed
      active += 1
      try {
        return await task()
      } finally {
        active -= 1
        if (active === 0) drained?.()
      }
    },
    async exclusive (task) {
      // eslint-disable-next-line no-unmodified-loop-condition -- another exclusive task may close it again meanwhile
      while (closed !== undefined) await closed
      let reopen!: () => void
      closed = new Promise((resolve) => { reopen = resolve })
      try {
        if (active > 0) await new Promise<void>((resolve) => { drained = resolve })
        drained = undefined
        return await task()
      } finally {
        closed = undefined
        reopen()
      }
    }
  }
}
