import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Low, Memory } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import type { Delivery } from '../callbacks/delivery.js'
import { StoreError } from '../errors.js'
import { merchantsProblem } from '../fixtures.js'
import type { Order, OrderStatus, Refund } from '../orders/order.js'
import { defaultData, type Data } from './data.js'
import { createMerchantRepository, type MerchantRepository } from './merchant-repository.js'

export type { MerchantRepository } from './merchant-repository.js'

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
  /** Where the data lives: a file path, or `:memory:`. */
  location: string
  close(): Promise<void>
}

const key = (merchantId: string, orderId: string) => `${merchantId}\u0000${orderId}`

async function openLow (location: string): Promise<Low<Data>> {
  if (location === ':memory:') return new Low<Data>(new Memory<Data>(), defaultData())
  await mkdir(dirname(location), { recursive: true })
  const db = new Low<Data>(new JSONFile<Data>(location), defaultData())
  try {
    await db.read()
  } catch (err) {
    throw new StoreError(`${location}: cannot be loaded (${(err as Error).message}); move it away to start empty`, { cause: err })
  }
  if (db.data === null || typeof db.data !== 'object' || !Array.isArray(db.data.orders)) {
    throw new StoreError(`${location}: is not a sandbox data file (no "orders" array)`)
  }
  // Files written before the callback outbox (or runtime merchants) existed have no such array.
  db.data.callbacks ??= []
  db.data.merchants ??= []
  for (const name of ['callbacks', 'merchants'] as const) {
    if (!Array.isArray(db.data[name])) throw new StoreError(`${location}: "${name}" is not an array`)
  }
  // Runtime merchants are the only entries the sandbox trusts without a request: a hand-edited one that is broken
  // would fail later, far from its cause.
  const problem = merchantsProblem(db.data.merchants)
  if (problem !== undefined) throw new StoreError(`${location}: "merchants"${problem} (a runtime merchant is broken)`)
  return db
}

/**
 * Opens the store: a lowdb JSON file, or memory for `:memory:`. Every write resolves only after the file is
 * written (lowdb writes atomically through a temp file and rename, and coalesces concurrent writes).
 */
export async function createStore (location: string): Promise<Store> {
  const db = await openLow(location)
  const byKey = new Map<string, Order>()
  const byToken = new Map<string, Order>()
  const byDelivery = new Map<string, Delivery>()
  const byRefund = new Map<string, { order: Order, refund: Refund }>()
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
  // Orders that may still be `init`. Orders never return to `init`, so closed ones are dropped lazily in
  // listOpen() and the scheduler's frequent tick never scans the whole history.
  const open = new Set<Order>()
  for (const order of db.data.orders) {
    byKey.set(key(order.merchant_id, order.order_id), order)
    byToken.set(order.page_token, order)
    if (order.status === 'init') open.add(order)
    indexRefunds(order)
  }
  for (const delivery of db.data.callbacks) byDelivery.set(delivery.id, delivery)

  async function persist (): Promise<void> {
    try {
      await db.write()
    } catch (err) {
      throw new StoreError(`cannot write ${location}: ${(err as Error).message}`, { cause: err })
    }
  }

  const orders: OrderRepository = {
    async insert (order) {
      db.data.orders.push(order)
      byKey.set(key(order.merchant_id, order.order_id), order)
      byToken.set(order.page_token, order)
      if (order.status === 'init') open.add(order)
      try {
        await persist()
      } catch (err) {
        // Not on disk means not acknowledged: take it back out so memory and file agree. By identity: a reset
        // during the write may have replaced the array, or a new order may have taken the id since.
        const at = db.data.orders.indexOf(order)
        if (at >= 0) db.data.orders.splice(at, 1)
        const k = key(order.merchant_id, order.order_id)
        if (byKey.get(k) === order) byKey.delete(k)
        if (byToken.get(order.page_token) === order) byToken.delete(order.page_token)
        open.delete(order)
        throw err
      }
    },
    async save (order) {
      // Indexed before the write so that a concurrent REFUND cannot take the same id while this one is written;
      // a refund that did not reach the disk is not acknowledged, so its id is free again. An order a reset
      // removed while it was being changed stays forgotten: its refunds must not take ids back.
      const added = byKey.get(key(order.merchant_id, order.order_id)) === order ? indexRefunds(order) : []
      try {
        await persist()
      } catch (err) {
        for (const k of added) byRefund.delete(k)
        throw err
      }
    },
    find: (merchantId, orderId) => byKey.get(key(merchantId, orderId)),
    findRefund: (merchantId, refundId) => byRefund.get(key(merchantId, refundId)),
    idTaken: (merchantId, id) => byKey.has(key(merchantId, id)) || byRefund.has(key(merchantId, id)),
    findByPageToken: (token) => byToken.get(token),
    findById: (orderId) => db.data.orders.filter((order) => order.order_id === orderId),
    list (filter = {}) {
      const matches = db.data.orders.filter((order) =>
        (filter.merchant_id === undefined || order.merchant_id === filter.merchant_id) &&
        (filter.status === undefined || order.status === filter.status))
      return matches.reverse()
    },
    listOpen () {
      for (const order of open) if (order.status !== 'init') open.delete(order)
      return [...open]
    },
    count: () => db.data.orders.length
  }

  const callbacks: CallbackRepository = {
    async insert (given) {
      // A payment that raced a reset (a scheduler tick, a payer page) must not revive the order's callbacks.
      const deliveries = given.filter((d) => byKey.has(key(d.merchant_id, d.order_id)))
      for (const delivery of deliveries) {
        db.data.callbacks.push(delivery)
        byDelivery.set(delivery.id, delivery)
      }
      try {
        await persist()
      } catch (err) {
        // Not on disk means never sent: the caller puts the order back too.
        db.data.callbacks = db.data.callbacks.filter((d) => !deliveries.includes(d))
        for (const delivery of deliveries) byDelivery.delete(delivery.id)
        throw err
      }
    },
    save: () => persist(),
    get: (id) => byDelivery.get(id),
    forOrder: (merchantId, orderId) => db.data.callbacks.filter((d) => d.merchant_id === merchantId && d.order_id === orderId),
    due: (now) => db.data.callbacks.filter((d) => d.status === 'pending' && d.next_attempt_at !== null && d.next_attempt_at <= now)
  }

  async function reset (merchantId?: string): Promise<StoreReset> {
    const gone = (item: { merchant_id: string }) => merchantId === undefined || item.merchant_id === merchantId
    const orderList = db.data.orders.filter(gone)
    const deliveryList = db.data.callbacks.filter(gone)
    let refunds = 0
    for (const order of orderList) {
      byKey.delete(key(order.merchant_id, order.order_id))
      byToken.delete(order.page_token)
      // The scheduler reads `open`: a removed order must never be paid or expired (and so never notified).
      open.delete(order)
      for (const refund of order.refunds ?? []) {
        byRefund.delete(key(order.merchant_id, refund.refund_id))
        refunds += 1
      }
    }
    for (const delivery of deliveryList) byDelivery.delete(delivery.id)
    if (orderList.length > 0) db.data.orders = db.data.orders.filter((order) => !gone(order))
    if (deliveryList.length > 0) db.data.callbacks = db.data.callbacks.filter((delivery) => !gone(delivery))
    // If the write fails, memory already forgot them; the next successful write brings the file in line.
    if (orderList.length > 0 || deliveryList.length > 0) await persist()
    return { orders: orderList.length, refunds, callbacks: deliveryList.length }
  }

  return {
    orders,
    callbacks,
    merchants: createMerchantRepository(() => db.data, persist),
    reset,
    location,
    async close () {
      // lowdb has no handle to release; a last write makes sure nothing queued is left behind.
      if (location !== ':memory:') await persist()
    }
  }
}
