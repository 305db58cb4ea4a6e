/**
 * Phase (f): one merchant's callback receiver hangs (accepts each request and never answers) with `hanging`
 * callbacks pending, while another merchant's orders are paid; measures, for each of those pays, the time from the
 * pay request to that merchant's callback arriving at its own (healthy) receiver. Both receivers are local
 * node:http servers on 127.0.0.1, each on its own port: two receivers (origins) for the sandbox.
 */
import { createServer } from 'node:http'
import { createOrders, payOrder, startReceiver, timeout } from './callback-burst.mjs'
import { MERCHANT, OTHER_MERCHANT } from './envelopes.mjs'

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function listen (server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${server.address().port}/ottpay/callback`
}

/** A receiver that reads each request and never answers; its sockets are cut by close(). */
async function startHangingReceiver () {
  const sockets = new Set()
  let arrived = 0
  let lastAt = performance.now()
  const server = createServer((req) => {
    arrived += 1
    lastAt = performance.now()
    req.resume()
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  const url = await listen(server)
  return {
    url,
    arrived: () => arrived,
    /** Requests it holds open now. */
    open: () => sockets.size,
    quietFor: () => performance.now() - lastAt,
    close () {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(resolve))
    }
  }
}

/**
 * `hanging` orders of MERCHANT paid at once, their callbacks sent to the hanging receiver; once those are in flight
 * (no new request at the receiver for 300 ms), `others` orders of OTHER_MERCHANT paid one every `spacingMs`.
 * Resolves with each of those pays' delay (ms; undefined when its callback had not come `waitMs` after the last pay).
 */
export async function hangingReceiver ({ url, hanging, others, spacingMs = 100, waitMs = 45_000 }) {
  const slow = await startHangingReceiver()
  const otherIds = Array.from({ length: others }, (_, i) => 'CBOTHER' + String(i).padStart(8, '0'))
  const healthy = await startReceiver(OTHER_MERCHANT, new Set(otherIds))
  try {
    const hangingIds = Array.from({ length: hanging }, (_, i) => 'CBHANG' + String(i).padStart(8, '0'))
    await createOrders(url, hangingIds, slow.url, MERCHANT, 'phase (f)')
    await createOrders(url, otherIds, healthy.url, OTHER_MERCHANT, 'phase (f)')

    const hangingPaid = await Promise.all(hangingIds.map((id) => payOrder(url, id, MERCHANT)))
    const settleStart = performance.now()
    while (slow.quietFor() < 300 && performance.now() - settleStart < 5000) await pause(20)
    const atHangingReceiver = slow.open()

    const sentAt = new Map()
    const otherPaid = []
    for (const id of otherIds) {
      sentAt.set(id, performance.now())
      otherPaid.push(await payOrder(url, id, OTHER_MERCHANT))
      await pause(spacingMs)
    }
    await Promise.race([healthy.allArrived, timeout(waitMs)])
    const delays = otherIds.map((id) => healthy.arrivals.has(id) ? healthy.arrivals.get(id) - sentAt.get(id) : undefined)
    const stats = await fetch(`${url}/sandbox/api/stats`).then((res) => res.json()).catch(() => undefined)
    return {
      hanging,
      others,
      spacingMs,
      waitMs,
      paysRefused: [...hangingPaid, ...otherPaid].filter((ok) => !ok).length,
      /** Requests the hanging receiver held open when the other merchant's pays began. */
      atHangingReceiver,
      /** Callbacks the sandbox counted pending once the other merchant's had arrived (or the wait ended). */
      pendingAfter: stats?.callbacks?.pending,
      delays,
      unverifiable: healthy.bad()
    }
  } finally {
    await slow.close()
    await healthy.close()
  }
}
