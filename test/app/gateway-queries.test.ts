import t from 'tap'
import { activePayData, build, callGateway, cardData, envelope, MERCHANT, OTHER_MERCHANT, T0 } from '../helpers/build.js'
import { callAction, payNow, statusQuery } from '../helpers/gateway-calls.js'

t.test('STATUS_QUERY follows an order from init to success, with finish_time once paid', async (t) => {
  const { app, clock } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ tip: '15' })))
  const before = await statusQuery(app, 'ORDER0001')
  t.equal(before.body.rsp_code, 'SUCCESS')
  t.equal(before.schemaProblem, undefined, 'the answer fits its schema')
  t.same(before.data, {
    order_id: 'ORDER0001',
    order_status: 'init',
    bizpay_order_id: before.data!.bizpay_order_id,
    amount: '100',
    total_amount: '100',
    tip: '15',
    merchant_id: MERCHANT.merchant_id,
    currency: 'CAD'
  }, 'no finish_time nor refund_amount before payment; total_amount spells amount as PASSIVEPAY does')
  t.match(before.data!.bizpay_order_id, /^WX\d{16}$/)

  clock.set(T0 + 90_000)
  await payNow(app, 'ORDER0001')
  const after = await statusQuery(app, 'ORDER0001')
  t.equal(after.data!.order_status, 'success')
  t.equal(after.data!.finish_time, '20260115120130', 'Beijing time of the payment')
  t.equal(after.data!.refund_amount, undefined)
  t.same([after.data!.total_amount, after.data!.trade_time, after.data!.receipt_amount, after.data!.buyer_pay_amount],
    ['100', '20260115120130', '100', '100'], 'once paid: both spellings of the amount and of the time, and what was received')
  t.equal(after.schemaProblem, undefined)
})

t.test('STATUS_QUERY reports fail, notpay and authorised, and works for card orders too', async (t) => {
  const { app, clock } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'DECLINED' })))
  await app.inject({ method: 'POST', url: '/sandbox/api/orders/DECLINED/fail' })
  t.equal((await statusQuery(app, 'DECLINED')).data!.order_status, 'fail')

  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'LATE' })))
  clock.advance(3 * 60 * 60 * 1000)
  await app.sandbox.tick()
  const late = await statusQuery(app, 'LATE')
  t.equal(late.data!.order_status, 'notpay', 'expired unpaid after ORDER_EXPIRY')
  t.equal(late.data!.finish_time, undefined, 'never paid, no finish_time')

  await callGateway(app, envelope('CC_PREAUTH', '2.0', cardData({ orderId: 'PRE1' })))
  await payNow(app, 'PRE1')
  const pre = await statusQuery(app, 'PRE1')
  t.equal(pre.data!.order_status, 'authorised')
  t.equal(pre.data!.amount, '2500')
  t.match(pre.data!.bizpay_order_id, /^UP/)
})

t.test('STATUS_QUERY: an unknown order, another merchant\'s order, a missing order_id', async (t) => {
  const { app } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
  const unknown = await statusQuery(app, 'NOPE')
  t.equal(unknown.body.rsp_code, 'PARAM_INVALID')
  t.equal(unknown.body.rsp_msg, `invalid parameter: order_id NOPE is not an order of merchant ${MERCHANT.merchant_id}`)
  t.equal(unknown.data, undefined, 'an error carries no data')

  const foreign = await statusQuery(app, 'ORDER0001', OTHER_MERCHANT)
  t.equal(foreign.body.rsp_code, 'PARAM_INVALID', 'order ids are per merchant: another merchant cannot see it')

  const missing = await callAction(app, 'STATUS_QUERY', '1.0', {})
  t.equal(missing.body.rsp_code, 'PARAM_INVALID')
  t.match(missing.body.rsp_msg, /order_id is required/)

  const wrongVersion = await callAction(app, 'STATUS_QUERY', '2.0', { order_id: 'ORDER0001' })
  t.match(wrongVersion.body.rsp_msg, /version "2.0" is not supported for STATUS_QUERY \(supported: 1\.0\)/)
})

t.test('STATUS_QUERY accepts orderId and the extra fields third-party clients send', async (t) => {
  const { app } = await build(t)
  await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData()))
  const answer = await callAction(app, 'STATUS_QUERY', '1.0', {
    order_id: 'CARD0001',
    orderId: 'CARD0001',
    merchant_id: MERCHANT.merchant_id,
    bizType: 'converge_hosted',
    txnTime: '20260115120000',
    channelType: 'ELAVONECOM'
  })
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.data!.order_id, 'CARD0001')
  const onlyCamel = await callAction(app, 'STATUS_QUERY', '1.0', { orderId: 'CARD0001' })
  t.equal(onlyCamel.data!.order_status, 'init')
  const disagree = await callAction(app, 'STATUS_QUERY', '1.0', { order_id: 'CARD0001', orderId: 'OTHER' })
  t.match(disagree.body.rsp_msg, /orderId and order_id are the same field and disagree/)
})

t.test('the docs\' STATUS_QUERY example with its trailing comma is not JSON: a clear PARAM_INVALID', async (t) => {
  const { app } = await build(t)
  const { encrypt, deriveKey, md5Upper } = await import('../../src/crypto/index.js')
  const text = '{\n  "order_id":"2020041468976O124O000857",\n}'
  const md5 = md5Upper('2020041468976O124O000857')
  const body = { action: 'STATUS_QUERY', version: '1.0', merchant_id: MERCHANT.merchant_id, md5, data: encrypt(text, deriveKey(md5, MERCHANT.sign_key)) }
  const answer = await callGateway(app, body)
  t.equal(answer.body.rsp_code, 'PARAM_INVALID')
  t.match(answer.body.rsp_msg, /JSON/)
})

t.test('CC_QUERYPAY answers a card order\'s status in the §19b fields', async (t) => {
  const { app, clock } = await build(t)
  await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData()))
  const portico = { orderId: 'CARD0001', merchant_id: MERCHANT.merchant_id, shopId: 'QC00000001001', termId: 'CNP_ECOM', channelType: 'PORTICOECOM', bizType: 'portico_card', cc_channelType: 'GLBPAYMNTS' }
  const before = await callAction(app, 'CC_QUERYPAY', '2.0', portico)
  t.equal(before.body.rsp_code, 'SUCCESS', before.body.rsp_msg)
  t.equal(before.schemaProblem, undefined)
  t.same(before.data, {
    rspCode: 'SUCCESS',
    rspMsg: 'success',
    order_status: 'init',
    orderId: 'CARD0001',
    order_id: 'CARD0001',
    merchant_id: 'QC00000001',
    currency: 'CAD',
    bizpay_order_id: before.data!.bizpay_order_id,
    amount: '2500',
    total_amount: '2500',
    tip: '0'
  })

  clock.set(T0 + 5000)
  await payNow(app, 'CARD0001')
  const after = await callAction(app, 'CC_QUERYPAY', '2.0', { order_id: 'CARD0001' })
  t.equal(after.data!.order_status, 'success', 'order_id is accepted for orderId (the UnionPay query page)')
  t.equal(after.data!.trade_time, '20260115120005')
  t.equal(after.data!.receipt_amount, '2500')
  t.equal(after.data!.buyer_pay_amount, '2500')
  t.equal(after.schemaProblem, undefined)

  await app.inject({ method: 'POST', url: '/sandbox/api/orders/CARD0001/refund', payload: { amount: '500' } })
  const refunded = await callAction(app, 'CC_QUERYPAY', '2.0', { orderId: 'CARD0001' })
  t.equal(refunded.data!.order_status, 'partial_refunded')
  t.equal(refunded.data!.refund_amount, '500')
})

t.test('CC_QUERYPAY errors name what failed', async (t) => {
  const { app } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
  const wallet = await callAction(app, 'CC_QUERYPAY', '2.0', { orderId: 'ORDER0001' })
  t.equal(wallet.body.rsp_code, 'PARAM_INVALID')
  t.match(wallet.body.rsp_msg, /orderId ORDER0001 is not a card order \(it was created by ACTIVEPAY\); query it with STATUS_QUERY/)
  const unknown = await callAction(app, 'CC_QUERYPAY', '2.0', { orderId: 'NOPE' })
  t.match(unknown.body.rsp_msg, /orderId NOPE is not an order of merchant QC00000001/)
  const missing = await callAction(app, 'CC_QUERYPAY', '2.0', { termId: 'CNP_ECOM' })
  t.match(missing.body.rsp_msg, /orderId is required/)
  const foreign = await callAction(app, 'CC_QUERYPAY', '2.0', { orderId: 'ORDER0001', merchant_id: 'ON00000002' })
  t.match(foreign.body.rsp_msg, /merchant_id in data \(ON00000002\) differs from the envelope's \(QC00000001\)/)
})

t.test('EX_RATE_QUERY answers the fixture rate scaled by 10^8', async (t) => {
  const { app } = await build(t)
  const usd = await callAction(app, 'EX_RATE_QUERY', '1.0', { fee_type: 'USD' })
  t.equal(usd.body.rsp_code, 'SUCCESS')
  t.same(usd.data, { feeType: 'USD', rate: '710250000' }, '7.1025 CNY per USD')
  t.equal(usd.schemaProblem, undefined)
  const cny = await callAction(app, 'EX_RATE_QUERY', '1.0', { fee_type: ' CNY ' })
  t.same(cny.data, { feeType: 'CNY', rate: '100000000' }, 'spaces trimmed; CNY is 1')

  const custom = await build(t, { rates: { rates: { CAD: '6.5', JPY: '0.04730001' } } })
  t.equal((await callAction(custom.app, 'EX_RATE_QUERY', '1.0', { fee_type: 'CAD' })).data!.rate, '650000000', 'the docs\' own example: 6.5 → 650000000')
  t.equal((await callAction(custom.app, 'EX_RATE_QUERY', '1.0', { fee_type: 'JPY' })).data!.rate, '4730001', 'exact to the 8th decimal')
})

t.test('EX_RATE_QUERY errors: unknown currency, not a code, missing', async (t) => {
  const { app } = await build(t)
  const unknown = await callAction(app, 'EX_RATE_QUERY', '1.0', { fee_type: 'XYZ' })
  t.equal(unknown.body.rsp_code, 'PARAM_INVALID')
  t.match(unknown.body.rsp_msg, /fee_type XYZ has no exchange rate in the sandbox \(rates\.json knows: CAD, USD, CNY/)
  const lower = await callAction(app, 'EX_RATE_QUERY', '1.0', { fee_type: 'usd' })
  t.match(lower.body.rsp_msg, /fee_type must be an ISO-4217 currency code in capitals, such as "USD", got "usd"/)
  const bogus = await callAction(app, 'EX_RATE_QUERY', '1.0', { 'Currency type': 'USD' })
  t.match(bogus.body.rsp_msg, /fee_type is required/, 'the bogus key one client copies from the docs table')
  const none = await build(t, { rates: { rates: {} } })
  t.match((await callAction(none.app, 'EX_RATE_QUERY', '1.0', { fee_type: 'USD' })).body.rsp_msg, /knows: none/)
})
