import type { Delivery } from '../callbacks/delivery.js'
import type { Merchant } from '../fixtures.js'
import type { Order } from '../orders/order.js'

/**
 * The main data file (DB_FILE). Schema 2 keeps the newest orders (the head) here and older ones in segment files
 * beside it, listed in `segments`; schema 1 (every version before) kept every order here and is migrated on load.
 */
export interface Data {
  schema: 2
  /** Segment files in `<DB_FILE>.d/`, oldest first; each holds older orders with their callbacks. */
  segments: string[]
  /** The number the next segment file gets: names are never reused, so an abandoned file is never mistaken. */
  next_segment: number
  /** Orders removed by RETENTION_ORDERS since this data file was created. */
  pruned: number
  /** Merchants created at run time (POST /sandbox/api/merchants); fixture merchants are never written here. */
  merchants: Merchant[]
  /** The newest orders (and those of a segment whose file is not written yet). */
  orders: Order[]
  /** The callback outbox of those orders: pending deliveries survive restarts and crashes. */
  callbacks: Delivery[]
}

/** One segment file: a slice of the order history with the callbacks of those orders. */
export interface SegmentData {
  schema: 2
  orders: Order[]
  callbacks: Delivery[]
}

export function defaultData (): Data {
  return { schema: 2, segments: [], next_segment: 1, pruned: 0, merchants: [], orders: [], callbacks: [] }
}

/**
 * JSON with one order, callback or merchant per line: still one JSON document a person can read and grep, and
 * much cheaper to write than indented JSON.
 */
export function stringifyData (data: object): string {
  const parts: string[] = []
  for (const [name, value] of Object.entries(data)) {
    const text = Array.isArray(value) && value.length > 0
      ? `[\n${value.map((item) => JSON.stringify(item)).join(',\n')}\n]`
      : JSON.stringify(value)
    parts.push(`${JSON.stringify(name)}:${text}`)
  }
  return `{\n${parts.join(',\n')}\n}\n`
}

/** A segment file's name for its number: `segment-000001.json`. */
export function segmentName (n: number): string {
  return `segment-${String(n).padStart(6, '0')}.json`
}

export const SEGMENT_NAME = /^segment-\d{6,}\.json$/
