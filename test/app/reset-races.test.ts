import t, { type Test } from 'tap'
import type { Dispatcher } from '../../src/engine/callbacks/dispatcher.js'
import { createManualClock } from '../../src/platform/clock.js'
import { createCounterIds } from '../../src/platform/ids.js'
import { createMerchantDirectory } from '../../src/engine/merchants.js'
import { createPayments } from '../../src/engine/orders/payments.js'
import { activePayData, build, callGateway, envelope, MERCHANT, T0 } from '../helpers/build.js'
import { startReceiver } from '../helpers/receiver.js'

// A scheduler tick (or a payer page) can hold an order object while a test resets its merchant and creates an
// order with the same id again. These races are driven by hand here: the real tick's snapshot is reproduced.

const idleDispatcher: Dispatcher = { enqueue () {}, redeliver: async () => { throw new Error('not used') }, idle: async () => {} }
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
  t.same(store.orders.find(MERCHANT.merchant_id, 'X'), fresh, 'the new order is untouched')
  t.same(store.callbacks.forOrder(MERCHANT.merchant_id, 'X'), [], 'no callback for either')
})

t.test('a scheduler entry made for an order a reset threw away runs only the new order\'s own plan', async (t) => {
  const errors: unknown[] = []
  const { app, store, clock } = await build(t, { env: { AUTOPAY_AFTER: '1s' }, logger: { level: 'error', stream: { write: (line: string) => { errors.push(line) } } } })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'X' })))
  await app.inject({ method: 'POST', url: `/sandbox/api/reset?merchant_id=${MERCHANT.merchant_id}` })
  // The thrown-away order's autopay entry is still queued (for +1 s); the new order has its own (for +1.5 s).
  clock.advance(500)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'X', amount: '777' })))
  clock.advance(500)
  await app.sandbox.tick()
  t.equal(store.orders.find(MERCHANT.merchant_id, 'X')!.status, 'init', 'the stale entry did not pay the new order early')
  clock.advance(500)
  await app.sandbox.tick()
  await app.sandbox.idle()
  const paid = store.orders.find(MERCHANT.merchant_id, 'X')!
  t.equal(paid.status, 'success')
  t.equal(paid.amount, '777')
  t.equal(paid.history.at(-1)?.at, new Date(T0 + 1500).toISOString(), 'paid at its own time')
  t.equal(store.callbacks.forOrder(MERCHANT.merchant_id, 'X').length, 1)
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
