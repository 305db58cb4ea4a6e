import { closeSync, createReadStream, openSync, readSync } from 'node:fs'
import { open, rename } from 'node:fs/promises'
import type { Spot, Text } from './state.js'

/**
 * The snapshot (DB_FILE) as lowdb reads and writes it: one JSON document a person can read and grep, with one
 * merchant, order or callback per line. Items travel as their encoded lines, so a snapshot of 100,000 orders is
 * neither parsed into objects nor built as one string: this adapter streams it, line by line, both ways. An item's
 * place in the file is known before it is written (see {@link spotsOf}), so memory can keep the place instead of
 * the text.
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
  orders: Text[]
  callbacks: Text[]
}

export const SECTIONS = ['merchants', 'orders', 'callbacks'] as const

/** An item's line of the file: its text, its number (for messages) and its place. */
export interface Located { text: string, line: number, spot: Spot }

/** What reading found: the line layout above, or (for anything else) the whole text to parse as JSON. */
export type ReadSnapshot =
  | { layout: 'lines', header: Record<string, unknown> }
  | { layout: 'other', text: string }

/**
 * Reads a file a megabyte at a time and hands out its lines, a chunk's worth per call. Each line is decoded on its
 * own, so it is a string of its own size (a slice of a larger string would keep all of it alive).
 */
async function * lines (file: string): AsyncGenerator<Array<{ text: string, offset: number, bytes: number }>> {
  let rest = Buffer.alloc(0)
  /** The file offset of `rest`'s first byte. */
  let base = 0
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = rest.length === 0 ? chunk as Buffer : Buffer.concat([rest, chunk as Buffer])
    const found: Array<{ text: string, offset: number, bytes: number }> = []
    let start = 0
    for (let end = bytes.indexOf(10, start); end >= 0; end = bytes.indexOf(10, start)) {
      found.push({ text: bytes.toString('utf8', start, end), offset: base + start, bytes: end - start })
      start = end + 1
    }
    rest = Buffer.from(bytes.subarray(start))
    base += start
    yield found
  }
  if (rest.length > 0) yield [{ text: rest.toString('utf8'), offset: base, bytes: rest.length }]
}

const HEADER = /^\{"schema":3,.*,$/

/**
 * lowdb's adapter for the snapshot: `read` gives the layout it found (null when there is no file); `write` writes
 * a temporary file, flushes it to the disk, and renames it over the old one: a crash leaves one or the other.
 */
export class SnapshotFile {
  /** `text` gives an item's text wherever it is (a spot of the snapshot being replaced, say). */
  constructor (readonly file: string, private readonly text: (json: Text) => string = (json) => json as string) {}

  /**
   * Reads the file, handing each item of the line layout to `onItem` as it comes (after the header), so that no more
   * than a chunk of the file is in memory at once. When the file turns out to have another layout, the items handed
   * out so far are to be forgotten: the result is then the whole text.
   */
  async read (onItem: (section: typeof SECTIONS[number], item: Located) => void): Promise<ReadSnapshot | null> {
    let header: Record<string, unknown> | undefined
    let current: typeof SECTIONS[number] | undefined
    let closed = false
    let n = 0
    try {
      for await (const batch of lines(this.file)) {
        for (const { text, offset, bytes } of batch) {
          n += 1
          if (closed) {
            if (text.trim() !== '') return { layout: 'other', text: await readAll(this.file) }
          } else if (n === 1) {
            if (!HEADER.test(text)) return { layout: 'other', text: await readAll(this.file) }
            header = JSON.parse(`${text.slice(0, -1)}}`) as Record<string, unknown>
          } else if (current === undefined) {
            const start = /^"(merchants|orders|callbacks)":\[$/.exec(text)
            if (start === null) return { layout: 'other', text: await readAll(this.file) }
            current = start[1] as typeof SECTIONS[number]
          } else if (text.trim() === '') {
            // A blank line inside a section (a hand edit) is nothing.
          } else if (text === '],' || text === ']}') {
            current = undefined
            closed = text === ']}'
          } else {
            const comma = text.endsWith(',')
            onItem(current, { text: comma ? text.slice(0, -1) : text, line: n, spot: { offset, length: comma ? bytes - 1 : bytes } })
          }
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      if (err instanceof SyntaxError) return { layout: 'other', text: await readAll(this.file) }
      throw err
    }
    if (header === undefined || !closed) return { layout: 'other', text: await readAll(this.file) }
    return { layout: 'lines', header }
  }

  async write (data: Snapshot): Promise<void> {
    const temp = `${this.file}.tmp`
    const handle = await open(temp, 'w')
    try {
      await handle.write(headerOf(data))
      for (const [i, name] of SECTIONS.entries()) {
        const items = data[name]
        await handle.write(`"${name}":[\n`)
        // A thousand lines per write: few system calls, and never one string the size of the file.
        for (let at = 0; at < items.length; at += 1000) {
          const last = at + 1000 >= items.length
          await handle.write(items.slice(at, at + 1000).map(this.text).join(',\n') + (last ? '\n' : ',\n'))
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

const headerOf = (data: Snapshot): string => `{"schema":3,"seq":${data.seq},"pruned":${data.pruned},\n`
const bytesOf = (json: Text): number => typeof json === 'string' ? Buffer.byteLength(json) : json.length

/** Where {@link SnapshotFile.write} puts each order and callback of `data`: the layout above, in bytes. */
export function spotsOf (data: Snapshot): { orders: Spot[], callbacks: Spot[] } {
  let at = Buffer.byteLength(headerOf(data))
  const spots: Record<string, Spot[]> = {}
  for (const name of SECTIONS) {
    at += Buffer.byteLength(`"${name}":[\n`)
    const items = data[name]
    spots[name] = items.map((json, i) => {
      const spot = { offset: at, length: bytesOf(json) }
      at += spot.length + (i < items.length - 1 ? 2 : 1)
      return spot
    })
    at += 3
  }
  return { orders: spots.orders!, callbacks: spots.callbacks! }
}

/** Reads items of one snapshot file by their spots; open while rows point into that file. */
export interface SpotReader {
  read(spot: Spot): string
  close(): void
}

export function openSpotReader (file: string): SpotReader {
  const fd = openSync(file, 'r')
  return {
    read (spot) {
      const buffer = Buffer.allocUnsafe(spot.length)
      const got = readSync(fd, buffer, 0, spot.length, spot.offset)
      return buffer.toString('utf8', 0, got)
    },
    close: () => closeSync(fd)
  }
}

async function readAll (file: string): Promise<string> {
  const parts: string[] = []
  for await (const batch of lines(file)) parts.push(...batch.map((line) => line.text))
  return parts.join('\n')
}
