/**
 * The callbacks waiting for a slot, grouped by the receiver they go to, so that one hanging or slow merchant can
 * never hold up the others: each receiving origin has its own FIFO and at most `perOrigin` deliveries in flight,
 * all of them together at most `total`, and the free slots go round-robin to the origins that can use one.
 *
 * Pure (no I/O, no clock); every operation is O(1) amortized, except `clear()`, O(origins).
 */

/** What the queue needs of an item: an id (unique while queued or in flight) and where it goes. */
export interface Routable {
  id: string
  url: string
}

export interface FairQueueLimits {
  /** Items in flight at once for one origin (CALLBACK_CONCURRENCY_PER_HOST). */
  perOrigin: number
  /** Items in flight at once over all origins (CALLBACK_CONCURRENCY). */
  total: number
}

/**
 * The receiver a callback URL goes to, as the queue groups them: the URL's origin (scheme, host and port, as
 * fetch connects). A URL without one — malformed, or with an opaque origin (`mailto:`, `data:`, an unknown
 * scheme, which all read "null") — is its own receiver. The prefixes cannot be mistaken for a real origin,
 * which always reads `scheme://host`.
 */
export function originOf (url: string): string {
  let origin: string
  try {
    origin = new URL(url).origin
  } catch {
    return `malformed:${url}`
  }
  return origin === 'null' ? `opaque:${url}` : origin
}

/** An array FIFO with O(1) amortized shift (Array.prototype.shift is O(n)). */
class Fifo<T> {
  private items: Array<T | undefined> = []
  private head = 0

  get length (): number {
    return this.items.length - this.head
  }

  push (item: T): void {
    this.items.push(item)
  }

  shift (): T | undefined {
    if (this.head === this.items.length) return undefined
    const item = this.items[this.head]
    this.items[this.head++] = undefined
    if (this.head === this.items.length) {
      this.items = []
      this.head = 0
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      // Compacting copies fewer items than were shifted since the last time: amortized O(1).
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return item
  }
}

interface OriginState<T> {
  origin: string
  items: Fifo<T>
  /** Items of this origin in flight. */
  active: number
  /**
   * In the ring of origins waiting for a slot. Invariant: `ready` exactly when the origin has items queued and a
   * free slot of its own (active < perOrigin); each origin is in the ring at most once.
   */
  ready: boolean
}

export class FairQueue<T extends Routable> {
  readonly perOrigin: number
  readonly total: number
  /** Origins with something queued or in flight; dropped when they have neither. */
  private readonly origins = new Map<string, OriginState<T>>()
  /** Ready origins in turn: `take()` serves the first and puts it back at the end if it is still ready. */
  private ring = new Fifo<OriginState<T>>()
  private readonly queuedIds = new Set<string>()
  private readonly flying = new Map<string, OriginState<T>>()

  constructor (limits: FairQueueLimits) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`FairQueue: ${name} must be a whole number of at least 1, got ${value}`)
    }
    this.perOrigin = limits.perOrigin
    this.total = limits.total
  }

  /** Items waiting for a slot. */
  get queued (): number {
    return this.queuedIds.size
  }

  /** Items taken and not released yet. */
  get inFlight (): number {
    return this.flying.size
  }

  /** True when the id is queued or in flight. */
  has (id: string): boolean {
    return this.queuedIds.has(id) || this.flying.has(id)
  }

  /** Items of this origin (as {@link originOf} names it) in flight. */
  inFlightAt (origin: string): number {
    return this.origins.get(origin)?.active ?? 0
  }

  /** Queues an item at the end of its origin's FIFO. False (and nothing changes) when its id is queued or in flight. */
  push (item: T): boolean {
    if (this.has(item.id)) return false
    const origin = originOf(item.url)
    let state = this.origins.get(origin)
    if (state === undefined) {
      state = { origin, items: new Fifo<T>(), active: 0, ready: false }
      this.origins.set(origin, state)
    }
    state.items.push(item)
    this.queuedIds.add(item.id)
    this.markReady(state)
    return true
  }

  /**
   * The next item to send, or undefined when every slot is taken or no origin with a free slot has anything
   * queued: the first of its FIFO, from the origin whose turn it is. It counts as in flight until `release(id)`.
   */
  take (): T | undefined {
    if (this.flying.size >= this.total) return undefined
    const state = this.ring.shift()
    if (state === undefined) return undefined
    state.ready = false
    const item = state.items.shift()!
    this.queuedIds.delete(item.id)
    this.flying.set(item.id, state)
    state.active += 1
    // Still ready: back in line, behind every other origin waiting.
    this.markReady(state)
    return item
  }

  /** Frees the slot of an item `take()` handed out. False when the id is not in flight. */
  release (id: string): boolean {
    const state = this.flying.get(id)
    if (state === undefined) return false
    this.flying.delete(id)
    state.active -= 1
    this.markReady(state)
    this.forgetIfIdle(state)
    return true
  }

  /** Drops everything queued (what is in flight stays, until released) and returns it, oldest first per origin. */
  clear (): T[] {
    const dropped: T[] = []
    for (const state of [...this.origins.values()]) {
      for (let item = state.items.shift(); item !== undefined; item = state.items.shift()) dropped.push(item)
      state.ready = false
      this.forgetIfIdle(state)
    }
    this.ring = new Fifo()
    this.queuedIds.clear()
    return dropped
  }

  private markReady (state: OriginState<T>): void {
    if (state.ready || state.items.length === 0 || state.active >= this.perOrigin) return
    state.ready = true
    this.ring.push(state)
  }

  private forgetIfIdle (state: OriginState<T>): void {
    if (state.active === 0 && state.items.length === 0) this.origins.delete(state.origin)
  }
}
