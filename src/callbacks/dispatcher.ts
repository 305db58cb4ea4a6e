import type { FastifyBaseLogger } from 'fastify'
import type { Clock } from '../clock.js'
import { createCallbackFaults } from '../faults/callback-faults.js'
import type { FaultRegistry } from '../faults/registry.js'
import type { Store } from '../store/index.js'
import type { Attempt, Delivery } from './delivery.js'

export interface DispatcherOptions {
  store: Store
  clock: Clock
  fetch: typeof globalThis.fetch
  log: FastifyBaseLogger
  /** Per-attempt timeout (CALLBACK_TIMEOUT). */
  timeoutMs: number
  /** Delay before retry k (CALLBACK_RETRY_SCHEDULE); after the last one the delivery is given up. */
  retrySchedule: readonly number[]
  /** How many callbacks may be in flight at once. */
  concurrency: number
  /** Armed faults (POST /sandbox/api/faults): callbacks delayed, duplicated or sent out of order. */
  faults?: FaultRegistry
}

export interface Dispatcher {
  /** Starts every due delivery (up to the concurrency limit; the rest follow as slots free up). */
  runDue(): void
  /** Sends a delivery once more now, whatever its state. Resolves with the attempt. */
  redeliver(delivery: Delivery): Promise<Attempt>
  /** Resolves when nothing is in flight or queued. */
  idle(): Promise<void>
}

const REPLY_BYTES = 512

/** Headers that identify the notification and the attempt, stable across retries and restarts. */
export const NOTIFICATION_HEADER = 'x-ottpay-sandbox-notification-id'
export const ATTEMPT_HEADER = 'x-ottpay-sandbox-attempt'

function describeError (err: unknown, timeoutMs: number): string {
  const e = err as { name?: string, message?: string, cause?: { code?: string, message?: string } }
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timeout after ${timeoutMs} ms`
  const cause = e.cause?.code ?? e.cause?.message
  return cause === undefined ? String(e.message ?? err) : `${e.message ?? 'fetch failed'} (${cause})`
}

/**
 * The callback delivery engine: POSTs each pending delivery, records every attempt, and retries on the
 * schedule until the merchant answers 2xx. A hanging or failing merchant only ever holds one slot, for at most
 * the timeout; it never blocks the gateway or other deliveries.
 */
export function createDispatcher (options: DispatcherOptions): Dispatcher {
  const { store, clock, log } = options
  const inFlight = new Set<string>()
  const queue: Delivery[] = []
  let waiters: Array<() => void> = []
  const faults = createCallbackFaults({ store, clock, faults: options.faults, log })

  function settleWaiters (): void {
    if (inFlight.size > 0 || queue.length > 0) return
    const done = waiters
    waiters = []
    for (const resolve of done) resolve()
  }

  async function attempt (delivery: Delivery): Promise<Attempt> {
    const n = delivery.attempts.length + 1
    const started = clock.now()
    const t0 = performance.now()
    const record: Attempt = { n, at: new Date(started).toISOString(), url: delivery.url, status: null, error: null, latency_ms: 0, reply: null, delivered: false }
    try {
      const res = await options.fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ottpay-sandbox',
          [NOTIFICATION_HEADER]: delivery.id,
          [ATTEMPT_HEADER]: String(n)
        },
        body: JSON.stringify(delivery.body),
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'manual'
      })
      record.status = res.status
      const text = await res.text()
      record.reply = text.slice(0, REPLY_BYTES)
      record.delivered = res.status >= 200 && res.status < 300
    } catch (err) {
      record.error = describeError(err, options.timeoutMs)
    }
    record.latency_ms = Math.round(performance.now() - t0)
    if (n <= delivery.simulate_timeouts) {
      // Magic outcome 05: the merchant did get this one, but the gateway acts as if it timed out and retries.
      record.delivered = false
      record.error = `timeout simulated by magic outcome (attempt ${n} of ${delivery.simulate_timeouts})`
    }
    return record
  }

  /** Records an attempt and decides what comes next: delivered, a retry at the scheduled time, or given up. */
  function conclude (delivery: Delivery, record: Attempt): void {
    delivery.attempts.push(record)
    if (record.delivered) {
      delivery.status = 'delivered'
      delivery.next_attempt_at = null
      return
    }
    const failures = delivery.attempts.filter((a) => !a.delivered).length
    const delay = options.retrySchedule[failures - 1]
    if (delay === undefined) {
      delivery.status = 'failed'
      delivery.next_attempt_at = null
    } else {
      delivery.status = 'pending'
      delivery.next_attempt_at = clock.now() + delay
    }
  }

  async function deliver (delivery: Delivery): Promise<void> {
    try {
      if (store.callbacks.get(delivery.id) === undefined) {
        log.info({ delivery: delivery.id }, 'callback skipped: no longer in the outbox (reset)')
        return
      }
      if (delivery.attempts.length === 0 && !await faults.beforeFirstAttempt(delivery)) return
      const record = await attempt(delivery)
      conclude(delivery, record)
      if (record.delivered && faults.duplicateDue(delivery)) {
        // The same notification once more: same id header, the next attempt number; it stays delivered.
        delivery.attempts.push(await attempt(delivery))
      }
      await store.callbacks.save(delivery)
      log.info({ delivery: delivery.id, attempt: record.n, status: record.status, error: record.error }, 'callback attempt')
      if (await faults.sent(delivery)) runDue()
    } catch (err) {
      log.error({ err, delivery: delivery.id }, 'callback delivery failed unexpectedly')
    }
  }

  function pump (): void {
    while (inFlight.size < options.concurrency && queue.length > 0) {
      const delivery = queue.shift()!
      inFlight.add(delivery.id)
      // deliver() never rejects: it logs its own failures.
      deliver(delivery).finally(() => {
        inFlight.delete(delivery.id)
        pump()
        settleWaiters()
      })
    }
    settleWaiters()
  }

  function runDue (): void {
    const now = clock.now()
    const queued = new Set(queue.map((d) => d.id))
    for (const delivery of store.callbacks.due(now)) {
      if (!inFlight.has(delivery.id) && !queued.has(delivery.id)) queue.push(delivery)
    }
    pump()
  }

  return {
    runDue,
    async redeliver (delivery) {
      const record = await attempt(delivery)
      const wasDelivered = delivery.status === 'delivered'
      conclude(delivery, record)
      // A redelivery of an already delivered callback never reopens it, even if this attempt failed.
      if (wasDelivered) {
        delivery.status = 'delivered'
        delivery.next_attempt_at = null
      }
      await store.callbacks.save(delivery)
      return record
    },
    idle () {
      if (inFlight.size === 0 && queue.length === 0) return Promise.resolve()
      return new Promise((resolve) => { waiters.push(resolve) })
    }
  }
}
