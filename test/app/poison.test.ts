import { join } from 'node:path'
import t from 'tap'
import type { DataObject } from '../../src/crypto/index.js'
import { createStore } from '../../src/store/index.js'
import { activePayData, build, callGateway, choose, envelope, h5PayData, MERCHANT, OTHER_MERCHANT } from '../helpers/build.js'
import { callAction } from '../helpers/gateway-calls.js'
import { order } from '../helpers/store-records.js'

// One request must never stop the store for everyone: a value nested too deeply is refused at the gateway, and a
// change the store cannot write is refused alone, leaving nothing behind.

/** `{ "a": { "a": … } }`, `depth` levels deep (the data object itself is level 1). */
function nested (depth: number): DataObject {
  let value: DataObject = {}
  for (let i = 1; i < depth; i++) value = { a: value }
  return value
}

t.test('the deep-nesting double-Pay sequence leaves the sandbox writing for every merchant', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const { app, store } = await build(t, { store: await createStore(file) })
  const deep = await callAction(app, 'H5PAY', '2.0', { ...h5PayData({ order_id: 'DEEP1' }), extra: nested(3000) } as DataObject)
  t.equal(deep.body.rsp_code, 'PARAM_INVALID')
  t.match(deep.body.rsp_msg, /nested too deeply/)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'DEEP1'), undefined, 'nothing stored')

  // As deep as the gateway accepts: stored, paid on its payer page, and paid again (refused).
  const ok = await callAction(app, 'H5PAY', '2.0', { ...h5PayData({ order_id: 'DEEP2' }), extra: nested(31) } as DataObject)
  t.equal(ok.body.rsp_code, 'SUCCESS', ok.body.rsp_msg)
  const link = new URL(ok.data!.payinfo as string)
  t.match((await choose(app, link.pathname + link.search, 'pay')).body, /Payment completed/)
  const again = await choose(app, link.pathname + link.search, 'pay')
  t.not(again.statusCode, 500, 'the second Pay is refused, not a crash')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'DEEP2')!.status, 'success')

  // Every merchant can still write, and every list still answers.
  for (const merchant of [MERCHANT, OTHER_MERCHANT]) {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `AFTER-${merchant.merchant_id}`, operator_id: merchant.operators[0]! }), merchant), merchant)
    t.equal(answer.body.rsp_code, 'SUCCESS', `${merchant.merchant_id} writes: ${answer.body.rsp_msg}`)
  }
  t.equal((await app.inject('/sandbox/api/orders')).statusCode, 200)
  t.equal((await app.inject('/sandbox')).statusCode, 200)
  await app.sandbox.tick()
  t.equal((await createStore(file)).orders.count(), 3, 'and a restart finds what was acknowledged')
})

t.test('a change the store cannot write is refused alone: memory and disk untouched, the next change written', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file)
  await store.orders.insert(order(MERCHANT.merchant_id, 'P1'))
  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  await t.rejects(store.orders.insert(order(MERCHANT.merchant_id, 'P2', { request: cyclic })), TypeError)
  await t.rejects(store.orders.update(MERCHANT.merchant_id, 'P1', (o) => ({ order: { ...o, request: cyclic } })), TypeError)
  await t.rejects(store.orders.update(MERCHANT.merchant_id, 'P1', (o) => ({ order: { ...o, amount: 10n as unknown as string } })), TypeError)
  t.notOk(store.orders.idTaken(MERCHANT.merchant_id, 'P2'), 'the refused id is free')
  t.same(store.orders.find(MERCHANT.merchant_id, 'P1')!.request, {})
  await store.orders.insert(order(MERCHANT.merchant_id, 'P2'))
  await store.orders.update(MERCHANT.merchant_id, 'P1', (o) => ({ order: { ...o, status: 'success' } }))
  const again = await createStore(file)
  t.equal(again.orders.count(), 2)
  t.equal(again.orders.find(MERCHANT.merchant_id, 'P1')!.status, 'success')
})
