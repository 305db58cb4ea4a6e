import { join } from 'node:path'
import t from 'tap'
import { createStore } from '../../src/store/index.js'
import { flakyDisk } from '../helpers/flaky-disk.js'
import { activePayData, build, callGateway, cardData, envelope, MERCHANT, OTHER_MERCHANT, T0 } from '../helpers/build.js'
import { payNow, refundCall, statusQuery } from '../helpers/gateway-calls.js'

t.test('lifecycle: create → query → pay → query → partial refund → query → full refund → query', async (t) => {
  const { app, clock } = await build(t)
  const created = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'LIFE1', amount: '1000' })))
  t.equal(created.body.rsp_code, 'SUCCESS')
  t.equal((await statusQuery(app, 'LIFE1')).data!.order_status, 'init')

  await payNow(app, 'LIFE1')
  t.equal((await statusQuery(app, 'LIFE1')).data!.order_status, 'success')

  clock.set(T0 + 60_000)
  const partial = await refundCall(app, { ori_order_id: 'LIFE1', refund_amt: '300', order_id: 'LIFE1-R1' })
  t.equal(partial.body.rsp_code, 'SUCCESS', partial.body.rsp_msg)
  t.equal(partial.schemaProblem, undefined, 'the answer fits its schema')
  t.same(partial.data, {
    order_id: 'LIFE1-R1',
    ori_order_id: 'LIFE1',
    refund_amt: '300',
    amount: '300',
    total_amount: '300',
    refund_amount: '300',
    order_status: 'partial_refunded',
    bizpay_order_id: partial.data!.bizpay_order_id,
    merchant_id: MERCHANT.merchant_id,
    currency: 'CAD',
    finish_time: '20260115120100',
    trade_time: '20260115120100'
  })
  t.match(partial.data!.bizpay_order_id, /^WX\d{16}$/)
  const afterPartial = await statusQuery(app, 'LIFE1')
  t.equal(afterPartial.data!.order_status, 'partial_refunded')
  t.equal(afterPartial.data!.refund_amount, '300')
  t.equal(afterPartial.data!.amount, '1000', 'the order keeps its amount')

  const full = await refundCall(app, { ori_order_id: 'LIFE1', refund_amt: '700' })
  t.equal(full.body.rsp_code, 'SUCCESS', full.body.rsp_msg)
  t.equal(full.data!.order_status, 'refunded')
  t.equal(full.data!.refund_amount, '1000')
  t.match(full.data!.order_id, /^SBX\d+$/, 'a refund without order_id gets a generated id')
  const afterFull = await statusQuery(app, 'LIFE1')
  t.equal(afterFull.data!.order_status, 'refunded')
  t.equal(afterFull.data!.refund_amount, '1000')
  t.equal(afterFull.schemaProblem, undefined)

  const refundView = await statusQuery(app, 'LIFE1-R1')
  t.equal(refundView.body.rsp_code, 'SUCCESS', 'a refund is queried by its own id with STATUS_QUERY')
  t.same(refundView.data, {
    order_id: 'LIFE1-R1',
    order_status: 'refunded',
    bizpay_order_id: partial.data!.bizpay_order_id,
    amount: '300',
    total_amount: '300',
    tip: '0',
    merchant_id: MERCHANT.merchant_id,
    currency: 'CAD',
    refund_amount: '300',
    finish_time: '20260115120100',
    trade_time: '20260115120100',
    ori_order_id: 'LIFE1'
  })
  t.equal(refundView.schemaProblem, undefined)
  t.equal((await statusQuery(app, full.data!.order_id as string)).data!.amount, '700')
})

t.test('a card purchase refunds too; a paid pre-authorisation is ORDER_TYPE_ERROR', async (t) => {
  const { app } = await build(t)
  await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData({ orderId: 'BUY1' })))
  await payNow(app, 'BUY1')
  const bought = await refundCall(app, { ori_order_id: 'BUY1', refund_amt: '2500' })
  t.equal(bought.body.rsp_code, 'SUCCESS', bought.body.rsp_msg)
  t.equal(bought.data!.order_status, 'refunded')
  t.match(bought.data!.bizpay_order_id, /^UP/)

  await callGateway(app, envelope('CC_PREAUTH', '2.0', cardData({ orderId: 'HOLD1' })))
  await payNow(app, 'HOLD1')
  const held = await refundCall(app, { ori_order_id: 'HOLD1', refund_amt: '100' })
  t.equal(held.body.rsp_code, 'ORDER_TYPE_ERROR')
  t.equal(held.body.rsp_msg, 'pre-authoried order: order HOLD1 is a pre-authorised order; it cannot be refunded')
  t.equal((await statusQuery(app, 'HOLD1')).data!.order_status, 'authorised', 'unchanged')
})

t.test('REFUND refusals name what failed and change nothing', async (t) => {
  const { app, store } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'PAID', amount: '500' })))
  await payNow(app, 'PAID')
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'UNPAID' })))
  await refundCall(app, { ori_order_id: 'PAID', refund_amt: '100', order_id: 'R-DONE' })

  const cases = [
    { data: { ori_order_id: 'NOPE', refund_amt: '1' }, code: 'PARAM_INVALID', message: /^invalid parameter: ori_order_id NOPE is not an order of merchant QC00000001$/ },
    { data: { ori_order_id: 'UNPAID', refund_amt: '1' }, code: 'PARAM_INVALID', message: /order UNPAID is init; only paid orders can be refunded/ },
    { data: { ori_order_id: 'PAID', refund_amt: '401' }, code: 'PARAM_INVALID', message: /refund of 401 cents exceeds the 400 cents left to refund on order PAID \(paid 500\)/ },
    { data: { ori_order_id: 'PAID', refund_amt: '0' }, code: 'PARAM_INVALID', message: /refund_amt must be a whole number of cents greater than 0/ },
    { data: { ori_order_id: 'PAID', refund_amt: '1.00' }, code: 'PARAM_INVALID', message: /refund_amt must be a whole number of cents .* got "1\.00"/ },
    { data: { ori_order_id: 'PAID' }, code: 'PARAM_INVALID', message: /refund_amt is required/ },
    { data: { refund_amt: '1' }, code: 'PARAM_INVALID', message: /ori_order_id is required/ },
    { data: { ori_order_id: 'PAID', refund_amt: '1', order_id: 'R-DONE' }, code: 'ORDER_USED', message: /^order number duplicated: order_id R-DONE was already used by merchant QC00000001; a refund needs an order id of its own$/ },
    { data: { ori_order_id: 'PAID', refund_amt: '1', order_id: 'UNPAID' }, code: 'ORDER_USED', message: /order_id UNPAID was already used/ },
    { data: { ori_order_id: 'PAID', refund_amt: '1', order_id: 'PAID' }, code: 'ORDER_USED', message: /order_id PAID was already used/ },
    { data: { ori_order_id: 'R-DONE', refund_amt: '1' }, code: 'PARAM_INVALID', message: /ori_order_id R-DONE is a refund; refund its order PAID instead/ }
  ]
  for (const c of cases) {
    const answer = await refundCall(app, c.data)
    t.equal(answer.body.rsp_code, c.code, JSON.stringify(c.data))
    t.match(answer.body.rsp_msg, c.message)
    t.equal(answer.data, undefined)
  }
  const paid = store.orders.find(MERCHANT.merchant_id, 'PAID')!
  t.equal(paid.refund_amount, '100', 'only the first refund happened')
  t.equal(paid.refunds!.length, 1)

  const foreign = await refundCall(app, { ori_order_id: 'PAID', refund_amt: '1' }, OTHER_MERCHANT)
  t.match(foreign.body.rsp_msg, /ori_order_id PAID is not an order of merchant ON00000002/, 'another merchant cannot refund it')

  const full = await refundCall(app, { ori_order_id: 'PAID', refund_amt: '400' })
  t.equal(full.data!.order_status, 'refunded')
  const again = await refundCall(app, { ori_order_id: 'PAID', refund_amt: '1' })
  t.equal(again.body.rsp_code, 'PARAM_INVALID')
  t.match(again.body.rsp_msg, /order PAID is already refunded in full/)
})

t.test('a refund id is taken for new orders too (one namespace per merchant)', async (t) => {
  const { app } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'P1' })))
  await payNow(app, 'P1')
  await refundCall(app, { ori_order_id: 'P1', refund_amt: '50', order_id: 'R1' })
  const clash = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'R1' })))
  t.equal(clash.body.rsp_code, 'ORDER_USED')
  const elsewhere = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'R1', operator_id: '0000000005' }), OTHER_MERCHANT), OTHER_MERCHANT)
  t.equal(elsewhere.body.rsp_code, 'SUCCESS', 'another merchant may use the id')
})

t.test('concurrent refunds with the same refund id: exactly one succeeds', async (t) => {
  const { app, store } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'P2', amount: '1000' })))
  await payNow(app, 'P2')
  const answers = await Promise.all(Array.from({ length: 5 }, () => refundCall(app, { ori_order_id: 'P2', refund_amt: '100', order_id: 'SAME' })))
  t.same(answers.map((a) => a.body.rsp_code).sort(), ['ORDER_USED', 'ORDER_USED', 'ORDER_USED', 'ORDER_USED', 'SUCCESS'])
  t.equal(store.orders.find(MERCHANT.merchant_id, 'P2')!.refund_amount, '100')
})

t.test('refunds survive a restart: the refund id is found and still taken', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const first = await build(t, { store: await createStore(file) })
  await callGateway(first.app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'P3' })))
  await payNow(first.app, 'P3')
  await refundCall(first.app, { ori_order_id: 'P3', refund_amt: '40', order_id: 'R3' })

  const second = await build(t, { store: await createStore(file) })
  const view = await statusQuery(second.app, 'R3')
  t.equal(view.data!.ori_order_id, 'P3')
  t.equal(view.data!.amount, '40')
  t.equal((await refundCall(second.app, { ori_order_id: 'P3', refund_amt: '1', order_id: 'R3' })).body.rsp_code, 'ORDER_USED')
})

t.test('a refund that cannot be written answers DB_ERROR and leaves the order as it was', async (t) => {
  const disk = flakyDisk()
  const store = await createStore(join(t.testdir(), 'sandbox.json'), { openFile: disk.openFile })
  const { app } = await build(t, { store })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'P4', amount: '800' })))
  await payNow(app, 'P4')
  await app.sandbox.idle() // the payment callback's delivery writes the file too: let it finish first
  disk.broken = true
  const failed = await refundCall(app, { ori_order_id: 'P4', refund_amt: '300', order_id: 'R4' })
  t.equal(failed.body.rsp_code, 'DB_ERROR')
  t.match(failed.body.rsp_msg, /nothing was done/)
  const order = store.orders.find(MERCHANT.merchant_id, 'P4')!
  t.equal(order.status, 'success', 'status put back')
  t.equal(order.refund_amount, undefined)
  t.equal(order.refunds, undefined)
  t.equal(order.history.length, 2)
  t.equal((await statusQuery(app, 'R4')).body.rsp_code, 'PARAM_INVALID', 'the refund id was never acknowledged')

  disk.broken = false
  const retried = await refundCall(app, { ori_order_id: 'P4', refund_amt: '300', order_id: 'R4' })
  t.equal(retried.body.rsp_code, 'SUCCESS', 'the same refund id works once the disk is back')
})
