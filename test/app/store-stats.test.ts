import { join } from 'node:path'
import t from 'tap'
import { createStore } from '../../src/store/index.js'
import { activePayData, build, callGateway, envelope } from '../helpers/build.js'
import { payNow, refundCall } from '../helpers/gateway-calls.js'
import { createMerchant } from '../helpers/runtime-merchant.js'

t.test('GET /sandbox/api/stats counts orders by status, refunds, callbacks and merchants, and the journal', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const { app } = await build(t, { store: await createStore(file, { retentionOrders: 50 }) })
  const empty = await app.inject('/sandbox/api/stats')
  t.equal(empty.statusCode, 200)
  t.same(empty.json(), {
    orders: { total: 0, by_status: { init: 0, success: 0, fail: 0, notpay: 0, authorised: 0, partial_refunded: 0, refunded: 0 } },
    refunds: 0,
    callbacks: { pending: 0, delivered: 0, failed: 0 },
    merchants: { fixture: 2, runtime: 0 },
    journal_bytes: 0,
    compactions: 0,
    retention_orders: 50,
    pruned: 0,
    location: file,
    sync: 'none'
  })

  for (const id of ['S1', 'S2', 'S3']) t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: id })))).body.rsp_code, 'SUCCESS')
  await payNow(app, 'S1')
  await payNow(app, 'S2')
  await app.sandbox.idle()
  t.equal((await refundCall(app, { ori_order_id: 'S2', refund_amt: '40', order_id: 'R2' })).body.rsp_code, 'SUCCESS')
  await createMerchant(app)

  const stats = (await app.inject('/sandbox/api/stats')).json()
  t.match(stats, {
    orders: { total: 3, by_status: { init: 1, success: 1, partial_refunded: 1 } },
    refunds: 1,
    callbacks: { pending: 0, delivered: 2, failed: 0 },
    merchants: { fixture: 2, runtime: 1 },
    pruned: 0
  })
  t.ok(stats.journal_bytes > 0, 'every change is a journal line')
})

t.test('GET /sandbox/api/stats on a memory store, behind ADMIN_TOKEN like the rest of the control API', async (t) => {
  const { app } = await build(t, { env: { ADMIN_TOKEN: 'stats-token-123' } })
  t.equal((await app.inject('/sandbox/api/stats')).statusCode, 401)
  const res = await app.inject({ url: '/sandbox/api/stats', headers: { 'x-admin-token': 'stats-token-123' } })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { location: ':memory:', retention_orders: null, compactions: 0, sync: 'none' })
})
