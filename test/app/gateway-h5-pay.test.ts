import t from 'tap'
import { open, type DataObject } from '../../src/crypto/index.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import { activePayData, build, callGateway, choose, envelope, h5PayData, MERCHANT } from '../helpers/build.js'
import { callAction, payNow } from '../helpers/gateway-calls.js'
import { startReceiver } from '../helpers/receiver.js'

/** A merchant with the docs' 1-cent convenience fee (fixtures `convenience_fee`). */
const FEE_MERCHANT: Merchant = { ...MERCHANT, merchant_id: 'ON00000097', sign_key: 'TESTKEY000000097', mer_code: 'TESTMERCODE00097', convenience_fee: '1' }

t.test('H5PAY creates a WeChat MWEB order and answers the documented fields', async (t) => {
  const { app, store } = await build(t)
  const answer = await callAction(app, 'H5PAY', '2.0', h5PayData({ shop_id: 'QC00000001001', open_id: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.schemaProblem, undefined, 'the answer fits H5PayAnswer')
  t.same(Object.keys(answer.data!), ['order_id', 'merchant_id', 'amount', 'payinfo', 'time_zone_id'])
  t.equal(answer.data!.order_id, 'H5ORDER1')
  t.equal(answer.data!.merchant_id, MERCHANT.merchant_id)
  t.equal(answer.data!.amount, '500', 'no convenience fee for this merchant')
  t.equal(answer.data!.time_zone_id, 'Asia/Shanghai')
  t.match(answer.data!.payinfo, /^http:\/\/localhost(:80)?\/sandbox\/pay\/scan\/page\d{17}\?prepay_id=wx20260115120000qr\d{7}&package=\d{10}$/)
  const order = store.orders.find(MERCHANT.merchant_id, 'H5ORDER1')!
  t.equal(order.status, 'init')
  t.equal(order.method, 'WECHATPAY')
  t.equal(order.payer_page, 'scan')
  t.equal(order.return_url, null)
  t.equal(order.code_url, answer.data!.payinfo)
  t.equal(order.notify_url, 'https://merchant.example/callback')
  t.same(order.details, { requested_amount: '500', convenience_fee: '0', shop_id: 'QC00000001001', open_id: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' })
  t.same(order.response, answer.data, 'the order keeps the answer it gave')
  t.same(store.callbacks.forOrder(MERCHANT.merchant_id, 'H5ORDER1'), [], 'no callback before the payer pays')
})

t.test('a merchant with a convenience fee: the order, the answer and the callback carry amount + fee', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store } = await build(t, { merchants: [MERCHANT, FEE_MERCHANT] })
  const answer = await callAction(app, 'H5PAY', '2.0', h5PayData({ merchant_id: FEE_MERCHANT.merchant_id, amount: '5', call_back_url: receiver.url }), FEE_MERCHANT)
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.data!.amount, '6', 'the docs\' example: 5 requested, 6 answered')
  t.equal(answer.schemaProblem, undefined)
  const order = store.orders.find(FEE_MERCHANT.merchant_id, 'H5ORDER1')!
  t.equal(order.amount, '6')
  t.same(order.details, { requested_amount: '5', convenience_fee: '1' })
  await payNow(app, 'H5ORDER1', FEE_MERCHANT)
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1)
  const body = receiver.received[0]!.body
  t.equal(body.rsp_code, 'SUCCESS')
  const inner = open({ data: body.data!, md5: body.md5! }, FEE_MERCHANT.sign_key)
  t.equal(inner.order_id, 'H5ORDER1')
  t.equal(inner.amount, '6', 'the callback amount is what the payer paid')
})

t.test('payinfo + redirect_url: the scan page pays and sends the browser back to redirect_url', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store } = await build(t)
  const answer = await callAction(app, 'H5PAY', '2.0', h5PayData({ call_back_url: receiver.url }))
  const back = 'https://merchant.example/h5/done?cart=42&lang=en'
  const link = new URL(`${answer.data!.payinfo as string}&redirect_url=${encodeURIComponent(back)}`)
  const path = link.pathname + link.search
  const page = await app.inject({ method: 'GET', url: path })
  t.equal(page.statusCode, 200)
  t.match(page.body, /5\.00 CAD/)
  t.match(page.body, /name="choice" value="pay"/)
  const paid = await choose(app, path, 'pay')
  t.equal(paid.statusCode, 200)
  t.match(paid.body, /Payment completed/)
  t.match(paid.body, '<a id="return" href="https://merchant.example/h5/done?cart=42&amp;lang=en">')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'H5ORDER1')!.status, 'success')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1)
  t.equal(receiver.received[0]!.body.rsp_code, 'SUCCESS')
  t.equal(open({ data: receiver.received[0]!.body.data!, md5: receiver.received[0]!.body.md5! }, MERCHANT.sign_key).order_id, 'H5ORDER1')
})

t.test('declining on the scan page returns to redirect_url too and sends a FAIL callback', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store } = await build(t)
  const answer = await callAction(app, 'H5PAY', '2.0', h5PayData({ call_back_url: receiver.url }))
  const link = new URL(`${answer.data!.payinfo as string}&redirect_url=${encodeURIComponent('https://merchant.example/back')}`)
  const declined = await choose(app, link.pathname + link.search, 'decline')
  t.match(declined.body, /Payment declined/)
  t.match(declined.body, '<a id="return" href="https://merchant.example/back">')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'H5ORDER1')!.status, 'fail')
  await app.sandbox.idle()
  t.same(receiver.received.map((r) => r.body.rsp_code), ['FAIL'])
})

t.test('bizType, orderId, Tip and padded enum values are accepted', async (t) => {
  const { app, store } = await build(t)
  const data = h5PayData({ bizType: ' WECHATPAY ', orderId: 'H5VARIANT', Tip: '75', submit_type: ' form ', currency_type: 'CAD ' })
  delete data.biz_type
  delete data.order_id
  delete data.merchant_id
  const answer = await callAction(app, 'H5PAY', '2.0', data)
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.data!.order_id, 'H5VARIANT')
  const order = store.orders.find(MERCHANT.merchant_id, 'H5VARIANT')!
  t.equal(order.tip, '75')
  t.equal(order.amount, '500', 'the tip is not added to amount')
})

t.test('a missing order_id is generated', async (t) => {
  const { app, store } = await build(t)
  const data = h5PayData()
  delete data.order_id
  const answer = await callAction(app, 'H5PAY', '2.0', data)
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.match(answer.data!.order_id, /^[A-Za-z0-9]{1,32}$/)
  t.ok(store.orders.find(MERCHANT.merchant_id, answer.data!.order_id as string))
})

t.test('each documented error names what failed', async (t) => {
  const { app, store } = await build(t)
  const cases: Array<{ name: string, data: DataObject, code: string, msg: RegExp }> = [
    { name: 'missing amount', data: h5PayData({ amount: undefined }), code: 'PARAM_INVALID', msg: /^invalid parameter: amount is required$/ },
    { name: 'zero amount', data: h5PayData({ amount: '0' }), code: 'PARAM_INVALID', msg: /^invalid parameter: amount must be a whole number of cents greater than 0/ },
    { name: 'missing currency_type', data: h5PayData({ currency_type: undefined }), code: 'PARAM_INVALID', msg: /currency_type is required/ },
    { name: 'unknown currency', data: h5PayData({ currency_type: 'EUR' }), code: 'PARAM_INVALID', msg: /currency_type must be one of "CAD", "USD", "CNY", got "EUR"/ },
    { name: 'another currency than the merchant\'s', data: h5PayData({ currency_type: 'USD' }), code: 'PARAM_INVALID', msg: /^invalid parameter: currency_type USD does not match merchant QC00000001, which uses CAD$/ },
    { name: 'another merchant_id', data: h5PayData({ merchant_id: 'ON00000002' }), code: 'PARAM_INVALID', msg: /^invalid parameter: merchant_id in data \(ON00000002\) differs from the envelope's \(QC00000001\)$/ },
    { name: 'biz_type of another wallet', data: h5PayData({ biz_type: 'ALIPAY' }), code: 'PARAM_INVALID', msg: /biz_type must be one of "WECHATPAY", got "ALIPAY"/ },
    { name: 'missing biz_type', data: h5PayData({ biz_type: undefined }), code: 'PARAM_INVALID', msg: /biz_type is required/ },
    { name: 'submit_type not form', data: h5PayData({ submit_type: 'json' }), code: 'PARAM_INVALID', msg: /submit_type must be one of "form", got "json"/ },
    { name: 'missing submit_type', data: h5PayData({ submit_type: undefined }), code: 'PARAM_INVALID', msg: /submit_type is required/ },
    { name: 'missing operator_id', data: h5PayData({ operator_id: undefined }), code: 'PARAM_INVALID', msg: /operator_id is required/ },
    { name: 'unknown operator', data: h5PayData({ operator_id: '0000000005' }), code: 'PARAM_INVALID', msg: /operator_id 0000000005 is not an operator of merchant QC00000001/ },
    { name: 'missing call_back_url', data: h5PayData({ call_back_url: undefined }), code: 'PARAM_INVALID', msg: /call_back_url is required/ },
    { name: 'relative call_back_url', data: h5PayData({ call_back_url: '/callback' }), code: 'PARAM_INVALID', msg: /call_back_url must be an absolute http\(s\) URL/ },
    { name: 'bad tip', data: h5PayData({ tip: '1.50' }), code: 'PARAM_INVALID', msg: /tip must be a whole number of cents/ }
  ]
  for (const c of cases) {
    const data = Object.fromEntries(Object.entries(c.data).filter(([, value]) => value !== undefined))
    const answer = await callAction(app, 'H5PAY', '2.0', data)
    t.equal(answer.body.rsp_code, c.code, c.name)
    t.match(answer.body.rsp_msg, c.msg, c.name)
    t.equal(answer.data, undefined, `${c.name}: no data`)
  }
  t.equal(store.orders.count(), 0, 'no order was created')
})

t.test('a reused order_id is ORDER_USED', async (t) => {
  const { app } = await build(t)
  t.equal((await callAction(app, 'H5PAY', '2.0', h5PayData())).body.rsp_code, 'SUCCESS')
  const again = await callAction(app, 'H5PAY', '2.0', h5PayData({ amount: '900' }))
  t.equal(again.body.rsp_code, 'ORDER_USED')
  t.match(again.body.rsp_msg, /^order number duplicated: order_id H5ORDER1 was already used by merchant QC00000001/)
})

t.test('only version 2.0 exists', async (t) => {
  const { app } = await build(t)
  const answer = await callAction(app, 'H5PAY', '1.0', h5PayData())
  t.equal(answer.body.rsp_code, 'PARAM_INVALID')
  t.match(answer.body.rsp_msg, /version "1.0" is not supported for H5PAY \(supported: 2\.0\)/)
})

t.test('the convenience fee does not make amounts magic: the requested amount picks the outcome', async (t) => {
  const { app, store } = await build(t, { merchants: [FEE_MERCHANT] })
  const round = await callGateway(app, envelope('H5PAY', '2.0', h5PayData({ merchant_id: FEE_MERCHANT.merchant_id, order_id: 'ROUND', amount: '500' }), FEE_MERCHANT), FEE_MERCHANT)
  t.equal(round.data!.amount, '501', 'the payer pays the fee')
  await app.inject({ method: 'POST', url: `/sandbox/api/orders/ROUND/pay?merchant_id=${FEE_MERCHANT.merchant_id}` })
  t.equal(store.orders.find(FEE_MERCHANT.merchant_id, 'ROUND')!.status, 'success', '501 is not magic "01": 500 was asked')
  const magic = await callGateway(app, envelope('H5PAY', '2.0', h5PayData({ merchant_id: FEE_MERCHANT.merchant_id, order_id: 'MAGIC', amount: '501' }), FEE_MERCHANT), FEE_MERCHANT)
  t.equal(magic.data!.amount, '502')
  await app.inject({ method: 'POST', url: `/sandbox/api/orders/MAGIC/pay?merchant_id=${FEE_MERCHANT.merchant_id}` })
  t.equal(store.orders.find(FEE_MERCHANT.merchant_id, 'MAGIC')!.status, 'fail', 'a requested 501 declines (magic 01)')
})

t.test('an amount that the fee would push past 12 digits is refused', async (t) => {
  const { app } = await build(t, { merchants: [FEE_MERCHANT] })
  const answer = await callGateway(app, envelope('H5PAY', '2.0', h5PayData({ merchant_id: FEE_MERCHANT.merchant_id, amount: '999999999999' }), FEE_MERCHANT), FEE_MERCHANT)
  t.equal(answer.body.rsp_code, 'PARAM_INVALID')
  t.match(answer.body.rsp_msg, /amount 999999999999 plus the 1-cent convenience fee exceeds 12 digits of cents/)
})

t.test('redirect_url is honoured for H5PAY only: on another order\'s scan page it is ignored (no open redirect)', async (t) => {
  const { app, store } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
  const token = store.orders.find(MERCHANT.merchant_id, 'ORDER0001')!.page_token
  const res = await choose(app, `/sandbox/pay/scan/${token}?redirect_url=${encodeURIComponent('https://evil.example/x')}`, 'pay')
  t.equal(res.statusCode, 200)
  t.notMatch(res.body, 'evil.example')
  t.notMatch(res.body, 'id="return"')
})
