import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { open, type DataObject } from '../../src/crypto/index.js'
import { build, callGateway, cardData, envelope, MERCHANT, OTHER_MERCHANT } from '../helpers/build.js'

const CARD = '5160736813962037'
const PAGE_URL = /^http:\/\/localhost:80\/sandbox\/pay\/unionpay\/page\d{17}$/

/** POSTs with a Host header and opens the answer with the test merchant's key. */
async function callWithHost (app: FastifyInstance, body: Record<string, string>, host: string) {
  const res = await app.inject({ method: 'POST', url: '/processV2', payload: body, headers: { host } })
  const parsed = res.json() as { rsp_code: string, rsp_msg: string, data: string, md5: string }
  return { body: parsed, data: open({ data: parsed.data, md5: parsed.md5 }, MERCHANT.sign_key) }
}

/** The data with some fields left out. */
function without (data: DataObject, ...fields: string[]): DataObject {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !fields.includes(key)))
}

for (const action of ['CC_PURCHASE', 'CC_PREAUTH']) {
  t.test(`${action} 2.0 answers PROCESSING with the hosted page URL and creates an init order`, async (t) => {
    const { app, store } = await build(t)
    const answer = await callGateway(app, envelope(action, '2.0', cardData()))
    t.equal(answer.status, 200)
    t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
    t.equal(answer.body.rsp_msg, 'success')
    t.same(Object.keys(answer.data!).sort(), ['amount', 'codeUrl', 'rspCode', 'rspMsg'])
    t.equal(answer.data!.rspCode, 'PROCESSING')
    t.equal(answer.data!.rspMsg, 'User paying')
    t.equal(answer.data!.amount, '2500')
    t.match(answer.data!.codeUrl, PAGE_URL)
    const order = store.orders.find(MERCHANT.merchant_id, 'CARD0001')!
    t.ok(order, 'the order is stored')
    t.equal(order.action, action)
    t.equal(order.status, 'init')
    t.equal(order.method, 'SECUREPAY')
    t.equal(order.amount, '2500')
    t.equal(order.currency, 'CAD')
    t.equal(order.notify_url, 'https://merchant.example/callback')
    t.equal(order.return_url, 'https://merchant.example/result')
    t.equal(order.channel, 'web')
    t.match(order.bizpay_order_id, /^UP\d{16}$/)
    t.equal(order.code_url, answer.data!.codeUrl)
    t.ok((answer.data!.codeUrl as string).endsWith(`/${order.page_token}`), 'the URL carries the order\'s page token')
  })
}

t.test('codeUrl is on the host the client used', async (t) => {
  const { app } = await build(t)
  const answer = await callWithHost(app, envelope('CC_PURCHASE', '2.0', cardData()), 'pay.test:8080')
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.match(answer.data.codeUrl, /^http:\/\/pay\.test:8080\/sandbox\/pay\/unionpay\/page\d{17}$/)
})

t.test('codeUrl is on PUBLIC_URL when set', async (t) => {
  const { app } = await build(t, { env: { PUBLIC_URL: 'https://sandbox.example:9443' } })
  const answer = await callWithHost(app, envelope('CC_PURCHASE', '2.0', cardData()), 'pay.test:8080')
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.match(answer.data.codeUrl, /^https:\/\/sandbox\.example:9443\/sandbox\/pay\/unionpay\/page\d{17}$/)
})

t.test('the mobile channel also answers respcode/respmsg and needs no frontUrl', async (t) => {
  const { app, store } = await build(t)
  const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', without(cardData({ cc_channelType: 'mobile' }), 'frontUrl')))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.same(Object.keys(answer.data!).sort(), ['amount', 'codeUrl', 'respcode', 'respmsg', 'rspCode', 'rspMsg'])
  t.equal(answer.data!.respcode, 'PROCESSING')
  t.equal(answer.data!.respmsg, 'User paying')
  t.equal(answer.data!.rspCode, 'PROCESSING')
  t.match(answer.data!.codeUrl, PAGE_URL)
  const order = store.orders.find(MERCHANT.merchant_id, 'CARD0001')!
  t.equal(order.channel, 'mobile')
  t.equal(order.return_url, null)
})

t.test('the web channel requires frontUrl', async (t) => {
  const { app, store } = await build(t)
  const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', without(cardData(), 'frontUrl')))
  t.equal(answer.body.rsp_code, 'PARAM_INVALID')
  t.match(answer.body.rsp_msg, /frontUrl is required when cc_channelType is "web"/)
  t.equal(answer.body.data, undefined)
  t.equal(store.orders.count(), 0)
})

t.test('documented variants are accepted', async (t) => {
  const { app, store } = await build(t)
  const cases = [
    { name: 'biz_type instead of bizType', data: without(cardData({ orderId: 'V1', biz_type: 'securePay' }), 'bizType') },
    { name: '" securePay" with spaces', data: cardData({ orderId: 'V2', bizType: ' securePay ' }) },
    { name: 'order_id instead of orderId', data: without(cardData({ order_id: 'V3' }), 'orderId') },
    { name: 'spaces around the channels', data: cardData({ orderId: 'V4', channelType: ' UPAYONLINE', cc_channelType: 'web ' }) },
    { name: 'txnAmt as a number', data: cardData({ orderId: 'V5', txnAmt: 2500 }) },
    { name: 'no operator_id, no cc_number', data: without(cardData({ orderId: 'V6' }), 'operator_id', 'cc_number') }
  ]
  for (const [i, c] of cases.entries()) {
    const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', c.data))
    t.equal(answer.body.rsp_code, 'SUCCESS', `${c.name}: ${answer.body.rsp_msg}`)
    t.ok(store.orders.find(MERCHANT.merchant_id, `V${i + 1}`), `${c.name}: order V${i + 1} stored`)
  }
  t.equal(store.orders.find(MERCHANT.merchant_id, 'V6')!.card_masked, null, 'no card, nothing masked')
})

t.test('a missing orderId is generated', async (t) => {
  const { app, store } = await build(t)
  const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', without(cardData(), 'orderId')))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  const orders = store.orders.page({ merchant_id: MERCHANT.merchant_id }).items
  t.equal(orders.length, 1)
  t.match(orders[0]!.order_id, /^[A-Za-z0-9]{1,32}$/)
  t.equal(orders[0]!.code_url, answer.data!.codeUrl)
})

t.test('invalid card fields are PARAM_INVALID naming the field', async (t) => {
  const { app, store } = await build(t)
  const cases = [
    { data: cardData({ channelType: 'UPAY' }), message: /channelType must be one of "UPAYONLINE", "ELAVONECOM", "PORTICOECOM", got "UPAY"/ },
    { data: cardData({ bizType: 'SecurePay' }), message: /bizType must be one of "securePay", got "SecurePay"/ },
    { data: without(cardData({ biz_type: 'pay' }), 'bizType'), message: /bizType must be one of "securePay", got "pay"/ },
    { data: cardData({ cc_channelType: 'app' }), message: /cc_channelType must be one of "web", "mobile", got "app"/ },
    { data: without(cardData(), 'channelType'), message: /channelType is required/ },
    { data: without(cardData(), 'txnAmt'), message: /txnAmt is required/ },
    { data: cardData({ txnAmt: '25.00' }), message: /txnAmt must be a whole number of cents/ },
    { data: without(cardData(), 'backUrl'), message: /backUrl is required/ },
    { data: cardData({ frontUrl: 'result.php' }), message: /frontUrl must be an absolute http\(s\) URL/ },
    { data: without(cardData(), 'merchant_id'), message: /merchant_id is required/ },
    { data: cardData({ merchant_id: OTHER_MERCHANT.merchant_id }), message: /merchant_id in data \(ON00000002\) differs from the envelope's \(QC00000001\)/ },
    { data: without(cardData(), 'txnTime'), message: /txnTime is required/ },
    { data: cardData({ txnTime: '2019-11-25' }), message: /txnTime must be a date and time as "yyyyMMddHHmmss", got "2019-11-25"/ },
    { data: cardData({ txnTime: '20191332250000' }), message: /txnTime 20191332250000 is not a real date and time/ },
    { data: cardData({ txnTime: '20190229120000' }), message: /txnTime 20190229120000 is not a real date and time/ },
    { data: cardData({ cc_number: '5160-7368-1396-2037' }), message: /cc_number must be 12 to 19 digits/ },
    { data: cardData({ cc_number: '2037' }), message: /cc_number must be 12 to 19 digits, got "2037"/ },
    { data: cardData({ operator_id: '0000000005' }), message: /operator_id 0000000005 is not an operator of merchant QC00000001/ }
  ]
  for (const c of cases) {
    const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', c.data))
    t.test(c.message.source, async (t) => {
      t.equal(answer.body.rsp_code, 'PARAM_INVALID', answer.body.rsp_msg)
      t.match(answer.body.rsp_msg, c.message)
      t.equal(answer.body.data, undefined)
    })
  }
  t.equal(store.orders.count(), 0, 'no order was created')
})

t.test('the stored order masks the card number everywhere', async (t) => {
  const { app, store } = await build(t)
  const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData()))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  const order = store.orders.find(MERCHANT.merchant_id, 'CARD0001')!
  t.equal(order.card_masked, '************2037')
  t.equal(order.request.cc_number, '************2037')
  t.notOk(JSON.stringify(order).includes(CARD), 'the stored order never holds the full number')
  const api = await app.inject({ method: 'GET', url: '/sandbox/api/orders/CARD0001' })
  t.equal(api.statusCode, 200)
  t.notOk(api.body.includes(CARD), 'the control API never shows the full number')
  t.match(api.body, /\*{12}2037/)
})

t.test('a reused orderId is ORDER_USED', async (t) => {
  const { app } = await build(t)
  t.equal((await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData()))).body.rsp_code, 'SUCCESS')
  const again = await callGateway(app, envelope('CC_PREAUTH', '2.0', cardData()))
  t.equal(again.body.rsp_code, 'ORDER_USED')
  t.match(again.body.rsp_msg, /order_id CARD0001 was already used/)
})

t.test('version 1.0 is rejected for the card actions', async (t) => {
  const { app } = await build(t)
  for (const action of ['CC_PURCHASE', 'CC_PREAUTH']) {
    const answer = await callGateway(app, envelope(action, '1.0', cardData()))
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', action)
    t.match(answer.body.rsp_msg, new RegExp(`version "1\\.0" is not supported for ${action} \\(supported: 2\\.0\\)`))
  }
})
