/** One HTTP attempt to deliver a callback, as the delivery log shows it. */
export interface Attempt {
  n: number
  /** ISO time the attempt started (sandbox clock). */
  at: string
  url: string
  /** HTTP status of the merchant's answer, when there was one. */
  status: number | null
  /** Why the attempt failed without an answer: timeout, connection refused, reset… */
  error: string | null
  latency_ms: number
  /** The first bytes of the merchant's answer. */
  reply: string | null
  delivered: boolean
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const
export type DeliveryStatus = typeof DELIVERY_STATUSES[number]

/** A callback in the persisted outbox: what is sent, to where, and every attempt so far. */
export interface Delivery {
  id: string
  merchant_id: string
  order_id: string
  /** What the notification says: the payment succeeded, or was declined. */
  kind: 'payment' | 'declined'
  url: string
  /** The exact JSON body sent, sealed with the merchant's key. */
  body: Record<string, string>
  status: DeliveryStatus
  created_at: string
  /** When the next attempt is due (ms since the epoch), while pending. */
  next_attempt_at: number | null
  attempts: Attempt[]
  /** Magic outcome `05`: this many first attempts are treated as timed out whatever the merchant answers. */
  simulate_timeouts: number
  /** Set on the second copy of a deliberately duplicated notification (magic outcome `04`). */
  duplicate_of: string | null
}
