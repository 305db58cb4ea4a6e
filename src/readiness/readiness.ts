import type { AllowedHost } from '../config/config.js'
import { ApiError, NotFoundError } from '../domain/errors.js'
import type { Order } from '../domain/orders/order.js'
import type { MerchantDirectory } from '../engine/merchants.js'
import type { Resettable } from '../engine/reset.js'
import type { RequestLog } from '../inspector/request-log.js'
import type { Clock } from '../platform/clock.js'
import type { Store } from '../store/index.js'
import { readinessChecks } from './checks.js'
import type { OwnListener } from '../engine/callbacks/own-listener.js'
import { runProbe } from './probe.js'
import type { AckMode, ProbeRun, ReadinessReport } from './report.js'

/** How soon after a payment whose callback is missing a STATUS_QUERY must come, unless asked otherwise. */
export const DEFAULT_POLL_WITHIN_MS = 300_000
/** How long the probe waits after each callback for the gateway calls it causes, unless asked otherwise. */
export const DEFAULT_SETTLE_MS = 500
export const MAX_SETTLE_MS = 10_000
/** Orders looked at for the polling check and for the probe's order: the newest of the merchant. */
const ORDERS_LOOKED_AT = 200

export interface ReadinessDeps {
  store: Store
  merchants: MerchantDirectory
  requestLog: RequestLog
  clock: Clock
  fetch: typeof globalThis.fetch
  callbackTimeoutMs: number
  callbackAllowlist: readonly AllowedHost[] | undefined
  /** The sandbox's own listener: the probe never sends there (it would drive the control API, e.g. reset). */
  ownListener: OwnListener
}

function isHttpUrl (text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol)
  } catch {
    return false
  }
}

export interface ProbeOptions {
  /** Default: the callback URL of the merchant's newest order that has one. */
  callbackUrl?: string | undefined
  ack?: AckMode | undefined
  settleMs?: number | undefined
}

export interface Readiness extends Resettable {
  report(merchantId: string, pollWithinMs?: number): ReadinessReport
  /** Runs the callback probe, keeps its result as the merchant's last, and answers the report. */
  probe(merchantId: string, options?: ProbeOptions, pollWithinMs?: number): Promise<ReadinessReport>
}

/**
 * The go-live verdict of a merchant: passive checks over the request log, the orders and their callbacks, plus the
 * last callback probe. Probe results live in memory only (like the request log) and go with a reset.
 */
export function createReadiness (deps: ReadinessDeps): Readiness {
  const probes = new Map<string, ProbeRun>()
  let runs = 0

  function merchantOf (merchantId: string) {
    const merchant = deps.merchants.get(merchantId)
    if (merchant === undefined) throw new NotFoundError(`merchant ${merchantId} not found`)
    return merchant
  }

  const newestOrders = (merchantId: string): Order[] => deps.store.orders.page({ merchant_id: merchantId, limit: ORDERS_LOOKED_AT }).items

  function report (merchantId: string, pollWithinMs = DEFAULT_POLL_WITHIN_MS): ReadinessReport {
    merchantOf(merchantId)
    const entries = deps.requestLog.list({ merchant_id: merchantId }).reverse()
    const orders = newestOrders(merchantId).map((order) => ({ order, deliveries: deps.store.callbacks.forOrder(merchantId, order.order_id) }))
    const probe = probes.get(merchantId)
    const now = deps.clock.now()
    const checks = readinessChecks({ entries, orders, probe, now, pollWithinMs })
    const count = (status: string) => checks.filter((c) => c.status === status).length
    return {
      merchant_id: merchantId,
      generated_at: new Date(now).toISOString(),
      ready: !checks.some((c) => c.required && c.status === 'failed'),
      summary: { passed: count('passed'), failed: count('failed'), not_exercised: count('not_exercised') },
      poll_within_ms: pollWithinMs,
      probe: probe ?? null,
      checks
    }
  }

  return {
    report,
    async probe (merchantId, options = {}, pollWithinMs) {
      const merchant = merchantOf(merchantId)
      const orders = newestOrders(merchantId)
      const url = options.callbackUrl ?? orders.find((o) => o.notify_url !== '')?.notify_url
      if (url === undefined) {
        throw new ApiError('BAD_REQUEST', `merchant ${merchantId} has sent no callback URL yet: give callback_url (the CLI's --callback), or create an order with call_back_url first`)
      }
      if (!isHttpUrl(url)) throw new ApiError('BAD_REQUEST', `callback_url must be an absolute http(s) URL, got ${JSON.stringify(url)}`)
      runs += 1
      const order = orders.find((o) => o.status === 'success') ?? orders[0]
      const other = deps.merchants.list().find((m) => m.merchant_id !== merchantId && m.sign_key !== merchant.sign_key)
      const run = await runProbe(
        { fetch: deps.fetch, clock: deps.clock, requestLog: deps.requestLog, timeoutMs: deps.callbackTimeoutMs, allowlist: deps.callbackAllowlist, ownListener: deps.ownListener },
        { merchant, otherKey: other?.sign_key, order, url, ack: options.ack ?? 'status', settleMs: options.settleMs ?? DEFAULT_SETTLE_MS, run: runs }
      )
      probes.set(merchantId, run)
      return report(merchantId, pollWithinMs)
    },
    reset (merchantId) {
      // In memory and derived: nothing a reset reports as removed.
      if (merchantId === undefined) probes.clear()
      else probes.delete(merchantId)
      return {}
    }
  }
}
