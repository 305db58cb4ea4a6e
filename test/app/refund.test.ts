import { join } from 'node:path'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { createStore } from '../../src/store/index.js'
import { build, callGateway, cardData, envelope, MERCHANT, T0 } from '../helpers/build.js'
import { walletOrder } from '../helpers/gateway-calls.js'

interface OrderView {
  order_id: string
  status: string
  amount: string
  refund_amount?: string
  updated_at: string
  history: Array<{ at: string, status: string, reason: string }>
}

interface ApiFailure {
  error: string
  message: string
}

async function pay (app: FastifyInstance, orderId: string): Promise<OrderView> {
  const res = await app.inject({ method: 'POST', url: `/sandbox/api/orders/${orderId}/pay` })
  if (res.statusCode !== 200) throw new Error(`pay ${orderId}: ${res.statusCode} ${res.body}`)
  return res.json() as OrderView
}

function refund (app: FastifyInstance, orderId: string, amount?: string) {
  return app.inject({ method: 'POST', url: `/sandbox/api/orders/${orderId}/refund`, payload: amount === undefined ? {} : { amount } })
}

t.test('partial refunds add up to a full refund; nothing beyond what was paid', async (t) => {
  const { app, store, clock } = await build(t)
  await walletOrder(app, { order_id: 'R1', amount: '1000' })
  t.equal((await pay(app, 'R1')).status, 'success')

  clock.advance(1000)
  const first = await refund(app, 'R1', '300')
  t.equal(first.statusCode, 200, first.body)
  t.equal(first.json().status, 'partial_refunded')
  t.equal(first.json().refund_amount, '300')
  t.equal(first.json().updated_at, new Date(T0 + 1000).toISOString())

  clock.advance(1000)
  const second = await refund(app, 'R1', '200')
  t.equal(second.statusCode, 200, second.body)
  t.equal(second.json().status, 'partial_refunded')
  t.equal(second.json().refund_amount, '500', '300 + 200')

  const beyond = await refund(app, 'R1', '501')
  t.equal(beyond.statusCode, 409)
  const failure = beyond.json() as ApiFailure
  t.equal(failure.error, 'REFUND_EXCEEDS')
  t.match(failure.message, /refund of 501 cents exceeds the 500 cents left to refund on order R1 \(paid 1000\)/)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'R1')!.refund_amount, '500', 'a refused refund changes nothing')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'R1')!.status, 'partial_refunded')

  clock.advance(1000)
  const rest = await refund(app, 'R1')
  t.equal(rest.statusCode, 200, rest.body)
  t.equal(rest.json().status, 'refunded', 'no amount: the rest')
  t.equal(rest.json().refund_amount, '1000')

  const again = await refund(app, 'R1', '1')
  t.equal(again.statusCode, 409)
  t.equal(again.json().error, 'REFUND_EXCEEDS')
  t.match(again.json().message, /R1 is already refunded in full/)
  const againWhole = await refund(app, 'R1')
  t.equal(againWhole.statusCode, 409, 'nor the (empty) rest')
  t.equal(againWhole.json().error, 'REFUND_EXCEEDS')

  const order = store.orders.find(MERCHANT.merchant_id, 'R1')!
  t.equal(order.status, 'refunded', 'the store has the refunded order')
  t.equal(order.refund_amount, '1000')
  t.same(order.history.map((h) => [h.status, h.at]), [
    ['init', new Date(T0).toISOString()],
    ['success', new Date(T0).toISOString()],
    ['partial_refunded', new Date(T0 + 1000).toISOString()],
    ['partial_refunded', new Date(T0 + 2000).toISOString()],
    ['refunded', new Date(T0 + 3000).toISOString()]
  ], 'one history entry per refund, with the time; none for the refused ones')
  t.match(order.history.slice(2).map((h) => h.reason), [
    /^refunded through the control API: 300 cents refunded as SBX\d+, 700 left$/,
    /^refunded through the control API: 200 cents refunded as SBX\d+, 500 left$/,
    /^refunded through the control API: 500 cents refunded as SBX\d+, 0 left$/
  ])

  const view = await app.inject('/sandbox/api/orders/R1')
  t.equal(view.json().status, 'refunded', 'the control API shows it')
  t.equal(view.json().refund_amount, '1000')
})

t.test('a full refund in one go, and a refund of exactly what is left', async (t) => {
  const { app } = await build(t)
  await walletOrder(app, { order_id: 'F1', amount: '250' })
  await pay(app, 'F1')
  const whole = await refund(app, 'F1')
  t.equal(whole.json().status, 'refunded')
  t.equal(whole.json().refund_amount, '250')

  await walletOrder(app, { order_id: 'F2', amount: '250' })
  await pay(app, 'F2')
  t.equal((await refund(app, 'F2', '249')).json().status, 'partial_refunded')
  const last = await refund(app, 'F2', '1')
  t.equal(last.json().status, 'refunded', 'the last cent completes it')
  t.equal(last.json().refund_amount, '250')
})

t.test('refunds of orders that were not paid are ORDER_NOT_PAID', async (t) => {
  const { app, store } = await build(t)
  await walletOrder(app, { order_id: 'U1', amount: '1000' })
  const unpaid = await refund(app, 'U1', '100')
  t.equal(unpaid.statusCode, 409)
  t.equal(unpaid.json().error, 'ORDER_NOT_PAID')
  t.match(unpaid.json().message, /U1 is init; only paid orders can be refunded/)
  t.equal((await refund(app, 'U1')).json().error, 'ORDER_NOT_PAID', 'nor in full')

  await walletOrder(app, { order_id: 'U2', amount: '1000' })
  await app.inject({ method: 'POST', url: '/sandbox/api/orders/U2/fail' })
  t.equal((await refund(app, 'U2')).json().error, 'ORDER_NOT_PAID', 'a declined order')

  await walletOrder(app, { order_id: 'U3', amount: '1000' })
  await app.inject({ method: 'POST', url: '/sandbox/api/orders/U3/expire' })
  t.equal((await refund(app, 'U3')).json().error, 'ORDER_NOT_PAID', 'an expired order')

  for (const id of ['U1', 'U2', 'U3']) {
    const order = store.orders.find(MERCHANT.merchant_id, id)!
    t.equal(order.refund_amount ?? '0', '0', `${id}: nothing refunded`)
    t.notOk(order.history.some((h) => h.status.endsWith('refunded')), `${id}: no refund in the history`)
  }
})

t.test('a paid CC_PREAUTH (authorised) cannot be refunded: ORDER_TYPE_ERROR', async (t) => {
  const { app, store } = await build(t)
  const answer = await callGateway(app, envelope('CC_PREAUTH', '2.0', cardData()))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal((await pay(app, 'CARD0001')).status, 'authorised')
  for (const amount of ['100', undefined]) {
    const res = await refund(app, 'CARD0001', amount)
    t.equal(res.statusCode, 409)
    t.equal(res.json().error, 'ORDER_TYPE_ERROR')
    t.match(res.json().message, /pre-authorised/)
  }
  t.equal(store.orders.find(MERCHANT.merchant_id, 'CARD0001')!.status, 'authorised')

  await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData({ orderId: 'CARD0002' })))
  await pay(app, 'CARD0002')
  const purchase = await refund(app, 'CARD0002', '500')
  t.equal(purchase.statusCode, 200, 'a paid CC_PURCHASE can')
  t.equal(purchase.json().status, 'partial_refunded')
})

t.test('bad amounts: 0 is 409, not a number is 400; neither changes the order', async (t) => {
  const { app, store } = await build(t)
  await walletOrder(app, { order_id: 'B1', amount: '1000' })
  await pay(app, 'B1')

  const zero = await refund(app, 'B1', '0')
  t.equal(zero.statusCode, 409)
  t.equal(zero.json().error, 'REFUND_EXCEEDS')
  t.match(zero.json().message, /at least 1 cent/)
  t.equal((await refund(app, 'B1', '000')).statusCode, 409, '000 is 0 too')

  for (const amount of ['abc', '-5', '1.50', '', ' 100', '1234567890123']) {
    const res = await refund(app, 'B1', amount)
    t.equal(res.statusCode, 400, JSON.stringify(amount))
    t.equal(res.json().error, 'BAD_REQUEST')
  }
  const order = store.orders.find(MERCHANT.merchant_id, 'B1')!
  t.equal(order.status, 'success')
  t.equal(order.refund_amount ?? '0', '0')
  t.equal(order.history.length, 2, 'no history entry for a refused refund')
})

t.test('no body or a null body refunds everything that is left', async (t) => {
  const { app } = await build(t)
  await walletOrder(app, { order_id: 'N1', amount: '700' })
  await pay(app, 'N1')
  const res = await app.inject({ method: 'POST', url: '/sandbox/api/orders/N1/refund' })
  t.equal(res.statusCode, 200, res.body)
  t.equal(res.json().status, 'refunded')
  t.equal(res.json().refund_amount, '700')

  await walletOrder(app, { order_id: 'N2', amount: '700' })
  await pay(app, 'N2')
  const nullBody = await app.inject({ method: 'POST', url: '/sandbox/api/orders/N2/refund', payload: 'null', headers: { 'content-type': 'application/json' } })
  t.equal(nullBody.statusCode, 200, nullBody.body)
  t.equal(nullBody.json().refund_amount, '700')
})

t.test('an unknown order is 404; an order id of two merchants needs ?merchant_id', async (t) => {
  const { app } = await build(t)
  const missing = await refund(app, 'NOPE')
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().error, 'NOT_FOUND')
  const scoped = await app.inject({ method: 'POST', url: `/sandbox/api/orders/NOPE/refund?merchant_id=${MERCHANT.merchant_id}`, payload: {} })
  t.equal(scoped.statusCode, 404)
})

t.test('refunds are saved in the store file', async (t) => {
  const file = join(t.testdir(), 'db.json')
  const store = await createStore(file)
  const { app } = await build(t, { store })
  await walletOrder(app, { order_id: 'S1', amount: '1000' })
  await pay(app, 'S1')
  t.equal((await refund(app, 'S1', '400')).statusCode, 200)
  await store.close()

  const reopened = await createStore(file)
  const order = reopened.orders.find(MERCHANT.merchant_id, 'S1')
  t.ok(order, 'the order is in the file')
  t.equal(order!.status, 'partial_refunded')
  t.equal(order!.refund_amount, '400')
  t.equal(order!.history.at(-1)!.status, 'partial_refunded')
})
