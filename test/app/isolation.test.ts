import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { DataObject } from '../../src/crypto/index.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import type { Order } from '../../src/domain/orders/order.js'
import { DEFAULT_OPERATOR } from '../../src/engine/merchants.js'
import { createStore } from '../../src/store/index.js'
import { activePayData, build, callGateway, envelope, MERCHANT, OTHER_MERCHANT, T0 } from '../helpers/build.js'
import { payNow, refundCall, statusQuery } from '../helpers/gateway-calls.js'
import { createMerchant, type CreatedMerchant } from '../helpers/runtime-merchant.js'

/** ACTIVEPAY for a runtime merchant (its operator), answered and opened with its own key. */
const activePay = (app: FastifyInstance, merchant: Merchant, extra: DataObject = {}) =>
  callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ operator_id: merchant.operators[0]!, ...extra }), merchant), merchant)

async function ordersOf (app: FastifyInstance, merchantId?: string): Promise<Order[]> {
  const res = await app.inject(`/sandbox/api/orders${merchantId === undefined ? '' : `?merchant_id=${merchantId}`}`)
  return (res.json() as { orders: Order[] }).orders
}

async function requestsOf (app: FastifyInstance, merchantId?: string): Promise<Array<{ id: string, merchant_id: string | null }>> {
  const res = await app.inject(`/sandbox/api/requests${merchantId === undefined ? '' : `?merchant_id=${merchantId}`}`)
  return (res.json() as { requests: Array<{ id: string, merchant_id: string | null }> }).requests
}

const reset = (app: FastifyInstance, merchantId?: string) =>
  app.inject({ method: 'POST', url: `/sandbox/api/reset${merchantId === undefined ? '' : `?merchant_id=${merchantId}`}` })

/** Callbacks' fetch for these tests: every merchant answers 500 (so retries stay pending); counts attempts by merchant. */
function failingMerchants () {
  const attempts = new Map<string, number>()
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    const merchantId = (JSON.parse(String(init?.body)) as { merchant_id: string }).merchant_id
    attempts.set(merchantId, (attempts.get(merchantId) ?? 0) + 1)
    return new Response('merchant error', { status: 500 })
  }
  return { fetch, attempts: (merchantId: string) => attempts.get(merchantId) ?? 0 }
}

t.test('parallel workers, each with its own runtime merchant, never see each other\'s orders', async (t) => {
  const { app } = await build(t)
  const workers = await Promise.all(['A', 'B', 'C'].map((name) => createMerchant(app, { name: `worker ${name}` })))
  t.equal(new Set(workers.map((w) => w.merchant_id)).size, 3)

  // Every worker uses the same order ids at the same time, with its own amounts, plus one id of its own.
  await Promise.all(workers.map((worker, w) => Promise.all([
    ...[1, 2, 3].map(async (i) => {
      const answer = await activePay(app, worker, { order_id: `ORDER-${i}`, amount: String((w + 1) * 1000 + i) })
      t.equal(answer.body.rsp_code, 'SUCCESS', `${worker.name} ORDER-${i}: ${answer.body.rsp_msg}`)
    }),
    activePay(app, worker, { order_id: `OWN-${worker.merchant_id}` })
  ])))

  for (const [w, worker] of workers.entries()) {
    const orders = await ordersOf(app, worker.merchant_id)
    t.same(orders.map((o) => o.order_id).sort(), ['ORDER-1', 'ORDER-2', 'ORDER-3', `OWN-${worker.merchant_id}`], `${worker.name} sees its 4 orders`)
    t.ok(orders.every((o) => o.merchant_id === worker.merchant_id), `${worker.name} sees none of the others'`)
    const own = await statusQuery(app, 'ORDER-2', worker)
    t.equal(own.data?.amount, String((w + 1) * 1000 + 2), `${worker.name}'s ORDER-2 is its own`)
    t.equal((await requestsOf(app, worker.merchant_id)).length, 5, `${worker.name}'s 5 calls (4 ACTIVEPAY, 1 STATUS_QUERY) in the request log`)
  }
  t.equal((await ordersOf(app)).length, 12)

  const [a, b] = workers as [CreatedMerchant, CreatedMerchant]
  const foreign = await statusQuery(app, `OWN-${b.merchant_id}`, a)
  t.equal(foreign.body.rsp_code, 'PARAM_INVALID')
  t.match(foreign.body.rsp_msg, `order_id OWN-${b.merchant_id} is not an order of merchant ${a.merchant_id}`)
  const stolenKey = await callGateway(app, envelope('STATUS_QUERY', '1.0', { order_id: 'ORDER-1' }, { ...b, sign_key: a.sign_key }), a)
  t.equal(stolenKey.body.rsp_code, 'PARAM_INVALID', 'a worker\'s key does not open another worker\'s merchant')
})

t.test('a merchant\'s reset clears its orders, refunds, callbacks and logged requests; the other merchant keeps everything', async (t) => {
  const merchants = failingMerchants()
  const { app, store, clock } = await build(t, { fetch: merchants.fetch, env: { CALLBACK_RETRY_SCHEDULE: '10s,10s,10s' } })
  const [a, b] = await Promise.all([createMerchant(app), createMerchant(app)])
  const pages: Record<string, string> = {}
  for (const merchant of [a, b]) {
    t.equal((await activePay(app, merchant, { order_id: 'PAID-1', amount: '500' })).body.rsp_code, 'SUCCESS')
    await payNow(app, 'PAID-1', merchant)
    t.equal((await refundCall(app, { ori_order_id: 'PAID-1', refund_amt: '100', order_id: 'REFUND-1' }, merchant)).body.rsp_code, 'SUCCESS')
    // Magic 03: paid automatically 2 s after creation, by the scheduler.
    t.equal((await activePay(app, merchant, { order_id: 'OPEN-1', amount: '103' })).body.rsp_code, 'SUCCESS')
    const view = (await app.inject(`/sandbox/api/orders/PAID-1?merchant_id=${merchant.merchant_id}`)).json() as { payer_page_url: string }
    pages[merchant.merchant_id] = new URL(view.payer_page_url).pathname
  }
  await app.sandbox.idle()
  t.equal(merchants.attempts(a.merchant_id), 1, 'a\'s callback was tried once and waits for its retry')
  const bRequests = await requestsOf(app, b.merchant_id)
  const bCallbacks = store.callbacks.forOrder(b.merchant_id, 'PAID-1').map((d) => d.id)
  t.equal(bCallbacks.length, 1)
  const aCallback = store.callbacks.forOrder(a.merchant_id, 'PAID-1')[0]!.id

  const res = await reset(app, a.merchant_id)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { merchant_id: a.merchant_id, removed: { orders: 2, refunds: 1, callbacks: 1, requests: 3 } })
  t.equal((res.json() as { removed: Record<string, number> }).removed.merchants ?? 0, 0, 'no merchant removed')
  const listed = (await app.inject('/sandbox/api/merchants')).json() as { merchants: Array<{ merchant_id: string }> }
  t.ok(listed.merchants.some((m) => m.merchant_id === a.merchant_id), 'the merchant itself stays')

  t.same(await ordersOf(app, a.merchant_id), [])
  t.same(await requestsOf(app, a.merchant_id), [])
  t.equal(store.callbacks.get(aCallback), undefined, 'its pending callback is gone from the outbox')
  t.equal((await app.inject(`/sandbox/api/orders/PAID-1?merchant_id=${a.merchant_id}`)).statusCode, 404)
  t.equal((await app.inject(pages[a.merchant_id]!)).statusCode, 404, 'its payer page is gone')
  t.equal((await app.inject(pages[b.merchant_id]!)).statusCode, 200, 'the other\'s payer page still opens')

  t.same((await ordersOf(app, b.merchant_id)).map((o) => o.order_id), ['OPEN-1', 'PAID-1'])
  t.same(await requestsOf(app, b.merchant_id), bRequests, 'the other\'s logged requests are untouched')
  const bView = (await app.inject(`/sandbox/api/orders/PAID-1?merchant_id=${b.merchant_id}`)).json() as { status: string, callbacks: Array<{ id: string }> }
  t.equal(bView.status, 'partial_refunded')
  t.same(bView.callbacks.map((d) => d.id), bCallbacks, 'the other\'s callbacks are untouched')
  t.equal((await statusQuery(app, 'REFUND-1', b)).data?.order_status, 'refunded', 'the other\'s refund is still found')

  // Time passes: a's retries and its open order were thrown away, b's still run.
  clock.set(T0 + 60_000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal(merchants.attempts(a.merchant_id), 1, 'no callback of a removed order is ever sent again')
  t.equal(merchants.attempts(b.merchant_id), 3, 'b\'s callback was retried, and its open order paid and notified')
  t.equal(store.orders.find(b.merchant_id, 'OPEN-1')?.status, 'success')

  // The worker keeps its merchant and may use every id again: orders, and the refund's id too.
  for (const orderId of ['PAID-1', 'OPEN-1', 'REFUND-1']) {
    const again = await activePay(app, a, { order_id: orderId })
    t.equal(again.body.rsp_code, 'SUCCESS', `${orderId} can be used again: ${again.body.rsp_msg}`)
  }
})

t.test('a full reset empties everything and removes the runtime merchants; fixture merchants start over', async (t) => {
  const { app } = await build(t)
  const [a, b] = await Promise.all([createMerchant(app), createMerchant(app)])
  for (const merchant of [a, b]) t.equal((await activePay(app, merchant)).body.rsp_code, 'SUCCESS')
  t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))).body.rsp_code, 'SUCCESS')
  await payNow(app, 'ORDER0001', MERCHANT)

  const res = await reset(app)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { merchant_id: null, removed: { orders: 3, callbacks: 1, requests: 3, merchants: 2 } })
  t.same(await ordersOf(app), [])
  t.same(await requestsOf(app), [])
  const listed = (await app.inject('/sandbox/api/merchants')).json() as { merchants: Array<{ merchant_id: string }> }
  t.same(listed.merchants.map((m) => m.merchant_id), [MERCHANT.merchant_id, OTHER_MERCHANT.merchant_id])

  for (const merchant of [a, b]) {
    const refused = await activePay(app, merchant)
    t.equal(refused.body.rsp_code, 'PARAM_INVALID')
    t.equal(refused.body.rsp_msg, `invalid parameter: unknown merchant_id "${merchant.merchant_id}"`, 'its key no longer works')
  }
  t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))).body.rsp_code, 'SUCCESS', 'the fixture merchant reuses ORDER0001')
  t.match((await reset(app)).json(), { merchant_id: null, removed: { orders: 1, refunds: 0, callbacks: 0, requests: 3, merchants: 0 } }, 'a second reset counts what came since (2 refused calls, 1 order)')
})

t.test('resetting an unknown merchant is 404 and changes nothing', async (t) => {
  const { app } = await build(t)
  const merchant = await createMerchant(app)
  await activePay(app, merchant)
  const res = await reset(app, 'RT00000000')
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: 'NOT_FOUND', message: 'merchant RT00000000 is not a merchant of this sandbox (see GET /sandbox/api/merchants)' })
  t.equal((await ordersOf(app)).length, 1)
  t.equal((await requestsOf(app)).length, 1)
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/api/reset?merchant_id=' })).statusCode, 400, 'an empty merchant_id is refused')
})

t.test('a runtime merchant survives a restart; its deletion is on disk before the answer', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const first = await build(t, { store: await createStore(file) })
  const merchant = await createMerchant(first.app, { name: 'Survivor', operators: ['0000000042'] })
  t.equal((await activePay(first.app, merchant, { order_id: 'KEEP-1' })).body.rsp_code, 'SUCCESS')
  t.equal((await activePay(first.app, merchant, { order_id: 'DROP-1' })).body.rsp_code, 'SUCCESS')
  await first.app.close()

  const second = await build(t, { store: await createStore(file) })
  const found = await statusQuery(second.app, 'KEEP-1', merchant)
  t.equal(found.body.rsp_code, 'SUCCESS', 'its key still works after the restart')
  t.equal(found.data?.order_id, 'KEEP-1')
  const listed = (await second.app.inject('/sandbox/api/merchants?reveal=true')).json() as { merchants: Array<Record<string, unknown>> }
  t.match(listed.merchants.find((m) => m.merchant_id === merchant.merchant_id), { name: 'Survivor', operators: ['0000000042'], runtime: true, sign_key: undefined })

  t.equal((await second.app.inject({ method: 'DELETE', url: `/sandbox/api/merchants/${merchant.merchant_id}` })).statusCode, 200)
  await second.app.close()
  const third = await build(t, { store: await createStore(file) })
  t.same(await ordersOf(third.app), [], 'its orders are gone from the file')
  t.equal((await activePay(third.app, merchant)).body.rsp_code, 'PARAM_INVALID', 'and so is the merchant')
})

t.test('orders of a merchant that left the fixtures can still be reset, on disk before the answer', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const before = await build(t, { store: await createStore(file) })
  t.equal((await callGateway(before.app, envelope('ACTIVEPAY', '1.0', activePayData()))).body.rsp_code, 'SUCCESS')
  await before.app.close()
  const after = await build(t, { store: await createStore(file), merchants: [OTHER_MERCHANT] })
  const res = await reset(after.app, MERCHANT.merchant_id)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { removed: { orders: 1 } })
  t.same(await ordersOf(after.app), [])
  t.same((JSON.parse(readFileSync(file, 'utf8')) as { orders: Order[] }).orders, [], 'the file no longer holds it')
})

t.test('the default operator of a runtime merchant is the one documented', async (t) => {
  const { app } = await build(t)
  const merchant = await createMerchant(app)
  t.same(merchant.operators, [DEFAULT_OPERATOR])
  t.equal((await activePay(app, merchant)).body.rsp_code, 'SUCCESS')
})
