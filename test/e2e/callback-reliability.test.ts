import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { INTERRUPTED } from '../../src/engine/callbacks/dispatcher.js'
import { open } from '../../src/crypto/index.js'
import { createStore } from '../../src/store/index.js'
import { activePayData, build, callGateway, envelope, MERCHANT } from '../helpers/build.js'

// The merchant's endpoint goes down, comes back flaky, then recovers, and the sandbox restarts in between:
// every callback must still arrive, and the delivery log must say exactly what happened to each attempt.

type Answer = number | 'hang' | 'reset'

interface Seen {
  id: string
  attempt: number
  body: Record<string, string>
  answered: Answer
}

interface Merchant {
  url: string
  /** Every request that reached the endpoint, with what it was answered. */
  seen: Seen[]
  /** What the next requests get: one answer, or answers in turn (request k gets `script[k % length]`). */
  script: Answer[]
  /** Unreachable from now on: every connection is dropped before a request is read. */
  down(): Promise<void>
  /** Answering again, on the same URL. */
  up(): Promise<void>
}

/**
 * A merchant callback endpoint that can be taken down and brought back on the same URL. Down, it keeps its port
 * (closing it and listening again would let another test file take it in between) and drops every connection as it
 * arrives, before any request reaches the handler: to the sandbox the merchant is unreachable.
 */
async function merchantEndpoint (t: { teardown(fn: () => unknown): void }): Promise<Merchant> {
  const hanging: ServerResponse[] = []
  let count = 0
  let isDown = false
  const merchant: Merchant = {
    url: '',
    seen: [],
    script: [200],
    down: async () => {
      isDown = true
      server.closeAllConnections()
    },
    up: async () => { isDown = false }
  }
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk: Buffer) => { text += chunk.toString('utf8') })
    req.on('end', () => {
      const answered = merchant.script[count++ % merchant.script.length]!
      merchant.seen.push({ id: String(req.headers['x-ottpay-sandbox-notification-id']), attempt: Number(req.headers['x-ottpay-sandbox-attempt']), body: JSON.parse(text) as Record<string, string>, answered })
      if (answered === 'hang') {
        hanging.push(res)
      } else if (answered === 'reset') {
        req.socket.resetAndDestroy()
      } else {
        res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered < 300 ? 'SUCCESS' : 'merchant error')
      }
    })
  })
  server.on('connection', (socket) => { if (isDown) socket.destroy() })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  merchant.url = `http://127.0.0.1:${port}/ottpay/callback`
  t.teardown(async () => {
    server.closeAllConnections()
    if (server.listening) await new Promise((resolve) => server.close(resolve))
  })
  return merchant
}

interface AttemptView { n: number, status: number | null, error: string | null, delivered: boolean }
interface DeliveryView { id: string, kind: string, status: string, next_attempt_at: number | null, attempts: AttemptView[] }

async function callbacksOf (app: FastifyInstance, orderId: string): Promise<DeliveryView[]> {
  const res = await app.inject(`/sandbox/api/orders/${orderId}?merchant_id=${MERCHANT.merchant_id}`)
  return (res.json() as { callbacks: DeliveryView[] }).callbacks
}

async function createOrders (app: FastifyInstance, url: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: id, call_back_url: url })))
    if (answer.body.rsp_code !== 'SUCCESS') throw new Error(`${id}: ${answer.body.rsp_msg}`)
  }
}

/** Pays (or, for `declined`, declines) every order at once, as many payers would. */
async function settle (app: FastifyInstance, ids: string[], declined: Set<string>): Promise<void> {
  const results = await Promise.all(ids.map((id) => app.inject({ method: 'POST', url: `/sandbox/api/orders/${id}/${declined.has(id) ? 'fail' : 'pay'}?merchant_id=${MERCHANT.merchant_id}` })))
  for (const [i, res] of results.entries()) if (res.statusCode !== 200) throw new Error(`${ids[i]}: ${res.statusCode} ${res.body}`)
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`)

const RETRIES = { CALLBACK_RETRY_SCHEDULE: Array(12).fill('1s').join(','), CALLBACK_TIMEOUT: '300ms' }

t.test('down, then flaky, then back: every callback is delivered, and the delivery log matches what the merchant saw', async (t) => {
  const merchant = await merchantEndpoint(t)
  const { app } = await build(t, { env: RETRIES })
  const orders = ids('REL', 60)
  const declined = new Set(orders.filter((_, i) => i % 6 === 0))
  await createOrders(app, merchant.url, orders)

  await merchant.down()
  await settle(app, orders, declined)
  await app.sandbox.idle()
  await app.sandbox.advance(1000)
  t.equal(merchant.seen.length, 0, 'down: nothing reached the merchant')

  await merchant.up()
  merchant.script = [500, 'hang', 'reset', 200]
  for (let step = 0; step < 3; step++) await app.sandbox.advance(1000)
  const duringFlaky = merchant.seen.length
  t.ok(merchant.seen.some((s) => s.answered === 200) && merchant.seen.some((s) => s.answered !== 200), 'flaky: some answered, some not')

  merchant.script = [200]
  for (let step = 0; step < 4; step++) await app.sandbox.advance(1000)
  t.ok(merchant.seen.length > duringFlaky, 'back: the rest arrived')

  const problems: string[] = []
  const unreachable = new Set<string>()
  const deliveryIds = new Set<string>()
  for (const orderId of orders) {
    const deliveries = await callbacksOf(app, orderId)
    if (deliveries.length !== 1) {
      problems.push(`${orderId}: ${deliveries.length} callbacks`)
      continue
    }
    const delivery = deliveries[0]!
    deliveryIds.add(delivery.id)
    if (delivery.kind !== (declined.has(orderId) ? 'declined' : 'payment')) problems.push(`${orderId}: kind ${delivery.kind}`)
    if (delivery.status !== 'delivered') problems.push(`${orderId}: ${delivery.status}`)
    t.same(delivery.attempts.map((a) => a.n), delivery.attempts.map((_, i) => i + 1), `${orderId}: attempts numbered 1, 2, …`)
    for (const [i, attempt] of delivery.attempts.entries()) {
      const last = i === delivery.attempts.length - 1
      const seen = merchant.seen.filter((s) => s.id === delivery.id && s.attempt === attempt.n)
      const where = `${orderId} attempt ${attempt.n}`
      if (attempt.delivered !== last) problems.push(`${where}: delivered=${attempt.delivered}`)
      if (seen.length === 0 && attempt.status === null && attempt.error !== null) {
        // Sent while the merchant was down: dropped (or left unanswered) before any request was read.
        unreachable.add(attempt.error)
        continue
      }
      if (seen.length !== 1) {
        problems.push(`${where}: the merchant saw it ${seen.length} times`)
        continue
      }
      const { answered, body } = seen[0]!
      if (typeof answered === 'number' ? attempt.status !== answered : attempt.status !== null) problems.push(`${where}: logged ${attempt.status}, answered ${answered}`)
      if (answered === 'hang' && attempt.error !== 'timeout after 300 ms') problems.push(`${where}: hung, logged ${attempt.error}`)
      if (answered === 'reset' && (attempt.error === null || /timeout/.test(attempt.error))) problems.push(`${where}: reset, logged ${attempt.error}`)
      const data = open({ data: body.data!, md5: body.md5! }, MERCHANT.sign_key)
      if (data.order_id !== orderId || body.rsp_code !== (declined.has(orderId) ? 'FAIL' : 'SUCCESS')) problems.push(`${where}: body of ${String(data.order_id)} ${body.rsp_code}`)
    }
  }
  t.same(problems, [], 'every callback delivered once, each attempt logged as it happened')
  t.ok(unreachable.size > 0, `attempts while down are logged as failed, unseen by the merchant (${[...unreachable].join(', ')})`)
  const acknowledged = merchant.seen.filter((s) => s.answered === 200)
  t.equal(acknowledged.length, orders.length, 'the merchant acknowledged exactly one request per order')
  t.same(new Set(acknowledged.map((s) => s.id)), deliveryIds, 'one per notification')
  t.ok(merchant.seen.every((s) => deliveryIds.has(s.id)), 'and nothing it saw is missing from the log')
})

t.test('callbacks pending when the sandbox stops are sent after a restart, under the same notification ids', async (t) => {
  const merchant = await merchantEndpoint(t)
  const file = join(t.testdir(), 'sandbox.json')
  const orders = ids('RST', 30)
  const before = new Map<string, string>()
  {
    const store = await createStore(file)
    const { app } = await build(t, { env: RETRIES, store })
    await createOrders(app, merchant.url, orders)
    await merchant.down()
    await settle(app, orders, new Set())
    await app.sandbox.idle()
    for (const orderId of orders) {
      const [delivery] = await callbacksOf(app, orderId)
      t.equal(delivery?.status, 'pending', `${orderId}: pending after a refused attempt`)
      before.set(orderId, delivery!.id)
    }
    await app.close()
    await store.close()
  }

  await merchant.up()
  const store = await createStore(file)
  const { app } = await build(t, { env: RETRIES, store })
  t.teardown(() => store.close())
  await app.sandbox.advance(1000)
  const problems: string[] = []
  for (const orderId of orders) {
    const [delivery] = await callbacksOf(app, orderId)
    if (delivery?.id !== before.get(orderId)) problems.push(`${orderId}: notification ${delivery?.id}, was ${before.get(orderId)}`)
    if (delivery?.status !== 'delivered') problems.push(`${orderId}: ${delivery?.status}`)
    const received = merchant.seen.filter((s) => s.id === delivery?.id)
    if (received.length !== 1 || received[0]!.attempt !== 2) problems.push(`${orderId}: received ${received.map((s) => s.attempt).join(',')}`)
    else if (open({ data: received[0]!.body.data!, md5: received[0]!.body.md5! }, MERCHANT.sign_key).order_id !== orderId) problems.push(`${orderId}: wrong body`)
  }
  t.same(problems, [], 'every pending callback delivered once after the restart, as attempt 2')
  t.equal(merchant.seen.length, orders.length, 'nothing else was sent')
})

t.test('a callback in flight at shutdown is cut after a short grace, kept pending, and sent after the restart', async (t) => {
  const merchant = await merchantEndpoint(t)
  merchant.script = ['hang']
  const file = join(t.testdir(), 'sandbox.json')
  const env = { CALLBACK_RETRY_SCHEDULE: '1h', CALLBACK_TIMEOUT: '30s' }
  {
    const store = await createStore(file)
    const { app } = await build(t, { env, store })
    await createOrders(app, merchant.url, ['HANG1'])
    await settle(app, ['HANG1'], new Set())
    while (merchant.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    const started = performance.now()
    await app.close()
    const took = performance.now() - started
    t.ok(took < 5000, `closing waited ${Math.round(took)} ms, not the 30 s timeout`)
    await store.close()
  }

  merchant.script = [200]
  const store = await createStore(file)
  const { app } = await build(t, { env, store })
  t.teardown(() => store.close())
  const [cut] = await callbacksOf(app, 'HANG1')
  t.equal(cut?.status, 'pending')
  t.same(cut?.attempts.map((a) => a.error), [INTERRUPTED], 'the cut attempt is logged as such')
  await app.sandbox.tick()
  await app.sandbox.idle()
  const [delivered] = await callbacksOf(app, 'HANG1')
  t.equal(delivered?.status, 'delivered', 'due at once after the restart: no hour-long retry wait')
  t.same(merchant.seen.map((s) => [s.id, s.attempt, s.answered]), [[cut!.id, 1, 'hang'], [cut!.id, 2, 200]])
})
