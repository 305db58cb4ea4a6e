import type { Delivery } from '../domain/callbacks/delivery.js'
import type { Merchant } from '../domain/fixtures.js'
import { ORDER_STATUSES, type Order, type OrderStatus } from '../domain/orders/order.js'
import { encode } from './encode.js'
import type { Page, StoreReset } from './types.js'

/**
 * The in-memory state: a few indexed fields of every order and delivery, and where its JSON text is: in memory (a
 * change since the snapshot) or a place in the snapshot file, read when needed. A read parses a fresh copy. The
 * store changes the state only by {@link State.apply}, with an event that is already durable.
 */

/** A value's text in the snapshot file: its bytes, read on demand. */
export interface Spot {
  offset: number
  length: number
}

/** Where a stored value's JSON text is. */
export type Text = string | Spot

/** Reads the text at a spot of the current snapshot file. */
export type ReadSpot = (spot: Spot) => string

/** A stored value with its encoded text: what the journal and the snapshot write. */
export interface Item<T> {
  value: T
  json: Text
}

export const item = <T>(value: T): Item<T> => ({ value, json: encode(value) })

export type StoreEvent =
  | { op: 'put', orders: Array<Item<Order>>, callbacks: Array<Item<Delivery>> }
  /** A reset (`merchant_id` null: everyone) or the retention policy (`orders`: these keys, `prune`: true). */
  | { op: 'forget', merchant_id: string | null, orders: Array<[string, string]> | null, prune: boolean }
  | { op: 'merchants', put: Merchant[], remove: string[] }

export interface OrderRow {
  /** Insertion number: the order of the timeline, and the paging cursor. */
  n: number
  json: Text
  merchant_id: string
  order_id: string
  action: string
  status: OrderStatus
  token: string
  refunds: string[]
  /** The bizpay_order_id of the order and of each of its refunds (the admin UI's search). */
  bizpay: string[]
}

interface DeliveryRow {
  json: Text
  merchant_id: string
  order_id: string
  status: Delivery['status']
}

export const keyOf = (merchantId: string, id: string): string => `${merchantId}\u0000${id}`

/** What a compaction captured: each row as it was, with its text, to be pointed at the new snapshot once written. */
export interface Captured {
  merchants: string[]
  orders: Array<{ key: string, row: OrderRow, json: Text }>
  callbacks: Array<{ key: string, row: DeliveryRow, json: Text }>
}

export class State {
  /** Reads spots of the snapshot the rows point at (swapped by {@link State.rebase}). */
  readSpot: ReadSpot = () => { throw new Error('no snapshot file to read from') }
  readonly orders = new Map<string, OrderRow>()
  readonly deliveries = new Map<string, DeliveryRow>()
  readonly merchants = new Map<string, Merchant>()
  /** Insertion numbers, oldest first; a removed order's number stays until many are stale. */
  private timeline: number[] = []
  private readonly byN = new Map<number, string>()
  private nextN = 0
  private readonly tokens = new Map<string, string>()
  private readonly refunds = new Map<string, string>()
  private readonly bizpay = new Map<string, string>()
  private readonly byOrder = new Map<string, string[]>()
  pruned = 0

  text (json: Text): string {
    return typeof json === 'string' ? json : this.readSpot(json)
  }

  order (key: string): Order | undefined {
    const row = this.orders.get(key)
    return row === undefined ? undefined : JSON.parse(this.text(row.json)) as Order
  }

  orderByToken (token: string): Order | undefined {
    const key = this.tokens.get(token)
    return key === undefined ? undefined : this.order(key)
  }

  /** The order whose bizpay_order_id, or one of whose refunds' bizpay_order_id, this is. */
  orderByBizpayId (bizpayOrderId: string): Order | undefined {
    const key = this.bizpay.get(bizpayOrderId)
    return key === undefined ? undefined : this.order(key)
  }

  /** The key of the order that holds this refund id. */
  refundOwner (merchantId: string, refundId: string): string | undefined {
    return this.refunds.get(keyOf(merchantId, refundId))
  }

  idTaken (merchantId: string, id: string): boolean {
    const key = keyOf(merchantId, id)
    return this.orders.has(key) || this.refunds.has(key)
  }

  delivery (id: string): Delivery | undefined {
    const row = this.deliveries.get(id)
    return row === undefined ? undefined : JSON.parse(this.text(row.json)) as Delivery
  }

  deliveriesOf (orderKey: string): Delivery[] {
    return (this.byOrder.get(orderKey) ?? []).map((id) => this.delivery(id)!)
  }

  /** How many orders match, by their indexed fields. */
  count (match: (row: OrderRow) => boolean): number {
    let n = 0
    for (const row of this.orders.values()) if (match(row)) n += 1
    return n
  }

  /** The actions that made the stored orders. */
  actions (): string[] {
    const found = new Set<string>()
    for (const row of this.orders.values()) found.add(row.action)
    return [...found].sort()
  }

  /** Newest first, `limit` at a time, after the cursor (an insertion number). */
  page (match: (row: OrderRow) => boolean, limit: number, cursor: number | undefined): Page<Order> {
    const items: Order[] = []
    let at = cursor === undefined ? this.timeline.length - 1 : this.indexBefore(cursor)
    let last: number | undefined
    for (; at >= 0; at--) {
      const key = this.byN.get(this.timeline[at]!)
      const row = key === undefined ? undefined : this.orders.get(key)
      if (row === undefined || !match(row)) continue
      if (items.length === limit) return { items, next: String(last) }
      items.push(JSON.parse(this.text(row.json)) as Order)
      last = row.n
    }
    return { items, next: null }
  }

  /** The timeline index of the newest insertion number below `n`. */
  private indexBefore (n: number): number {
    let low = 0
    let high = this.timeline.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.timeline[mid]! < n) low = mid + 1
      else high = mid
    }
    return low - 1
  }

  apply (event: StoreEvent): StoreReset {
    const removed: StoreReset = { orders: 0, refunds: 0, callbacks: 0 }
    if (event.op === 'put') {
      for (const order of event.orders) this.putOrder(order)
      for (const delivery of event.callbacks) this.putDelivery(delivery)
    } else if (event.op === 'merchants') {
      for (const id of event.remove) this.merchants.delete(id)
      for (const merchant of event.put) this.merchants.set(merchant.merchant_id, merchant)
    } else {
      const keys = event.orders !== null
        ? event.orders.map(([m, o]) => keyOf(m, o))
        : [...this.orders.values()].filter((row) => event.merchant_id === null || row.merchant_id === event.merchant_id).map((row) => keyOf(row.merchant_id, row.order_id))
      for (const key of keys) {
        const row = this.orders.get(key)
        if (row === undefined) continue
        removed.orders += 1
        removed.refunds += row.refunds.length
        this.removeOrder(key, row)
      }
      // A merchant's callbacks go with it, also those of orders stored without them (a data file edited by hand).
      const deliveryIds = event.orders !== null
        ? keys.flatMap((key) => this.byOrder.get(key) ?? [])
        : [...this.deliveries].filter(([, row]) => event.merchant_id === null || row.merchant_id === event.merchant_id).map(([id]) => id)
      for (const id of deliveryIds) {
        const row = this.deliveries.get(id)
        if (row === undefined) continue
        this.deliveries.delete(id)
        this.byOrder.delete(keyOf(row.merchant_id, row.order_id))
        removed.callbacks += 1
      }
      if (event.prune) this.pruned += removed.orders
      if (this.timeline.length > 2 * this.byN.size + 1000) this.timeline = this.timeline.filter((n) => this.byN.has(n))
    }
    return removed
  }

  private putOrder ({ value, json }: Item<Order>): void {
    const key = keyOf(value.merchant_id, value.order_id)
    const old = this.orders.get(key)
    const row: OrderRow = {
      n: old?.n ?? this.nextN++,
      json,
      merchant_id: value.merchant_id,
      order_id: value.order_id,
      action: value.action,
      status: value.status,
      token: value.page_token,
      refunds: (value.refunds ?? []).map((refund) => refund.refund_id),
      bizpay: [value.bizpay_order_id, ...(value.refunds ?? []).map((refund) => refund.bizpay_order_id)].filter((id) => id !== '')
    }
    if (old === undefined) {
      this.timeline.push(row.n)
      this.byN.set(row.n, key)
    } else {
      if (old.token !== row.token) this.tokens.delete(old.token)
      for (const id of old.refunds) this.refunds.delete(keyOf(value.merchant_id, id))
      for (const id of old.bizpay) this.bizpay.delete(id)
    }
    this.orders.set(key, row)
    this.tokens.set(row.token, key)
    for (const id of row.refunds) this.refunds.set(keyOf(value.merchant_id, id), key)
    for (const id of row.bizpay) this.bizpay.set(id, key)
  }

  private removeOrder (key: string, row: OrderRow): void {
    this.orders.delete(key)
    this.tokens.delete(row.token)
    for (const id of row.refunds) this.refunds.delete(keyOf(row.merchant_id, id))
    for (const id of row.bizpay) this.bizpay.delete(id)
    this.byN.delete(row.n)
  }

  private putDelivery ({ value, json }: Item<Delivery>): void {
    const orderKey = keyOf(value.merchant_id, value.order_id)
    if (!this.deliveries.has(value.id)) this.byOrder.set(orderKey, [...this.byOrder.get(orderKey) ?? [], value.id])
    this.deliveries.set(value.id, { json, merchant_id: value.merchant_id, order_id: value.order_id, status: value.status })
  }

  /** Orders oldest first, by their indexed fields. */
  * oldest (): Generator<OrderRow & { key: string }> {
    for (const n of this.timeline) {
      const key = this.byN.get(n)
      if (key !== undefined) yield { ...this.orders.get(key)!, key }
    }
  }

  /** True while a callback of the order waits to be sent. */
  hasPending (orderKey: string): boolean {
    return (this.byOrder.get(orderKey) ?? []).some((id) => this.deliveries.get(id)?.status === 'pending')
  }

  pendingDeliveries (): Delivery[] {
    const found: Delivery[] = []
    for (const row of this.deliveries.values()) if (row.status === 'pending') found.push(JSON.parse(this.text(row.json)) as Delivery)
    return found
  }

  withOrderId (orderId: string): Order[] {
    const found: Order[] = []
    for (const row of this.orders.values()) if (row.order_id === orderId) found.push(JSON.parse(this.text(row.json)) as Order)
    return found
  }

  /** True when anything stored belongs to the merchant. */
  hasMerchant (merchantId: string): boolean {
    for (const row of this.orders.values()) if (row.merchant_id === merchantId) return true
    for (const row of this.deliveries.values()) if (row.merchant_id === merchantId) return true
    return false
  }

  counts (): { orders: { total: number, by_status: Record<OrderStatus, number> }, refunds: number, callbacks: Record<Delivery['status'], number> } {
    const byStatus = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0])) as Record<OrderStatus, number>
    let refunds = 0
    for (const row of this.orders.values()) {
      byStatus[row.status] += 1
      refunds += row.refunds.length
    }
    const callbacks = { pending: 0, delivered: 0, failed: 0 }
    for (const row of this.deliveries.values()) callbacks[row.status] += 1
    return { orders: { total: this.orders.size, by_status: byStatus }, refunds, callbacks }
  }

  /** Everything, as a compaction writes it: oldest order first. */
  capture (): Captured {
    const orders: Captured['orders'] = []
    for (const n of this.timeline) {
      const key = this.byN.get(n)
      if (key !== undefined) {
        const row = this.orders.get(key)!
        orders.push({ key, row, json: row.json })
      }
    }
    return {
      merchants: [...this.merchants.values()].map(encode),
      orders,
      callbacks: [...this.deliveries].map(([key, row]) => ({ key, row, json: row.json }))
    }
  }

  /**
   * The captured rows' texts are now at these spots of a new snapshot, read by `read`. A row changed since the
   * capture is a new row holding its own text: it keeps it.
   */
  rebase (captured: Captured, orderSpots: Spot[], callbackSpots: Spot[], read: ReadSpot): void {
    captured.orders.forEach(({ key, row }, i) => { if (this.orders.get(key) === row) row.json = orderSpots[i]! })
    captured.callbacks.forEach(({ key, row }, i) => { if (this.deliveries.get(key) === row) row.json = callbackSpots[i]! })
    this.readSpot = read
  }
}
