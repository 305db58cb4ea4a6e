/**
 * Phase (d): `count` orders paid at the same moment through the control API, each firing its callback to a local
 * merchant receiver (node:http). Measures the time from the first pay request to the last callback received.
 */
import { createServer } from 'node:http'
import { open } from '../dist/crypto/index.js'
import { activePayBody, MERCHANT } from './envelopes.mjs'

export const NOTIFICATION_HEADER = 'x-ottpay-sandbox-notification-id'

/**
 * A merchant endpoint that answers 200 SUCCESS and notes when each expected order's callback (opened with the
 * merchant's key, carrying a notification id) first came; `allArrived` resolves with the time the last one did.
 */
export async function startReceiver (merchant, expected) {
  const arrivals = new Map()
  let bad = 0
  let arrivedAll
  const allArrived = new Promise((resolve) => { arrivedAll = resolve })
  const server = createServer((req, res) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => { text += chunk })
    req.on('end', () => {
      const at = performance.now()
      res.writeHead(200, { 'content-type': 'text/plain' }).end('SUCCESS')
      try {
        const data = open(JSON.parse(text), merchant.key)
        if (!expected.has(data.order_id) || req.headers[NOTIFICATION_HEADER] === undefined) throw new Error(`unexpected order ${data.order_id}`)
        if (!arrivals.has(data.order_id)) arrivals.set(data.order_id, at)
        if (arrivals.size === expected.size) arrivedAll(at)
      } catch {
        bad += 1
      }
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}/ottpay/callback`,
    arrivals,
    allArrived,
    received: () => arrivals.size,
    bad: () => bad,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    }
  }
}

async function inBatches (items, size, run) {
  const results = []
  for (let at = 0; at < items.length; at += size) results.push(...await Promise.all(items.slice(at, at + size).map(run)))
  return results
}

/** Resolves with undefined after `ms`: raced against what may never come. */
export const timeout = (ms) => new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref())

/** Creates an ACTIVEPAY order of `merchant` for each id (50 at a time), calling back to `callbackUrl`. */
export async function createOrders (url, ids, callbackUrl, merchant, phase) {
  const created = await inBatches(ids, 50, async (id, i) => {
    const res = await fetch(`${url}/processV2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: activePayBody(id, callbackUrl, i, merchant) })
    return (await res.json()).rsp_code === 'SUCCESS'
  })
  const notCreated = created.filter((ok) => !ok).length
  if (notCreated > 0) throw new Error(`${phase}: ${notCreated} of ${ids.length} orders were not created`)
}

/** Pays an order through the control API (which fires its callback); true when the sandbox says 200. */
export async function payOrder (url, id, merchant) {
  const res = await fetch(`${url}/sandbox/api/orders/${id}/pay?merchant_id=${merchant.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}'
  })
  await res.arrayBuffer()
  return res.status === 200
}

export async function callbackBurst ({ url, count, waitMs = 30_000 }) {
  const ids = Array.from({ length: count }, (_, i) => 'CBBURST' + String(i).padStart(8, '0'))
  const receiver = await startReceiver(MERCHANT, new Set(ids))
  try {
    // The orders first: only the paying is measured.
    await createOrders(url, ids, receiver.url, MERCHANT, 'phase (d)')

    const t0 = performance.now()
    let paysAnsweredAt = t0
    const paid = await Promise.all(ids.map(async (id) => {
      const ok = await payOrder(url, id, MERCHANT)
      paysAnsweredAt = Math.max(paysAnsweredAt, performance.now())
      return ok
    }))
    const lastAt = await Promise.race([receiver.allArrived, timeout(waitMs)])
    return {
      count,
      paysRefused: paid.filter((ok) => !ok).length,
      paysAnsweredMs: paysAnsweredAt - t0,
      /** undefined when not every callback arrived within `waitMs`. */
      allDeliveredMs: lastAt === undefined ? undefined : lastAt - t0,
      delivered: receiver.received(),
      unverifiable: receiver.bad()
    }
  } finally {
    await receiver.close()
  }
}
