import t from 'tap'
import { open } from '../../src/crypto/index.js'
import { activePayData, build, envelope, MERCHANT, passivePayData, prepayInitData, T0, callGateway } from '../helpers/build.js'
import { statusQuery } from '../helpers/gateway-calls.js'
import { startReceiver } from '../helpers/receiver.js'

const HOUR = 3_600_000

async function advance (app: Awaited<ReturnType<typeof build>>['app'], ms: unknown) {
  return app.inject({ method: 'POST', url: '/sandbox/api/clock/advance', payload: { ms } })
}

t.test('GET /sandbox/api/clock reads the sandbox time; advancing moves it and reports the offset', async (t) => {
  const { app } = await build(t)
  t.same((await app.inject('/sandbox/api/clock')).json(), { now: new Date(T0).toISOString(), now_ms: T0, offset_ms: 0 })
  const res = await advance(app, 90_000)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { from: new Date(T0).toISOString(), now: new Date(T0 + 90_000).toISOString(), now_ms: T0 + 90_000, offset_ms: 90_000, steps: 0 })
  t.equal((await app.inject('/sandbox/api/clock')).json().now_ms, T0 + 90_000)
})

t.test('orders created after an advance live in sandbox time', async (t) => {
  const { app, store } = await build(t)
  await advance(app, HOUR)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
  t.equal(store.orders.find(MERCHANT.merchant_id, 'ORDER0001')?.created_at, new Date(T0 + HOUR).toISOString())
})

t.test('advancing 6 hours runs the whole retry schedule in order, at the scheduled sandbox times', async (t) => {
  const receiver = await startReceiver(t, 500)
  const { app, store } = await build(t, { fetch: globalThis.fetch })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ call_back_url: receiver.url })))
  await app.inject({ method: 'POST', url: '/sandbox/api/orders/ORDER0001/pay' })
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1, 'the first attempt goes out at once')

  const res = await advance(app, 6 * HOUR)
  t.equal(res.statusCode, 200)
  // Default schedule 15s,15s,30s,3m,10m,20m,30m,30m,30m,60m,3h,…: the attempts within 6 h are at these offsets.
  const offsets = [0, 15, 30, 60, 240, 840, 2040, 3840, 5640, 7440, 11040].map((s) => s * 1000)
  const [delivery] = store.callbacks.forOrder(MERCHANT.merchant_id, 'ORDER0001')
  t.same(delivery!.attempts.map((a) => Date.parse(a.at) - T0), offsets, 'each attempt at its scheduled sandbox time')
  t.equal(receiver.received.length, offsets.length, 'every attempt reached the merchant')
  t.same(receiver.received.map((r) => r.headers['x-ottpay-sandbox-attempt']), offsets.map((_, i) => String(i + 1)))
  t.equal(res.json().steps, offsets.length - 1)
  t.equal(delivery!.status, 'pending')
  t.equal(delivery!.next_attempt_at, T0 + 11_040_000 + 3 * HOUR, 'the next retry waits 3 h more')

  receiver.respond = 200
  await advance(app, 3 * HOUR)
  const [after] = store.callbacks.forOrder(MERCHANT.merchant_id, 'ORDER0001')
  t.equal(after!.status, 'delivered', 'the merchant is back: the 12th attempt delivers it')
  t.equal(after!.attempts.length, 12)
  t.equal(Date.parse(after!.attempts[11]!.at), T0 + 11_040_000 + 3 * HOUR)
})

t.test('a delivery given up after the last retry stays failed however far the clock moves', async (t) => {
  const receiver = await startReceiver(t, 503)
  const { app, store } = await build(t, { fetch: globalThis.fetch, env: { CALLBACK_RETRY_SCHEDULE: '1m,1m' } })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ call_back_url: receiver.url })))
  await app.inject({ method: 'POST', url: '/sandbox/api/orders/ORDER0001/pay' })
  const res = await advance(app, 24 * HOUR)
  const [delivery] = store.callbacks.forOrder(MERCHANT.merchant_id, 'ORDER0001')
  t.equal(delivery!.status, 'failed')
  t.equal(delivery!.attempts.length, 3)
  t.equal(receiver.received.length, 3)
  t.equal(res.json().now_ms, T0 + 24 * HOUR)
})

t.test('advancing runs autopay and expiry that fall due, and nothing early', async (t) => {
  const { app } = await build(t, { env: { AUTOPAY_AFTER: '5m', ORDER_EXPIRY: '1h' } })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
  // Magic 02: never paid, so only expiry can close it.
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'NEVER0001', amount: '102' })))

  await advance(app, 5 * 60_000 - 1)
  t.equal((await statusQuery(app, 'ORDER0001')).data?.order_status, 'init', 'one ms before AUTOPAY_AFTER')
  await advance(app, 1)
  const paid = await statusQuery(app, 'ORDER0001')
  t.equal(paid.data?.order_status, 'success')
  t.equal(paid.data?.finish_time, '20260115120500', 'paid at the sandbox time it fell due (Beijing time)')

  t.equal((await statusQuery(app, 'NEVER0001')).data?.order_status, 'init')
  await advance(app, HOUR)
  t.equal((await statusQuery(app, 'NEVER0001')).data?.order_status, 'notpay')
})

t.test('one advance crosses several orders\' moments in time order', async (t) => {
  const { app, store } = await build(t, { env: { ORDER_EXPIRY: '2h' } })
  // PASSIVEPAY magic auth code: PROCESSING now, paid by the payer 5 s later (pay_at).
  const passive = await callGateway(app, envelope('PASSIVEPAY', '1.0', passivePayData({ auth_code: '130000000000000002' })))
  t.equal(passive.body.rsp_code, 'PROCESSING')
  // PREPAY_INIT with duration 900 s: expires at creation + 15 min.
  const prepay = await callGateway(app, envelope('PREPAY_INIT', '2.0', prepayInitData()))
  t.equal(prepay.body.rsp_code, 'SUCCESS')
  const res = await advance(app, HOUR)
  t.equal(res.json().steps, 2, 'two moments: the payer at +5 s, the checkout deadline at +15 min')
  const passiveOrder = store.orders.find(MERCHANT.merchant_id, 'POS0001')!
  t.equal(passiveOrder.status, 'success')
  t.equal(passiveOrder.history.at(-1)?.at, new Date(T0 + 5000).toISOString())
  const checkout = store.orders.page({ merchant_id: MERCHANT.merchant_id }).items.find((o) => o.order_id !== 'POS0001')!
  t.equal(checkout.status, 'notpay')
  t.equal(checkout.history.at(-1)?.at, new Date(T0 + 900_000).toISOString())
})

t.test('the callback sent after an advance is sealed with sandbox time', async (t) => {
  const receiver = await startReceiver(t)
  const { app } = await build(t, { fetch: globalThis.fetch, env: { AUTOPAY_AFTER: '10m' } })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ call_back_url: receiver.url })))
  await advance(app, 10 * 60_000)
  t.equal(receiver.received.length, 1)
  const data = open(receiver.received[0]!.body as { data: string, md5: string }, MERCHANT.sign_key)
  t.equal(data.finish_time, '20260115121000')
})

t.test('advance validates ms and names it', async (t) => {
  const { app } = await build(t)
  for (const [payload, why] of [[{ ms: -1 }, 'negative'], [{}, 'missing'], [{ ms: 'soon' }, 'not a number'], [{ ms: 400 * 24 * HOUR }, 'beyond a year'], [{ ms: 1.5 }, 'fractional']] as const) {
    const res = await app.inject({ method: 'POST', url: '/sandbox/api/clock/advance', payload })
    t.equal(res.statusCode, 400, why)
    t.match(res.json().message, /ms/, `${why}: the message names ms`)
  }
  t.equal((await app.inject('/sandbox/api/clock')).json().offset_ms, 0, 'nothing moved')
})

t.test('a full reset puts the clock back; a merchant reset leaves it', async (t) => {
  const { app } = await build(t)
  await advance(app, HOUR)
  await app.inject({ method: 'POST', url: `/sandbox/api/reset?merchant_id=${MERCHANT.merchant_id}` })
  t.equal((await app.inject('/sandbox/api/clock')).json().offset_ms, HOUR, 'the clock is shared: one merchant\'s reset keeps it')
  const res = await app.inject({ method: 'POST', url: '/sandbox/api/reset' })
  t.equal(res.json().removed.clock, 1)
  t.same((await app.inject('/sandbox/api/clock')).json(), { now: new Date(T0).toISOString(), now_ms: T0, offset_ms: 0 })
})

t.test('the clock routes sit behind ADMIN_TOKEN like the rest of the control API', async (t) => {
  const { app } = await build(t, { env: { ADMIN_TOKEN: 'clock-token-123' } })
  t.equal((await app.inject('/sandbox/api/clock')).statusCode, 401)
  t.equal((await advance(app, 1000)).statusCode, 401)
  const res = await app.inject({ method: 'POST', url: '/sandbox/api/clock/advance', payload: { ms: 1000 }, headers: { authorization: 'Bearer clock-token-123' } })
  t.equal(res.statusCode, 200)
})
