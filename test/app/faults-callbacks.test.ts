import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { open } from '../../src/crypto/index.js'
import { build, MERCHANT, OTHER_MERCHANT, T0 } from '../helpers/build.js'
import { payNow, walletOrder } from '../helpers/gateway-calls.js'
import { startReceiver, type Received } from '../helpers/receiver.js'

async function arm (app: FastifyInstance, fault: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/sandbox/api/faults', payload: fault })
  if (res.statusCode !== 201) throw new Error(`arming failed: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string, match: { on: string } }
}

/** Runs what is due on the sandbox clock and waits for the callbacks in flight. */
async function settle (app: FastifyInstance) {
  await app.sandbox.tick()
  await app.sandbox.idle()
}

const orderIdOf = (received: Received, merchant = MERCHANT) => open({ data: received.body.data!, md5: received.body.md5! }, merchant.sign_key).order_id
const header = (received: Received, name: string) => received.headers[name]

t.test('duplicate: the acknowledged callback is sent again with the same notification id', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store } = await build(t)
  const armed = await arm(app, { match: { merchant_id: MERCHANT.merchant_id }, effect: { type: 'duplicate' } })
  t.equal(armed.match.on, 'callback', 'duplicate acts on callbacks without saying so')
  await walletOrder(app, { order_id: 'DUP1', call_back_url: receiver.url })
  await payNow(app, 'DUP1')
  await app.sandbox.idle()

  t.equal(receiver.received.length, 2)
  const [first, second] = receiver.received as [Received, Received]
  t.equal(header(second, 'x-ottpay-sandbox-notification-id'), header(first, 'x-ottpay-sandbox-notification-id'), 'one notification')
  t.same([header(first, 'x-ottpay-sandbox-attempt'), header(second, 'x-ottpay-sandbox-attempt')], ['1', '2'])
  t.same(second.body, first.body, 'the same signed body')
  const [delivery] = store.callbacks.forOrder(MERCHANT.merchant_id, 'DUP1')
  t.equal(delivery!.status, 'delivered')
  t.same(delivery!.attempts.map((a) => [a.n, a.delivered]), [[1, true], [2, true]])

  await walletOrder(app, { order_id: 'DUP2', call_back_url: receiver.url })
  await payNow(app, 'DUP2')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 3, 'the one-shot fault is used up: the next callback goes once')
})

t.test('duplicate waits for the attempt the merchant acknowledges', async (t) => {
  const receiver = await startReceiver(t, 500)
  const { app, clock } = await build(t, { env: { CALLBACK_RETRY_SCHEDULE: '1s' } })
  await arm(app, { match: { on: 'callback' }, effect: { type: 'duplicate' } })
  await walletOrder(app, { order_id: 'DUP3', call_back_url: receiver.url })
  await payNow(app, 'DUP3')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1, 'a failed attempt is not duplicated')
  receiver.respond = 200
  clock.advance(1000)
  await settle(app)
  t.same(receiver.received.map((r) => header(r, 'x-ottpay-sandbox-attempt')), ['1', '2', '3'], 'the retry that succeeds is sent twice')
})

t.test('delay: the first attempt waits ms on the sandbox clock', async (t) => {
  const receiver = await startReceiver(t)
  const { app, clock, store } = await build(t)
  await arm(app, { match: { on: 'callback', action: 'ACTIVEPAY' }, effect: { type: 'delay', ms: 60_000 } })
  await walletOrder(app, { order_id: 'SLOW1', call_back_url: receiver.url })
  await payNow(app, 'SLOW1')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 0)
  const [delivery] = store.callbacks.forOrder(MERCHANT.merchant_id, 'SLOW1')
  t.equal(delivery!.status, 'pending', 'still in the outbox')
  t.equal(delivery!.next_attempt_at, T0 + 60_000)

  clock.advance(59_999)
  await settle(app)
  t.equal(receiver.received.length, 0, 'not a millisecond early')
  clock.advance(1)
  await settle(app)
  t.equal(receiver.received.length, 1)
  t.equal(header(receiver.received[0]!, 'x-ottpay-sandbox-attempt'), '1', 'the postponed first attempt, not a retry')
  t.equal(store.callbacks.get(delivery!.id)!.attempts[0]!.at, new Date(T0 + 60_000).toISOString())
})

t.test('a callback delay is skipped by advancing the virtual clock', async (t) => {
  const receiver = await startReceiver(t)
  const { app } = await build(t)
  await arm(app, { match: { on: 'callback' }, effect: { type: 'delay', ms: 6 * 3_600_000 } })
  await walletOrder(app, { order_id: 'SLOW2', call_back_url: receiver.url })
  await payNow(app, 'SLOW2')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 0)
  const res = await app.inject({ method: 'POST', url: '/sandbox/api/clock/advance', payload: { ms: 6 * 3_600_000 } })
  t.equal(res.statusCode, 200)
  t.equal(receiver.received.length, 1, 'six hours later, in milliseconds')
})

t.test('drop: the callback never reaches the merchant, is given up at once and not retried', async (t) => {
  const receiver = await startReceiver(t)
  const { app, clock, store } = await build(t)
  const armed = await arm(app, { match: { on: 'callback', merchant_id: MERCHANT.merchant_id }, effect: { type: 'drop' } })
  t.equal(armed.match.on, 'callback')
  await walletOrder(app, { order_id: 'LOST1', call_back_url: receiver.url })
  await payNow(app, 'LOST1')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 0, 'no HTTP request reached the receiver')

  const [delivery] = store.callbacks.forOrder(MERCHANT.merchant_id, 'LOST1')
  t.equal(delivery!.status, 'failed', 'given up, like a refused callback')
  t.equal(delivery!.next_attempt_at, null, 'no retry scheduled')
  t.equal(delivery!.attempts.length, 1)
  const attempt = delivery!.attempts[0]!
  t.same({ ...attempt, error: undefined }, { n: 1, at: new Date(T0).toISOString(), url: receiver.url, status: null, error: undefined, latency_ms: 0, reply: null, delivered: false }, 'an attempt without an HTTP request')
  t.match(attempt.error, new RegExp(`^dropped by fault ${armed.id}: the callback was not sent, as if lost on the way, and is not retried`))
  t.equal(store.orders.find(MERCHANT.merchant_id, 'LOST1')!.status, 'success', 'the order stays paid')
  t.same((await app.inject('/sandbox/api/faults')).json().faults, [], 'the one-shot fault is used up')

  clock.advance(24 * 3_600_000)
  await settle(app)
  t.equal(receiver.received.length, 0, 'a day later: still never sent')

  await walletOrder(app, { order_id: 'LOST2', call_back_url: receiver.url })
  await payNow(app, 'LOST2')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1, 'the next callback goes out')
  t.equal(orderIdOf(receiver.received[0]!), 'LOST2')

  const page = await app.inject(`/sandbox/orders/${MERCHANT.merchant_id}/LOST1`)
  t.match(page.body, '<span class="badge" data-status="failed">failed</span>', 'the admin order page shows it given up')
  t.match(page.body, `dropped by fault ${armed.id}: the callback was not sent`, 'with the fault\'s note in its attempt')

  const res = await app.inject({ method: 'POST', url: `/sandbox/api/callbacks/${delivery!.id}/redeliver` })
  t.equal(res.statusCode, 200)
  t.equal(receiver.received.length, 2, 'a redelivery sends it for real')
  const resent = receiver.received[1]!
  t.equal(orderIdOf(resent), 'LOST1')
  t.same([header(resent, 'x-ottpay-sandbox-notification-id'), header(resent, 'x-ottpay-sandbox-attempt')], [delivery!.id, '2'])
  t.equal(res.json().delivery.status, 'delivered')
  t.same(res.json().delivery.attempts.map((a: { n: number, status: number | null, delivered: boolean }) => [a.n, a.status, a.delivered]), [[1, null, false], [2, 200, true]])
})

t.test('drop: the admin UI\'s Redeliver button sends a dropped callback', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store } = await build(t)
  await arm(app, { match: { on: 'callback' }, effect: { type: 'drop' } })
  await walletOrder(app, { order_id: 'LOST3', call_back_url: receiver.url })
  await payNow(app, 'LOST3')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 0)
  const [delivery] = store.callbacks.forOrder(MERCHANT.merchant_id, 'LOST3')
  const res = await app.inject({ method: 'POST', url: `/sandbox/callbacks/${delivery!.id}/redeliver`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' })
  t.equal(res.statusCode, 303)
  t.equal(receiver.received.length, 1)
  t.equal(store.callbacks.get(delivery!.id)!.status, 'delivered')
})

t.test('a callback fault matches the action that created the order', async (t) => {
  const receiver = await startReceiver(t)
  const { app } = await build(t)
  await arm(app, { match: { on: 'callback', action: 'CC_PURCHASE' }, effect: { type: 'delay', ms: 60_000 } })
  await walletOrder(app, { order_id: 'WALLET1', call_back_url: receiver.url })
  await payNow(app, 'WALLET1')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1, 'an ACTIVEPAY callback is not delayed by a CC_PURCHASE fault')
  t.equal((await app.inject('/sandbox/api/faults')).json().faults.length, 1, 'the fault is still armed')
})

t.test('out_of_order: the callback is held and sent right after the merchant\'s next one', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store } = await build(t)
  await arm(app, { match: { merchant_id: MERCHANT.merchant_id }, effect: { type: 'out_of_order' } })
  await walletOrder(app, { order_id: 'FIRST', call_back_url: receiver.url })
  await walletOrder(app, { order_id: 'SECOND', call_back_url: receiver.url })
  await walletOrder(app, { order_id: 'ELSEWHERE', call_back_url: receiver.url }, OTHER_MERCHANT)

  await payNow(app, 'FIRST')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 0, 'FIRST is held')
  const [held] = store.callbacks.forOrder(MERCHANT.merchant_id, 'FIRST')
  t.equal(held!.status, 'pending', 'a held callback stays in the outbox')
  t.equal(held!.next_attempt_at, T0 + 300_000, 'due at the latest after the default hold of 5 minutes')

  await payNow(app, 'ELSEWHERE', OTHER_MERCHANT)
  await app.sandbox.idle()
  t.same(receiver.received.map((r) => orderIdOf(r, OTHER_MERCHANT)), ['ELSEWHERE'], 'another merchant\'s callback releases nothing')

  await payNow(app, 'SECOND')
  await app.sandbox.idle()
  t.same(receiver.received.slice(1).map((r) => orderIdOf(r)), ['SECOND', 'FIRST'], 'the merchant sees SECOND before FIRST')
  t.equal(store.callbacks.get(held!.id)!.status, 'delivered')
})

t.test('out_of_order: with no next callback the held one goes out after ms', async (t) => {
  const receiver = await startReceiver(t)
  const { app, clock } = await build(t)
  await arm(app, { effect: { type: 'out_of_order', ms: 1000 } })
  await walletOrder(app, { order_id: 'ALONE', call_back_url: receiver.url })
  await payNow(app, 'ALONE')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 0)
  clock.advance(1000)
  await settle(app)
  t.same(receiver.received.map((r) => orderIdOf(r)), ['ALONE'])
})

t.test('a held callback survives a restart: it is in the outbox and goes out when due', async (t) => {
  const receiver = await startReceiver(t)
  const first = await build(t)
  await arm(first.app, { effect: { type: 'out_of_order', ms: 2000 } })
  await walletOrder(first.app, { order_id: 'KEPT', call_back_url: receiver.url })
  await payNow(first.app, 'KEPT')
  await first.app.sandbox.idle()
  await first.app.close()
  t.equal(receiver.received.length, 0)

  const second = await build(t, { store: first.store })
  second.clock.advance(2000)
  await settle(second.app)
  t.same(receiver.received.map((r) => orderIdOf(r)), ['KEPT'])
})

t.test('a queued callback whose merchant was reset is skipped, not sent', async (t) => {
  const receiver = await startReceiver(t, 'hang')
  const { app } = await build(t, { env: { CALLBACK_CONCURRENCY: '1', CALLBACK_TIMEOUT: '300ms' } })
  await walletOrder(app, { order_id: 'R1', call_back_url: receiver.url })
  await walletOrder(app, { order_id: 'R2', call_back_url: receiver.url })
  await payNow(app, 'R1')
  await payNow(app, 'R2')
  const reset = await app.inject({ method: 'POST', url: `/sandbox/api/reset?merchant_id=${MERCHANT.merchant_id}` })
  t.equal(reset.statusCode, 200)
  t.equal(reset.json().removed.callbacks, 2)
  await app.sandbox.idle()
  t.same(receiver.received.map((r) => orderIdOf(r)), ['R1'], 'R1 was in flight; R2 waited in the queue and was dropped')
})
