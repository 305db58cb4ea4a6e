import { mkdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Delivery } from '../callbacks/delivery.js'
import type { Order, OrderStatus, Refund } from '../orders/order.js'
import { defaultData, segmentName, type Data, type SegmentData } from './data.js'
import { createGroupCommit, type GroupCommit } from './group-commit.js'
import { dataFile, readMain, readSegment, removeStrays, segmentDir } from './load.js'
import { createMerchantRepository, type MerchantRepository } from './merchant-repository.js'
import { countAll, type StoreStats } from './stats.js'

export type { MerchantRepository } from './merchant-repository.js'
export type { StoreStats } from './stats.js'

export interface OrderFilter {
  merchant_id?: string
  status?: OrderStatus
}

/** Small repository functions over the orders; the only way the rest of the sandbox touches persistence. */
export interface OrderRepository {
  /** Adds an order; resolves once it is on disk. */
  insert(order: Order): Promise<void>
  /** Saves changes made to an order (its new refunds included); resolves once they are on disk. */
  save(order: Order): Promise<void>
  find(merchantId: string, orderId: string): Order | undefined
  /** A refund by its id (REFUND's `order_id`), with the order it refunded. */
  findRefund(merchantId: string, refundId: string): { order: Order, refund: Refund } | undefined
  /** True when the merchant used this id already, for an order or a refund (one namespace: ORDER_USED). */
  idTaken(merchantId: string, id: string): boolean
  findByPageToken(token: string): Order | undefined
  /** Orders with this id across merchants (order ids are unique per merchant only). */
  findById(orderId: string): Order[]
  /** Newest first. */
  list(filter?: OrderFilter): Order[]
  /** Orders still awaiting payment (`init`), for autopay and expiry. */
  listOpen(): Order[]
  count(): number
}

/** The callback outbox. */
export interface CallbackRepository {
  /** Adds deliveries; resolves once they (and every other pending change, e.g. their order's) are on disk. */
  insert(deliveries: Delivery[]): Promise<void>
  save(delivery: Delivery): Promise<void>
  get(id: string): Delivery | undefined
  forOrder(merchantId: string, orderId: string): Delivery[]
  /** Pending deliveries whose next attempt is due at `now`. */
  due(now: number): Delivery[]
}

/** What a reset threw away, by kind. */
export type StoreReset = Record<'orders' | 'refunds' | 'callbacks', number>

export interface Store {
  orders: OrderRepository
  callbacks: CallbackRepository
  /** Runtime merchants only: fixture merchants live in FIXTURES_DIR, never in the data file. */
  merchants: MerchantRepository
  /**
   * Forgets every order with its refunds and callbacks, or only `merchantId`'s (POST /sandbox/api/reset); the
   * merchants stay. Resolves once the change is on disk. Ids become free again and a removed callback is gone
   * from `callbacks.get`, so nothing of it is sent any more.
   */
  reset(merchantId?: string): Promise<StoreReset>
  /** Counts of what is stored (GET /sandbox/api/stats). */
  stats(): StoreStats
  /** Where the data lives: a file path, or `:memory:`. */
  location: string
  /** Waits for every write in flight (and the retention work they started), then writes the data file once more. */
  close(): Promise<void>
}

export interface StoreOptions {
  /** Orders per segment file (SEGMENT_ORDERS): the most one write of an order change carries. Default 1000. */
  segmentOrders?: number
  /** Keep at most this many orders (RETENTION_ORDERS), pruning the oldest closed ones; 0 keeps every order. */
  retentionOrders?: number
}

export const DEFAULT_SEGMENT_ORDERS = 1000

/** Where a group of orders lives with its callbacks: the data file's head, or one segment file. */
interface Home {
  orders: Order[]
  callbacks: Delivery[]
  /** Writes this home; resolves once its current contents are on disk and reachable from the data file. */
  commit(undo?: () => void): Promise<void>
}

interface Segment extends Home {
  name: string
  group: GroupCommit
  /** Its file holds its orders: the data file lists it instead of carrying them. */
  written: boolean
  /** A data file that lists it is on disk: from then on its file, not the data file, holds its orders. */
  listed: boolean
  /** Bumped when a change to it is refused before it is listed: a segment write that began earlier may carry it. */
  epoch: number
  /** Emptied by a reset or the retention policy. */
  removed: boolean
  flushQueued: boolean
}

const key = (merchantId: string, orderId: string) => `${merchantId}\u0000${orderId}`
const orderKey = (item: { merchant_id: string, order_id: string }) => key(item.merchant_id, item.order_id)

function removeItem<T> (list: T[], item: T): void {
  const at = list.lastIndexOf(item)
  if (at >= 0) list.splice(at, 1)
}

/**
 * Opens the store. Orders live in lowdb JSON files: the newest in DB_FILE itself, older ones in segment files of
 * `segmentOrders` orders each in `<DB_FILE>.d/`, every order with its callbacks. A change rewrites only the file
 * that holds it, so a write costs at most one segment however long the history; concurrent changes to one file
 * share a write (group commit). Every write resolves only after its file is written (atomically: a temp file and a
 * rename). `:memory:` keeps everything in memory.
 */
export async function createStore (location: string, options: StoreOptions = {}): Promise<Store> {
  const memory = location === ':memory:'
  const segmentOrders = Math.max(1, options.segmentOrders ?? DEFAULT_SEGMENT_ORDERS)
  const retention = options.retentionOrders ?? 0
  const loaded = memory ? { data: defaultData(), legacy: false } : await readMain(location)
  const data: Data = loaded.data
  const head: Home = { orders: data.orders, callbacks: data.callbacks, commit: (undo) => mainGroup.commit(undo) }
  const segments: Segment[] = []
  const homes = (): Home[] => [...segments, head]

  /** Listed by the next data file: its file holds every change made to it (or a data file lists it already). */
  const inFile = (segment: Segment): boolean => segment.written || segment.listed
  function mainSnapshot (): Data {
    const inline = segments.filter((s) => !inFile(s))
    return {
      schema: 2,
      segments: segments.filter(inFile).map((s) => s.name),
      next_segment: data.next_segment,
      pruned: data.pruned,
      merchants: data.merchants,
      orders: inline.length === 0 ? head.orders : [...inline.flatMap((s) => s.orders), ...head.orders],
      callbacks: inline.length === 0 ? head.callbacks : [...inline.flatMap((s) => s.callbacks), ...head.callbacks]
    }
  }
  // Work that no caller waits for (sealing a full head, retention); close() waits for it.
  let background: Promise<void> = Promise.resolve()
  const later = (work: () => Promise<void>): void => {
    // A failed segment write leaves its orders in the data file, where they are safe; a later write retries it.
    background = background.then(work).catch(() => undefined)
  }

  const mainFile = memory ? undefined : dataFile<Data>(location)
  const mainGroup = createGroupCommit(location, async () => {
    const snapshot = mainSnapshot()
    const listing = segments.filter(inFile)
    await mainFile?.write(snapshot)
    for (const segment of listing) segment.listed = true
  })

  /**
   * A caller's change to a segment the data file did not list was refused. A background write of its segment file
   * may have taken it along, so that file must not be listed (and, if a data file listed it meanwhile, is rewritten):
   * its orders stay in the data file until a segment write that began after the caller undid its change.
   */
  function refused (segment: Segment): void {
    if (segment.removed) return
    segment.epoch++
    if (!segment.listed) segment.written = false
    flushLater(segment)
  }
  /** Writes a segment's file, then a data file that lists it, in the background. */
  function flushLater (segment: Segment): void {
    if (segment.flushQueued) return
    segment.flushQueued = true
    later(async () => {
      segment.flushQueued = false
      // A refused caller puts its objects back when it sees the rejection: let it, before the snapshot.
      await new Promise((resolve) => setImmediate(resolve))
      if (segment.removed) return
      await segment.group.commit()
      if (!segment.listed) await mainGroup.commit()
    })
  }

  let dirMade = false
  function makeSegment (name: string, orders: Order[], callbacks: Delivery[], onDisk: boolean): Segment {
    const file = memory ? undefined : dataFile<SegmentData>(join(segmentDir(location), name))
    const segment: Segment = {
      name,
      orders,
      callbacks,
      written: onDisk,
      listed: onDisk,
      removed: false,
      epoch: 0,
      flushQueued: false,
      group: createGroupCommit(memory ? location : join(segmentDir(location), name), async () => {
        const epoch = segment.epoch
        if (file !== undefined) {
          if (!dirMade) mkdirSync(segmentDir(location), { recursive: true })
          dirMade = true
          await file.write({ schema: 2, orders: segment.orders, callbacks: segment.callbacks })
        }
        if (segment.epoch === epoch) segment.written = true
      }),
      async commit (undo) {
        if (segment.removed) return
        if (segment.listed) return await segment.group.commit(undo)
        // Not listed yet: the change goes into the data file, which holds its orders until a segment write that
        // began after the change is done. A segment file carrying a change not yet acknowledged is never listed:
        // if the change were refused, the next data file would bring it back.
        segment.epoch++
        segment.written = false
        try {
          await mainGroup.commit(undo)
        } catch (err) {
          refused(segment)
          throw err
        }
        // That data file listed it: its orders (this change included) were not in it, so write the segment too.
        if (segment.listed) return await segment.group.commit(undo)
        flushLater(segment)
      }
    }
    return segment
  }

  const byKey = new Map<string, Order>()
  const byToken = new Map<string, Order>()
  const byDelivery = new Map<string, Delivery>()
  const byRefund = new Map<string, { order: Order, refund: Refund }>()
  const homeOf = new WeakMap<Order, Home>()
  const deliveryHome = new WeakMap<Delivery, Home>()
  // Orders that may still be `init` and deliveries that may still be pending. Neither goes back, so closed ones are
  // dropped lazily and the scheduler's frequent tick never scans the whole history.
  const open = new Set<Order>()
  const pending = new Set<Delivery>()

  /** Indexes the order's refunds; returns the keys that are new. */
  function indexRefunds (order: Order): string[] {
    const added: string[] = []
    for (const refund of order.refunds ?? []) {
      const k = key(order.merchant_id, refund.refund_id)
      if (!byRefund.has(k)) added.push(k)
      byRefund.set(k, { order, refund })
    }
    return added
  }
  function indexOrder (order: Order, home: Home): void {
    byKey.set(orderKey(order), order)
    byToken.set(order.page_token, order)
    homeOf.set(order, home)
    if (order.status === 'init') open.add(order)
    indexRefunds(order)
  }
  function indexDelivery (delivery: Delivery, home: Home): void {
    byDelivery.set(delivery.id, delivery)
    deliveryHome.set(delivery, home)
    if (delivery.status === 'pending') pending.add(delivery)
  }
  function unindexOrder (order: Order): number {
    const k = orderKey(order)
    // By identity: a new order may have taken the id meanwhile.
    if (byKey.get(k) === order) byKey.delete(k)
    if (byToken.get(order.page_token) === order) byToken.delete(order.page_token)
    // The scheduler reads `open`: a removed order must never be paid or expired (and so never notified).
    open.delete(order)
    for (const refund of order.refunds ?? []) {
      const rk = key(order.merchant_id, refund.refund_id)
      if (byRefund.get(rk)?.order === order) byRefund.delete(rk)
    }
    return order.refunds?.length ?? 0
  }
  function unindexDelivery (delivery: Delivery): void {
    if (byDelivery.get(delivery.id) === delivery) byDelivery.delete(delivery.id)
    pending.delete(delivery)
  }

  // Load: the data file's orders first (a file of an older version holds all of them), then every segment.
  for (const name of data.segments) {
    const content = await readSegment(join(segmentDir(location), name))
    const segment = makeSegment(name, content.orders, content.callbacks, true)
    segments.push(segment)
    for (const order of content.orders) indexOrder(order, segment)
    for (const delivery of content.callbacks) indexDelivery(delivery, segment)
  }
  for (const order of head.orders) indexOrder(order, head)
  for (const delivery of head.callbacks) indexDelivery(delivery, head)
  if (!memory) await removeStrays(location, data.segments)
  if (loaded.legacy && head.orders.length > segmentOrders) await migrate()

  /** A data file of an older version with more orders than one segment: split its history into segments now. */
  async function migrate (): Promise<void> {
    const older = head.orders.splice(0, head.orders.length - segmentOrders)
    const created: Segment[] = []
    for (let at = 0; at < older.length; at += segmentOrders) {
      created.push(makeSegment(segmentName(data.next_segment++), older.slice(at, at + segmentOrders), [], false))
    }
    for (const segment of created) for (const order of segment.orders) homeOf.set(order, segment)
    const stay: Delivery[] = []
    for (const delivery of head.callbacks) {
      const order = byKey.get(orderKey(delivery))
      const home = order === undefined ? head : homeOf.get(order) ?? head
      if (home === head) stay.push(delivery)
      else home.callbacks.push(delivery)
      deliveryHome.set(delivery, home)
    }
    head.callbacks = stay
    segments.push(...created)
    for (const segment of created) await segment.group.commit()
    await mainGroup.commit()
  }

  /** The head is full: its orders (with their callbacks) become the newest segment. */
  function seal (): void {
    // An order whose insert is still being written stays in the data file: if that write fails, the insert is undone
    // there, and no segment file ever held it.
    const staying = new Set([...inserting].map(orderKey))
    const stays = (item: { merchant_id: string, order_id: string }) => staying.has(orderKey(item))
    const moved = head.orders.filter((order) => !inserting.has(order))
    if (moved.length === 0) return
    const segment = makeSegment(segmentName(data.next_segment++), moved, head.callbacks.filter((d) => !stays(d)), false)
    for (const order of segment.orders) homeOf.set(order, segment)
    for (const delivery of segment.callbacks) deliveryHome.set(delivery, segment)
    head.orders = head.orders.filter((order) => inserting.has(order))
    head.callbacks = head.callbacks.filter(stays)
    segments.push(segment)
    for (const unwritten of segments.filter((s) => !s.written)) flushLater(unwritten)
    if (retention > 0) later(prune)
  }

  /**
   * Forgets the orders `gone` selects, with their refunds and callbacks, and writes every file that changed;
   * emptied segment files are dropped from the data file, then deleted. If a write fails, memory already forgot
   * them; the next successful write of that file brings it in line.
   */
  async function forget (gone: (order: Order) => boolean, goneDelivery: (delivery: Delivery) => boolean): Promise<StoreReset> {
    const removed: StoreReset = { orders: 0, refunds: 0, callbacks: 0 }
    const touched: Home[] = []
    const emptied: Segment[] = []
    for (const home of homes()) {
      const orders = home.orders.filter(gone)
      const deliveries = home.callbacks.filter(goneDelivery)
      if (orders.length === 0 && deliveries.length === 0) continue
      for (const order of orders) removed.refunds += unindexOrder(order)
      for (const delivery of deliveries) unindexDelivery(delivery)
      removed.orders += orders.length
      removed.callbacks += deliveries.length
      if (orders.length > 0) home.orders = home.orders.filter((order) => !gone(order))
      if (deliveries.length > 0) home.callbacks = home.callbacks.filter((delivery) => !goneDelivery(delivery))
      if (home !== head && home.orders.length === 0 && home.callbacks.length === 0) emptied.push(home as Segment)
      else touched.push(home)
    }
    if (touched.length === 0 && emptied.length === 0) return removed
    for (const segment of emptied) {
      segment.removed = true
      removeItem(segments, segment)
    }
    const writes = touched.map((home) => home.commit())
    if (emptied.length > 0 && !touched.includes(head)) writes.push(head.commit())
    const results = await Promise.allSettled(writes)
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    if (!memory) await Promise.all(emptied.map((s) => rm(join(segmentDir(location), s.name), { force: true })))
    return removed
  }

  /** Keeps at most `retention` orders: the oldest closed ones (not `init`, no pending callback) go first. */
  async function prune (): Promise<void> {
    const excess = byKey.size - retention
    if (excess <= 0) return
    const chosen = new Set<Order>()
    for (const home of homes()) {
      const waiting = new Set(home.callbacks.filter((d) => d.status === 'pending').map(orderKey))
      for (const order of home.orders) {
        if (chosen.size >= excess) break
        if (order.status !== 'init' && !waiting.has(orderKey(order))) chosen.add(order)
      }
      if (chosen.size >= excess) break
    }
    if (chosen.size === 0) return
    const keys = new Set([...chosen].map(orderKey))
    const removed = await forgetAndCount(chosen, keys)
    data.pruned += removed
    await head.commit()
  }
  async function forgetAndCount (chosen: Set<Order>, keys: Set<string>): Promise<number> {
    const removed = await forget((order) => chosen.has(order), (delivery) => keys.has(orderKey(delivery)))
    return removed.orders
  }

  /** Orders whose insert is being written: seal() leaves them in the data file. */
  const inserting = new Set<Order>()

  const orders: OrderRepository = {
    async insert (order) {
      if (head.orders.length >= segmentOrders) seal()
      head.orders.push(order)
      indexOrder(order, head)
      inserting.add(order)
      try {
        // Not on disk means not acknowledged: take it back out so memory and file agree. By identity: a reset during
        // the write may have removed it, or a new order may have taken the id.
        await mainGroup.commit(() => {
          const home = homeOf.get(order)
          if (home !== undefined) removeItem(home.orders, order)
          unindexOrder(order)
        })
      } finally {
        inserting.delete(order)
      }
    },
    async save (order) {
      const home = homeOf.get(order)
      // An order a reset removed while it was being changed stays forgotten: nothing to write, and its refunds must
      // not take ids back.
      if (home === undefined || byKey.get(orderKey(order)) !== order) return
      // Indexed before the write so that a concurrent REFUND cannot take the same id while this one is written; a
      // refund that did not reach the disk is not acknowledged, so its id is free again.
      const added = indexRefunds(order)
      await home.commit(() => { for (const k of added) byRefund.delete(k) })
    },
    find: (merchantId, orderId) => byKey.get(key(merchantId, orderId)),
    findRefund: (merchantId, refundId) => byRefund.get(key(merchantId, refundId)),
    idTaken: (merchantId, id) => byKey.has(key(merchantId, id)) || byRefund.has(key(merchantId, id)),
    findByPageToken: (token) => byToken.get(token),
    findById: (orderId) => homes().flatMap((home) => home.orders.filter((order) => order.order_id === orderId)),
    list (filter = {}) {
      const matches: Order[] = []
      const all = homes()
      for (let h = all.length - 1; h >= 0; h--) {
        const list = all[h]!.orders
        for (let i = list.length - 1; i >= 0; i--) {
          const order = list[i]!
          if ((filter.merchant_id === undefined || order.merchant_id === filter.merchant_id) &&
            (filter.status === undefined || order.status === filter.status)) matches.push(order)
        }
      }
      return matches
    },
    listOpen () {
      for (const order of open) if (order.status !== 'init') open.delete(order)
      return [...open]
    },
    count: () => byKey.size
  }

  const callbacks: CallbackRepository = {
    async insert (given) {
      // A payment that raced a reset (a scheduler tick, a payer page) must not revive the order's callbacks.
      const deliveries = given.filter((d) => byKey.has(orderKey(d)))
      const byHome = new Map<Home, Delivery[]>()
      for (const delivery of deliveries) {
        const home = homeOf.get(byKey.get(orderKey(delivery))!) ?? head
        home.callbacks.push(delivery)
        indexDelivery(delivery, home)
        byHome.set(home, [...byHome.get(home) ?? [], delivery])
      }
      // Not on disk means never sent: the caller puts the order back too.
      const undo = () => {
        for (const delivery of deliveries) {
          const home = deliveryHome.get(delivery)
          if (home !== undefined) removeItem(home.callbacks, delivery)
          unindexDelivery(delivery)
        }
      }
      if (byHome.size === 0) return
      const results = await Promise.allSettled([...byHome.keys()].map((home) => home.commit(undo)))
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
      if (failed !== undefined) {
        undo()
        throw failed.reason
      }
    },
    async save (delivery) {
      const home = deliveryHome.get(delivery)
      if (home === undefined || byDelivery.get(delivery.id) !== delivery) return
      if (delivery.status === 'pending') pending.add(delivery)
      await home.commit()
    },
    get: (id) => byDelivery.get(id),
    forOrder (merchantId, orderId) {
      const order = byKey.get(key(merchantId, orderId))
      const home = order === undefined ? undefined : homeOf.get(order)
      return home === undefined ? [] : home.callbacks.filter((d) => d.merchant_id === merchantId && d.order_id === orderId)
    },
    due (now) {
      const found: Delivery[] = []
      for (const delivery of pending) {
        if (delivery.status !== 'pending') pending.delete(delivery)
        else if (delivery.next_attempt_at !== null && delivery.next_attempt_at <= now) found.push(delivery)
      }
      return found
    }
  }

  return {
    orders,
    callbacks,
    merchants: createMerchantRepository(data, (undo) => mainGroup.commit(undo)),
    reset: (merchantId) => forget(
      (order) => merchantId === undefined || order.merchant_id === merchantId,
      (delivery) => merchantId === undefined || delivery.merchant_id === merchantId),
    stats: () => ({
      ...countAll(homes()),
      segments: segments.length,
      segment_orders: segmentOrders,
      retention_orders: retention > 0 ? retention : null,
      pruned: data.pruned,
      location
    }),
    location,
    async close () {
      await background
      await Promise.all([mainGroup, ...segments.map((s) => s.group)].map((g) => g.idle()))
      // A last write of the data file leaves a file of the current schema behind, even for a store never written.
      if (!memory) await mainGroup.commit()
    }
  }
}
