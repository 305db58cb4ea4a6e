import type { MerchantDirectory } from '../merchants.js'
import { buildEntry, type GatewayExchange } from './build-entry.js'
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
  record(exchange: GatewayExchange): RequestLogEntry | undefined
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
 */
export function createRequestLog (size: number, merchants: MerchantDirectory): RequestLog {
  let entries: RequestLogEntry[] = []
  let sequence = 0
  return {
    size,
    record (exchange) {
      if (size === 0) return undefined
      sequence += 1
      const entry = buildEntry(`req_${sequence}`, exchange, merchants)
      entries.push(entry)
      if (entries.length > size) entries.shift()
      return entry
    },
    list (filter = {}) {
      const matches: RequestLogEntry[] = []
      const limit = filter.limit ?? size
      for (let i = entries.length - 1; i >= 0 && matches.length < limit; i--) {
        const e = entries[i]!
        if (filter.merchant_id !== undefined && e.merchant_id !== filter.merchant_id) continue
        if (filter.action !== undefined && e.action !== filter.action) continue
        if (filter.verdict !== undefined && e.verdict !== filter.verdict) continue
        if (filter.order_id !== undefined && e.order_id !== filter.order_id) continue
        matches.push(e)
      }
      return matches
    },
    get: (id) => entries.find((e) => e.id === id),
    reset (merchantId) {
      const before = entries.length
      entries = merchantId === undefined ? [] : entries.filter((e) => e.merchant_id !== merchantId)
      return { requests: before - entries.length }
    }
  }
}
