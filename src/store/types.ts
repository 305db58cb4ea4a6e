import type { Delivery } from '../domain/callbacks/delivery.js'
import type { Merchant } from '../domain/fixtures.js'
import type { Order, OrderStatus, Refund } from '../domain/orders/order.js'

export { GoneError, IdTakenError } from '../domain/errors.js'

/**
 * The store as the rest of the sandbox sees it. Reads hand out copies (a caller cannot change what is stored by
 * changing what it got); every change is validated against the current state, made durable, and only then applied,
 * so a refused change touches nothing.
 */
export interface Store {
  orders: OrderRepository
  callbacks: CallbackRepository
  /** Runtime merchants only: fixture merchants live in FIXTURES_DIR, never in the data file. */
  merchants: MerchantRepository
  /**
   * Forgets every order with its refunds and callbacks, or only `merchantId`'s (POST /sandbox/api/reset); the
   * merchants stay. Waits for changes in flight, and resolves once the reset is durable.
   */
  reset(merchantId?: string): Promise<StoreReset>
  /** Listens to every applied change, in order (the scheduler keeps its timer queue with it). */
  subscribe(listener: ChangeListener): void
  /** Counts of what is stored (GET /sandbox/api/stats). */
  stats(): StoreStats
  /** Where the data lives: a file path, or `:memory:`. */
  location: string
  /**
   * Compacts now (after any compaction in flight): retention, then a new snapshot and a journal started anew. The
   * store does it by itself when the journal passes its limit.
   */
  compact(): Promise<void>
  /**
   * Waits for every write in flight and the compaction, writes a last snapshot when the journal holds anything (the
   * next start then replays nothing), then closes the journal.
   */
  close(): Promise<void>
}

/** What one change of an order carries: the order as it is now, and the callbacks it fires (written with it). */
export interface OrderChange {
  order: Order
  callbacks?: Delivery[]
}

export interface OrderQuery {
  merchant_id?: string | undefined
  status?: OrderStatus | undefined
  /** The action (or payment link) that made the order. */
  action?: string | undefined
  /** At most this many (default 100, at most 1,000). */
  limit?: number
  /** The `next` of the previous page. */
  cursor?: string | null | undefined
}

export interface Page<T> {
  items: T[]
  /** The cursor of the next (older) page; null on the last page. */
  next: string | null
}

export interface OrderRepository {
  /** A copy of the order, or undefined. */
  find(merchantId: string, orderId: string): Order | undefined
  findByPageToken(token: string): Order | undefined
  /** The order with this bizpay_order_id, or with a refund of this bizpay_order_id. */
  findByBizpayId(bizpayOrderId: string): Order | undefined
  /** A refund by its id (REFUND's `order_id`), with a copy of the order it refunded. */
  findRefund(merchantId: string, refundId: string): { order: Order, refund: Refund } | undefined
  /** True when the merchant used this id already, for an order or a refund (one namespace: ORDER_USED). */
  idTaken(merchantId: string, id: string): boolean
  /** Orders with this id across merchants (order ids are unique per merchant only). */
  findById(orderId: string): Order[]
  /** Newest first, a page at a time. */
  page(query?: OrderQuery): Page<Order>
  /** How many orders match (the page's filters). */
  countMatching(query?: OrderQuery): number
  /** The actions that made the stored orders, sorted. */
  actions(): string[]
  /** True when the merchant has any order (a merchant removed from the fixtures can still be reset). */
  hasAny(merchantId: string): boolean
  count(): number
  /** Adds a new order (and callbacks); resolves with it once durable. Throws {@link IdTakenError}. */
  insert(order: Order, callbacks?: Delivery[]): Promise<Order>
  /**
   * Changes an order: `change` gets a copy of the current order and returns the new one with the callbacks it fires
   * (or undefined for no change). Changes of one order run one after another. Resolves with the stored order once
   * the change is durable. Throws {@link GoneError} when there is no such order (a reset removed it).
   */
  update(merchantId: string, orderId: string, change: (order: Order) => OrderChange | undefined): Promise<Order>
}

export interface CallbackRepository {
  get(id: string): Delivery | undefined
  forOrder(merchantId: string, orderId: string): Delivery[]
  /** Deliveries still pending, for the scheduler's queue at start. */
  pending(): Delivery[]
  /**
   * Changes a delivery as {@link OrderRepository.update} does; resolves with it once durable, or undefined when it is
   * gone (a reset) or `change` returned undefined.
   */
  update(id: string, change: (delivery: Delivery) => Delivery | undefined): Promise<Delivery | undefined>
}

/** The runtime merchants (POST /sandbox/api/merchants), kept in the data file so they outlive a restart. */
export interface MerchantRepository {
  list(): Merchant[]
  get(merchantId: string): Merchant | undefined
  /** Adds a merchant; resolves once it is durable. */
  insert(merchant: Merchant): Promise<void>
  /** Removes one merchant (not its orders); resolves once durable. False when there was none. */
  remove(merchantId: string): Promise<boolean>
  /** Removes them all; resolves with how many, once durable. */
  clear(): Promise<number>
}

/** What a reset threw away, by kind. */
export type StoreReset = Record<'orders' | 'refunds' | 'callbacks', number>

/** One applied change, as listeners see it: the orders and deliveries written, and the keys forgotten. */
export interface Change {
  orders: Order[]
  callbacks: Delivery[]
  /** A reset or the retention policy removed orders (with their callbacks). */
  forgot: boolean
}
export type ChangeListener = (change: Change) => void

/** What the store holds, by kind (GET /sandbox/api/stats). */
export interface StoreStats {
  orders: { total: number, by_status: Record<OrderStatus, number> }
  refunds: number
  callbacks: { pending: number, delivered: number, failed: number }
  /** Bytes in the journal since the last snapshot. */
  journal_bytes: number
  /** Snapshots written since start (compactions). */
  compactions: number
  /** RETENTION_ORDERS, or null when every order is kept. */
  retention_orders: number | null
  /** Orders removed by the retention policy since the data file was created. */
  pruned: number
  /** The data file, or `:memory:`. */
  location: string
  /** `none` (the OS writes the journal when it likes) or `fsync` (each group commit is fdatasync'd). */
  sync: 'none' | 'fsync'
}
