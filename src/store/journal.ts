import { open, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises'
import { StoreError } from '../domain/errors.js'

/** `none`: a write is in the OS's hands when a caller is answered; `fsync`: on the disk (fdatasync per group). */
export type SyncMode = 'none' | 'fsync'

/**
 * The journal: one JSON line per change, appended. Changes that arrive while a write is in flight share the next
 * write (group commit); each caller's `apply` runs once its line is written, in the order of the lines, and then
 * the caller is answered. A failed write is cut back off the file, its callers are refused and nothing is applied.
 * `:memory:` keeps no file: lines are applied in the same order without a write.
 */
export interface Journal {
  /** Appends one line (without its newline); resolves after `apply` ran, once the line is written. */
  append(line: string, apply: () => void): Promise<void>
  /** Runs `task` between two writes: nothing is in flight, and every written line is applied. */
  between<T>(task: () => Promise<T> | T): Promise<T>
  /** Bytes in the journal file. */
  size(): number
  /** Keeps only what was written after byte `offset` (a snapshot holds the rest): a new file, renamed over. */
  dropBefore(offset: number): Promise<void>
  close(): Promise<void>
}

type Entry =
  | { line: string, apply: () => void, resolve: () => void, reject: (err: unknown) => void }
  | { task: () => Promise<unknown> | unknown, resolve: (value: unknown) => void, reject: (err: unknown) => void }

/** How the journal opens its file (node:fs/promises `open`); tests pass one whose writes fail. */
export type OpenFile = (path: string, flags: string) => Promise<FileHandle>

export async function openJournal (file: string | undefined, sync: SyncMode, openFile: OpenFile = open): Promise<Journal> {
  let handle: FileHandle | undefined = file === undefined ? undefined : await openFile(file, 'a')
  let size = handle === undefined ? 0 : (await handle.stat()).size
  let queue: Entry[] = []
  let running = false
  let closed = false
  /** A failed write may have left part of a line that could not be cut off yet: nothing is written after it. */
  let torn = false
  let idle: Promise<void> = Promise.resolve()

  async function write (text: string): Promise<void> {
    if (closed) throw new StoreError(`${file ?? ':memory:'}: the store is closed; the change was not made`)
    // In memory too: the size decides when the retention policy runs.
    if (handle === undefined) {
      size += text.length
      return
    }
    if (torn) {
      await handle.truncate(size).catch((err: unknown) => { throw new StoreError(`cannot write ${file}: a failed write left part of a line that cannot be cut off (${(err as Error).message})`, { cause: err }) })
      torn = false
    }
    try {
      await handle.write(text)
      if (sync === 'fsync') await handle.datasync()
      size += Buffer.byteLength(text)
    } catch (err) {
      // A partial line must not stay in front of the next one: cut the file back to what was written before.
      await handle.truncate(size).catch(() => { torn = true })
      throw new StoreError(`cannot write ${file}: ${(err as Error).message}`, { cause: err })
    }
  }

  async function run (): Promise<void> {
    while (queue.length > 0) {
      const first = queue[0]!
      if ('task' in first) {
        queue.shift()
        try {
          first.resolve(await first.task())
        } catch (err) {
          first.reject(err)
        }
        continue
      }
      const end = queue.findIndex((entry) => 'task' in entry)
      const batch = (end < 0 ? queue.splice(0) : queue.splice(0, end)) as Array<Extract<Entry, { line: string }>>
      try {
        await write(batch.map((entry) => `${entry.line}\n`).join(''))
      } catch (err) {
        for (const entry of batch) entry.reject(err)
        continue
      }
      for (const entry of batch) {
        try {
          entry.apply()
          entry.resolve()
        } catch (err) {
          // A bug in applying one change must not stop the others (nor the journal).
          entry.reject(err)
        }
      }
    }
  }

  function kick (): void {
    if (running) return
    running = true
    // Changes made in the same tick as the first one travel together.
    idle = Promise.resolve().then(run).finally(() => {
      running = false
      // An entry queued by a caller answered at the very end of the run (a compaction, say) starts the next one.
      if (queue.length > 0) kick()
    })
  }

  return {
    append (line, apply) {
      return new Promise<void>((resolve, reject) => {
        if (closed) {
          reject(new StoreError(`${file ?? ':memory:'}: the store is closed; the change was not made`))
          return
        }
        queue.push({ line, apply, resolve, reject })
        kick()
      })
    },
    between<T> (task: () => Promise<T> | T) {
      return new Promise<T>((resolve, reject) => {
        queue.push({ task, resolve: resolve as (value: unknown) => void, reject })
        kick()
      })
    },
    size: () => size,
    async dropBefore (offset) {
      if (handle === undefined || file === undefined) {
        size -= offset
        return
      }
      const tail = (await readFile(file)).subarray(offset)
      const next = `${file}.tmp`
      await writeFile(next, tail, { flush: true })
      // Opened before the rename: if it cannot be opened, the old journal stays in place and in use.
      const opened = await openFile(next, 'a')
      try {
        await rename(next, file)
      } catch (err) {
        await opened.close()
        throw err
      }
      const old = handle
      handle = opened
      size = tail.length
      await old.close().catch(() => undefined)
    },
    async close () {
      // eslint-disable-next-line no-unmodified-loop-condition -- entries may arrive while it waits
      while (running || queue.length > 0) await idle
      closed = true
      await handle?.close()
      handle = undefined
      queue = []
    }
  }
}
