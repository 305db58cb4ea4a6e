import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { open } from '../../src/crypto/index.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import { build, MERCHANT, OTHER_MERCHANT } from '../helpers/build.js'
import { walletOrder } from '../helpers/gateway-calls.js'

// Merchant A's receiver hangs (accepts the request, never answers) with more callbacks pending than it may have
// in flight; merchant B's receiver is healthy. B's callbacks must not wait for A's timeouts: everything here is
// asserted by the order of events, never by how long something took.

/** What happened, in order, as the sandbox (its fetch) and the receivers saw it. */
type Event = `${'A' | 'B'} ${'sent' | 'settled' | 'arrived'} ${string}`

interface Endpoint {
  url: string
  /** Order ids of the callbacks that arrived, in order. */
  arrived: string[]
  /** `hang`: keep every request open; a number: answer with it. */
  respond: 'hang' | number
  /** Next arrival of this order's callback. */
  arrival(orderId: string): Promise<void>
  /** Drops every request left hanging (the sandbox sees the connection reset). */
  cutHanging(): void
}

async function endpoint (t: { teardown(fn: () => unknown): void }, name: 'A' | 'B', merchant: Merchant, events: Event[], respond: Endpoint['respond']): Promise<Endpoint> {
  const hanging = new Set<ServerResponse>()
  const waiting = new Map<string, () => void>()
  const self: Endpoint = {
    url: '',
    arrived: [],
    respond,
    arrival: (orderId) => new Promise((resolve) => { waiting.set(orderId, resolve) }),
    cutHanging: () => {
      for (const res of hanging) res.socket?.destroy()
      hanging.clear()
    }
  }
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk: Buffer) => { text += chunk.toString('utf8') })
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, string>
      const orderId = String(open({ data: body.data!, md5: body.md5! }, merchant.sign_key).order_id)
      self.arrived.push(orderId)
      events.push(`${name} arrived ${orderId}`)
      if (self.respond === 'hang') {
        hanging.add(res)
        res.on('close', () => hanging.delete(res))
      } else {
        res.writeHead(self.respond, { 'content-type': 'text/plain' }).end(self.respond < 300 ? 'SUCCESS' : 'merchant error')
      }
      waiting.get(orderId)?.()
      waiting.delete(orderId)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ottpay/callback`
  t.teardown(async () => {
    // The hanging sockets too: nothing of this test may stay open.
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return self
}

async function paidOrder (app: FastifyInstance, merchant: Merchant, operator: string, orderId: string, url: string): Promise<void> {
  await walletOrder(app, { order_id: orderId, operator_id: operator, call_back_url: url }, merchant)
  const paid = await app.inject({ method: 'POST', url: `/sandbox/api/orders/${orderId}/pay?merchant_id=${merchant.merchant_id}` })
  if (paid.statusCode !== 200) throw new Error(`${orderId}: ${paid.statusCode} ${paid.body}`)
}

/** Attempts recorded for the order's callback so far. */
async function attemptsOf (app: FastifyInstance, merchant: Merchant, orderId: string): Promise<number> {
  const res = await app.inject(`/sandbox/api/orders/${orderId}?merchant_id=${merchant.merchant_id}`)
  return (res.json() as { callbacks: Array<{ attempts: unknown[] }> }).callbacks[0]?.attempts.length ?? 0
}

t.test('a hanging receiver never holds up another merchant\'s callbacks, first attempts or retries', async (t) => {
  const events: Event[] = []
  const a = await endpoint(t, 'A', MERCHANT, events, 'hang')
  const b = await endpoint(t, 'B', OTHER_MERCHANT, events, 500)
  const nameOf = (url: string) => url.startsWith(a.url) ? 'A' : 'B'
  let inFlightAtA = 0
  let mostInFlightAtA = 0
  // The sandbox's own fetch, watched: when each attempt starts and when it ends (answer, timeout or reset).
  const watched: typeof globalThis.fetch = async (input, init) => {
    const url = String(input)
    const name = nameOf(url)
    const id = String(new Headers(init?.headers).get('x-ottpay-sandbox-notification-id'))
    const body = JSON.parse(String(init?.body)) as Record<string, string>
    const orderId = String(open({ data: body.data!, md5: body.md5! }, name === 'A' ? MERCHANT.sign_key : OTHER_MERCHANT.sign_key).order_id)
    events.push(`${name} sent ${orderId}`)
    if (name === 'A') mostInFlightAtA = Math.max(mostInFlightAtA, ++inFlightAtA)
    try {
      return await globalThis.fetch(input, init)
    } finally {
      if (name === 'A') inFlightAtA--
      events.push(`${name} settled ${orderId} ${id}`)
    }
  }
  // Fewer slots in all than A has callbacks: without a per-receiver limit A would take every one of them.
  const { app, clock } = await build(t, {
    fetch: watched,
    env: { CALLBACK_CONCURRENCY: '4', CALLBACK_CONCURRENCY_PER_HOST: '2', CALLBACK_TIMEOUT: '5s', CALLBACK_RETRY_SCHEDULE: '1s' }
  })

  const aOrders = Array.from({ length: 12 }, (_, i) => `HANG${String(i).padStart(2, '0')}`)
  for (const orderId of aOrders) await paidOrder(app, MERCHANT, '0000020156', orderId, a.url)
  const bArrived = b.arrival('FAIR1')
  await paidOrder(app, OTHER_MERCHANT, '0000000005', 'FAIR1', b.url)
  await bArrived
  t.notOk(events.some((e) => e.startsWith('A settled')), 'B\'s callback arrived while every attempt to A was still waiting for its timeout')
  t.ok(a.arrived.every((id) => aOrders.slice(0, 2).includes(id)), `A got only the first two of its callbacks (${a.arrived.join(', ')})`)
  t.ok(a.arrived.length <= 2, `no more than CALLBACK_CONCURRENCY_PER_HOST at A (${a.arrived.length} arrived)`)

  // B answered 500: once the attempt is recorded, its retry falls due a second later (the manual clock), and
  // goes out while A still hangs.
  while ((await attemptsOf(app, OTHER_MERCHANT, 'FAIR1')) < 1) await new Promise((resolve) => setTimeout(resolve, 10))
  b.respond = 200
  const bRetried = b.arrival('FAIR1')
  clock.advance(1000)
  await app.sandbox.tick()
  await bRetried
  t.notOk(events.some((e) => e.startsWith('A settled')), 'B\'s retry arrived while A\'s attempts still hung')
  t.equal(b.arrived.length, 2, 'B: the first attempt and its retry')

  // A recovers: the two hanging attempts are cut (and retried later), the ten queued ones now go out in order.
  a.respond = 200
  a.cutHanging()
  await app.sandbox.idle()
  t.same([...a.arrived].sort(), aOrders, 'A: every callback once')
  t.same(events.filter((e) => e.startsWith('A sent')), aOrders.map((id) => `A sent ${id}`), 'sent to A in the order paid (FIFO per receiver)')
  t.ok(mostInFlightAtA <= 2, `at most 2 in flight at A at any time (${mostInFlightAtA})`)
  const aFirst = events.findIndex((e) => e.startsWith('A settled'))
  const bLast = events.findLastIndex((e) => e.startsWith('B arrived'))
  t.ok(bLast < aFirst, 'both of B\'s attempts arrived before the first attempt to A ended')
})
