import { StoreError } from '../errors.js'

/** Writes one file's current contents (a lowdb adapter's `write`, bound to a snapshot of the data). */
export type WriteNow = () => Promise<void>

export interface GroupCommit {
  /**
   * Resolves once a write that started after this call has completed, so a change made in memory before the call is
   * on disk. Rejects only if that write failed, after `undo` (and every other undo of that write) has run: the next
   * write never carries a change that was refused.
   */
  commit(undo?: () => void): Promise<void>
  /** Resolves when no write is in flight or queued. */
  idle(): Promise<void>
}

interface Waiter {
  resolve: () => void
  reject: (err: unknown) => void
  undo: (() => void) | undefined
}

/**
 * Group commit for one file: changes that arrive while a write is in flight are written together by the next write,
 * and every caller is answered by the write that carried its change, never by a later one.
 */
export function createGroupCommit (file: string, write: WriteNow, onWritten: () => void = () => {}): GroupCommit {
  let waiting: Waiter[] = []
  let running: Promise<void> | undefined
  let active = false

  async function run (): Promise<void> {
    try {
      // Changes made in the same tick as the first one travel together.
      await Promise.resolve()
      while (waiting.length > 0) {
        const batch = waiting
        waiting = []
        try {
          await write()
        } catch (err) {
          for (const waiter of [...batch].reverse()) waiter.undo?.()
          const error = new StoreError(`cannot write ${file}: ${(err as Error).message}`, { cause: err })
          for (const waiter of batch) waiter.reject(error)
          // Callers put their own objects back when they see the rejection (an order's status, say): let them,
          // before the next write takes its snapshot.
          await new Promise((resolve) => setImmediate(resolve))
          continue
        }
        onWritten()
        for (const waiter of batch) waiter.resolve()
      }
    } finally {
      // In the same tick the queue was found empty: a commit arriving after this starts a new run.
      active = false
    }
  }

  return {
    commit (undo) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject, undo })
        if (!active) {
          active = true
          running = run()
        }
      })
    },
    async idle () {
      let current = active ? running : undefined
      while (current !== undefined) {
        await current
        current = active ? running : undefined
      }
    }
  }
}
