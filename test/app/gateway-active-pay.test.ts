import t from 'tap'
import { activePayData, build, callGateway, envelope, MERCHANT } from '../helpers/build.js'

t.test('ACTIVEPAY creates a WeChat order and answers a sealed, verifiable envelope', async (t) => {
  const { app, store } = await build(t)
  const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
  t.equal(answer.status, 200)
  t.equal(answer.body.rsp_code, 'SUCCESS')
  t.equal(answer.body.rsp_msg, 'success')
  t.same(Object.keys(answer.data!), ['bizpay_order_id', 'code_url', 'order_id'])
  t.equal(answer.data!.order_id, 'ORDER0001')
  t.match(answer.data!.bizpay_order_id, /^WX\d{16}$/)
  t.match(answer.data!.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=[A-Za-z0-9]+$/)
  const order = store.orders.find(MERCHANT.merchant_id, 'ORDER0001')!
  t.equal(order.status, 'init')
  t.equal(order.amount, '100')
  t.equal(order.tip, '0')
  t.equal(order.notify_url, 'https://merchant.example/callback')
  t.equal(order.code_url, answer.data!.code_url)
})

t.test('each wallet gets a production-shaped code_url and acquirer id', async (t) => {
  const { app } = await build(t)
  const cases = [
    { biz_type: 'ALIPAY', code: /^https:\/\/qr\.alipay\.com\/bax0[a-z0-9]+$/, id: /^AP\d{16}$/ },
    { biz_type: 'UNIONPAY', code: /^https:\/\/qr\.95516\.com\/00010000\/[A-Za-z0-9]+$/, id: /^UP\d{16}$/ }
  ]
  for (const [i, c] of cases.entries()) {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `W${i}`, biz_type: c.biz_type })))
    t.equal(answer.body.rsp_code, 'SUCCESS', c.biz_type)
    t.match(answer.data!.code_url, c.code)
    t.match(answer.data!.bizpay_order_id, c.id)
  }
})

t.test('a missing order_id is generated; Tip, bizType and numbers are accepted as documented variants', async (t) => {
  const { app, store } = await build(t)
  const data = activePayData({ Tip: '25', bizType: ' ALIPAY ', amount: 150 })
  delete data.order_id
  delete data.biz_type
  const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', data))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  const orderId = answer.data!.order_id as string
  t.match(orderId, /^[A-Za-z0-9]{1,32}$/)
  const order = store.orders.find(MERCHANT.merchant_id, orderId)!
  t.equal(order.tip, '25')
  t.equal(order.amount, '150')
  t.equal(order.method, 'ALIPAY')
})

t.test('the aliases /process and /processV3 answer like /processV2', async (t) => {
  const { app } = await build(t)
  for (const [i, url] of ['/process', '/processV3'].entries()) {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `ALIAS${i}` })), MERCHANT, url)
    t.equal(answer.body.rsp_code, 'SUCCESS', url)
  }
})

t.test('a reused order_id is ORDER_USED; the same id is free for another merchant', async (t) => {
  const { app } = await build(t)
  const first = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
  t.equal(first.body.rsp_code, 'SUCCESS')
  const again = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ amount: '200' })))
  t.equal(again.body.rsp_code, 'ORDER_USED')
  t.match(again.body.rsp_msg, /^order number duplicated: order_id ORDER0001/)
  t.equal(again.body.data, undefined)
})

t.test('concurrent requests with one order_id: exactly one wins', async (t) => {
  const { app, store } = await build(t)
  const body = envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'RACE1' }))
  const answers = await Promise.all(Array.from({ length: 8 }, () => callGateway(app, body)))
  t.equal(answers.filter((a) => a.body.rsp_code === 'SUCCESS').length, 1)
  t.equal(answers.filter((a) => a.body.rsp_code === 'ORDER_USED').length, 7)
  t.equal(store.orders.count(), 1)
})

t.test('same request, fixtures and clock give the same bytes', async (t) => {
  const one = await build(t)
  const two = await build(t)
  const body = envelope('ACTIVEPAY', '1.0', activePayData())
  const a = await one.app.inject({ method: 'POST', url: '/processV2', payload: body })
  const b = await two.app.inject({ method: 'POST', url: '/processV2', payload: body })
  t.equal(a.body, b.body)
})
