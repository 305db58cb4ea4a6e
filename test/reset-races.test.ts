import type { FastifyBaseLogger } from 'fastify'
import t, { type Test } from 'tap'
import type { Dispatcher } from '../src/callbacks/dispatcher.js'
import { createManualClock } from '../src/clock.js'
import { createCounterIds } from '../src/ids.js'
import { createMerchantDirectory } from '../src/merchants.js'
import { createPayments } from '../src/orders/payments.js'
import { createScheduler } from '../src/scheduler.js'
import { activePayData, build, callGateway, envelope, MERCHANT, T0 } from './helpers/build.js'
import { startReceiver } from './helpers/receiver.js'

// A scheduler tick (or a payer page) can hold an order object while a test resets its merchant and creates an
// order with the same id again. These races are driven by hand here: the real tick's snapshot is reproduced.

const idleDispatcher: Dispatcher = { runDue () {}, redeliver: async () => { throw new Error('not used') }, idle: async () => {} }
/** A logger that keeps its error calls: skipping a thrown-away order must not log one. */
function recordingLog (errors: unknown[]): FastifyBaseLogger {
  const log = { error: (e: unknown) => { errors.push(e) }, warn () {}, info () {}, debug () {}, trace () {}, fatal () {}, silent () {}, level: 'silent', child: () => log }
  return log as unknown as FastifyBaseLogger
}

async function staleAndFresh (t: Test) {
  const sandbox = await build(t)
  const { app, store } = sandbox
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'X' })))
  const stale = store.orders.find(MERCHANT.merchant_id, 'X')!
  await app.inject({ method: 'POST', url: `/sandbox/api/reset?merchant_id=${MERCHANT.merchant_id}` })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'X', amount: '777' })))
  const fresh = store.orders.find(MERCHANT.merchant_id, 'X')!
  t.not(fresh, stale)
  return { ...sandbox, stale, fresh }
}

t.test('an order a reset threw away is never paid or called back, even when a new order took its id', async (t) => {
  const { store, stale, fresh } = await staleAndFresh(t)
  const payments = createPayments({
    store,
    clock: createManualClock(T0),
    ids: createCounterIds(),
    merchants: createMerchantDirectory([MERCHANT], store),
    outcomes: { by_amount_suffix: {} },
    dispatcher: idleDispatcher
  })
  await t.rejects(payments.pay(stale, 'a payer page opened before the reset'), { code: 'ORDER_CLOSED', message: /removed by a reset/ })
  t.equal(stale.status, 'init')
  t.equal(fresh.status, 'init', 'the new order is untouched')
  t.same(store.callbacks.forOrder(MERCHANT.merchant_id, 'X'), [], 'no callback for either')
})

t.test('a scheduler tick that started before a reset skips the thrown-away order and pays only the new one', async (t) => {
  const { store, stale, fresh } = await staleAndFresh(t)
  const clock = createManualClock(T0)
  const merchants = createMerchantDirectory([MERCHANT], store)
  const payments = createPayments({ store, clock, ids: createCounterIds(), merchants, outcomes: { by_amount_suffix: {} }, dispatcher: idleDispatcher })
  // The tick's snapshot of open orders was taken before the reset: it still holds the stale object.
  const racing = { ...store, orders: { ...store.orders, listOpen: () => [stale, fresh] } }
  const errors: unknown[] = []
  const log = recordingLog(errors)
  const scheduler = createScheduler({ store: racing, clock, merchants, outcomes: { by_amount_suffix: {} }, payments, dispatcher: idleDispatcher, log, autopayAfterMs: 1000, orderExpiryMs: 3_600_000 })
  clock.advance(1000)
  await scheduler.tick()
  t.equal(stale.status, 'init', 'the stale order is left alone')
  t.equal(fresh.status, 'success')
  const sent = store.callbacks.forOrder(MERCHANT.merchant_id, 'X')
  t.equal(sent.length, 1)
  t.equal(sent[0]!.order_id, 'X')
  t.same(errors, [], 'skipping it is not an error')
})

t.test('a full reset during an advance leaves the clock at real time once both are done', async (t) => {
  const receiver = await startReceiver(t, 'hang')
  const { app } = await build(t, { fetch: globalThis.fetch, env: { CALLBACK_TIMEOUT: '200ms', CALLBACK_RETRY_SCHEDULE: '1m' } })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ call_back_url: receiver.url })))
  await app.inject({ method: 'POST', url: '/sandbox/api/orders/ORDER0001/pay' })
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1)
  // The advance waits for the hanging callback's attempts; the reset is asked for meanwhile.
  const advancing = app.inject({ method: 'POST', url: '/sandbox/api/clock/advance', payload: { ms: 3_600_000 } })
  // The retry at +1 m reached the receiver: the advance is under way.
  while (receiver.received.length < 2) await new Promise((resolve) => setTimeout(resolve, 5))
  const reset = await app.inject({ method: 'POST', url: '/sandbox/api/reset' })
  t.equal((await advancing).statusCode, 200)
  t.equal(reset.json().removed.clock, 1, 'the reset put back the advanced clock')
  t.equal((await app.inject('/sandbox/api/clock')).json().offset_ms, 0, 'and nothing moved it again')
})
