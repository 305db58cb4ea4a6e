import { join } from 'node:path'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { open } from '../../src/crypto/index.js'
import { createStore } from '../../src/store/index.js'
import { build, MERCHANT, T0, choose } from '../helpers/build.js'
import { walletOrder } from '../helpers/gateway-calls.js'
import { startReceiver } from '../helpers/receiver.js'

interface AttemptView { n: number, delivered: boolean, error: string | null, status: number | null }
interface DeliveryView { id: string, status: string, attempts: AttemptView[], duplicate_of: string | null }
interface OrderView { order_id: string, status: string, payer_page_url: string, callbacks: DeliveryView[] }

async function view (app: FastifyInstance, orderId = 'ORDER0001'): Promise<OrderView> {
  const res = await app.inject({ method: 'GET', url: `/sandbox/api/orders/${orderId}?merchant_id=${MERCHANT.merchant_id}` })
  if (res.statusCode !== 200) throw new Error(`order view answered ${res.statusCode}: ${res.body}`)
  return res.json() as OrderView
}

function payViaApi (app: FastifyInstance, orderId = 'ORDER0001') {
  return app.inject({ method: 'POST', url: `/sandbox/api/orders/${orderId}/pay?merchant_id=${MERCHANT.merchant_id}` })
}

const inner = (body: Record<string, string>) => open({ data: body.data!, md5: body.md5! }, MERCHANT.sign_key)

t.test('an amount ending in 01 declines when paid and sends one FAIL callback', async (t) => {
  const { app } = await build(t)
  const merchant = await startReceiver(t)
  await walletOrder(app, { call_back_url: merchant.url, amount: '101' })
  const res = await payViaApi(app)
  t.equal(res.statusCode, 200)
  t.equal((res.json() as { status: string }).status, 'fail')
  await app.sandbox.idle()
  t.equal((await view(app)).status, 'fail')
  t.equal(merchant.received.length, 1)
  const body = merchant.received[0]!.body
  t.equal(body.rsp_code, 'FAIL')
  t.equal(body.rsp_msg, 'failure.')
  t.equal(body.merchant_id, MERCHANT.merchant_id)
  t.match(inner(body), { order_id: 'ORDER0001', amount: '101', merchant_id: MERCHANT.merchant_id })
})

t.test('an amount ending in 02 refuses payment, skips autopay and expires without a callback', async (t) => {
  const { app, clock } = await build(t, { env: { AUTOPAY_AFTER: '1s' } })
  const merchant = await startReceiver(t)
  await walletOrder(app, { call_back_url: merchant.url, amount: '102' })
  const res = await payViaApi(app)
  t.equal(res.statusCode, 409)
  t.equal((res.json() as { error: string }).error, 'ORDER_CLOSED')
  clock.advance(1000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal((await view(app)).status, 'init', 'autopay skips it')
  clock.advance(2 * 60 * 60 * 1000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  const order = await view(app)
  t.equal(order.status, 'notpay')
  t.same(order.callbacks, [])
  t.equal(merchant.received.length, 0)
})

t.test('an amount ending in 03 is paid automatically after 2 s', async (t) => {
  const { app, clock } = await build(t)
  const merchant = await startReceiver(t)
  await walletOrder(app, { call_back_url: merchant.url, amount: '103' })
  clock.advance(1999)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal((await view(app)).status, 'init')
  t.equal(merchant.received.length, 0)
  clock.advance(1)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal((await view(app)).status, 'success')
  t.equal(merchant.received.length, 1)
  t.equal(merchant.received[0]!.body.rsp_code, 'SUCCESS')
  t.match(inner(merchant.received[0]!.body), { order_id: 'ORDER0001', amount: '103' })
})

t.test('an amount ending in 04 sends the payment callback twice', async (t) => {
  const { app } = await build(t)
  const merchant = await startReceiver(t)
  await walletOrder(app, { call_back_url: merchant.url, amount: '104' })
  t.equal((await payViaApi(app)).statusCode, 200)
  await app.sandbox.idle()
  t.equal(merchant.received.length, 2)
  const [first, second] = merchant.received
  t.same(first!.body, second!.body, 'identical bodies')
  t.equal(first!.body.rsp_code, 'SUCCESS')
  const ids = merchant.received.map((r) => r.headers['x-ottpay-sandbox-notification-id'])
  t.ok(ids[0])
  t.ok(ids[1])
  t.not(ids[0], ids[1], 'different notification ids')
  const order = await view(app)
  t.equal(order.callbacks.length, 2)
  t.equal(order.callbacks.filter((d) => d.duplicate_of === order.callbacks[0]!.id).length, 1)
  t.ok(order.callbacks.every((d) => d.status === 'delivered'))
})

t.test('an amount ending in 05 is delivered on the third attempt', async (t) => {
  const { app, clock } = await build(t, { env: { CALLBACK_RETRY_SCHEDULE: '1s,1s,1s' } })
  const merchant = await startReceiver(t, 200)
  await walletOrder(app, { call_back_url: merchant.url, amount: '105' })
  t.equal((await payViaApi(app)).statusCode, 200)
  await app.sandbox.idle()
  t.equal(merchant.received.length, 1)
  t.equal((await view(app)).callbacks[0]!.status, 'pending')
  clock.advance(1000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal(merchant.received.length, 2)
  clock.advance(1000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal(merchant.received.length, 3)
  t.same(merchant.received.map((r) => r.headers['x-ottpay-sandbox-attempt']), ['1', '2', '3'])
  t.equal(new Set(merchant.received.map((r) => r.headers['x-ottpay-sandbox-notification-id'])).size, 1)
  const delivery = (await view(app)).callbacks[0]!
  t.equal(delivery.status, 'delivered')
  t.equal(delivery.attempts.length, 3)
  t.match(delivery.attempts[0], { n: 1, status: 200, delivered: false, error: /timeout simulated/ })
  t.match(delivery.attempts[1], { n: 2, status: 200, delivered: false, error: /timeout simulated/ })
  t.match(delivery.attempts[2], { n: 3, status: 200, delivered: true, error: null })
  clock.advance(10_000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal(merchant.received.length, 3, 'nothing more once delivered')
})

t.test('the scan page shows the amount, the order and Pay/Decline buttons', async (t) => {
  const { app } = await build(t)
  const merchant = await startReceiver(t)
  await walletOrder(app, { call_back_url: merchant.url })
  const path = new URL((await view(app)).payer_page_url).pathname
  t.match(path, /^\/sandbox\/pay\/scan\/[^/]+$/)
  const res = await app.inject({ method: 'GET', url: path })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html; charset=utf-8/)
  t.match(res.body, /1\.00 CAD/)
  t.match(res.body, /ORDER0001/)
  t.match(res.body, new RegExp(`<form method="post" action="${path}">`))
  const buttons = [...res.body.matchAll(/<button[^>]*type="submit" name="choice" value="([a-z]+)"[^>]*>([^<]+)</g)].map((m) => [m[1], m[2]])
  t.same(buttons, [['pay', 'Pay'], ['decline', 'Decline']])
})

t.test('paying on the scan page succeeds and calls back; paying again is refused', async (t) => {
  const { app } = await build(t)
  const merchant = await startReceiver(t)
  await walletOrder(app, { call_back_url: merchant.url })
  const path = new URL((await view(app)).payer_page_url).pathname
  const res = await choose(app, path, 'pay')
  t.equal(res.statusCode, 200)
  t.match(res.body, /Payment completed/)
  await app.sandbox.idle()
  t.equal((await view(app)).status, 'success')
  t.equal(merchant.received.length, 1)
  t.equal(merchant.received[0]!.body.rsp_code, 'SUCCESS')
  t.match(inner(merchant.received[0]!.body), { order_id: 'ORDER0001', amount: '100' })
  const again = await choose(app, path, 'pay')
  t.equal(again.statusCode, 409)
  t.match(again.headers['content-type'], /^text\/html/)
  t.match(again.body, /already paid/)
  await app.sandbox.idle()
  t.equal(merchant.received.length, 1, 'no second callback')
})

t.test('declining on the scan page fails the order with a FAIL callback', async (t) => {
  const { app } = await build(t)
  const merchant = await startReceiver(t)
  await walletOrder(app, { call_back_url: merchant.url, order_id: 'ORDER0002' })
  const path = new URL((await view(app, 'ORDER0002')).payer_page_url).pathname
  const res = await choose(app, path, 'decline')
  t.equal(res.statusCode, 200)
  t.match(res.body, /Payment declined/)
  await app.sandbox.idle()
  t.equal((await view(app, 'ORDER0002')).status, 'fail')
  t.equal(merchant.received.length, 1)
  t.equal(merchant.received[0]!.body.rsp_code, 'FAIL')
  t.match(inner(merchant.received[0]!.body), { order_id: 'ORDER0002' })
})

t.test('an unknown scan page token is 404', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/sandbox/pay/scan/nosuchtoken' })
  t.equal(res.statusCode, 404)
  t.match(res.headers['content-type'], /^text\/html/)
  const post = await choose(app, '/sandbox/pay/scan/nosuchtoken', 'pay')
  t.equal(post.statusCode, 404)
})

t.test('a pending delivery survives a restart and keeps its notification id', async (t) => {
  const file = join(t.testdir(), 'db.json')
  const env = { CALLBACK_RETRY_SCHEDULE: '1s,1s' }
  const merchant = await startReceiver(t, 500)

  const first = await build(t, { env, store: await createStore(file) })
  await walletOrder(first.app, { call_back_url: merchant.url })
  t.equal((await payViaApi(first.app)).statusCode, 200)
  await first.app.sandbox.tick()
  await first.app.sandbox.idle()
  const before = (await view(first.app)).callbacks[0]!
  t.equal(before.status, 'pending')
  t.equal(before.attempts.length, 1)
  t.match(before.attempts[0], { n: 1, status: 500, delivered: false })
  await first.app.close()

  merchant.respond = 200
  const second = await build(t, { env, store: await createStore(file) })
  second.clock.set(T0 + 5000)
  await second.app.sandbox.tick()
  await second.app.sandbox.idle()
  const after = (await view(second.app)).callbacks[0]!
  t.equal(after.status, 'delivered')
  t.equal(after.attempts.length, 2)
  t.match(after.attempts[1], { n: 2, status: 200, delivered: true })
  t.equal(merchant.received.length, 2)
  const ids = merchant.received.map((r) => r.headers['x-ottpay-sandbox-notification-id'])
  t.equal(ids[0], before.id)
  t.equal(ids[1], before.id, 'same notification id after the restart')
  t.same(merchant.received.map((r) => r.headers['x-ottpay-sandbox-attempt']), ['1', '2'])
  t.same(merchant.received[0]!.body, merchant.received[1]!.body)
})
