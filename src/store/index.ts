import { constants } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Low } from 'lowdb'
import type { Delivery } from '../domain/callbacks/delivery.js'
import type { Order } from '../domain/orders/order.js'
import { StoreError } from '../domain/errors.js'
import { deliveryProblem, orderProblem } from './check.js'
import { encode } from './encode.js'
import { createGate } from './gate.js'
import { openJournal, type OpenFile, type SyncMode } from './journal.js'
import { journalOf, load, type Loaded } from './load.js'
import { openSpotReader, SnapshotFile, spotsOf, type Snapshot, type SpotReader } from './snapshot-file.js'
import { item, keyOf, State, type Captured, type OrderRow, type StoreEvent } from './state.js'
import { GoneError, IdTakenError, type ChangeListener, type OrderQuery, type Store, type StoreReset } from './types.js'

export * from './types.js'
export type { SyncMode } from './journal.js'

export interface StoreOptions {
  /** Keep at most this many orders (RETENTION_ORDERS), pruning the oldest closed ones at compaction; 0 keeps all. */
  retentionOrders?: number
  /** DB_SYNC: `fsync` flushes each group commit to the disk; `none` (default) leaves it to the OS. */
  sync?: SyncMode
  /** Compact (write a snapshot, start the journal anew) once the journal passes this many bytes. */
  journalLimitBytes?: number
  /** Problems the store overcame (a torn journal line, a migration, a failed compaction). */
  onWarning?: (message: string) => void
  /** How the journal file is opened (tests inject a disk that fails). */
  openFile?: OpenFile
}

export const DEFAULT_JOURNAL_LIMIT_BYTES = 32 * 1024 * 1024
const PAGE_LIMIT = 1000

/** A journal line: the change with its sequence number; orders and callbacks travel as their encoded text. */
function eventLine (seq: number, event: StoreEvent): string {
  if (event.op !== 'put') return encode({ seq, ...event })
  // A change's items are always new text (see `item`), never a place in the snapshot.
  return `{"seq":${seq},"op":"put","orders":[${event.orders.map((o) => o.json as string).join(',')}],"callbacks":[${event.callbacks.map((d) => d.json as string).join(',')}]}`
}

/**
 * Opens the store: a lowdb snapshot (DB_FILE) and a journal beside it (`<DB_FILE>.journal`). Every change is
 * validated against the state in memory, appended to the journal as one line (group commit), and applied to memory
 * only once written; a refused change touches nothing. When the journal passes its limit, a compaction prunes
 * (RETENTION_ORDERS), writes a new snapshot through lowdb and starts the journal anew. `:memory:` keeps no file.
 */
export async function createStore (location: string, options: StoreOptions = {}): Promise<Store & { warnings: string[] }> {
  const memory = location === ':memory:'
  const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, 'OttpaySandboxStore'))
  const retention = options.retentionOrders ?? 0
  const limit = options.journalLimitBytes ?? DEFAULT_JOURNAL_LIMIT_BYTES
  const sync = options.sync ?? 'none'
  if (!memory) await mkdir(dirname(location), { recursive: true })
  const loaded: Loaded = memory
    ? { state: new State(), seq: 0, warnings: [], migratedFrom: undefined, fresh: false, spots: false }
    : await load(location)
  const { state } = loaded
  // Rows loaded from the snapshot's lines point into it: it stays open for reading them.
  let reader: SpotReader | undefined = loaded.spots ? openSpotReader(location) : undefined
  if (reader !== undefined) state.readSpot = reader.read
  const db = memory ? undefined : new Low<Snapshot>(new SnapshotFile(location, (json) => state.text(json)) as never, emptySnapshot())
  let seq = loaded.seq
  let applied = loaded.seq

  /** What a compaction writes: everything applied so far, and the rows it came from. */
  function capture (): { snapshot: Snapshot, captured: Captured } {
    const captured = state.capture()
    const snapshot: Snapshot = {
      schema: 3,
      seq: applied,
      pruned: state.pruned,
      merchants: captured.merchants,
      orders: captured.orders.map((o) => o.json),
      callbacks: captured.callbacks.map((d) => d.json)
    }
    return { snapshot, captured }
  }
  async function writeSnapshot (snapshot: Snapshot): Promise<void> {
    if (db === undefined) return
    db.data = snapshot
    await db.write()
  }
  /** Once a snapshot is written, the captured rows read their text from it instead of memory (or the old file). */
  function rebase ({ snapshot, captured }: ReturnType<typeof capture>): void {
    if (memory) return
    const next = openSpotReader(location)
    const spots = spotsOf(snapshot)
    state.rebase(captured, spots.orders, spots.callbacks, next.read)
    reader?.close()
    reader = next
  }

  if (loaded.migratedFrom !== undefined) {
    const kept = await keepCopy(location, `${location}.schema-${loaded.migratedFrom}.bak`)
    const written = capture()
    await writeSnapshot(written.snapshot)
    rebase(written)
    loaded.warnings.push(`${location}: a data file of schema ${loaded.migratedFrom} was moved to the journal store (schema 3); the old file is kept as ${kept}${loaded.migratedFrom === 2 ? ` and the segment folder ${location}.d is no longer read` : ''}: remove them once you no longer need them`)
  } else if (loaded.fresh) {
    // A journal never stands without its snapshot: a missing data file beside a journal is then always a mistake.
    await writeSnapshot(capture().snapshot)
  }
  for (const message of loaded.warnings) warn(message)

  const journal = await openJournal(memory ? undefined : journalOf(location), sync, options.openFile)
  const gate = createGate()
  const listeners: ChangeListener[] = []
  /** Ids of new orders and refunds being written: taken already, so two requests cannot both get one. */
  const reserved = new Set<string>()
  const reservedMerchants = new Set<string>()
  /** Compactions run one after another, never two at once (they share the temporary file and the journal). */
  let compactions: Promise<void> = Promise.resolve()
  let compacting = false
  let compacted = 0
  /** After a failed compaction the next waits until the journal has grown by the limit again. */
  let compactAt = limit

  async function commit (event: StoreEvent): Promise<StoreReset> {
    // What the store writes, it must be able to load: a change it could not read back is refused here.
    if (event.op === 'put') {
      const problem = event.orders.map((o) => orderProblem(o.value)).find((p) => p !== undefined) ??
        event.callbacks.map((d) => deliveryProblem(d.value)).find((p) => p !== undefined)
      if (problem !== undefined) throw new StoreError(`refused a change the store could not load again: ${problem}`)
    }
    const n = ++seq
    let removed: StoreReset = { orders: 0, refunds: 0, callbacks: 0 }
    await journal.append(eventLine(n, event), () => {
      removed = state.apply(event)
      applied = n
      const change = event.op === 'put'
        ? { orders: event.orders.map((o) => o.value), callbacks: event.callbacks.map((d) => d.value), forgot: false }
        : { orders: [], callbacks: [], forgot: event.op === 'forget' }
      for (const listener of listeners) listener(change)
    })
    if (journal.size() >= compactAt && !compacting) {
      compacting = true
      runCompaction()
        .catch((err: unknown) => {
          compactAt = journal.size() + limit
          warn(`compaction failed, the journal keeps growing until the next one: ${(err as Error).message}`)
        })
        .finally(() => { compacting = false })
    }
    return removed
  }
  function runCompaction (): Promise<void> {
    const run = compactions.then(compact)
    compactions = run.catch(() => undefined)
    return run
  }

  /** Retention, then a new snapshot of everything applied, then a journal that holds only what came after it. */
  async function compact (): Promise<void> {
    if (retention > 0 && state.orders.size > retention) await prune(state.orders.size - retention)
    const { written, offset } = await journal.between(() => ({ written: capture(), offset: journal.size() }))
    await writeSnapshot(written.snapshot)
    await journal.between(async () => {
      rebase(written)
      await journal.dropBefore(offset)
    })
    compacted += 1
    compactAt = limit
  }

  /** Forgets the `excess` oldest closed orders (not `init`, no callback pending), with their callbacks. */
  async function prune (excess: number): Promise<void> {
    await gate.exclusive(async () => {
      const chosen: Array<[string, string]> = []
      for (const order of state.oldest()) {
        if (chosen.length >= excess) break
        if (order.status !== 'init' && !state.hasPending(order.key)) chosen.push([order.merchant_id, order.order_id])
      }
      if (chosen.length > 0) await commit({ op: 'forget', merchant_id: null, orders: chosen, prune: true })
    })
  }

  /** Runs `write` with the new ids reserved, so that a concurrent request sees them taken. */
  async function withReserved<T> (merchantId: string, ids: string[], write: () => Promise<T>): Promise<T> {
    const keys = ids.map((id) => keyOf(merchantId, id))
    const taken = ids.find((id, i) => state.idTaken(merchantId, id) || reserved.has(keys[i]!) || ids.indexOf(id) !== i)
    if (taken !== undefined) throw new IdTakenError(merchantId, taken)
    for (const key of keys) reserved.add(key)
    try {
      return await write()
    } finally {
      for (const key of keys) reserved.delete(key)
    }
  }

  return {
    orders: {
      find: (merchantId, orderId) => state.order(keyOf(merchantId, orderId)),
      findByPageToken: (token) => state.orderByToken(token),
      findByBizpayId: (bizpayOrderId) => state.orderByBizpayId(bizpayOrderId),
      findRefund (merchantId, refundId) {
        const key = state.refundOwner(merchantId, refundId)
        const order = key === undefined ? undefined : state.order(key)
        const refund = order?.refunds?.find((r) => r.refund_id === refundId)
        return order === undefined || refund === undefined ? undefined : { order, refund }
      },
      idTaken: (merchantId, id) => state.idTaken(merchantId, id) || reserved.has(keyOf(merchantId, id)),
      findById: (orderId) => state.withOrderId(orderId),
      hasAny: (merchantId) => state.hasMerchant(merchantId),
      page (query = {}) {
        const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? 100)), PAGE_LIMIT)
        const cursor = query.cursor === undefined || query.cursor === null || query.cursor === '' ? undefined : Number(query.cursor)
        return state.page(matcher(query), limit, Number.isFinite(cursor) ? cursor : undefined)
      },
      countMatching: (query = {}) => state.count(matcher(query)),
      actions: () => state.actions(),
      count: () => state.orders.size,
      insert: (order, callbacks = []) => gate.shared(() =>
        withReserved(order.merchant_id, [order.order_id], async () => {
          await commit({ op: 'put', orders: [item(order)], callbacks: callbacks.map(item) })
          return order
        })),
      update: (merchantId, orderId, change) => gate.serial(keyOf(merchantId, orderId), () => gate.shared(async () => {
        const current = state.order(keyOf(merchantId, orderId))
        if (current === undefined) throw new GoneError(`order ${orderId} of merchant ${merchantId}`)
        const before = new Set((current.refunds ?? []).map((refund) => refund.refund_id))
        const result = change(current)
        if (result === undefined) return current
        const next: Order = result.order
        if (next.merchant_id !== merchantId || next.order_id !== orderId) throw new Error('an order change cannot change the order\'s id')
        const added = (next.refunds ?? []).map((refund) => refund.refund_id).filter((id) => !before.has(id))
        return await withReserved(merchantId, added, async () => {
          await commit({ op: 'put', orders: [item(next)], callbacks: (result.callbacks ?? []).map(item) })
          return next
        })
      }))
    },
    callbacks: {
      get: (id) => state.delivery(id),
      forOrder: (merchantId, orderId) => state.deliveriesOf(keyOf(merchantId, orderId)),
      pending: () => state.pendingDeliveries(),
      update: (id, change) => gate.serial(`callback\u0000${id}`, () => gate.shared(async () => {
        const current = state.delivery(id)
        const next: Delivery | undefined = current === undefined ? undefined : change(current)
        if (next === undefined) return undefined
        if (next.id !== id) throw new Error('a callback change cannot change its id')
        await commit({ op: 'put', orders: [], callbacks: [item(next)] })
        return next
      }))
    },
    merchants: {
      list: () => [...state.merchants.values()].map((merchant) => structuredClone(merchant)),
      get (merchantId) {
        const merchant = state.merchants.get(merchantId)
        return merchant === undefined ? undefined : structuredClone(merchant)
      },
      insert: (merchant) => gate.shared(async () => {
        // Reserved while written: a concurrent insert of the same id or merCode is refused, not a silent overwrite.
        const keys = [`id\u0000${merchant.merchant_id}`, ...(merchant.mer_code === undefined ? [] : [`code\u0000${merchant.mer_code}`])]
        const codeTaken = [...state.merchants.values()].some((m) => m.mer_code !== undefined && m.mer_code === merchant.mer_code)
        if (state.merchants.has(merchant.merchant_id) || codeTaken || keys.some((key) => reservedMerchants.has(key))) {
          throw new Error(`merchant ${merchant.merchant_id} (or its mer_code) exists already`)
        }
        for (const key of keys) reservedMerchants.add(key)
        try {
          await commit({ op: 'merchants', put: [structuredClone(merchant)], remove: [] })
        } finally {
          for (const key of keys) reservedMerchants.delete(key)
        }
      }),
      remove: (merchantId) => gate.shared(async () => {
        if (!state.merchants.has(merchantId)) return false
        await commit({ op: 'merchants', put: [], remove: [merchantId] })
        return true
      }),
      clear: () => gate.shared(async () => {
        const ids = [...state.merchants.keys()]
        if (ids.length > 0) await commit({ op: 'merchants', put: [], remove: ids })
        return ids.length
      })
    },
    reset: (merchantId) => gate.exclusive(async () => {
      if (merchantId === undefined ? state.orders.size === 0 && state.deliveries.size === 0 : !state.hasMerchant(merchantId)) {
        return { orders: 0, refunds: 0, callbacks: 0 }
      }
      return await commit({ op: 'forget', merchant_id: merchantId ?? null, orders: null, prune: false })
    }),
    subscribe (listener) {
      listeners.push(listener)
    },
    stats: () => ({
      ...state.counts(),
      journal_bytes: journal.size(),
      compactions: compacted,
      retention_orders: retention > 0 ? retention : null,
      pruned: state.pruned,
      location,
      sync
    }),
    location,
    warnings: loaded.warnings,
    compact: runCompaction,
    async close () {
      await compactions
      // A last snapshot, so that the next start reads it alone and replays nothing (a crash leaves the journal).
      if (!memory && journal.size() > 0) {
        await runCompaction().catch((err: unknown) => { warn(`the last compaction failed; the next start replays the journal: ${(err as Error).message}`) })
      }
      await journal.close()
      reader?.close()
      reader = undefined
      state.readSpot = () => { throw new StoreError(`${location}: the store is closed`) }
    }
  }
}

/** Copies `file` to `target` (or `target.1`, `target.2`, … when taken): a copy kept is never overwritten. */
async function keepCopy (file: string, target: string): Promise<string> {
  for (let n = 0; ; n++) {
    const name = n === 0 ? target : `${target}.${n}`
    try {
      await copyFile(file, name, constants.COPYFILE_EXCL)
      return name
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
}

function matcher (query: OrderQuery): (row: OrderRow) => boolean {
  return (row) => (query.merchant_id === undefined || row.merchant_id === query.merchant_id) &&
    (query.status === undefined || row.status === query.status) &&
    (query.action === undefined || row.action === query.action)
}

function emptySnapshot (): Snapshot {
  return { schema: 3, seq: 0, pruned: 0, merchants: [], orders: [], callbacks: [] }
}
