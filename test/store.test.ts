import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { StoreError } from '../src/errors.js'
import type { Order, Refund } from '../src/orders/order.js'
import { createStore } from '../src/store/index.js'
import { activePayData, build, callGateway, envelope, MERCHANT } from './helpers/build.js'

import { AT, delivery, order } from './helpers/store-records.js'

/** Makes every later write of `file` fail, even for root: steno writes `.<name>.tmp` first, and that is now a folder. */
function blockWrites (dir: string, name: string): void {
  mkdirSync(join(dir, `.${name}.tmp`))
}

t.test('an inserted order is on disk: a new store on the same file finds it every way', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'nested', 'sandbox.json')
  const first = await createStore(file)
  t.equal(first.location, file)
  await first.orders.insert(order('QC00000001', 'A1'))
  await first.orders.insert(order('QC00000001', 'A2', { status: 'success' }))
  await first.orders.insert(order('ON00000002', 'A1', { currency: 'USD' }))
  t.ok(existsSync(file), 'the missing folder was created and the file written')
  t.same(JSON.parse(readFileSync(file, 'utf8')).orders.map((o: Order) => o.order_id), ['A1', 'A2', 'A1'])

  const again = await createStore(file)
  t.equal(again.orders.count(), 3)
  t.equal(again.orders.find('QC00000001', 'A2')?.status, 'success')
  t.equal(again.orders.find('ON00000002', 'A1')?.currency, 'USD')
  t.equal(again.orders.find('QC00000001', 'nope'), undefined)
  t.equal(again.orders.find('ON00000002', 'A2'), undefined, 'order ids are per merchant')
  t.equal(again.orders.findByPageToken('page-QC00000001-A2')?.order_id, 'A2')
  t.equal(again.orders.findByPageToken('page-unknown'), undefined)
  t.same(again.orders.findById('A1').map((o) => o.merchant_id), ['QC00000001', 'ON00000002'])
  t.same(again.orders.findById('zzz'), [])
  t.same(again.orders.list().map((o) => `${o.merchant_id}/${o.order_id}`),
    ['ON00000002/A1', 'QC00000001/A2', 'QC00000001/A1'], 'newest first')
  t.same(again.orders.list({ merchant_id: 'QC00000001' }).map((o) => o.order_id), ['A2', 'A1'])
  t.same(again.orders.list({ status: 'success' }).map((o) => o.order_id), ['A2'])
  t.same(again.orders.list({ merchant_id: 'ON00000002', status: 'success' }), [])
  t.same(again.orders.list().map((o) => o.order_id), ['A1', 'A2', 'A1'], 'listing does not reorder the store')
})

t.test('save() persists a change made to an order', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file)
  await store.orders.insert(order('QC00000001', 'S1'))
  const saved = store.orders.find('QC00000001', 'S1')!
  saved.status = 'success'
  saved.finish_time = '20260115120500'
  await store.orders.save(saved)

  const again = await createStore(file)
  t.equal(again.orders.find('QC00000001', 'S1')?.status, 'success')
  t.equal(again.orders.find('QC00000001', 'S1')?.finish_time, '20260115120500')
  t.same(again.orders.list({ status: 'init' }), [])
})

t.test('close() leaves a valid file behind', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file)
  await store.orders.insert(order('QC00000001', 'C1'))
  await store.close()
  const data = JSON.parse(readFileSync(file, 'utf8'))
  t.equal(data.schema, 2)
  t.equal(data.orders.length, 1)
  t.same(data.segments, [])
})

t.test(':memory: keeps orders in memory and writes no file', async (t) => {
  const dir = t.testdir()
  const cwd = process.cwd()
  process.chdir(dir)
  t.teardown(() => process.chdir(cwd))
  const store = await createStore(':memory:')
  t.equal(store.location, ':memory:')
  await store.orders.insert(order('QC00000001', 'M1'))
  await store.orders.save(store.orders.find('QC00000001', 'M1')!)
  await store.close()
  t.equal(store.orders.count(), 1)
  t.same(readdirSync(dir), [], 'nothing was written, not even a file named :memory:')
  const fresh = await createStore(':memory:')
  t.equal(fresh.orders.count(), 0, 'every memory store starts empty')
})

t.test('a missing file starts an empty store', async (t) => {
  const file = join(t.testdir(), 'none.json')
  const store = await createStore(file)
  t.equal(store.orders.count(), 0)
  t.same(store.orders.list(), [])
})

t.test('a corrupt JSON file is refused with a StoreError naming the file', async (t) => {
  const dir = t.testdir({ 'sandbox.json': '{"schema":1,"orders":[' })
  const file = join(dir, 'sandbox.json')
  const err = await createStore(file).then(() => undefined, (e: unknown) => e)
  t.type(err, StoreError)
  t.match((err as Error).message, file)
  t.match((err as Error).message, /cannot be loaded/)
  t.equal(readFileSync(file, 'utf8'), '{"schema":1,"orders":[', 'the file is left alone')
})

t.test('JSON that is not a sandbox data file is refused with a StoreError naming the file', async (t) => {
  for (const [name, text] of [['object.json', '{"schema":1}'], ['array.json', '[]'], ['number.json', '42'], ['string.json', '{"orders":"x"}']] as const) {
    const file = join(t.testdir({ [name]: text }), name)
    const err = await createStore(file).then(() => undefined, (e: unknown) => e)
    t.type(err, StoreError, name)
    t.equal((err as Error).message, `${file}: is not a sandbox data file (no "orders" array)`)
  }
})

t.test('a failed write rejects with StoreError and leaves the order out of memory', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const store = await createStore(file)
  await store.orders.insert(order('QC00000001', 'OK1'))
  blockWrites(dir, 'sandbox.json')

  const err = await store.orders.insert(order('QC00000001', 'LOST1')).then(() => undefined, (e: unknown) => e)
  t.type(err, StoreError)
  t.match((err as Error).message, `cannot write ${file}`)
  t.equal(store.orders.find('QC00000001', 'LOST1'), undefined)
  t.equal(store.orders.findByPageToken('page-QC00000001-LOST1'), undefined)
  t.same(store.orders.findById('LOST1'), [])
  t.equal(store.orders.count(), 1)
  t.same(store.orders.list().map((o) => o.order_id), ['OK1'])
  t.same(JSON.parse(readFileSync(file, 'utf8')).orders.map((o: Order) => o.order_id), ['OK1'], 'the file still holds what was acknowledged')
})

t.test('concurrent inserts that all fail leave nothing behind', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const store = await createStore(file)
  blockWrites(dir, 'sandbox.json')
  const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => store.orders.insert(order('QC00000001', `X${i}`))))
  t.same(results.map((r) => r.status), Array(5).fill('rejected'))
  for (const r of results) t.type((r as PromiseRejectedResult).reason, StoreError)
  t.equal(store.orders.count(), 0)
  t.same(store.orders.list(), [])
})

t.test('concurrent inserts each resolve only once their order is on disk', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file)
  await Promise.all(Array.from({ length: 20 }, (_, i) => store.orders.insert(order('QC00000001', `P${i}`))))
  const again = await createStore(file)
  t.equal(again.orders.count(), 20)
  for (let i = 0; i < 20; i++) t.ok(again.orders.find('QC00000001', `P${i}`), `P${i}`)
})

t.test('through the app: a failed store write answers DB_ERROR and creates no order', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const store = await createStore(file)
  const { app } = await build(t, { store })
  const ok = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'GOOD1' })))
  t.equal(ok.body.rsp_code, 'SUCCESS')
  blockWrites(dir, 'sandbox.json')

  const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'BAD1' })))
  t.equal(answer.status, 200)
  t.equal(answer.body.rsp_code, 'DB_ERROR')
  t.match(answer.body.rsp_msg, /^database error/)
  t.equal(answer.body.data, undefined)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'BAD1'), undefined)
  const view = await app.inject({ method: 'GET', url: `/sandbox/api/orders/BAD1?merchant_id=${MERCHANT.merchant_id}` })
  t.equal(view.statusCode, 404)
  t.same(JSON.parse(readFileSync(file, 'utf8')).orders.map((o: Order) => o.order_id), ['GOOD1'])
})

t.test('after a failed write, the same order_id can be used again once the disk is back', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const store = await createStore(file)
  const { app } = await build(t, { store })
  blockWrites(dir, 'sandbox.json')
  const failed = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'RETRY1' })))
  t.equal(failed.body.rsp_code, 'DB_ERROR')
  // Give the disk back: remove the folder that blocked the temp file.
  rmSync(join(dir, '.sandbox.json.tmp'), { recursive: true })
  const retried = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'RETRY1' })))
  t.equal(retried.body.rsp_code, 'SUCCESS', 'not ORDER_USED: the failed order was never created')
  const again = await createStore(file)
  t.ok(again.orders.find(MERCHANT.merchant_id, 'RETRY1'))
})

t.test('a DB_FILE that is a folder cannot be loaded', async (t) => {
  const dir = t.testdir({ 'data.json': {} })
  const err = await createStore(join(dir, 'data.json')).then(() => undefined, (e: unknown) => e)
  t.type(err, StoreError)
  t.match((err as Error).message, join(dir, 'data.json'))
})

t.test('a data file written by hand loads and is indexed', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'hand.json')
  writeFileSync(file, JSON.stringify({ schema: 1, orders: [order('QC00000001', 'H1')] }))
  const store = await createStore(file)
  t.equal(store.orders.find('QC00000001', 'H1')?.page_token, 'page-QC00000001-H1')
})

const refund = (refundId: string): Refund => ({
  refund_id: refundId,
  amount: '50',
  bizpay_order_id: 'WX0000000000000009',
  at: AT,
  finish_time: '20260115120000',
  reason: 'test'
})

/** Two merchants, each with an open order, a paid order with a refund, and a pending callback. */
async function twoMerchants (file: string) {
  const store = await createStore(file)
  for (const m of ['QC00000001', 'ON00000002']) {
    await store.orders.insert(order(m, 'OPEN1'))
    await store.orders.insert(order(m, 'PAID1', { status: 'success' }))
    const paid = store.orders.find(m, 'PAID1')!
    paid.status = 'partial_refunded'
    paid.refunds = [refund('R1')]
    await store.orders.save(paid)
    await store.callbacks.insert([delivery(m, 'PAID1', `cb_${m}`)])
  }
  return store
}

t.test('reset(merchantId) forgets that merchant\'s orders, refunds and callbacks in every index and on disk', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await twoMerchants(file)
  t.same(await store.reset('QC00000001'), { orders: 2, refunds: 1, callbacks: 1 })

  const check = (s: typeof store, label: string) => {
    t.equal(s.orders.find('QC00000001', 'OPEN1'), undefined, `${label}: find`)
    t.equal(s.orders.findRefund('QC00000001', 'R1'), undefined, `${label}: findRefund`)
    t.notOk(s.orders.idTaken('QC00000001', 'PAID1'), `${label}: the order id is free`)
    t.notOk(s.orders.idTaken('QC00000001', 'R1'), `${label}: the refund id is free`)
    t.equal(s.orders.findByPageToken('page-QC00000001-OPEN1'), undefined, `${label}: page token`)
    t.same(s.orders.findById('OPEN1').map((o) => o.merchant_id), ['ON00000002'], `${label}: findById`)
    t.same(s.orders.list({ merchant_id: 'QC00000001' }), [], `${label}: list`)
    t.same(s.orders.listOpen().map((o) => o.merchant_id), ['ON00000002'], `${label}: the scheduler sees only the other's open order`)
    t.equal(s.callbacks.get('cb_QC00000001'), undefined, `${label}: callbacks.get`)
    t.same(s.callbacks.forOrder('QC00000001', 'PAID1'), [], `${label}: forOrder`)
    t.same(s.callbacks.due(Number.MAX_SAFE_INTEGER).map((d) => d.id), ['cb_ON00000002'], `${label}: due`)
    t.equal(s.orders.count(), 2, `${label}: count`)
    t.ok(s.orders.findRefund('ON00000002', 'R1'), `${label}: the other merchant's refund`)
    t.ok(s.callbacks.get('cb_ON00000002'), `${label}: the other merchant's callback`)
  }
  check(store, 'memory')
  check(await createStore(file), 'file')
  t.same(await store.reset('QC00000001'), { orders: 0, refunds: 0, callbacks: 0 }, 'nothing left to remove')
})

t.test('reset() forgets every order, refund and callback, and keeps runtime merchants (the directory removes those)', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await twoMerchants(file)
  await store.merchants.insert({ ...MERCHANT, merchant_id: 'RT00000001' })
  t.same(await store.reset(), { orders: 4, refunds: 2, callbacks: 2 })
  for (const s of [store, await createStore(file)]) {
    t.equal(s.orders.count(), 0)
    t.same(s.orders.listOpen(), [])
    t.same(s.callbacks.due(Number.MAX_SAFE_INTEGER), [])
    t.notOk(s.orders.idTaken('ON00000002', 'R1'))
    t.same(s.merchants.list().map((m) => m.merchant_id), ['RT00000001'])
  }
  await store.orders.insert(order('QC00000001', 'OPEN1'))
  t.same(store.orders.listOpen().map((o) => o.order_id), ['OPEN1'], 'a reused id is a new order')
})

t.test('a payment that races a reset does not bring the order\'s refunds or callbacks back', async (t) => {
  const store = await twoMerchants(join(t.testdir(), 'sandbox.json'))
  const stale = store.orders.find('QC00000001', 'PAID1')!
  await store.reset('QC00000001')
  stale.refunds = [refund('R1'), refund('R2')]
  await store.orders.save(stale)
  t.notOk(store.orders.idTaken('QC00000001', 'R2'), 'a refund saved on a removed order takes no id')
  await store.callbacks.insert([delivery('QC00000001', 'PAID1', 'cb_late'), delivery('ON00000002', 'PAID1', 'cb_live')])
  t.equal(store.callbacks.get('cb_late'), undefined, 'a callback of a removed order is dropped')
  t.ok(store.callbacks.get('cb_live'), 'a callback of a live order is kept')
})

t.test('runtime merchants are written to the file, removed and cleared; fixture data files without them still load', async (t) => {
  const dir = t.testdir({ 'old.json': JSON.stringify({ schema: 1, orders: [order('QC00000001', 'H1')] }) })
  const old = await createStore(join(dir, 'old.json'))
  t.same(old.merchants.list(), [], 'a file written before runtime merchants (and callbacks) loads')
  t.ok(old.orders.find('QC00000001', 'H1'))

  const file = join(dir, 'sandbox.json')
  const store = await createStore(file)
  await store.merchants.insert({ ...MERCHANT, merchant_id: 'RT00000001' })
  await store.merchants.insert({ ...MERCHANT, merchant_id: 'RT00000002' })
  t.same((await createStore(file)).merchants.list().map((m) => m.merchant_id), ['RT00000001', 'RT00000002'])
  t.equal(store.merchants.get('RT00000002')?.sign_key, MERCHANT.sign_key)
  t.equal(await store.merchants.remove('RT00000001'), true)
  t.equal(await store.merchants.remove('RT00000001'), false, 'removing twice finds nothing')
  t.same((await createStore(file)).merchants.list().map((m) => m.merchant_id), ['RT00000002'])
  t.equal(await store.merchants.clear(), 1)
  t.same((await createStore(file)).merchants.list(), [])
})

t.test('a failed write of a runtime merchant leaves it out', async (t) => {
  const dir = t.testdir()
  const store = await createStore(join(dir, 'sandbox.json'))
  blockWrites(dir, 'sandbox.json')
  await t.rejects(store.merchants.insert({ ...MERCHANT, merchant_id: 'RT00000001' }), StoreError)
  t.equal(store.merchants.get('RT00000001'), undefined)
  t.same(store.merchants.list(), [])
})

t.test('a data file whose "merchants" is not an array is refused with a StoreError naming the file', async (t) => {
  const dir = t.testdir({ 'bad.json': JSON.stringify({ schema: 1, orders: [], merchants: {} }) })
  const file = join(dir, 'bad.json')
  const err = await createStore(file).then(() => undefined, (e: unknown) => e)
  t.type(err, StoreError)
  t.equal((err as Error).message, `${file}: "merchants" is not an array`)
})
