import { createReadStream } from 'node:fs'
import { open, rename } from 'node:fs/promises'

/**
 * The snapshot (DB_FILE) as lowdb reads and writes it: one JSON document a person can read and grep, with one
 * merchant, order or callback per line. Items travel as their encoded lines, so a snapshot of 100,000 orders is
 * neither parsed into objects nor built as one string: this adapter streams it, line by line, both ways.
 *
 *   {"schema":3,"seq":41,"pruned":0,
 *   "merchants":[
 *   {...},
 *   {...}
 *   ],
 *   "orders":[
 *   ...
 *   ],
 *   "callbacks":[
 *   ...
 *   ]}
 */
export interface Snapshot {
  schema: 3
  /** The last journal line this snapshot holds: replay starts after it. */
  seq: number
  /** Orders removed by RETENTION_ORDERS since the data file was created. */
  pruned: number
  merchants: string[]
  orders: string[]
  callbacks: string[]
}

export const SECTIONS = ['merchants', 'orders', 'callbacks'] as const

/** A line of the file, for messages that name where a problem is. */
export interface Located { text: string, line: number }

/** What reading found: the line layout above, or (for anything else) the whole text to parse as JSON. */
export type ReadSnapshot =
  | { layout: 'lines', header: Record<string, unknown>, sections: Record<typeof SECTIONS[number], Located[]> }
  | { layout: 'other', text: string }

/**
 * Reads a file a megabyte at a time and hands out its lines, a chunk's worth per call. Each line is decoded on its
 * own, so it is a string of its own size (a slice of a larger string would keep all of it alive).
 */
async function * lines (file: string): AsyncGenerator<string[]> {
  let rest = Buffer.alloc(0)
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = rest.length === 0 ? chunk as Buffer : Buffer.concat([rest, chunk as Buffer])
    const found: string[] = []
    let start = 0
    for (let end = bytes.indexOf(10, start); end >= 0; end = bytes.indexOf(10, start)) {
      found.push(bytes.toString('utf8', start, end))
      start = end + 1
    }
    rest = Buffer.from(bytes.subarray(start))
    yield found
  }
  if (rest.length > 0) yield [rest.toString('utf8')]
}

const HEADER = /^\{"schema":3,.*,$/

/**
 * lowdb's adapter for the snapshot: `read` gives the layout it found (null when there is no file); `write` writes
 * a temporary file, flushes it to the disk, and renames it over the old one: a crash leaves one or the other.
 */
export class SnapshotFile {
  constructor (readonly file: string) {}

  async read (): Promise<ReadSnapshot | null> {
    const sections: Record<typeof SECTIONS[number], Located[]> = { merchants: [], orders: [], callbacks: [] }
    let header: Record<string, unknown> | undefined
    let current: Located[] | undefined
    let closed = false
    let n = 0
    try {
      for await (const batch of lines(this.file)) {
        for (const text of batch) {
          n += 1
          if (closed) {
            if (text.trim() !== '') return { layout: 'other', text: await readAll(this.file) }
          } else if (n === 1) {
            if (!HEADER.test(text)) return { layout: 'other', text: await readAll(this.file) }
            header = JSON.parse(`${text.slice(0, -1)}}`) as Record<string, unknown>
          } else if (current === undefined) {
            const start = /^"(merchants|orders|callbacks)":\[$/.exec(text)
            if (start === null) return { layout: 'other', text: await readAll(this.file) }
            current = sections[start[1] as typeof SECTIONS[number]]
          } else if (text.trim() === '') {
            // A blank line inside a section (a hand edit) is nothing.
          } else if (text === '],' || text === ']}') {
            current = undefined
            closed = text === ']}'
          } else {
            current.push({ text: text.endsWith(',') ? text.slice(0, -1) : text, line: n })
          }
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      if (err instanceof SyntaxError) return { layout: 'other', text: await readAll(this.file) }
      throw err
    }
    if (header === undefined || !closed) return { layout: 'other', text: await readAll(this.file) }
    return { layout: 'lines', header, sections }
  }

  async write (data: Snapshot): Promise<void> {
    const temp = `${this.file}.tmp`
    const handle = await open(temp, 'w')
    try {
      await handle.write(`{"schema":3,"seq":${data.seq},"pruned":${data.pruned},\n`)
      for (const [i, name] of SECTIONS.entries()) {
        const items = data[name]
        await handle.write(`"${name}":[\n`)
        // A thousand lines per write: few system calls, and never one string the size of the file.
        for (let at = 0; at < items.length; at += 1000) {
          const last = at + 1000 >= items.length
          await handle.write(items.slice(at, at + 1000).join(',\n') + (last ? '\n' : ',\n'))
        }
        await handle.write(i === SECTIONS.length - 1 ? ']}\n' : '],\n')
      }
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, this.file)
  }
}

async function readAll (file: string): Promise<string> {
  const parts: string[] = []
  for await (const batch of lines(file)) parts.push(...batch)
  return parts.join('\n')
}
