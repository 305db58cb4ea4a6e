import { open, readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Delivery } from '../domain/callbacks/delivery.js'
import { StoreError } from '../domain/errors.js'
import { merchantsProblem, type Merchant } from '../domain/fixtures.js'
import type { Order } from '../domain/orders/order.js'
import { deliveryProblem, orderProblem } from './check.js'
import { encode } from './encode.js'
import { SnapshotFile, type Located } from './snapshot-file.js'
import { item, keyOf, State, type Item, type StoreEvent, type Text } from './state.js'

/**
 * Start = read the snapshot, replay the journal. Anything unreadable stops the start with a message that names the
 * file (and line) and what to do; no file is deleted or rewritten here, except a torn last journal line (a crash
 * in the middle of an append, never acknowledged), which is cut off with a warning.
 */
export interface Loaded {
  state: State
  /** The last journal line applied (or the snapshot's). */
  seq: number
  warnings: string[]
  /** The data file was written by an older version (`schema` 1 or 2): the store writes it anew. */
  migratedFrom: number | undefined
  /** No snapshot yet: the store writes an empty one, so that a journal never stands without one. */
  fresh: boolean
  /** Rows point at their lines in the snapshot (its line layout): the store reads them from there. */
  spots: boolean
}

export const journalOf = (location: string): string => `${location}.journal`
/** Where schema 2 kept older orders: `sandbox.json` → `sandbox.json.d/`. */
export const segmentDirOf = (location: string): string => `${location}.d`

const MOVE_AWAY = 'fix it, or move it away to start empty'
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

async function sizeOf (file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size
  } catch {
    return undefined
  }
}

/**
 * Takes items of the data file into the state one at a time, refusing the first broken or repeated one (`where`
 * names it). Each parsed value is dropped at once: only its text stays, so loading needs little more memory than
 * the result.
 */
class Intake {
  constructor (private readonly state: State) {}

  order (value: unknown, where: string, text?: Text): void {
    const problem = orderProblem(value)
    if (problem !== undefined) throw new StoreError(`${where}: an order ${problem}; ${MOVE_AWAY}`)
    const order = value as Order
    if (this.state.orders.has(keyOf(order.merchant_id, order.order_id))) throw new StoreError(`${where}: order ${order.order_id} of merchant ${order.merchant_id} is stored twice; ${MOVE_AWAY}`)
    this.state.apply({ op: 'put', orders: [{ value: order, json: text ?? encode(order) }], callbacks: [] })
  }

  callback (value: unknown, where: string, text?: Text): void {
    const problem = deliveryProblem(value)
    if (problem !== undefined) throw new StoreError(`${where}: a callback ${problem}; ${MOVE_AWAY}`)
    const delivery = value as Delivery
    if (this.state.deliveries.has(delivery.id)) throw new StoreError(`${where}: callback ${delivery.id} is stored twice; ${MOVE_AWAY}`)
    this.state.apply({ op: 'put', orders: [], callbacks: [{ value: delivery, json: text ?? encode(delivery) }] })
  }
}

/** A journal line's items: checked like the data file's, but applied together (one change). */
function checkedItems (line: { orders: unknown[], callbacks: unknown[] }, where: string): { orders: Array<Item<Order>>, callbacks: Array<Item<Delivery>> } {
  const orders = line.orders.map((value) => {
    const problem = orderProblem(value)
    if (problem !== undefined) throw new StoreError(`${where}: an order ${problem}; the journal is left as it is: remove that line, or move the journal away to start from the data file alone`)
    return item(value as Order)
  })
  const callbacks = line.callbacks.map((value) => {
    const problem = deliveryProblem(value)
    if (problem !== undefined) throw new StoreError(`${where}: a callback ${problem}; the journal is left as it is: remove that line, or move the journal away to start from the data file alone`)
    return item(value as Delivery)
  })
  return { orders, callbacks }
}

function parseLine (item: Located, file: string): unknown {
  try {
    return JSON.parse(item.text)
  } catch (err) {
    throw new StoreError(`${file}: line ${item.line} is not valid JSON (${(err as Error).message}); ${MOVE_AWAY}`)
  }
}

function checkMerchants (merchants: unknown, where: string): Merchant[] {
  const problem = merchantsProblem(merchants)
  if (problem !== undefined) throw new StoreError(`${where}: "merchants"${problem} (a runtime merchant is broken); ${MOVE_AWAY}`)
  return merchants as Merchant[]
}

/** A schema 1 or 2 data file (every version before the journal), with schema 2's segment files. */
async function readOlder (location: string, raw: Record<string, unknown>, intake: Intake): Promise<number> {
  const schema = raw.segments === undefined ? 1 : 2
  for (const name of ['orders', 'callbacks', 'merchants', 'segments'] as const) {
    if (raw[name] !== undefined && !Array.isArray(raw[name])) throw new StoreError(`${location}: "${name}" is not an array; ${MOVE_AWAY}`)
  }
  const segments = (raw.segments ?? []) as unknown[]
  const listed = new Set<string>()
  // Segments hold the older orders: they come first, as they did in the order history.
  for (const name of segments) {
    if (typeof name !== 'string' || !/^segment-\d{6,}\.json$/.test(name)) {
      throw new StoreError(`${location}: "segments" lists ${JSON.stringify(name)}, which is not a segment file name; ${MOVE_AWAY}`)
    }
    if (listed.has(name)) throw new StoreError(`${location}: "segments" lists ${name} twice; ${MOVE_AWAY}`)
    listed.add(name)
    const file = join(segmentDirOf(location), name)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      throw new StoreError(`${file}: is listed in ${location} but cannot be read (${(err as Error).message}); restore it, or move ${location} away to start empty`)
    }
    let content: unknown
    try {
      content = JSON.parse(text)
    } catch (err) {
      throw new StoreError(`${file}: is not valid JSON (${(err as Error).message}); ${MOVE_AWAY}`)
    }
    if (!isObject(content) || !Array.isArray(content.orders) || !Array.isArray(content.callbacks)) {
      throw new StoreError(`${file}: is not a sandbox segment file (no "orders" and "callbacks" arrays); ${MOVE_AWAY}`)
    }
    content.orders.forEach((order, i) => intake.order(order, `${file}: orders[${i}]`))
    content.callbacks.forEach((delivery, i) => intake.callback(delivery, `${file}: callbacks[${i}]`))
  }
  ;((raw.orders ?? []) as unknown[]).forEach((order, i) => intake.order(order, `${location}: orders[${i}]`))
  ;((raw.callbacks ?? []) as unknown[]).forEach((delivery, i) => intake.callback(delivery, `${location}: callbacks[${i}]`))
  return schema
}

/** The snapshot: DB_FILE in its line layout, or any JSON a person made of it, or a data file of an older version. */
async function readSnapshot (location: string): Promise<{ state: State, seq: number, migratedFrom?: number, spots: boolean } | undefined> {
  let state = new State()
  let intake = new Intake(state)
  const lineMerchants: unknown[] = []
  // Items are taken in as they are read. Memory keeps where each one is in the file, not its text: it is read
  // again when needed.
  const read = await new SnapshotFile(location).read((section, line) => {
    const value = parseLine(line, location)
    if (section === 'merchants') lineMerchants.push(value)
    else if (section === 'orders') intake.order(value, `${location}: line ${line.line}`, line.spot)
    else intake.callback(value, `${location}: line ${line.line}`, line.spot)
  })
  if (read === null) return undefined
  let seq = 0
  let merchants: unknown = lineMerchants
  let migratedFrom: number | undefined
  if (read.layout === 'lines') {
    seq = Number(read.header.seq)
    state.pruned = Number(read.header.pruned)
    if (!Number.isSafeInteger(seq) || seq < 0 || !Number.isSafeInteger(state.pruned)) throw new StoreError(`${location}: line 1 has no valid "seq" and "pruned"; ${MOVE_AWAY}`)
  } else {
    // Not the line layout after all: what was taken in so far is forgotten, the whole text is read as JSON.
    state = new State()
    intake = new Intake(state)
    let raw: unknown
    try {
      raw = JSON.parse(read.text)
    } catch (err) {
      throw new StoreError(`${location}: is not valid JSON (${(err as Error).message}); ${MOVE_AWAY}`)
    }
    if (!isObject(raw)) throw new StoreError(`${location}: holds ${raw === null ? 'null' : typeof raw}, not sandbox data; ${MOVE_AWAY}`)
    if (typeof raw.schema === 'number' && raw.schema > 3) {
      throw new StoreError(`${location}: was written by a newer ottpay-sandbox (schema ${raw.schema}; this one reads up to 3); upgrade, or move it away to start empty`)
    }
    if (raw.schema !== undefined && raw.schema !== 1 && raw.schema !== 2 && raw.schema !== 3) throw new StoreError(`${location}: has an unknown "schema" ${JSON.stringify(raw.schema)}; ${MOVE_AWAY}`)
    if (!Array.isArray(raw.orders)) throw new StoreError(`${location}: is not a sandbox data file (no "orders" array); ${MOVE_AWAY}`)
    merchants = raw.merchants ?? []
    if (raw.schema === 3) {
      seq = Number(raw.seq ?? 0)
      state.pruned = Number(raw.pruned ?? 0)
      if (!Number.isSafeInteger(seq) || seq < 0 || !Number.isSafeInteger(state.pruned) || state.pruned < 0) throw new StoreError(`${location}: has no valid "seq" and "pruned"; ${MOVE_AWAY}`)
      ;(raw.orders as unknown[]).forEach((order, i) => intake.order(order, `${location}: orders[${i}]`))
      if (raw.callbacks !== undefined && !Array.isArray(raw.callbacks)) throw new StoreError(`${location}: "callbacks" is not an array; ${MOVE_AWAY}`)
      ;((raw.callbacks ?? []) as unknown[]).forEach((delivery, i) => intake.callback(delivery, `${location}: callbacks[${i}]`))
    } else {
      state.pruned = typeof raw.pruned === 'number' ? raw.pruned : 0
      migratedFrom = await readOlder(location, raw, intake)
    }
  }
  state.apply({ op: 'merchants', put: checkMerchants(merchants, location), remove: [] })
  return { state, seq, migratedFrom, spots: read.layout === 'lines' }
}

/** One journal line, checked: a change the store wrote. */
function readEvent (text: string, where: string): { seq: number, event: StoreEvent } {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new StoreError(`${where} is not valid JSON (${(err as Error).message}); the journal is left as it is: remove that line, or move the journal away to start from the data file alone`)
  }
  const fail = (why: string): never => {
    throw new StoreError(`${where} ${why}; the journal is left as it is: remove that line, or move the journal away to start from the data file alone`)
  }
  if (!isObject(raw) || !Number.isSafeInteger(raw.seq)) return fail('is not a journal entry (no "seq")')
  const line = raw as Record<string, unknown> & { seq: number }
  if (line.op === 'put') {
    if (!Array.isArray(line.orders) || !Array.isArray(line.callbacks)) return fail('has no "orders" and "callbacks" arrays')
    return { seq: line.seq, event: { op: 'put', ...checkedItems({ orders: line.orders, callbacks: line.callbacks }, where) } }
  }
  if (line.op === 'forget') {
    const orders = line.orders
    const keys = orders === null || (Array.isArray(orders) && orders.every((k) => Array.isArray(k) && k.length === 2 && k.every((p) => typeof p === 'string')))
    if (!keys || (line.merchant_id !== null && typeof line.merchant_id !== 'string')) return fail('is not a valid reset')
    return { seq: line.seq, event: { op: 'forget', merchant_id: line.merchant_id as string | null, orders: orders as Array<[string, string]> | null, prune: line.prune === true } }
  }
  if (line.op === 'merchants') {
    if (!Array.isArray(line.remove) || !line.remove.every((m) => typeof m === 'string')) return fail('has no valid "remove" list')
    return { seq: line.seq, event: { op: 'merchants', put: checkMerchants(line.put, where), remove: line.remove as string[] } }
  }
  return fail(`has an unknown "op" ${JSON.stringify(line.op)}`)
}

/** Replays the journal's lines after `after`; a torn last line is cut off (it was never acknowledged). */
async function replay (file: string, state: State, after: number, warnings: string[]): Promise<number> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return after
    throw new StoreError(`${file}: cannot be read (${(err as Error).message})`)
  }
  let seq = after
  let start = 0
  let n = 0
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    n += 1
    const line = text.slice(start, end)
    start = end + 1
    if (line.trim() === '') continue
    const read = readEvent(line, `${file}: line ${n}`)
    if (read.seq <= seq) {
      if (read.seq <= after) continue
      throw new StoreError(`${file}: line ${n} repeats or goes back in the sequence (${read.seq} after ${seq}); the journal is left as it is: move it away to start from the data file alone`)
    }
    state.apply(read.event)
    seq = read.seq
  }
  if (start < text.length) {
    warnings.push(`${file}: the last line (${Buffer.byteLength(text.slice(start))} bytes) was cut short by a crash in the middle of a write; it was never acknowledged and is dropped`)
    const handle = await open(file, 'r+')
    try {
      await handle.truncate(Buffer.byteLength(text.slice(0, start)))
    } finally {
      await handle.close()
    }
  }
  return seq
}

export async function load (location: string): Promise<Loaded> {
  const warnings: string[] = []
  const journal = journalOf(location)
  const snapshot = await readSnapshot(location)
  if (snapshot === undefined) {
    const state = new State()
    if ((await sizeOf(journal) ?? 0) > 0) {
      throw new StoreError(`${location}: is missing, but its journal ${journal} is there; restore the data file, or move the journal away to start empty`)
    }
    const segments = await readdir(segmentDirOf(location)).catch(() => [])
    if (segments.length > 0) {
      throw new StoreError(`${location}: is missing, but ${segmentDirOf(location)} holds ${segments.length} files of an older sandbox; restore the data file, or move that folder away to start empty`)
    }
    return { state, seq: 0, warnings, migratedFrom: undefined, fresh: true, spots: false }
  }
  const { state } = snapshot
  const seq = await replay(journal, state, snapshot.seq, warnings)
  return { state, seq, warnings, migratedFrom: snapshot.migratedFrom, fresh: false, spots: snapshot.spots }
}
