import type { AddressInfo } from 'node:net'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { open } from '../../src/crypto/index.js'
import { activePayData, build, callGateway, envelope, MERCHANT, OTHER_MERCHANT } from '../helpers/build.js'
import { statusQuery } from '../helpers/gateway-calls.js'

async function arm (app: FastifyInstance, fault: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/sandbox/api/faults', payload: fault })
  if (res.statusCode !== 201) throw new Error(`arming failed: ${res.statusCode} ${res.body}`)
  return res.json() as { id: string, remaining: number, fired: number }
}

const activePay = (orderId: string) => envelope('ACTIVEPAY', '1.0', activePayData({ order_id: orderId }))
const otherActivePay = (orderId: string) => envelope('ACTIVEPAY', '1.0', activePayData({ order_id: orderId, operator_id: '0000000005' }), OTHER_MERCHANT)

async function lastLogEntry (app: FastifyInstance) {
  const [entry] = ((await app.inject('/sandbox/api/requests?limit=1')).json() as { requests: Array<{ http_status: number, merchant_id: string | null, action: string | null, rsp_code: string, warnings: string[] }> }).requests
  return entry!
}

async function listen (app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

const post = (baseUrl: string, body: unknown) => fetch(`${baseUrl}/processV2`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body)
})

t.test('status before: the HTTP status with a short text body, and nothing is processed', async (t) => {
  const { app, store } = await build(t)
  const armed = await arm(app, { effect: { type: 'status', status: 503 } })
  t.match(armed, { id: 'flt_1', match: { on: 'gateway', merchant_id: null, action: null }, effect: { type: 'status', status: 503, when: 'before' }, times: 1, remaining: 1, fired: 0 })

  const res = await app.inject({ method: 'POST', url: '/processV2', payload: activePay('BEFORE1') })
  t.equal(res.statusCode, 503)
  t.match(res.headers['content-type'], /^text\/plain/)
  t.equal(res.body, '503 Service Unavailable (injected by ottpay-sandbox fault flt_1)\n')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'BEFORE1'), undefined, 'no order was created')

  const entry = await lastLogEntry(app)
  t.equal(entry.http_status, 503)
  t.equal(entry.merchant_id, MERCHANT.merchant_id)
  t.equal(entry.action, 'ACTIVEPAY')
  t.match(entry.warnings, [/fault flt_1 fired: answered HTTP 503 without processing/])

  t.same((await app.inject('/sandbox/api/faults')).json(), { faults: [] }, 'a one-shot fault is gone once fired')
  const again = await callGateway(app, activePay('BEFORE1'))
  t.equal(again.body.rsp_code, 'SUCCESS', 'the next request is answered normally, and the order id was never used')
})

t.test('status after: the order exists though the merchant got a 502; STATUS_QUERY finds it', async (t) => {
  const { app, store } = await build(t)
  await arm(app, { match: { action: 'ACTIVEPAY' }, effect: { type: 'status', status: 502, when: 'after' } })
  const res = await app.inject({ method: 'POST', url: '/process', payload: activePay('AFTER1') })
  t.equal(res.statusCode, 502)
  t.match(res.body, /^502 Bad Gateway/)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'AFTER1')?.status, 'init', 'the order was created')

  const entry = await lastLogEntry(app)
  t.equal(entry.http_status, 502)
  t.equal(entry.rsp_code, 'SUCCESS', 'the log keeps the answer the merchant never saw')
  t.match(entry.warnings, [/processed, then its answer was replaced by HTTP 502/])

  const query = await statusQuery(app, 'AFTER1')
  t.equal(query.body.rsp_code, 'SUCCESS')
  t.equal(query.data?.order_status, 'init')
  const retry = await callGateway(app, activePay('AFTER1'))
  t.equal(retry.body.rsp_code, 'ORDER_USED', 'retrying the create instead of querying hits ORDER_USED')
})

t.test('times: 2 fires on two requests, then the gateway answers normally', async (t) => {
  const { app } = await build(t)
  await arm(app, { effect: { type: 'status', status: 500 }, times: 2 })
  t.equal((await app.inject({ method: 'POST', url: '/processV2', payload: activePay('T1') })).statusCode, 500)
  t.match((await app.inject('/sandbox/api/faults')).json(), { faults: [{ id: 'flt_1', times: 2, remaining: 1, fired: 1 }] })
  const second = await app.inject({ method: 'POST', url: '/processV2', payload: activePay('T2') })
  t.equal(second.statusCode, 500)
  t.match((await lastLogEntry(app)).warnings, [/fault flt_1 \(2 of 2\) fired/])
  t.same((await app.inject('/sandbox/api/faults')).json(), { faults: [] })
  t.equal((await callGateway(app, activePay('T3'))).body.rsp_code, 'SUCCESS')
})

t.test('faults match by merchant and by action; others are unaffected', async (t) => {
  const { app } = await build(t)
  await arm(app, { match: { merchant_id: OTHER_MERCHANT.merchant_id }, effect: { type: 'status', status: 503 } })
  await arm(app, { match: { merchant_id: MERCHANT.merchant_id, action: 'STATUS_QUERY' }, effect: { type: 'status', status: 500 } })

  t.equal((await callGateway(app, activePay('M1'))).body.rsp_code, 'SUCCESS', 'another merchant\'s fault does not fire')
  t.equal((await callGateway(app, activePay('M2'))).body.rsp_code, 'SUCCESS', 'another action\'s fault does not fire')
  const other = await app.inject({ method: 'POST', url: '/processV2', payload: otherActivePay('O1') })
  t.equal(other.statusCode, 503, 'the other merchant\'s request hits its fault')
  const query = await app.inject({ method: 'POST', url: '/processV2', payload: envelope('STATUS_QUERY', '1.0', { order_id: 'M1' }) })
  t.equal(query.statusCode, 500, 'the matching action hits its fault')
  t.same((await app.inject('/sandbox/api/faults')).json(), { faults: [] })
})

t.test('the oldest armed matching fault fires first', async (t) => {
  const { app } = await build(t)
  await arm(app, { effect: { type: 'status', status: 500 } })
  await arm(app, { match: { merchant_id: MERCHANT.merchant_id }, effect: { type: 'status', status: 503 } })
  t.equal((await app.inject({ method: 'POST', url: '/processV2', payload: activePay('F1') })).statusCode, 500)
  t.equal((await app.inject({ method: 'POST', url: '/processV2', payload: activePay('F2') })).statusCode, 503)
})

t.test('delay: the request is processed and answered at least ms later', async (t) => {
  const { app, store } = await build(t)
  await arm(app, { effect: { type: 'delay', ms: 50 } })
  const started = performance.now()
  const answer = await callGateway(app, activePay('LATE1'))
  const elapsed = performance.now() - started
  t.equal(answer.body.rsp_code, 'SUCCESS')
  t.equal(answer.data?.order_id, 'LATE1')
  t.ok(elapsed >= 49, `answered after ${elapsed.toFixed(1)} ms`)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'LATE1')?.status, 'init')
  t.match((await lastLogEntry(app)).warnings, [/answer held back 50 ms/])
})

t.test('closing the app sends a delayed answer at once instead of waiting for it', async (t) => {
  const { app } = await build(t)
  const baseUrl = await listen(app)
  await arm(app, { effect: { type: 'delay', ms: 120_000 } })
  const started = performance.now()
  const pending = post(baseUrl, activePay('SLOW1'))
  // Close once the fault has fired, while the answer waits.
  while ((await app.inject('/sandbox/api/faults')).json().faults.length > 0) await new Promise((resolve) => setTimeout(resolve, 5))
  await app.close()
  const res = await pending
  t.equal(res.status, 200)
  t.equal(((await res.json()) as { rsp_code: string }).rsp_code, 'SUCCESS')
  t.ok(performance.now() - started < 60_000, 'close did not wait for the two minutes')
})

t.test('drop before: the connection closes without an answer and nothing is processed', async (t) => {
  const { app, store } = await build(t)
  const baseUrl = await listen(app)
  await arm(app, { effect: { type: 'drop' } })
  await t.rejects(post(baseUrl, activePay('DROP1')), TypeError, 'fetch fails: no answer')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'DROP1'), undefined)
  const entry = await lastLogEntry(app)
  t.equal(entry.http_status, 0, 'logged with no HTTP status')
  t.match(entry.warnings, [/connection was closed without processing/])
  const next = await post(baseUrl, activePay('DROP1'))
  t.equal(((await next.json()) as { rsp_code: string }).rsp_code, 'SUCCESS', 'the server answers the next request')
})

t.test('drop after: no answer, but the order exists', async (t) => {
  const { app, store } = await build(t)
  const baseUrl = await listen(app)
  await arm(app, { match: { merchant_id: MERCHANT.merchant_id }, effect: { type: 'drop', when: 'after' } })
  await t.rejects(post(baseUrl, activePay('DROP2')), TypeError)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'DROP2')?.status, 'init')
  const entry = await lastLogEntry(app)
  t.equal(entry.http_status, 0)
  t.equal(entry.rsp_code, 'SUCCESS', 'the log keeps the answer that was never sent')
  t.match(entry.warnings, [/processed, then the connection was closed/])
})

t.test('corrupt data: the answer does not decrypt; the order exists', async (t) => {
  const { app, store } = await build(t)
  await arm(app, { effect: { type: 'corrupt', target: 'data' } })
  const res = await app.inject({ method: 'POST', url: '/processV2', payload: activePay('BAD1') })
  t.equal(res.statusCode, 200)
  const body = res.json() as { rsp_code: string, data: string, md5: string }
  t.equal(body.rsp_code, 'SUCCESS')
  t.throws(() => open(body, MERCHANT.sign_key), { name: 'CryptoError', code: 'DECRYPT_FAILED' }, 'open fails at decryption')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'BAD1')?.status, 'init')
  t.match((await lastLogEntry(app)).warnings, [/data was cut short/])
})

t.test('corrupt md5: the answer decrypts but its md5 does not match', async (t) => {
  const { app } = await build(t)
  await arm(app, { effect: { type: 'corrupt', target: 'md5' } })
  const body = (await app.inject({ method: 'POST', url: '/processV2', payload: activePay('BAD2') })).json() as { data: string, md5: string }
  t.match(body.md5, /^[0-9A-F]{32}$/, 'still looks like an md5')
  t.throws(() => open(body, MERCHANT.sign_key), { code: 'MD5_MISMATCH', details: { plaintext: /"order_id":"BAD2"/ } }, 'the data is intact, the digest is wrong')
})

t.test('corrupt on a rejection leaves the answer as it is and says so', async (t) => {
  const { app } = await build(t)
  await arm(app, { effect: { type: 'corrupt' } })
  const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ amount: '0' })))
  t.equal(answer.body.rsp_code, 'PARAM_INVALID')
  t.match((await lastLogEntry(app)).warnings, [/fault flt_1 fired/, /no sealed data to corrupt/])
})
