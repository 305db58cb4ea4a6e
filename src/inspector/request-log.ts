import type { MerchantDirectory } from '../merchants.js'
import { recordEntry, type GatewayExchange, type PendingEntry } from './build-entry.js'
import type { RequestLogEntry } from './log-entry.js'

export interface RequestLogFilter {
  merchant_id?: string
  action?: string
  verdict?: 'accepted' | 'rejected'
  order_id?: string
  /** At most this many entries, newest first. */
  limit?: number
}

/** The request inspector's memory: the last `size` gateway calls, newest first. */
export interface RequestLog {
  /** Keeps the exchange; its entry is built when first read. Undefined when the log keeps none. */
  record(exchange: GatewayExchange): PendingEntry | undefined
  list(filter?: RequestLogFilter): RequestLogEntry[]
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
  return {
    size,
    record (exchange) {
      if (size === 0) return undefined
      sequence += 1
      const pending = recordEntry(`req_${sequence}`, exchange, merchants)
      if (count < size) {
        ring[(start + count) % size] = pending
        count += 1
      } else {
        ring[start] = pending
        start = (start + 1) % size
      }
      return pending
    },
    list (filter = {}) {
      const matches: RequestLogEntry[] = []
      const limit = filter.limit ?? size
      for (let i = count - 1; i >= 0 && matches.length < limit; i--) {
        const e = at(i)
        if (filter.merchant_id !== undefined && e.merchantId !== filter.merchant_id) continue
        if (filter.action !== undefined && e.action !== filter.action) continue
        if (filter.verdict !== undefined && e.verdict !== filter.verdict) continue
        if (filter.order_id !== undefined && e.orderId !== filter.order_id) continue
        matches.push(e.entry())
      }
      return matches
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
