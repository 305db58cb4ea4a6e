import { setMaxListeners } from 'node:events'
import type { FastifyBaseLogger } from 'fastify'
import type { Clock } from '../../platform/clock.js'
import type { AllowedHost } from '../../config/config.js'
import { createCallbackFaults } from '../faults/callback-faults.js'
import type { FaultRegistry } from '../faults/registry.js'
import type { Store } from '../../store/index.js'
import type { Attempt, Delivery } from '../../domain/callbacks/delivery.js'
import { FairQueue } from './fair-queue.js'
import type { OwnListener } from './own-listener.js'
import { postCallback } from './post-callback.js'

export interface DispatcherOptions {
  store: Store
  clock: Clock
  fetch: typeof globalThis.fetch
  log: FastifyBaseLogger
  /** Per-attempt timeout (CALLBACK_TIMEOUT). */
  timeoutMs: number
  /** Delay before retry k (CALLBACK_RETRY_SCHEDULE); after the last one the delivery is given up. */
  retrySchedule: readonly number[]
  /** How many callbacks may be in flight at once (CALLBACK_CONCURRENCY). */
  concurrency: number
  /**
   * How many of them may go to one receiver (origin of the callback URL) at once (CALLBACK_CONCURRENCY_PER_HOST);
   * the total caps it. Default: no limit of its own.
   */
  concurrencyPerHost?: number
  /** Armed faults (POST /sandbox/api/faults): callbacks delayed, dropped, duplicated or sent out of order. */
  faults?: FaultRegistry
  /** An attempt was made but could not be recorded (the store refused the write): the delivery is tried again. */
  onUnrecorded?: (delivery: Delivery) => void
  /** Hosts callbacks may go to (CALLBACK_ALLOWLIST); undefined: any. */
  allowlist?: readonly AllowedHost[]
  /** The sandbox's own address: a callback there is never sent. */
  ownListener?: OwnListener
}

export interface Dispatcher {
  /**
   * Sends these deliveries when they are due (now, or at their `next_attempt_at`: the scheduler's queue holds them),
   * up to the concurrency limits; the rest follow as slots free up, round-robin over the receivers, so a slow or
   * hanging merchant never holds up the others' callbacks.
   */
  enqueue(deliveries: readonly Delivery[]): void
  /** Sends a delivery once more now, whatever its state. Resolves with the attempt. */
  redeliver(delivery: Delivery): Promise<Attempt>
  /** Resolves when nothing is in flight or queued. */
  idle(): Promise<void>
}

/** The engine itself, with what only its owner (the app, on close) calls. */
export interface DeliveryEngine extends Dispatcher {
  /**
   * Shutdown: starts nothing more, gives attempts in flight `graceMs` to finish, then cuts them. A cut attempt
   * is recorded and its delivery stays pending, due at once, so it is sent again after a restart.
   */
  close(graceMs?: number): Promise<void>
}

/** How long attempts in flight may go on once the sandbox shuts down. */
export const CLOSE_GRACE_MS = 2000

/** The error of an attempt cut by shutdown; such an attempt does not use up a retry of the schedule. */
export const INTERRUPTED = 'interrupted: the sandbox shut down before the merchant answered; sent again after restart'

/** Headers that identify the notification and the attempt, stable across retries and restarts. */
export const NOTIFICATION_HEADER = 'x-ottpay-sandbox-notification-id'
export const ATTEMPT_HEADER = 'x-ottpay-sandbox-attempt'

/** True when CALLBACK_ALLOWLIST lets a callback go to this URL (the URL as WHATWG parses it, like fetch). */
export function callbackAllowed (url: string, allowlist: readonly AllowedHost[] | undefined): boolean {
  if (allowlist === undefined) return true
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))
  return allowlist.some((entry) =>
    (entry.port === undefined || entry.port === port) &&
    (entry.subdomains ? host.endsWith(`.${entry.host}`) : host === entry.host))
}

function hostOf (url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * The callback delivery engine: POSTs each pending delivery, records every attempt, and retries on the
 * schedule until the merchant answers 2xx. Each attempt holds a slot for at most the timeout, and a receiver
 * gets at most `concurrencyPerHost` of the slots, handed out round-robin (src/engine/callbacks/fair-queue.ts): a
 * hanging or failing merchant never blocks the gateway or other merchants' deliveries.
 */
export function createDispatcher (options: DispatcherOptions): DeliveryEngine {
  const { store, clock, log } = options
  // Due deliveries waiting for a slot, and those in flight, by receiver; a delivery is in it at most once.
  const queue = new FairQueue<Delivery>({ total: options.concurrency, perOrigin: options.concurrencyPerHost ?? options.concurrency })
  // Redeliveries asked for through the control API or the admin UI, outside the queue.
  let redelivering = 0
  let waiters: Array<() => void> = []
  // Aborted when the sandbox shuts down and the grace is over: cuts every attempt still waiting for a merchant.
  const shutdown = new AbortController()
  // One listener per attempt in flight (up to CALLBACK_CONCURRENCY): not a leak.
  setMaxListeners(0, shutdown.signal)
  let closing = false
  const faults = createCallbackFaults({ store, clock, faults: options.faults, log })

  function busy (): boolean {
    return queue.inFlight > 0 || queue.queued > 0 || redelivering > 0
  }

  function settleWaiters (): void {
    if (busy()) return
    const done = waiters
    waiters = []
    for (const resolve of done) resolve()
  }

  /** Why a callback to this URL is never sent (the attempt's error, the log line), or undefined. */
  function refusal (url: string): { error: string, log: string } | undefined {
    if (!callbackAllowed(url, options.allowlist)) {
      return { error: `not sent: ${hostOf(url)} is not in CALLBACK_ALLOWLIST`, log: 'callback refused: host not in CALLBACK_ALLOWLIST' }
    }
    // Orders are checked when created, but one stored before this listener existed (or under another port) may
    // still name it.
    if (options.ownListener?.targets(url) === true) {
      return { error: `not sent: ${hostOf(url)} is the sandbox itself (a callback there would drive its own control API)`, log: 'callback refused: the URL is the sandbox itself' }
    }
    return undefined
  }

  async function attempt (delivery: Delivery): Promise<Attempt> {
    const n = delivery.attempts.length + 1
    const started = clock.now()
    const t0 = performance.now()
    const record: Attempt = { n, at: new Date(started).toISOString(), url: delivery.url, status: null, error: null, latency_ms: 0, reply: null, delivered: false }
    const refused = refusal(delivery.url)
    if (refused !== undefined) {
      // Refused before any network use: a sandbox limited to some hosts never opens a connection elsewhere.
      record.error = refused.error
      log.warn({ delivery: delivery.id, host: hostOf(delivery.url) }, refused.log)
      return record
    }
    const outcome = await postCallback(options.fetch, {
      url: delivery.url,
      headers: { [NOTIFICATION_HEADER]: delivery.id, [ATTEMPT_HEADER]: String(n) },
      body: delivery.body,
      timeoutMs: options.timeoutMs,
      cancel: { signal: shutdown.signal, error: INTERRUPTED }
    })
    record.status = outcome.status
    record.reply = outcome.reply
    record.error = outcome.error
    record.delivered = outcome.error === null && outcome.status >= 200 && outcome.status < 300
    record.latency_ms = Math.round(performance.now() - t0)
    if (n <= delivery.simulate_timeouts && record.error !== INTERRUPTED) {
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
    if (refusal(delivery.url) !== undefined) {
      // Retrying cannot change the URL: give up at once, and say why in the attempt.
      delivery.status = 'failed'
      delivery.next_attempt_at = null
      return
    }
    if (record.error === INTERRUPTED) {
      delivery.status = 'pending'
      delivery.next_attempt_at = clock.now()
      return
    }
    const failures = delivery.attempts.filter((a) => !a.delivered && a.error !== INTERRUPTED).length
    const delay = options.retrySchedule[failures - 1]
    if (delay === undefined) {
      delivery.status = 'failed'
      delivery.next_attempt_at = null
    } else {
      delivery.status = 'pending'
      delivery.next_attempt_at = clock.now() + delay
    }
  }

  async function deliver (queued: Delivery): Promise<void> {
    try {
      // The stored delivery, as it is now: a reset may have removed it, a redelivery may have sent it.
      const delivery = store.callbacks.get(queued.id)
      if (delivery === undefined || delivery.status !== 'pending') {
        if (delivery === undefined) log.info({ delivery: queued.id }, 'callback skipped: no longer in the outbox (reset)')
        return
      }
      if (delivery.attempts.length === 0 && !await faults.beforeFirstAttempt(delivery)) return
      const record = await attempt(delivery)
      // The same notification once more: same id header, the next attempt number; it stays delivered.
      const duplicate = record.delivered && faults.duplicateDue(delivery)
        ? await attempt({ ...delivery, attempts: [...delivery.attempts, record] })
        : undefined
      const saved = await store.callbacks.update(delivery.id, (current) => {
        conclude(current, record)
        if (duplicate !== undefined) current.attempts.push(duplicate)
        return current
      })
      log.info({ delivery: delivery.id, attempt: record.n, status: record.status, error: record.error }, saved === undefined ? 'callback attempt (its order was reset meanwhile)' : 'callback attempt')
      enqueue(await faults.sent(saved ?? delivery))
    } catch (err) {
      log.error({ err, delivery: queued.id }, 'callback attempt could not be recorded; tried again in a second')
      // Still pending in the store, but its queue entry is used up: without a new one it would wait for a restart.
      options.onUnrecorded?.(queued)
    }
  }

  function pump (): void {
    // Closing: nothing new starts; what is queued stays pending in the outbox.
    if (closing) queue.clear()
    // The next delivery of the receiver whose turn it is, among those with a free slot, while slots are left.
    for (let delivery = queue.take(); delivery !== undefined; delivery = queue.take()) {
      const id = delivery.id
      // deliver() never rejects: it logs its own failures.
      deliver(delivery).finally(() => {
        queue.release(id)
        pump()
        settleWaiters()
      })
    }
    settleWaiters()
  }

  function enqueue (deliveries: readonly Delivery[]): void {
    if (closing) return
    const now = clock.now()
    // One already queued or in flight is not queued twice.
    for (const delivery of deliveries) {
      if (delivery.status === 'pending' && delivery.next_attempt_at !== null && delivery.next_attempt_at <= now) queue.push(delivery)
    }
    pump()
  }

  return {
    enqueue,
    async redeliver (delivery) {
      redelivering++
      let record: Attempt
      try {
        record = await attempt(delivery)
      } finally {
        redelivering--
        settleWaiters()
      }
      await store.callbacks.update(delivery.id, (current) => {
        const wasDelivered = current.status === 'delivered'
        conclude(current, record)
        // A redelivery of an already delivered callback never reopens it, even if this attempt failed.
        if (wasDelivered) {
          current.status = 'delivered'
          current.next_attempt_at = null
        }
        return current
      })
      return record
    },
    idle () {
      if (!busy()) return Promise.resolve()
      return new Promise((resolve) => { waiters.push(resolve) })
    },
    async close (graceMs = CLOSE_GRACE_MS) {
      closing = true
      // What is queued stays pending in the outbox: the next start sends it.
      queue.clear()
      settleWaiters()
      if (!busy()) return
      const grace = setTimeout(() => shutdown.abort(), graceMs)
      await new Promise<void>((resolve) => { waiters.push(resolve) })
      clearTimeout(grace)
    }
  }
}
