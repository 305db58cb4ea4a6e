import { readFileSync } from 'node:fs'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { open, type DataObject } from '../../src/crypto/index.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import type { RequestLogEntry } from '../../src/inspector/log-entry.js'
import { build, callGateway, envelope, T0, type TestSandbox } from '../helpers/build.js'
import { callAction } from '../helpers/gateway-calls.js'
import { CONVERGE_EXAMPLE, PORTICO_CC_NUMBER, porticoData } from '../helpers/card-channel-data.js'

/** The shipped merchants: the docs' examples name `ON00000097`, which the fixtures have. */
const MERCHANTS = JSON.parse(readFileSync(new URL('../../fixtures/merchants.json', import.meta.url), 'utf8')) as Merchant[]
const EZSHOPS = MERCHANTS.find((m) => m.merchant_id === 'ON00000097')!
const USD_MERCHANT = MERCHANTS.find((m) => m.currency === 'USD')!
const PAN = '5160736813962037'

const convergeData = (extra: DataObject = {}): DataObject => ({ ...CONVERGE_EXAMPLE, orderId: 'CONVERGE0001', txnTime: '20260115120000', txnAmt: '2500', ...extra })

interface Sent { url: string, body: Record<string, string> }

/** A sandbox with the shipped merchants whose callbacks land in `sent` (answered 200). */
async function sandbox (t: Parameters<typeof build>[0]): Promise<TestSandbox & { sent: Sent[] }> {
  const sent: Sent[] = []
  const fetch: typeof globalThis.fetch = async (input, init) => {
    sent.push({ url: String(input), body: JSON.parse(String(init?.body)) as Record<string, string> })
    return new Response('SUCCESS', { status: 200 })
  }
  return { ...await build(t, { merchants: MERCHANTS, fetch }), sent }
}

/** Calls an action as the merchant (card actions are 2.0, the common ones 1.0); `undefined` leaves a field out. */
const call = (app: FastifyInstance, action: string, data: DataObject, merchant = EZSHOPS) =>
  callAction(app, action, action.startsWith('CC_') ? '2.0' : '1.0', Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)), merchant)

async function latestEntry (app: FastifyInstance): Promise<RequestLogEntry> {
  const { requests } = (await app.inject('/sandbox/api/requests?limit=1')).json() as { requests: RequestLogEntry[] }
  return requests[0]!
}

/** A form post on a hosted page. */
function post (app: FastifyInstance, path: string, fields: Record<string, string>) {
  return app.inject({ method: 'POST', url: path, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
}

const pathOf = (answer: { data?: DataObject }) => new URL(answer.data!.codeUrl as string).pathname

t.test('Converge: the docs\' §18 example, verbatim, is paid on the hosted page, called back, queried and refunded', async (t) => {
  const { app, store, clock, sent } = await sandbox(t)
  const answer = await call(app, 'CC_PURCHASE', CONVERGE_EXAMPLE)
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.schemaProblem, undefined, 'the answer fits CardOrderAnswer')
  t.same(Object.keys(answer.data!).sort(), ['amount', 'codeUrl', 'rspCode', 'rspMsg'])
  t.equal(answer.data!.rspCode, 'PROCESSING')
  t.equal(answer.data!.amount, '100')
  t.match(answer.data!.codeUrl, /^http:\/\/localhost:80\/sandbox\/pay\/converge\/page\d{17}$/)

  const order = store.orders.find(EZSHOPS.merchant_id, '2020041468976O124O000857')!
  t.equal(order.method, 'CONVERGE')
  t.match(order.bizpay_order_id, /^EV\d{16}$/)
  t.equal(order.card_masked, null, 'the ignored cc_number is not the card')
  t.equal(order.request.cc_number, '************2037', 'stored masked')
  t.notOk(JSON.stringify(order).includes(PAN), 'the card number is nowhere in the order')

  const entry = await latestEntry(app)
  t.match(entry.warnings, [/cc_number is not part of the Converge hosted flow .*ignored, not stored, and masked in this log/])
  t.notOk(JSON.stringify(entry).includes(PAN), 'nor in the request log')

  const path = pathOf(answer)
  const page = await app.inject(path)
  t.equal(page.statusCode, 200)
  t.match(page.body, /Elavon Converge/)
  t.match(page.body, /1\.00 CAD/)
  t.match(page.body, /Ezshops Online \(sandbox\) \(ON00000097\)/)
  const inputs = [...page.body.matchAll(/<input [^>]*>/g)].map((m) => m[0])
  for (const id of ['card-number', 'card-expiry', 'card-cvv']) {
    const input = inputs.find((i) => i.includes(`id="${id}"`))
    t.ok(input, `a ${id} field`)
    t.notMatch(input, /\bname=/, `${id} has no name: a browser never sends it`)
  }
  const buttons = [...page.body.matchAll(/<button[^>]*name="choice" value="([a-z]+)"/g)].map((m) => m[1])
  t.same(buttons, ['pay', 'decline', 'cancel'])
  t.match(page.body, /name="challenge" value="1"/)
  t.match(page.body, /<meta name="viewport" content="width=device-width, initial-scale=1">/)
  t.match(page.body, /\.fields input\{[^}]*width:100%;box-sizing:border-box/, 'the fields fit a narrow (390px) screen')

  clock.set(T0 + 3000)
  const paid = await post(app, path, { choice: 'pay', card_last4: '4242', card_number: '4242424242424242' })
  t.equal(paid.statusCode, 200)
  t.match(paid.body, /Payment completed/)
  t.match(paid.body, /<form id="return" method="post" action="https:\/\/www\.ezshops\.ca\/UPI_OTTPAY_result\.php">/, 'returns the browser to frontUrl')
  t.match(paid.body, /name="order_status" value="success"/)
  const done = store.orders.find(EZSHOPS.merchant_id, '2020041468976O124O000857')!
  t.equal(done.status, 'success')
  t.equal(done.card_masked, '************4242', 'only the last four digits arrived')
  t.notOk(JSON.stringify(done).includes('4242424242424242'), 'a card number posted anyway is dropped')

  await app.sandbox.idle()
  t.equal(sent.length, 1)
  t.equal(sent[0]!.url, 'https://www.ezshops.ca/UPI_TTPAY_callback.php', 'the callback goes to backUrl')
  t.equal(sent[0]!.body.rsp_code, 'SUCCESS')
  const inner = open({ data: sent[0]!.body.data!, md5: sent[0]!.body.md5! }, EZSHOPS.sign_key)
  t.match(inner, { order_id: '2020041468976O124O000857', amount: '100', bizpay_order_id: done.bizpay_order_id, finish_time: '20260115120003' })

  const query = await call(app, 'CC_QUERYPAY', { orderId: '2020041468976O124O000857' })
  t.equal(query.schemaProblem, undefined)
  t.match(query.data, { rspCode: 'SUCCESS', order_status: 'success', trade_time: '20260115120003', receipt_amount: '100', buyer_pay_amount: '100' })
  const status = await call(app, 'STATUS_QUERY', { order_id: '2020041468976O124O000857' })
  t.equal(status.data!.order_status, 'success')

  const refund = await call(app, 'REFUND', { ori_order_id: '2020041468976O124O000857', refund_amt: '40', order_id: 'CVREFUND1' })
  t.equal(refund.body.rsp_code, 'SUCCESS', refund.body.rsp_msg)
  t.equal(refund.data!.order_status, 'partial_refunded')
  const after = await call(app, 'CC_QUERYPAY', { orderId: '2020041468976O124O000857' })
  t.match(after.data, { order_status: 'partial_refunded', refund_amount: '40' })
})

t.test('Converge: the table\'s spelling (biz_type with its leading space, no cc_number) is accepted too', async (t) => {
  const { app, store } = await sandbox(t)
  const data = convergeData({ bizType: undefined, biz_type: ' converge_hosted', cc_number: undefined })
  const answer = await call(app, 'CC_PURCHASE', data)
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.same((await latestEntry(app)).warnings, [], 'nothing to warn about')
  t.equal(store.orders.find(EZSHOPS.merchant_id, 'CONVERGE0001')!.channel, 'web')
})

t.test('Converge: what §18 requires is required', async (t) => {
  const { app, store } = await sandbox(t)
  const cases: Array<{ data: DataObject, message: RegExp }> = [
    { data: convergeData({ operator_id: undefined }), message: /operator_id is required/ },
    { data: convergeData({ frontUrl: undefined }), message: /frontUrl is required/ },
    { data: convergeData({ backUrl: undefined }), message: /backUrl is required/ },
    { data: convergeData({ cc_channelType: 'mobile' }), message: /cc_channelType must be one of "web", got "mobile"/ },
    { data: convergeData({ bizType: 'securePay' }), message: /bizType must be one of "converge_hosted", got "securePay"/ },
    { data: convergeData({ operator_id: '0000000009' }), message: /operator_id 0000000009 is not an operator of merchant ON00000097/ }
  ]
  for (const { data, message } of cases) {
    const answer = await call(app, 'CC_PURCHASE', data)
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', String(message))
    t.match(answer.body.rsp_msg, message)
  }
  t.equal(store.orders.find(EZSHOPS.merchant_id, 'CONVERGE0001'), undefined, 'no order was made')
})

t.test('Converge: the 3-D Secure step pays with the right code and declines with a wrong one', async (t) => {
  const { app, store, sent } = await sandbox(t)
  const right = pathOf(await call(app, 'CC_PURCHASE', convergeData({ orderId: 'CV3DS1' })))
  const challenge = await post(app, right, { choice: 'pay', card_last4: '0005', challenge: '1' })
  t.equal(challenge.statusCode, 200)
  t.match(challenge.body, /3-D Secure check/)
  t.match(challenge.body, /the code is <strong>123456<\/strong>/)
  t.match(challenge.body, /name="code"/)
  t.match(challenge.body, /name="card_last4" value="0005"/)
  t.equal(store.orders.find(EZSHOPS.merchant_id, 'CV3DS1')!.status, 'init', 'nothing happens until the code')
  const ok = await post(app, right, { choice: 'pay', card_last4: '0005', code: '123456' })
  t.match(ok.body, /Payment completed/)
  const paid = store.orders.find(EZSHOPS.merchant_id, 'CV3DS1')!
  t.equal(paid.status, 'success')
  t.equal(paid.card_masked, '************0005')
  t.match(paid.history.at(-1)!.reason, /after the 3-D Secure check/)

  const wrong = pathOf(await call(app, 'CC_PURCHASE', convergeData({ orderId: 'CV3DS2' })))
  const bad = await post(app, wrong, { choice: 'pay', code: '000000' })
  t.match(bad.body, /Payment declined/)
  const declined = store.orders.find(EZSHOPS.merchant_id, 'CV3DS2')!
  t.equal(declined.status, 'fail')
  t.match(declined.history.at(-1)!.reason, /wrong 3-D Secure code/)
  await app.sandbox.idle()
  t.same(sent.map((s) => s.body.rsp_code), ['SUCCESS', 'FAIL'], 'a callback for each')

  const cancel = pathOf(await call(app, 'CC_PURCHASE', convergeData({ orderId: 'CV3DS3' })))
  await post(app, cancel, { choice: 'pay', challenge: '1' })
  const cancelled = await post(app, cancel, { choice: 'cancel' })
  t.match(cancelled.body, /Payment cancelled/)
  t.equal(store.orders.find(EZSHOPS.merchant_id, 'CV3DS3')!.status, 'notpay')
  const again = await post(app, cancel, { choice: 'pay' })
  t.equal(again.statusCode, 409)
  t.match(again.body, /Nothing was changed/)
})

t.test('Converge: a pre-authorisation becomes authorised and cannot be refunded; other pages do not open its token', async (t) => {
  const { app, store } = await sandbox(t)
  const answer = await call(app, 'CC_PREAUTH', convergeData({ orderId: 'CVPRE1' }))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  const path = pathOf(answer)
  t.match((await app.inject(path)).body, /Pre-authorisation/)
  t.equal((await app.inject(path.replace('/converge/', '/unionpay/'))).statusCode, 404)
  t.equal((await app.inject(path.replace('/converge/', '/portico/'))).statusCode, 404)
  await post(app, path, { choice: 'pay' })
  t.equal(store.orders.find(EZSHOPS.merchant_id, 'CVPRE1')!.status, 'authorised')
  t.equal((await call(app, 'CC_QUERYPAY', { orderId: 'CVPRE1' })).data!.order_status, 'authorised')
  const refund = await call(app, 'REFUND', { ori_order_id: 'CVPRE1', refund_amt: '100' })
  t.equal(refund.body.rsp_code, 'ORDER_TYPE_ERROR')
})

t.test('Portico: a request built from §19a\'s table is decided, queried in §19b\'s fields and refunded', async (t) => {
  const { app, store, clock, sent } = await sandbox(t)
  const answer = await call(app, 'CC_PURCHASE', porticoData())
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.schemaProblem, undefined)
  t.equal(answer.data!.rspCode, 'PROCESSING')
  t.equal(answer.data!.amount, '2500')
  t.match(answer.data!.codeUrl, /^http:\/\/localhost:80\/sandbox\/pay\/portico\/page\d{17}$/)

  const order = store.orders.find(EZSHOPS.merchant_id, 'PORTICO0001')!
  t.equal(order.method, 'GP')
  t.match(order.bizpay_order_id, /^GP\d{16}$/)
  t.equal(order.card_masked, '************1111')
  t.equal(order.notify_url, '', 'no backUrl: no callback')
  t.match(order.details, { shopId: 'ON00000097001', termId: 'CNP_ECOM', cc_type: 'VISA', currency: 'CAD' })
  t.equal(order.request.cc_number, `[${PORTICO_CC_NUMBER.length} characters, not shown]`)
  t.notOk(JSON.stringify(order).includes(PORTICO_CC_NUMBER), 'the encrypted card data is not kept')

  const entry = await latestEntry(app)
  t.equal(entry.verdict, 'accepted')
  t.match(entry.warnings, [
    /^cc_number checked for structure only \(Base64, 64 bytes\): .* did not verify the card number, holder name, expiry, CVV2 or address inside it$/,
    /^cc_sha checked to be 64 hex digits only: not compared with the card data/,
    /^cc_maskednum \(last digits 1111\) and cc_type could not be compared with the card inside cc_number$/
  ])
  t.notOk(JSON.stringify(entry).includes(PORTICO_CC_NUMBER), 'the request log masks it too')

  const path = pathOf(answer)
  const page = await app.inject(path)
  t.equal(page.statusCode, 200)
  t.match(page.body, /Global Payments Portico/)
  t.match(page.body, /\*{12}1111 \(VISA\)/)
  t.same([...page.body.matchAll(/<button[^>]*name="choice" value="([a-z]+)"/g)].map((m) => m[1]), ['pay', 'decline', 'cancel'])

  const portico = { orderId: 'PORTICO0001', termId: 'CNP_ECOM', channelType: 'PORTICOECOM', bizType: 'portico_card', cc_channelType: 'GLBPAYMNTS' }
  t.match((await call(app, 'CC_QUERYPAY', portico)).data, { rspCode: 'SUCCESS', order_status: 'init', orderId: 'PORTICO0001', amount: '2500' })

  clock.set(T0 + 7000)
  const approved = await post(app, path, { choice: 'pay' })
  t.match(approved.body, /Payment completed/)
  const query = await call(app, 'CC_QUERYPAY', portico)
  t.equal(query.schemaProblem, undefined)
  t.same(query.data, {
    rspCode: 'SUCCESS',
    rspMsg: 'success',
    order_status: 'success',
    trade_time: '20260115120007',
    finish_time: '20260115120007',
    orderId: 'PORTICO0001',
    order_id: 'PORTICO0001',
    merchant_id: 'ON00000097',
    currency: 'CAD',
    bizpay_order_id: order.bizpay_order_id,
    amount: '2500',
    total_amount: '2500',
    receipt_amount: '2500',
    buyer_pay_amount: '2500',
    tip: '0'
  })
  t.equal((await call(app, 'STATUS_QUERY', { order_id: 'PORTICO0001' })).data!.order_status, 'success')
  const refund = await call(app, 'REFUND', { ori_order_id: 'PORTICO0001', refund_amt: '2500' })
  t.equal(refund.body.rsp_code, 'SUCCESS', refund.body.rsp_msg)
  t.match((await call(app, 'CC_QUERYPAY', portico)).data, { order_status: 'refunded', refund_amount: '2500' })
  await app.sandbox.idle()
  t.same(sent, [], 'no callback without a backUrl')
})

t.test('Portico: with backUrl and frontUrl, a decline calls back and returns; the control API decides too', async (t) => {
  const { app, store, sent } = await sandbox(t)
  const urls = { backUrl: 'https://shop.example/callback', frontUrl: 'https://shop.example/result' }
  const answer = await call(app, 'CC_PURCHASE', porticoData({ orderId: 'PORTICO0002', ...urls }))
  const declined = await post(app, pathOf(answer), { choice: 'decline' })
  t.match(declined.body, /Payment declined/)
  t.match(declined.body, /<form id="return" method="post" action="https:\/\/shop\.example\/result">/)
  await app.sandbox.idle()
  t.same(sent.map((s) => [s.url, s.body.rsp_code]), [['https://shop.example/callback', 'FAIL']])

  const preauth = await call(app, 'CC_PREAUTH', porticoData({ orderId: 'PORTICO0003', ...urls }))
  t.equal(preauth.body.rsp_code, 'SUCCESS', preauth.body.rsp_msg)
  const paid = await app.inject({ method: 'POST', url: `/sandbox/api/orders/PORTICO0003/pay?merchant_id=${EZSHOPS.merchant_id}` })
  t.equal(paid.statusCode, 200)
  t.equal(store.orders.find(EZSHOPS.merchant_id, 'PORTICO0003')!.status, 'authorised')
  t.equal((await call(app, 'REFUND', { ori_order_id: 'PORTICO0003', refund_amt: '100' })).body.rsp_code, 'ORDER_TYPE_ERROR')
  await app.sandbox.idle()
  t.equal(sent.length, 2)
  t.equal(sent[1]!.body.rsp_code, 'SUCCESS')
})

t.test('Portico: structure is checked, and no card number is quoted back', async (t) => {
  const { app, store } = await sandbox(t)
  const cases: Array<{ name: string, data: DataObject, message: RegExp, merchant?: Merchant }> = [
    { name: 'a card number in clear', data: porticoData({ cc_number: PAN }), message: /^invalid parameter.*cc_number must be the encrypted card data in Base64 .*got what looks like a card number in clear \(not shown\)/ },
    { name: 'not Base64', data: porticoData({ cc_number: 'not base64 at all, not at all!!' }), message: /cc_number must be the encrypted card data in Base64 .*got 31 characters \(not shown\)/ },
    { name: 'too short', data: porticoData({ cc_number: 'QUJDRA==' }), message: /cc_number must be the encrypted card data in Base64 .*got 8 characters/ },
    { name: 'cc_sha', data: porticoData({ cc_sha: 'abc' }), message: /cc_sha must be the SHA-256 of the card data as 64 hex digits, got "abc"/ },
    { name: 'cc_maskednum a whole card', data: porticoData({ cc_maskednum: PAN }), message: /cc_maskednum must be the last 4 digits .*not shown: it may be a whole card number/ },
    { name: 'no shopId', data: porticoData({ shopId: undefined }), message: /shopId is required/ },
    { name: 'no operator_id', data: porticoData({ operator_id: undefined }), message: /operator_id is required/ },
    { name: 'termId', data: porticoData({ termId: 'POS' }), message: /termId must be one of "CNP_ECOM", got "POS"/ },
    { name: 'currency', data: porticoData({ currency: 'USD' }), message: /currency USD is not the currency of merchant ON00000097 \(CAD\)/ },
    { name: 'currency unknown', data: porticoData({ currency: 'EUR' }), message: /currency must be one of "CAD", "USD", got "EUR"/ },
    { name: 'merchant_id of another', data: porticoData({ merchant_id: USD_MERCHANT.merchant_id }), message: /merchant_id/ }
  ]
  for (const { name, data, message } of cases) {
    const answer = await call(app, 'CC_PURCHASE', data)
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', name)
    t.match(answer.body.rsp_msg, message, name)
    t.notOk(answer.body.rsp_msg.includes(PAN), `${name}: the card number is not quoted`)
  }
  t.equal(store.orders.find(EZSHOPS.merchant_id, 'PORTICO0001'), undefined, 'no order was made')
  const masked = await call(app, 'CC_PURCHASE', porticoData({ orderId: 'PORTICO0009', cc_maskednum: '411111******1111', cc_channelType: undefined }))
  t.equal(masked.body.rsp_code, 'SUCCESS', masked.body.rsp_msg)
  t.equal(store.orders.find(EZSHOPS.merchant_id, 'PORTICO0009')!.card_masked, '************1111')
  const usd = await call(app, 'CC_PURCHASE', porticoData({ orderId: 'PORTICO0010', currency: 'USD', operator_id: USD_MERCHANT.operators[0] }), USD_MERCHANT)
  t.equal(usd.body.rsp_code, 'SUCCESS', usd.body.rsp_msg)
})

t.test('Portico: a whole card number sent as cc_maskednum is refused and masked in the request log', async (t) => {
  const { app } = await sandbox(t)
  for (const [orderId, sent] of [['PORTICO0020', PAN], ['PORTICO0021', '5160 7368 1396 2037']] as const) {
    const answer = await call(app, 'CC_PURCHASE', porticoData({ orderId, cc_maskednum: sent }))
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', sent)
    const entry = await latestEntry(app)
    t.equal(entry.data!.cc_maskednum, '************2037', `${sent}: the data shows it masked`)
    t.match(entry.crypto.plaintext, /"cc_maskednum":"\*{12}2037"/, `${sent}: the decrypted text too`)
    t.notOk(JSON.stringify(entry).includes(sent), `${sent}: nowhere in the entry`)
    t.notOk(JSON.stringify(entry).includes(PAN), `${sent}: nor its digits`)
  }
  const last4 = await call(app, 'CC_PURCHASE', porticoData({ orderId: 'PORTICO0022', cc_maskednum: '411111******2037' }))
  t.equal(last4.body.rsp_code, 'SUCCESS', last4.body.rsp_msg)
  t.equal((await latestEntry(app)).data!.cc_maskednum, '411111******2037', 'a masked number is shown as sent')
})

t.test('an unknown channelType lists the three channels', async (t) => {
  const { app } = await sandbox(t)
  const answer = await call(app, 'CC_PURCHASE', convergeData({ channelType: 'CONVERGE' }))
  t.equal(answer.body.rsp_code, 'PARAM_INVALID')
  t.match(answer.body.rsp_msg, /channelType must be one of "UPAYONLINE", "ELAVONECOM", "PORTICOECOM", got "CONVERGE"/)
})

t.test('docs/actions.md\'s Converge and Portico examples succeed against the shipped merchant and can be paid', async (t) => {
  const page = readFileSync(new URL('../../docs/actions.md', import.meta.url), 'utf8')
  const section = page.slice(page.indexOf('## Card payments: Elavon Converge and Global Payments Portico'), page.indexOf('## Queries and refunds'))
  const examples = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as DataObject)
  t.equal(examples.length, 2)
  t.same(examples[0], CONVERGE_EXAMPLE, 'the Converge example is the docs\' one')
  const { app, store } = await sandbox(t)
  for (const example of examples) {
    const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', example, EZSHOPS), EZSHOPS)
    t.equal(answer.body.rsp_code, 'SUCCESS', `${String(example.channelType)}: ${answer.body.rsp_msg}`)
    const paid = await post(app, pathOf(answer), { choice: 'pay' })
    t.match(paid.body, /Payment completed/)
    t.equal(store.orders.find(EZSHOPS.merchant_id, String(example.orderId))!.status, 'success')
  }
})
