import { createHash } from 'node:crypto'
import t from 'tap'
import { open, type DataObject } from '../../src/crypto/index.js'
import { APP_ID, build, choose, mappPayData, MERCHANT, T0 } from '../helpers/build.js'
import { callAction } from '../helpers/gateway-calls.js'
import { startReceiver } from '../helpers/receiver.js'

interface PayInfo { appId: string, timeStamp: string, nonceStr: string, packageStr: string, signType: string, paySign: string }

t.test('MAPPPAY 1.1 answers the wx.requestPayment parameters, signed the WeChat way', async (t) => {
  const { app, store } = await build(t)
  const answer = await callAction(app, 'MAPPPAY', '1.1', mappPayData())
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.schemaProblem, undefined, 'the answer fits MappPayAnswer')
  t.same(Object.keys(answer.data!), ['payInfo', 'merchant_id', 'order_id', 'amount', 'sale_num'])
  t.equal(answer.data!.merchant_id, MERCHANT.merchant_id)
  t.equal(answer.data!.order_id, 'MAPP0001')
  t.equal(answer.data!.amount, '1200')
  t.equal(answer.data!.sale_num, '', 'no sale_num sent')
  const payInfo = answer.data!.payInfo as unknown as PayInfo
  t.same(Object.keys(payInfo), ['appId', 'timeStamp', 'nonceStr', 'packageStr', 'signType', 'paySign'])
  t.equal(payInfo.appId, APP_ID)
  t.equal(payInfo.timeStamp, String(T0 / 1000), 'Unix seconds of the sandbox clock')
  t.match(payInfo.nonceStr, /^[A-Za-z0-9]{1,32}$/)
  t.match(payInfo.packageStr, /^prepay_id=wx20260115120000[A-Za-z0-9]+$/)
  t.equal(payInfo.signType, 'MD5')
  const signed = `appId=${APP_ID}&nonceStr=${payInfo.nonceStr}&package=${payInfo.packageStr}&signType=MD5&timeStamp=${payInfo.timeStamp}&key=${MERCHANT.sign_key}`
  t.equal(payInfo.paySign, createHash('md5').update(signed).digest('hex').toUpperCase())

  const order = store.orders.find(MERCHANT.merchant_id, 'MAPP0001')!
  t.equal(order.status, 'init')
  t.equal(order.method, 'WECHATPAY')
  t.equal(order.version, '1.1')
  t.equal(order.code_url, '', 'nothing to scan in a Mini-Program')
  t.equal(order.sale_num, undefined)
  t.same(order.details, { app_id: APP_ID, open_id: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', prepay_id: payInfo.packageStr.slice('prepay_id='.length) })
  t.same(order.response, answer.data)
  t.same(store.callbacks.forOrder(MERCHANT.merchant_id, 'MAPP0001'), [], 'no callback at creation')
})

t.test('the docs example\'s version 1.0 works the same; sale_num is echoed and stored', async (t) => {
  const { app, store } = await build(t)
  const answer = await callAction(app, 'MAPPPAY', '1.0', mappPayData({ sale_num: 'INV-2026-0042' }))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.schemaProblem, undefined)
  t.equal(answer.data!.sale_num, 'INV-2026-0042')
  const order = store.orders.find(MERCHANT.merchant_id, 'MAPP0001')!
  t.equal(order.version, '1.0')
  t.equal(order.sale_num, 'INV-2026-0042')
  const other = await callAction(app, 'MAPPPAY', '2.0', mappPayData({ order_id: 'MAPP0002' }))
  t.equal(other.body.rsp_code, 'PARAM_INVALID')
  t.match(other.body.rsp_msg, /version "2.0" is not supported for MAPPPAY \(supported: 1\.1, 1\.0\)/)
})

t.test('paid later on the scan page: the callback goes to call_back_url with the order and its sale_num', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store } = await build(t)
  await callAction(app, 'MAPPPAY', '1.1', mappPayData({ call_back_url: receiver.url, sale_num: 'S-7', tip: '100' }))
  const order = store.orders.find(MERCHANT.merchant_id, 'MAPP0001')!
  const res = await choose(app, `/sandbox/pay/scan/${order.page_token}`, 'pay')
  t.equal(res.statusCode, 200)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'MAPP0001')!.status, 'success')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1)
  const body = receiver.received[0]!.body
  t.equal(body.rsp_code, 'SUCCESS')
  const inner = open({ data: body.data!, md5: body.md5! }, MERCHANT.sign_key)
  t.equal(inner.order_id, 'MAPP0001')
  t.equal(inner.amount, '1200')
  t.equal(inner.tip, '100')
  t.equal(inner.sale_num, 'S-7')
})

t.test('bizType, orderId and Tip are accepted', async (t) => {
  const { app, store } = await build(t)
  const data = mappPayData({ bizType: 'WECHATPAY ', orderId: 'MAPPVAR', Tip: '30' })
  delete data.biz_type
  delete data.order_id
  const answer = await callAction(app, 'MAPPPAY', '1.1', data)
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.data!.order_id, 'MAPPVAR')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'MAPPVAR')!.tip, '30')
})

t.test('each documented error names what failed', async (t) => {
  const { app, store } = await build(t)
  const cases: Array<{ name: string, data: DataObject, msg: RegExp }> = [
    { name: 'missing amount', data: mappPayData({ amount: undefined }), msg: /^invalid parameter: amount is required$/ },
    { name: 'decimal amount', data: mappPayData({ amount: '12.00' }), msg: /amount must be a whole number of cents/ },
    { name: 'missing operator_id', data: mappPayData({ operator_id: undefined }), msg: /operator_id is required/ },
    { name: 'unknown operator', data: mappPayData({ operator_id: '0000000005' }), msg: /operator_id 0000000005 is not an operator of merchant QC00000001/ },
    { name: 'missing app_id', data: mappPayData({ app_id: undefined }), msg: /app_id is required/ },
    { name: 'app_id not a WeChat AppID', data: mappPayData({ app_id: 'mini-program' }), msg: /app_id must be a WeChat AppID: "wx" followed by letters and digits/ },
    { name: 'missing open_id', data: mappPayData({ open_id: undefined }), msg: /open_id is required/ },
    { name: 'bad open_id', data: mappPayData({ open_id: 'o p e n' }), msg: /open_id must be the payer's WeChat openid/ },
    { name: 'biz_type of another wallet', data: mappPayData({ biz_type: 'ALIPAY' }), msg: /biz_type must be one of "WECHATPAY", got "ALIPAY"/ },
    { name: 'missing call_back_url', data: mappPayData({ call_back_url: undefined }), msg: /call_back_url is required/ },
    { name: 'sale_num too long', data: mappPayData({ sale_num: 'x'.repeat(65) }), msg: /sale_num must be a string of at most 64 characters/ }
  ]
  for (const c of cases) {
    const data = Object.fromEntries(Object.entries(c.data).filter(([, value]) => value !== undefined))
    const answer = await callAction(app, 'MAPPPAY', '1.1', data)
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', c.name)
    t.match(answer.body.rsp_msg, c.msg, c.name)
    t.equal(answer.data, undefined, `${c.name}: no data`)
  }
  t.equal(store.orders.count(), 0, 'no order was created')
})

t.test('a reused order_id is ORDER_USED', async (t) => {
  const { app } = await build(t)
  t.equal((await callAction(app, 'MAPPPAY', '1.1', mappPayData())).body.rsp_code, 'SUCCESS')
  const again = await callAction(app, 'MAPPPAY', '1.0', mappPayData())
  t.equal(again.body.rsp_code, 'ORDER_USED')
  t.match(again.body.rsp_msg, /^order number duplicated: order_id MAPP0001 was already used by merchant QC00000001/)
})

t.test('same request, fixtures and clock give the same answer bytes', async (t) => {
  const one = await build(t)
  const two = await build(t)
  const a = await callAction(one.app, 'MAPPPAY', '1.1', mappPayData())
  const b = await callAction(two.app, 'MAPPPAY', '1.1', mappPayData())
  t.equal(a.body.data, b.body.data)
  t.equal(a.body.md5, b.body.md5)
})
