import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { DataObject } from '../../src/crypto/index.js'
import { activePayData, build, callGateway, envelope, MERCHANT, OTHER_MERCHANT, prepayInitData } from '../helpers/build.js'
import { callAction, payNow, refundCall, statusQuery } from '../helpers/gateway-calls.js'

/** The docs' example request (§20a), for the test merchant. */
const prepayInit = (app: FastifyInstance, data: DataObject) => callAction(app, 'PREPAY_INIT', '2.0', data)

const prepayQuery = (app: FastifyInstance, prepayOrderId: string, extra: DataObject = {}) =>
  callAction(app, 'PREPAY_QUERY', '2.0', { merchant_id: MERCHANT.merchant_id, prepay_order_id: prepayOrderId, ...extra })

/** A copy without `field`, as a client that leaves it out sends it. */
function without (data: DataObject, field: string): DataObject {
  const copy = { ...data }
  delete copy[field]
  return copy
}

t.test('PREPAY_INIT creates a checkout order and answers the payinfo link and expire_time', async (t) => {
  const { app, store } = await build(t)
  const answer = await prepayInit(app, prepayInitData())
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.body.rsp_msg, 'success')
  t.equal(answer.schemaProblem, undefined, 'the answer fits PrepayInitAnswer')
  const data = answer.data!
  t.match(data.payinfo, /^http:\/\/localhost(:\d+)?\/sandbox\/pay\/checkout\/page\d{17}$/)
  t.same({ ...data, payinfo: 'x' }, {
    payinfo: 'x',
    prepay_order_id: 'prepay20260115132626764',
    sale_num: '20260115132626764',
    amount: '500',
    currency_type: 'CAD',
    duration: '900',
    create_time: '20260115120000',
    expire_time: '20260115121500'
  })

  const order = store.orders.find(MERCHANT.merchant_id, 'prepay20260115132626764')!
  t.ok(order, 'the order is kept under prepay_order_id')
  t.match(order, {
    action: 'PREPAY_INIT',
    method: 'CHECKOUT',
    status: 'init',
    payer_page: 'checkout',
    return_style: 'alipay',
    return_url: 'https://merchant.example/result',
    notify_url: 'https://merchant.example/callback',
    operator_id: '0000020156',
    sale_num: '20260115132626764',
    expires_at: '2026-01-15T04:15:00.000Z',
    code_url: data.payinfo,
    currency: 'CAD'
  })
  t.same(order.details, {
    shop_id: 'QC00000001001',
    duration: '900',
    create_time: '20260115120000',
    expire_time: '20260115121500',
    email: 'payer@example.com',
    remarks: 'BLA'
  })
  t.same(order.response, data, 'the answer is kept with the order')
})

t.test('PREPAY_INIT accepts bizType, spaced values, an empty email and no remarks', async (t) => {
  const { app, store } = await build(t)
  const data = without(without(prepayInitData({ bizType: ' PREPAY ', email: '', currency_type: ' CAD' }), 'biz_type'), 'remarks')
  const answer = await prepayInit(app, data)
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  const details = store.orders.find(MERCHANT.merchant_id, 'prepay20260115132626764')!.details!
  t.notOk('email' in details, 'an empty email is no email')
  t.notOk('remarks' in details)
})

t.test('PREPAY_INIT: every documented field is required, and amount too', async (t) => {
  const { app, store } = await build(t)
  const required = ['merchant_id', 'shop_id', 'operator_id', 'prepay_order_id', 'sale_num', 'currency_type', 'biz_type',
    'redirect_url', 'call_back_url', 'duration', 'amount']
  for (const field of required) {
    const answer = await prepayInit(app, without(prepayInitData(), field))
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', field)
    t.equal(answer.body.rsp_msg, `invalid parameter: ${field} is required`)
    t.equal(answer.body.data, undefined)
  }
  t.equal(store.orders.count(), 0, 'no order was created')
})

t.test('PREPAY_INIT refusals name the field and create nothing', async (t) => {
  const { app, store } = await build(t)
  const cases: Array<{ name: string, extra: DataObject, msg: RegExp }> = [
    { name: 'currency of another merchant', extra: { currency_type: 'USD' }, msg: /^invalid parameter: currency_type USD does not match merchant QC00000001, which uses CAD$/ },
    { name: 'unknown currency', extra: { currency_type: 'EUR' }, msg: /^invalid parameter: currency_type must be one of "CAD", "USD", "CNY", got "EUR"$/ },
    { name: 'merchant_id of another merchant', extra: { merchant_id: OTHER_MERCHANT.merchant_id }, msg: /^invalid parameter: merchant_id in data \(ON00000002\) differs from the envelope's \(QC00000001\)$/ },
    { name: 'biz_type of another action', extra: { biz_type: 'ACTIVEPAY' }, msg: /^invalid parameter: biz_type must be one of "PREPAY", got "ACTIVEPAY"$/ },
    { name: 'duration 0', extra: { duration: '0' }, msg: /^invalid parameter: duration 0 must be between 1 and 604800 seconds/ },
    { name: 'duration over 7 days', extra: { duration: '604801' }, msg: /^invalid parameter: duration 604801 must be between 1 and 604800 seconds/ },
    { name: 'duration not digits', extra: { duration: '15m' }, msg: /^invalid parameter: duration must be a number of seconds as a string of digits/ },
    { name: 'duration negative', extra: { duration: '-5' }, msg: /^invalid parameter: duration must be a number of seconds/ },
    { name: 'amount 0', extra: { amount: '0' }, msg: /^invalid parameter: amount must be a whole number of cents greater than 0/ },
    { name: 'amount decimal', extra: { amount: '5.00' }, msg: /^invalid parameter: amount must be a whole number of cents/ },
    { name: 'redirect_url not a URL', extra: { redirect_url: 'merchant.example/result' }, msg: /^invalid parameter: redirect_url must be an absolute http\(s\) URL/ },
    { name: 'call_back_url not http', extra: { call_back_url: 'ftp://merchant.example/cb' }, msg: /^invalid parameter: call_back_url must be an absolute http\(s\) URL/ },
    { name: 'shop_id with a dash', extra: { shop_id: 'QC-1' }, msg: /^invalid parameter: shop_id must be 1 to 32 letters or digits/ },
    { name: 'prepay_order_id with a space', extra: { prepay_order_id: 'prepay 1' }, msg: /^invalid parameter: prepay_order_id must be 1 to 64 letters/ },
    { name: 'empty sale_num', extra: { sale_num: '' }, msg: /^invalid parameter: sale_num must be 1 to 64 characters/ },
    { name: 'email without @', extra: { email: 'payer.example.com' }, msg: /^invalid parameter: email must be an e-mail address/ },
    { name: 'operator of another merchant', extra: { operator_id: '0000000005' }, msg: /^invalid parameter: operator_id 0000000005 is not an operator of merchant QC00000001/ }
  ]
  for (const c of cases) {
    const answer = await prepayInit(app, prepayInitData(c.extra))
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', c.name)
    t.match(answer.body.rsp_msg, c.msg, c.name)
  }
  t.equal(store.orders.count(), 0)
})

t.test('PREPAY_INIT with a used prepay_order_id is ORDER_USED; another merchant may use it', async (t) => {
  const { app, store } = await build(t)
  t.equal((await prepayInit(app, prepayInitData())).body.rsp_code, 'SUCCESS')
  const again = await prepayInit(app, prepayInitData({ amount: '900' }))
  t.equal(again.body.rsp_code, 'ORDER_USED')
  t.equal(again.body.rsp_msg, 'order number duplicated: prepay_order_id prepay20260115132626764 was already used by merchant QC00000001')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'prepay20260115132626764')!.amount, '500', 'the first order is untouched')

  const wallet = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'SHARED1' })))
  t.equal(wallet.body.rsp_code, 'SUCCESS')
  const clash = await prepayInit(app, prepayInitData({ prepay_order_id: 'SHARED1' }))
  t.equal(clash.body.rsp_code, 'ORDER_USED', 'order ids of every action share one namespace')

  const other = await callAction(app, 'PREPAY_INIT', '2.0', prepayInitData({
    merchant_id: OTHER_MERCHANT.merchant_id, operator_id: '0000000005', currency_type: 'USD', shop_id: 'ON00000002001'
  }), OTHER_MERCHANT)
  t.equal(other.body.rsp_code, 'SUCCESS', other.body.rsp_msg)
  t.equal(other.data!.currency_type, 'USD')
})

t.test('PREPAY_QUERY follows the order: PROCESSING, SUCCESS once paid and after refunds', async (t) => {
  const { app } = await build(t)
  await prepayInit(app, prepayInitData())
  const open = await prepayQuery(app, 'prepay20260115132626764')
  t.equal(open.body.rsp_code, 'SUCCESS', open.body.rsp_msg)
  t.equal(open.schemaProblem, undefined, 'the answer fits PrepayQueryAnswer')
  t.same(open.data, {
    rspCode: 'SUCCESS',
    rspMsg: 'success',
    merchant_id: 'QC00000001',
    merchant_name: 'Test Tea',
    amount: '500',
    tip: '0',
    shop_id: 'QC00000001001',
    operator_id: '0000020156',
    status: 'PROCESSING',
    order_status: 'init',
    call_back_url: 'https://merchant.example/callback',
    redirect_url: 'https://merchant.example/result',
    biz_type: 'PREPAY',
    prepay_order_id: 'prepay20260115132626764',
    sale_num: '20260115132626764',
    email: 'payer@example.com',
    remarks: 'BLA',
    currency_type: 'CAD',
    duration: '900',
    create_time: '20260115120000',
    expire_time: '20260115121500',
    payments_methods: 'WECHATPAY,ALIPAY,UNIONPAY,GP'
  }, 'no order_id before a method was used')

  await payNow(app, 'prepay20260115132626764')
  const paid = await prepayQuery(app, 'prepay20260115132626764')
  t.equal(paid.schemaProblem, undefined)
  t.match(paid.data, { status: 'SUCCESS', order_status: 'success', order_id: 'prepay20260115132626764', finish_time: '20260115120000' })
  t.match(paid.data!.bizpay_order_id, /^WX\d{16}$/, 'paid with no method chosen (control API): WeChat Pay, with its acquirer id')
  t.equal(paid.data!.payments_methods, 'WECHATPAY', 'the method used')

  t.equal((await statusQuery(app, 'prepay20260115132626764')).data!.order_status, 'success', 'STATUS_QUERY takes prepay_order_id')
  const refund = await refundCall(app, { ori_order_id: 'prepay20260115132626764', refund_amt: '500', order_id: 'PREPAY-R1' })
  t.equal(refund.body.rsp_code, 'SUCCESS', refund.body.rsp_msg)
  const refunded = await prepayQuery(app, 'prepay20260115132626764')
  t.match(refunded.data, { status: 'SUCCESS', order_status: 'refunded' })
})

t.test('PREPAY_QUERY: an order unpaid past its duration is ORDERCLOSE', async (t) => {
  const { app, clock } = await build(t)
  await prepayInit(app, prepayInitData({ prepay_order_id: 'SHORT1', duration: '60' }))
  await prepayInit(app, prepayInitData({ prepay_order_id: 'LONG1', duration: '3600' }))
  clock.advance(59_000)
  await app.sandbox.tick()
  t.equal((await prepayQuery(app, 'SHORT1')).data!.status, 'PROCESSING', 'still open one second before expire_time')
  clock.advance(1_000)
  await app.sandbox.tick()
  const closed = await prepayQuery(app, 'SHORT1')
  t.equal(closed.schemaProblem, undefined)
  t.match(closed.data, { status: 'ORDERCLOSE', order_status: 'notpay', expire_time: '20260115120100' })
  t.notOk('order_id' in closed.data!, 'no method was used')
  t.equal((await prepayQuery(app, 'LONG1')).data!.status, 'PROCESSING', 'the other order keeps its own deadline')
})

t.test('PREPAY_QUERY accepts order_id (or orderId) when it is the order\'s', async (t) => {
  const { app } = await build(t)
  await prepayInit(app, prepayInitData({ prepay_order_id: 'P1' }))
  for (const extra of [{ order_id: 'P1' }, { orderId: 'P1' }, { order_id: '' }]) {
    const answer = await prepayQuery(app, 'P1', extra)
    t.equal(answer.body.rsp_code, 'SUCCESS', JSON.stringify(extra))
  }
})

t.test('PREPAY_QUERY refusals name what failed', async (t) => {
  const { app } = await build(t)
  await prepayInit(app, prepayInitData({ prepay_order_id: 'P1' }))
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'WALLET1' })))
  const cases: Array<{ name: string, data: DataObject, msg: string }> = [
    { name: 'unknown id', data: { prepay_order_id: 'NOPE' }, msg: 'prepay_order_id NOPE is not a checkout order of merchant QC00000001' },
    {
      name: 'an order of another action',
      data: { prepay_order_id: 'WALLET1' },
      msg: 'prepay_order_id WALLET1 is not a checkout order of merchant QC00000001 (it is an order of ACTIVEPAY; query it with STATUS_QUERY 1.0)'
    },
    { name: 'order_id of another order', data: { prepay_order_id: 'P1', order_id: 'WALLET1' }, msg: 'order_id WALLET1 is not the order of prepay_order_id P1 (its order_id is P1)' },
    { name: 'merchant_id mismatch', data: { prepay_order_id: 'P1', merchant_id: OTHER_MERCHANT.merchant_id }, msg: 'merchant_id in data (ON00000002) differs from the envelope\'s (QC00000001)' }
  ]
  for (const c of cases) {
    const answer = await prepayQuery(app, 'unused', c.data)
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', c.name)
    t.equal(answer.body.rsp_msg, `invalid parameter: ${c.msg}`, c.name)
  }
  for (const field of ['prepay_order_id', 'merchant_id']) {
    const answer = await callAction(app, 'PREPAY_QUERY', '2.0', without({ merchant_id: MERCHANT.merchant_id, prepay_order_id: 'P1' }, field))
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', field)
    t.equal(answer.body.rsp_msg, `invalid parameter: ${field} is required`)
  }
  const otherMerchant = await callAction(app, 'PREPAY_QUERY', '2.0', { merchant_id: OTHER_MERCHANT.merchant_id, prepay_order_id: 'P1' }, OTHER_MERCHANT)
  t.equal(otherMerchant.body.rsp_msg, 'invalid parameter: prepay_order_id P1 is not a checkout order of merchant ON00000002', 'orders are per merchant')
})
