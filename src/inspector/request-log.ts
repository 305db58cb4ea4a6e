import type { MerchantDirectory } from '../engine/merchants.js'
import { recordEntry, type GatewayExchange, type PendingEntry } from './build-entry.js'
import type { RequestLogEntry } from './log-entry.js'

export interface RequestLogFilter {
  merchant_id?: string
  action?: string
  verdict?: 'accepted' | 'rejected'
  order_id?: string
  /** The entry with this id (`req_12`): what an answer's `x-sandbox-request-id` header names. */
  request_id?: string
  /** At most this many entries, newest first. */
  limit?: number
  /** Entries older than this one: the `next` of the previous page. */
  cursor?: string
}

/** A page of entries; `next` is the cursor of the following (older) page, null on the last. */
export interface RequestLogPage {
  requests: RequestLogEntry[]
  next: string | null
}

/** Pages hold 100 entries unless asked otherwise, 1,000 at most. */
export const REQUEST_PAGE = { default: 100, max: 1000 }

/** What recording one call gave: its id, and whether the log kept it (`error` when its entry could not be built). */
export interface Recorded {
  id: string
  kept: boolean
  /** The entry, when the log kept it. */
  entry?: PendingEntry
  error?: unknown
}

/** The request inspector's memory: the last `size` gateway calls, newest first. */
export interface RequestLog {
  /**
   * Gives the call the next id (`req_N`) and keeps the exchange under it; the entry is built when first read. Ids
   * count on when the log keeps nothing (REQUEST_LOG_SIZE=0), so every answer can name its call. Never throws: the
   * inspector is a diagnostic aid, and its failure must not change what the merchant receives.
   */
  record(exchange: GatewayExchange): Recorded
  list(filter?: RequestLogFilter): RequestLogEntry[]
  /** Newest first, a page at a time (GET /sandbox/api/requests, the admin UI's list). */
  page(filter?: RequestLogFilter): RequestLogPage
  get(id: string): RequestLogEntry | undefined
  /** Forgets every entry, or only `merchantId`'s (POST /sandbox/api/reset). Ids keep counting, so a `req_N` seen before never names another call. */
  reset(merchantId?: string): { requests: number }
  readonly size: number
}

/**
 * A bounded, in-memory log (REQUEST_LOG_SIZE entries; 0 keeps none). It is a debugging aid, not state: it is
 * not persisted, so a restart starts it empty, and the oldest entries fall out first — memory stays flat
 * however long a CI job runs (WireMock's unbounded journal is the cautionary tale).
 *
 * Recording is on the gateway's hot path, reading is not: an entry is built when first read (see
 * {@link recordEntry}), and the entries live in a ring, so recording costs the same however large the log is.
 */
export function createRequestLog (size: number, merchants: MerchantDirectory): RequestLog {
  // The ring: `count` entries, the oldest at `start`.
  let ring: Array<PendingEntry | undefined> = []
  let start = 0
  let count = 0
  let sequence = 0
  /** The i-th entry, oldest first. */
  const at = (i: number): PendingEntry => ring[(start + i) % size]!
  /** The entry's place in the sequence of calls: `req_12` → 12. */
  const numberOf = (id: string): number => Number(id.slice(4))
  const matches = (e: PendingEntry, filter: RequestLogFilter): boolean =>
    (filter.merchant_id === undefined || e.merchantId === filter.merchant_id) &&
    (filter.action === undefined || e.action === filter.action) &&
    (filter.verdict === undefined || e.verdict === filter.verdict) &&
    (filter.order_id === undefined || e.orderId === filter.order_id) &&
    (filter.request_id === undefined || e.id === filter.request_id)
  return {
    size,
    record (exchange) {
      sequence += 1
      const id = `req_${sequence}`
      if (size === 0) return { id, kept: false }
      let pending: PendingEntry
      try {
        pending = recordEntry(id, exchange, merchants)
      } catch (error) {
        return { id, kept: false, error }
      }
      if (count < size) {
        ring[(start + count) % size] = pending
        count += 1
      } else {
        ring[start] = pending
        start = (start + 1) % size
      }
      return { id, kept: true, entry: pending }
    },
    list (filter = {}) {
      const found: RequestLogEntry[] = []
      const limit = filter.limit ?? size
      for (let i = count - 1; i >= 0 && found.length < limit; i--) if (matches(at(i), filter)) found.push(at(i).entry())
      return found
    },
    page (filter = {}) {
      const limit = Math.min(Math.max(1, filter.limit ?? REQUEST_PAGE.default), REQUEST_PAGE.max)
      const before = filter.cursor === undefined || filter.cursor === '' ? Infinity : Number(filter.cursor)
      const requests: RequestLogEntry[] = []
      for (let i = count - 1; i >= 0; i--) {
        const e = at(i)
        if (numberOf(e.id) >= before || !matches(e, filter)) continue
        if (requests.length === limit) return { requests, next: String(numberOf(requests.at(-1)!.id)) }
        requests.push(e.entry())
      }
      return { requests, next: null }
    },
    get (id) {
      for (let i = 0; i < count; i++) if (at(i).id === id) return at(i).entry()
      return undefined
    },
    reset (merchantId) {
      const before = count
      const kept: PendingEntry[] = []
      if (merchantId !== undefined) for (let i = 0; i < count; i++) if (at(i).merchantId !== merchantId) kept.push(at(i))
      ring = kept
      start = 0
      count = kept.length
      return { requests: before - count }
    }
  }
}
