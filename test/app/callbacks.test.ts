import t from 'tap'
import { open } from '../../src/crypto/index.js'
import { activePayData, build, callGateway, cardData, envelope, MERCHANT } from '../helpers/build.js'
import { walletOrder } from '../helpers/gateway-calls.js'
import { startReceiver } from '../helpers/receiver.js'

interface View {
  status: string
  finish_time: string | null
  tip: string
  history: Array<{ status: string, reason: string }>
  callbacks: Array<{ id: string, status: string, kind: string, next_attempt_at: number | null, attempts: Array<{ n: number, status: number | null, error: string | null, delivered: boolean, reply: string | null, latency_ms: number, url: string }> }>
}

const view = async (app: Awaited<ReturnType<typeof build>>['app'], orderId: string) =>
  (await app.inject(`/sandbox/api/orders/${orderId}?merchant_id=${MERCHANT.merchant_id}`)).json() as View

t.test('paying through the control API sends a signed payment callback with the documented fields', async (t) => {
  const receiver = await startReceiver(t)
  const { app } = await build(t)
  const orderId = await walletOrder(app, { call_back_url: receiver.url, tip: '15' })
  const paid = await app.inject({ method: 'POST', url: `/sandbox/api/orders/${orderId}/pay`, payload: { tip: '30' } })
  t.equal(paid.statusCode, 200)
  t.equal(paid.json().status, 'success')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1)
  const { headers, body } = receiver.received[0]!
  t.same(Object.keys(body).sort(), ['data', 'md5', 'merchant_id', 'rsp_code', 'rsp_msg'])
  t.equal(body.rsp_code, 'SUCCESS')
  t.equal(body.rsp_msg, 'success')
  t.equal(body.merchant_id, MERCHANT.merchant_id)
  const inner = open({ data: body.data!, md5: body.md5! }, MERCHANT.sign_key)
  t.same(inner, {
    finish_time: '20260115120000',
    order_id: orderId,
    order_status: 'success',
    amount: '100',
    tip: '30',
    bizpay_order_id: inner.bizpay_order_id,
    merchant_id: MERCHANT.merchant_id
  })
  t.match(inner.bizpay_order_id, /^WX\d{16}$/)
  t.equal(headers['content-type'], 'application/json')
  t.match(headers['x-ottpay-sandbox-notification-id'], /^cb_/)
  t.equal(headers['x-ottpay-sandbox-attempt'], '1')
  const order = await view(app, orderId)
  t.equal(order.callbacks.length, 1)
  t.equal(order.callbacks[0]!.status, 'delivered')
  t.equal(order.callbacks[0]!.attempts[0]!.status, 200)
  t.equal(order.callbacks[0]!.attempts[0]!.reply, 'SUCCESS')
  t.equal(order.callbacks[0]!.attempts[0]!.url, receiver.url)
})

t.test('paying a paid order is ORDER_PAID; fail sends a FAIL callback; expire sends none', async (t) => {
  const receiver = await startReceiver(t)
  const { app } = await build(t)
  const paidId = await walletOrder(app, { call_back_url: receiver.url, order_id: 'P1' })
  await app.inject({ method: 'POST', url: `/sandbox/api/orders/${paidId}/pay` })
  const again = await app.inject({ method: 'POST', url: `/sandbox/api/orders/${paidId}/pay` })
  t.equal(again.statusCode, 409)
  t.equal(again.json().error, 'ORDER_PAID')
  const failId = await walletOrder(app, { call_back_url: receiver.url, order_id: 'F1' })
  t.equal((await app.inject({ method: 'POST', url: `/sandbox/api/orders/${failId}/fail` })).json().status, 'fail')
  const expireId = await walletOrder(app, { call_back_url: receiver.url, order_id: 'E1' })
  t.equal((await app.inject({ method: 'POST', url: `/sandbox/api/orders/${expireId}/expire` })).json().status, 'notpay')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 2, 'one for the payment, one for the decline, none for the expiry')
  const fail = receiver.received.find((r) => r.body.rsp_code === 'FAIL')!
  t.equal(fail.body.rsp_msg, 'failure.')
  const failInner = open({ data: fail.body.data!, md5: fail.body.md5! }, MERCHANT.sign_key)
  t.equal(failInner.order_id, 'F1')
  t.equal(failInner.order_status, 'fail', 'a decline says so in order_status too')
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/api/orders/NOPE/pay' })).statusCode, 404)
})

t.test('a failing merchant is retried on the schedule until it answers 2xx, with every attempt recorded', async (t) => {
  const receiver = await startReceiver(t, 500)
  const { app, clock } = await build(t, { env: { CALLBACK_RETRY_SCHEDULE: '1s,2s,4s' } })
  const orderId = await walletOrder(app, { call_back_url: receiver.url })
  await app.inject({ method: 'POST', url: `/sandbox/api/orders/${orderId}/pay` })
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1)
  clock.advance(999)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1, 'not before the first retry delay')
  clock.advance(1)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal(receiver.received.length, 2)
  receiver.respond = 204
  clock.advance(2000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal(receiver.received.length, 3)
  clock.advance(60_000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal(receiver.received.length, 3, 'nothing after delivery')
  t.same(receiver.received.map((r) => r.headers['x-ottpay-sandbox-attempt']), ['1', '2', '3'])
  t.equal(new Set(receiver.received.map((r) => r.headers['x-ottpay-sandbox-notification-id'])).size, 1, 'one notification id across retries')
  const delivery = (await view(app, orderId)).callbacks[0]!
  t.equal(delivery.status, 'delivered')
  t.same(delivery.attempts.map((a) => [a.n, a.status, a.delivered]), [[1, 500, false], [2, 500, false], [3, 204, true]])
  t.equal(delivery.attempts[0]!.reply, 'merchant error')
})

t.test('after the last retry a delivery is given up; redeliver sends it once more on demand', async (t) => {
  const receiver = await startReceiver(t, 503)
  const { app, clock } = await build(t, { env: { CALLBACK_RETRY_SCHEDULE: '1s' } })
  const orderId = await walletOrder(app, { call_back_url: receiver.url })
  await app.inject({ method: 'POST', url: `/sandbox/api/orders/${orderId}/pay` })
  await app.sandbox.idle()
  clock.advance(1000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  let delivery = (await view(app, orderId)).callbacks[0]!
  t.equal(delivery.status, 'failed')
  t.equal(delivery.attempts.length, 2)
  t.equal(delivery.next_attempt_at, null)
  receiver.respond = 200
  const res = await app.inject({ method: 'POST', url: `/sandbox/api/callbacks/${delivery.id}/redeliver` })
  t.equal(res.statusCode, 200)
  t.equal(res.json().attempt.n, 3)
  t.equal(res.json().attempt.delivered, true)
  delivery = (await view(app, orderId)).callbacks[0]!
  t.equal(delivery.status, 'delivered')
  t.equal(receiver.received.length, 3)
  const again = await app.inject({ method: 'POST', url: `/sandbox/api/callbacks/${delivery.id}/redeliver` })
  t.equal(again.json().delivery.status, 'delivered', 'a delivered callback can be sent again and stays delivered')
  t.equal(receiver.received.length, 4)
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/api/callbacks/cb_nope/redeliver' })).statusCode, 404)
})

t.test('a merchant that hangs times out without blocking the gateway or other deliveries', async (t) => {
  const hanging = await startReceiver(t, 'hang')
  const healthy = await startReceiver(t, 200)
  const { app } = await build(t, { env: { CALLBACK_TIMEOUT: '300ms', CALLBACK_RETRY_SCHEDULE: '1h' } })
  const slowId = await walletOrder(app, { call_back_url: hanging.url, order_id: 'SLOW' })
  const fastId = await walletOrder(app, { call_back_url: healthy.url, order_id: 'FAST' })
  await app.inject({ method: 'POST', url: `/sandbox/api/orders/${slowId}/pay` })
  await app.inject({ method: 'POST', url: `/sandbox/api/orders/${fastId}/pay` })
  const gateway = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'DURING' })))
  t.equal(gateway.body.rsp_code, 'SUCCESS', 'the gateway answers while a callback hangs')
  await app.sandbox.idle()
  t.equal(healthy.received.length, 1)
  const slow = (await view(app, slowId)).callbacks[0]!
  t.equal(slow.status, 'pending')
  t.match(slow.attempts[0]!.error, /timeout after 300 ms/)
  t.equal(slow.attempts[0]!.status, null)
  t.equal((await view(app, fastId)).callbacks[0]!.status, 'delivered')
})

t.test('a refused connection is recorded as an error and retried', async (t) => {
  const { app } = await build(t, { env: { CALLBACK_RETRY_SCHEDULE: '1s' } })
  const orderId = await walletOrder(app, { call_back_url: 'http://127.0.0.1:9/closed' })
  await app.inject({ method: 'POST', url: `/sandbox/api/orders/${orderId}/pay` })
  await app.sandbox.idle()
  const delivery = (await view(app, orderId)).callbacks[0]!
  t.equal(delivery.status, 'pending')
  t.match(delivery.attempts[0]!.error, /ECONNREFUSED|fetch failed/)
})

t.test('autopay and expiry follow the clock', async (t) => {
  const receiver = await startReceiver(t)
  const { app, clock } = await build(t, { env: { AUTOPAY_AFTER: '5s', ORDER_EXPIRY: '1m' } })
  const orderId = await walletOrder(app, { call_back_url: receiver.url })
  clock.advance(4999)
  await app.sandbox.tick()
  t.equal((await view(app, orderId)).status, 'init')
  clock.advance(1)
  await app.sandbox.tick()
  await app.sandbox.idle()
  const order = await view(app, orderId)
  t.equal(order.status, 'success')
  t.equal(order.finish_time, '20260115120005')
  t.match(order.history.at(-1)!.reason, /automatically/)
  t.equal(receiver.received.length, 1)

  const noAutopay = await build(t, { env: { ORDER_EXPIRY: '1m' } })
  const idleId = await walletOrder(noAutopay.app, { call_back_url: receiver.url })
  noAutopay.clock.advance(59_999)
  await noAutopay.app.sandbox.tick()
  t.equal((await view(noAutopay.app, idleId)).status, 'init')
  noAutopay.clock.advance(1)
  await noAutopay.app.sandbox.tick()
  t.equal((await view(noAutopay.app, idleId)).status, 'notpay')
})

t.test('a merchant fixture autopay_after pays that merchant\'s orders', async (t) => {
  const receiver = await startReceiver(t)
  const { app, clock } = await build(t, { merchants: [{ ...MERCHANT, autopay_after: '2s' }] })
  const orderId = await walletOrder(app, { call_back_url: receiver.url })
  clock.advance(2000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal((await view(app, orderId)).status, 'success')
  t.equal(receiver.received.length, 1)
})

t.test('the UnionPay page\'s Pay fires the backUrl callback', async (t) => {
  const receiver = await startReceiver(t)
  const { app } = await build(t)
  const answer = await callGateway(app, envelope('CC_PREAUTH', '2.0', cardData({ backUrl: receiver.url })))
  const path = new URL(answer.data!.codeUrl as string).pathname
  const res = await app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'choice=pay' })
  t.equal(res.statusCode, 200)
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1)
  const inner = open({ data: receiver.received[0]!.body.data!, md5: receiver.received[0]!.body.md5! }, MERCHANT.sign_key)
  t.equal(inner.order_id, 'CARD0001')
  t.equal(inner.amount, '2500')
  t.equal(inner.order_status, 'authorised', 'a pre-authorisation\'s callback says authorised (apidocs: "authorised/captured")')
  t.equal((await view(app, 'CARD0001')).status, 'authorised')
})

t.test('a merchant that resets the connection is retried until it answers', async (t) => {
  const receiver = await startReceiver(t, 'reset')
  const { app, clock } = await build(t, { env: { CALLBACK_RETRY_SCHEDULE: '1s,1s' } })
  const orderId = await walletOrder(app, { call_back_url: receiver.url })
  await app.inject({ method: 'POST', url: `/sandbox/api/orders/${orderId}/pay` })
  await app.sandbox.idle()
  let delivery = (await view(app, orderId)).callbacks[0]!
  t.equal(delivery.status, 'pending')
  t.equal(delivery.attempts[0]!.status, null)
  t.match(delivery.attempts[0]!.error, /ECONNRESET|socket|fetch failed/)
  receiver.respond = 200
  clock.advance(1000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  delivery = (await view(app, orderId)).callbacks[0]!
  t.equal(delivery.status, 'delivered')
  t.equal(receiver.received.length, 2)
})
