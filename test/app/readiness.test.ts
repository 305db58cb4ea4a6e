import t from 'tap'
import { activePayData, build, envelope, MERCHANT } from '../helpers/build.js'
import { driveFlow, EXPECTED_FAILURES, FAKE_MERCHANTS, injectAccess, startFakeMerchant, type Fakes } from '../helpers/fake-merchants.js'
import { startReceiver } from '../helpers/receiver.js'
import type { ReadinessReport } from '../../src/readiness/report.js'
import { SPECS } from '../../src/readiness/checks.js'

const failedIds = (report: ReadinessReport) => report.checks.filter((c) => c.status === 'failed').map((c) => c.id).sort()
const byId = (report: ReadinessReport, id: string) => report.checks.find((c) => c.id === id)!

async function sandboxWithFakes (t: Parameters<typeof build>[0]) {
  const sandbox = await build(t, { merchants: Object.values(FAKE_MERCHANTS) })
  const access = injectAccess(sandbox.app)
  const fakes: Fakes = {
    careful: await startFakeMerchant(t, 'careful', access),
    naive: await startFakeMerchant(t, 'naive', access),
    broken: await startFakeMerchant(t, 'broken-md5', access)
  }
  return { ...sandbox, access, fakes }
}

t.test('three fake merchants through the whole flow: each fails exactly the checks it should', async (t) => {
  const { app, access, fakes } = await sandboxWithFakes(t)
  await driveFlow(access, fakes)
  const reports: Record<string, ReadinessReport> = {}
  for (const fake of [fakes.careful, fakes.naive, fakes.broken]) {
    const res = await app.inject({ method: 'GET', url: `/sandbox/api/merchants/${fake.merchant.merchant_id}/readiness?poll_within=60s` })
    t.equal(res.statusCode, 200)
    const report = res.json() as ReadinessReport
    reports[fake.kind] = report
    t.same(failedIds(report), EXPECTED_FAILURES[fake.kind], `${fake.kind}: the failed checks`)
    t.equal(report.ready, EXPECTED_FAILURES[fake.kind].length === 0, `${fake.kind}: ready`)
    t.same(report.checks.map((c) => c.id), SPECS.map((s) => s.id), 'every check, in the checklist\'s order')
    for (const check of report.checks) t.match(check.docs, /^docs\/go-live-checklist\.md#[a-z0-9-]+$/)
  }

  const careful = reports.careful!
  t.same(careful.checks.filter((c) => c.status === 'not_exercised').map((c) => c.id), ['answers-verified'], 'the careful merchant: all but the optional check exercised, and passed')
  t.equal(careful.summary.failed, 0)
  t.equal(careful.poll_within_ms, 60_000)
  t.equal(careful.probe?.order_id, 'CAREFUL-2', 'the probe named the merchant\'s newest paid order')
  t.same(careful.probe?.cases.map((c) => [c.case, c.acknowledged]), [['valid', true], ['repeat', true], ['declined', true], ['wrong_md5', false], ['other_key', false], ['unknown_order', false]])
  t.match(byId(careful, 'polls-lost-callback').evidence, /CAREFUL-2/)
  t.match(byId(careful, 'polls-lost-callback').evidence, /^Polled within 60 s for CAREFUL-2 \(callback dropped by fault flt_1\), whose callback had not arrived\.$/, 'the evidence names the fault that dropped it')
  t.ok(byId(careful, 'retry-after-timeout').requests.length >= 2, 'the timed-out request and the query after it are the evidence')

  const naive = reports.naive!
  t.match(byId(naive, 'callback-duplicate').evidence, /acted on like a new payment/)
  t.equal(fakes.naive.booked.filter((id) => id === 'NAIVE-2').length, 3, 'the naive merchant booked the probe\'s callback, its repeat and the wrong-md5 forgery')
  t.same(fakes.careful.booked, ['CAREFUL-1', 'CAREFUL-2'], 'the careful one booked each payment once')
  t.match(byId(naive, 'polls-lost-callback').evidence, /No STATUS_QUERY within 60 s of the payment of NAIVE-2/)
  t.match(byId(naive, 'polls-lost-callback').evidence, /NAIVE-2 \(callback dropped by fault flt_2\)/)
  t.match(byId(naive, 'retry-after-timeout').evidence, /a new order of the same action and amount/)
  t.ok(byId(naive, 'callback-wrong-md5').attempts.includes('probe:wrong_md5'))
  t.match(byId(naive, 'callback-wrong-md5').fix, /md5/)

  const broken = reports['broken-md5']!
  t.match(byId(broken, 'sealing').evidence, /did not open \(the md5 step failed\)/)
  t.ok(byId(broken, 'sealing').requests.length > 0, 'the rejected requests are the evidence')
  t.equal(byId(broken, 'callback-valid').status, 'not_exercised', 'no order of its own to notify about')
  t.equal(byId(broken, 'callback-unknown-order').status, 'passed', 'its endpoint, careful, refuses forgeries')
})

t.test('a callback postponed past the window (delay fault) counts as lost too', async (t) => {
  const { app, access, fakes } = await sandboxWithFakes(t)
  await driveFlow(access, fakes, 50, 'delay')
  for (const fake of [fakes.careful, fakes.naive]) {
    const report = (await app.inject({ method: 'GET', url: `/sandbox/api/merchants/${fake.merchant.merchant_id}/readiness?poll_within=60s` })).json() as ReadinessReport
    t.same(failedIds(report), EXPECTED_FAILURES[fake.kind], `${fake.kind}: the same failed checks as after a drop`)
    t.notMatch(byId(report, 'polls-lost-callback').evidence, /dropped/, 'no fault dropped it')
  }
})

t.test('the probe changes no order and stores no callback; its callbacks carry the probe header', async (t) => {
  const { app, store } = await build(t)
  const receiver = await startReceiver(t)
  const created = await app.inject({ method: 'POST', url: '/processV2', payload: envelope('ACTIVEPAY', '1.0', activePayData({ call_back_url: receiver.url })) })
  t.equal(created.json().rsp_code, 'SUCCESS')
  const before = JSON.stringify([store.orders.find(MERCHANT.merchant_id, 'ORDER0001'), store.callbacks.forOrder(MERCHANT.merchant_id, 'ORDER0001')])
  const res = await app.inject({ method: 'POST', url: `/sandbox/api/merchants/${MERCHANT.merchant_id}/readiness/probe`, payload: { settle_ms: 0 } })
  t.equal(res.statusCode, 200)
  const report = res.json() as ReadinessReport
  t.equal(report.probe?.url, receiver.url, 'without callback_url: the URL the merchant used last')
  t.equal(receiver.received.length, 6)
  t.ok(receiver.received.every((r) => r.headers['x-sandbox-probe'] === 'readiness'), 'every forged callback is marked')
  t.same(receiver.received.map((r) => r.headers['x-ottpay-sandbox-notification-id']), ['probe_1_payment', 'probe_1_payment', 'probe_1_declined', 'probe_1_wrong_md5', 'probe_1_other_key', 'probe_1_unknown_order'])
  t.equal(JSON.stringify([store.orders.find(MERCHANT.merchant_id, 'ORDER0001'), store.callbacks.forOrder(MERCHANT.merchant_id, 'ORDER0001')]), before, 'the order and its callbacks are as they were')
  // The receiver acknowledges everything: with ack=status the forged ones fail; with ack=body too (it answers SUCCESS).
  t.equal(byId(report, 'callback-wrong-md5').status, 'failed')
  t.equal(report.ready, false)
})

t.test('ack=body reads the answer\'s body; ack=status any 2xx', async (t) => {
  const { app } = await build(t)
  const receiver = await startReceiver(t, 204)
  const url = `/sandbox/api/merchants/${MERCHANT.merchant_id}/readiness/probe`
  const status = (await app.inject({ method: 'POST', url, payload: { callback_url: receiver.url, settle_ms: 0 } })).json() as ReadinessReport
  t.equal(byId(status, 'callback-other-key').status, 'failed', 'a 204 acknowledges with ack=status')
  const body = (await app.inject({ method: 'POST', url, payload: { callback_url: receiver.url, settle_ms: 0, ack: 'body' } })).json() as ReadinessReport
  t.equal(byId(body, 'callback-other-key').status, 'passed', 'an empty 204 does not say SUCCESS: not acknowledged with ack=body')
  t.equal(body.probe?.ack, 'body')
})

t.test('the probe honours CALLBACK_ALLOWLIST and CALLBACK_TIMEOUT, and uses the injected fetch', async (t) => {
  const calls: string[] = []
  const slowFetch: typeof globalThis.fetch = async (input, init) => {
    calls.push(String(input))
    return await new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
  }
  const { app } = await build(t, { env: { CALLBACK_ALLOWLIST: 'shop.example', CALLBACK_TIMEOUT: '100ms' }, fetch: slowFetch })
  const url = `/sandbox/api/merchants/${MERCHANT.merchant_id}/readiness/probe`
  const refused = await app.inject({ method: 'POST', url, payload: { callback_url: 'http://127.0.0.1:9/cb' } })
  t.equal(refused.statusCode, 400)
  t.match(refused.json().message, /CALLBACK_ALLOWLIST/)
  t.same(calls, [], 'nothing sent outside the allowlist')
  const res = await app.inject({ method: 'POST', url, payload: { callback_url: 'http://shop.example/cb', settle_ms: 0 } })
  t.equal(res.statusCode, 200)
  const report = res.json() as ReadinessReport
  t.equal(calls.length, 3, 'through the injected fetch (no order: the three forged cases only)')
  t.ok(report.probe?.cases.every((c) => c.error === 'timeout after 100 ms'), 'each cut at the callback timeout')
  t.equal(byId(report, 'callback-wrong-md5').status, 'passed', 'no answer is no acknowledgement')
})

t.test('errors: unknown merchant, no callback URL known, a bad poll_within; a reset forgets the probe', async (t) => {
  const { app } = await build(t)
  const unknown = await app.inject({ method: 'GET', url: '/sandbox/api/merchants/NOPE/readiness' })
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().error, 'NOT_FOUND')
  const noUrl = await app.inject({ method: 'POST', url: `/sandbox/api/merchants/${MERCHANT.merchant_id}/readiness/probe` })
  t.equal(noUrl.statusCode, 400)
  t.match(noUrl.json().message, /no callback URL yet/)
  const badPoll = await app.inject({ method: 'GET', url: `/sandbox/api/merchants/${MERCHANT.merchant_id}/readiness?poll_within=soon` })
  t.equal(badPoll.statusCode, 400)
  const fresh = (await app.inject({ method: 'GET', url: `/sandbox/api/merchants/${MERCHANT.merchant_id}/readiness` })).json() as ReadinessReport
  t.ok(fresh.checks.every((c) => c.status === 'not_exercised'), 'nothing seen: nothing exercised')
  t.equal(fresh.ready, true, 'not exercised is not failed')
  t.equal(fresh.probe, null)

  const receiver = await startReceiver(t)
  await app.inject({ method: 'POST', url: `/sandbox/api/merchants/${MERCHANT.merchant_id}/readiness/probe`, payload: { callback_url: receiver.url, settle_ms: 0 } })
  t.not((await app.inject({ method: 'GET', url: `/sandbox/api/merchants/${MERCHANT.merchant_id}/readiness` })).json().probe, null)
  const reset = await app.inject({ method: 'POST', url: `/sandbox/api/reset?merchant_id=${MERCHANT.merchant_id}` })
  t.equal(reset.statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: `/sandbox/api/merchants/${MERCHANT.merchant_id}/readiness` })).json().probe, null)
})

t.test('the admin UI page shows the checklist and runs the probe with its button', async (t) => {
  const { app, access, fakes } = await sandboxWithFakes(t)
  await driveFlow(access, fakes)
  const page = await app.inject({ method: 'GET', url: `/sandbox/readiness?merchant_id=${fakes.naive.merchant.merchant_id}` })
  t.equal(page.statusCode, 200)
  t.match(page.body, /<h1>Go-live readiness<\/h1>/)
  t.match(page.body, /data-check="callback-duplicate" data-status="failed"/)
  t.match(page.body, /data-check="callback-valid" data-status="passed"/)
  t.match(page.body, /Run callback probe/)
  const posted = await app.inject({ method: 'POST', url: '/sandbox/readiness/probe', payload: { merchant_id: fakes.careful.merchant.merchant_id, callback_url: '', ack: 'status' } })
  t.equal(posted.statusCode, 303)
  t.match(posted.headers.location, /^\/sandbox\/readiness\?merchant_id=QC00000101&done=probed$/)
  const failed = await app.inject({ method: 'POST', url: '/sandbox/readiness/probe', payload: { merchant_id: fakes.broken.merchant.merchant_id, callback_url: 'not a url' } })
  t.equal(failed.statusCode, 303)
  t.match(failed.headers.location, /error=callback_url%20must%20be/)
  const choose = await app.inject({ method: 'GET', url: '/sandbox/readiness' })
  t.match(choose.body, /Choose a merchant/)
})

t.test('the probe never targets the sandbox itself: its own control API (reset) stays out of reach', async (t) => {
  const fetched: string[] = []
  const { app } = await build(t, { fetch: async (input: string | URL | Request) => { fetched.push(String(input)); return new Response('ok') } })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const port = new URL(address).port
  await app.inject({ method: 'POST', url: '/sandbox/api/merchants', payload: {} })
  const before = (await app.inject({ method: 'GET', url: '/sandbox/api/merchants' })).json() as unknown[]
  for (const url of [`${address}/sandbox/api/reset`, `http://localhost:${port}/sandbox/api/reset`, `http://[::1]:${port}/sandbox/api/reset`, `http://2130706433:${port}/sandbox/api/reset`]) {
    const res = await app.inject({ method: 'POST', url: `/sandbox/api/merchants/${MERCHANT.merchant_id}/readiness/probe`, payload: { callback_url: url, settle_ms: 0 } })
    t.equal(res.statusCode, 400, url)
    t.match(res.json().message, /is the sandbox itself/, url)
  }
  t.same(fetched, [], 'nothing was sent')
  t.same((await app.inject({ method: 'GET', url: '/sandbox/api/merchants' })).json(), before, 'nothing was reset')
})
