import t, { type Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { RequestLogEntry } from '../../src/inspector/log-entry.js'
import { activePayData, build, envelope } from '../helpers/build.js'

// Every gateway answer names its request log entry in `x-sandbox-request-id` and links the inspector page that
// explains it in `x-sandbox-inspector`, so that a rejection such as "data could not be decrypted" leads to its hints.

interface LogPage {
  requests: RequestLogEntry[]
}

async function entries (app: FastifyInstance, query = ''): Promise<RequestLogEntry[]> {
  return ((await app.inject(`/sandbox/api/requests${query}`)).json() as LogPage).requests
}

/** The answer's id header names the newest entry of the log, and its inspector header that entry's admin page. */
async function assertNamesItsEntry (t: Test, app: FastifyInstance, res: LightMyRequestResponse, rspCode: string): Promise<RequestLogEntry> {
  const id = res.headers['x-sandbox-request-id']
  t.match(id, /^req_\d+$/, 'an id header')
  const [newest] = await entries(app, '?limit=1')
  t.equal(newest?.id, id, 'the id of the entry the call made')
  t.equal(newest?.rsp_code, rspCode)
  t.equal(res.headers['x-sandbox-inspector'], `http://localhost:80/sandbox/requests/${String(id)}`, 'the inspector page of that entry')
  const one = await app.inject(`/sandbox/api/requests/${String(id)}`)
  t.equal(one.statusCode, 200, 'GET /sandbox/api/requests/:id finds it')
  t.same(await entries(app, `?request_id=${String(id)}`), [one.json()], '?request_id= lists that entry only')
  const page = await app.inject(new URL(res.headers['x-sandbox-inspector'] as string).pathname)
  t.equal(page.statusCode, 200, 'the inspector URL is the admin page of the entry')
  t.match(page.body, `<code id="request-id">${String(id)}</code>`, 'which shows the request id')
  return newest!
}

const activePay = (orderId: string) => envelope('ACTIVEPAY', '1.0', activePayData({ order_id: orderId }))

t.test('success and every kind of rejection carry the id of their log entry', async (t) => {
  const { app } = await build(t, { env: { BODY_LIMIT: '2048' } })

  t.test('success', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/processV2', payload: activePay('IDS1') })
    t.equal(res.json().rsp_code, 'SUCCESS')
    t.same(Object.keys(res.json()).sort(), ['data', 'md5', 'rsp_code', 'rsp_msg'], 'nothing added to the JSON answer')
    await assertNamesItsEntry(t, app, res, 'SUCCESS')
  })

  t.test('PARAM_INVALID (a field)', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/processV2', payload: envelope('ACTIVEPAY', '1.0', activePayData({ amount: 'ten' })) })
    t.equal(res.json().rsp_code, 'PARAM_INVALID')
    await assertNamesItsEntry(t, app, res, 'PARAM_INVALID')
  })

  t.test('data that does not decrypt: the entry behind the header has the failed step and hints', async (t) => {
    const good = activePay('IDS2')
    const res = await app.inject({ method: 'POST', url: '/processV2', payload: { ...good, md5: good.md5!.toLowerCase() } })
    t.equal(res.json().rsp_code, 'PARAM_INVALID')
    const entry = await assertNamesItsEntry(t, app, res, 'PARAM_INVALID')
    t.equal(entry.failed_step, 'decrypt')
    t.ok(entry.hints.length > 0, 'with the hint that explains it')
  })

  t.test('PARAM_ERROR: not JSON, and a body over BODY_LIMIT (413), on /process and /processV3', async (t) => {
    const notJson = await app.inject({ method: 'POST', url: '/process', payload: 'hello', headers: { 'content-type': 'application/json' } })
    t.equal(notJson.json().rsp_code, 'PARAM_ERROR')
    await assertNamesItsEntry(t, app, notJson, 'PARAM_ERROR')
    const large = await app.inject({ method: 'POST', url: '/processV3', payload: { ...activePay('IDS3'), data: 'A'.repeat(4000) } })
    t.equal(large.statusCode, 413)
    await assertNamesItsEntry(t, app, large, 'PARAM_ERROR')
  })

  t.test('PUBLIC_URL is the inspector\'s origin when set', async (t) => {
    const { app } = await build(t, { env: { PUBLIC_URL: 'https://sandbox.example:9443' } })
    const res = await app.inject({ method: 'POST', url: '/processV2', payload: activePay('IDS4') })
    t.equal(res.headers['x-sandbox-inspector'], `https://sandbox.example:9443/sandbox/requests/${String(res.headers['x-sandbox-request-id'])}`)
  })
})

t.test('fault-injected answers carry the id too', async (t) => {
  const { app } = await build(t)
  const arm = async (fault: Record<string, unknown>) => t.equal((await app.inject({ method: 'POST', url: '/sandbox/api/faults', payload: fault })).statusCode, 201)

  await arm({ effect: { type: 'status', status: 503 } })
  const before = await app.inject({ method: 'POST', url: '/processV2', payload: activePay('FLT1') })
  t.equal(before.statusCode, 503)
  const [unprocessed] = await entries(app, '?limit=1')
  t.equal(before.headers['x-sandbox-request-id'], unprocessed?.id, 'an injected status before processing')
  t.equal(unprocessed?.http_status, 503)

  await arm({ effect: { type: 'status', status: 502, when: 'after' } })
  const after = await app.inject({ method: 'POST', url: '/processV2', payload: activePay('FLT2') })
  t.equal(after.statusCode, 502)
  const [processed] = await entries(app, '?limit=1')
  t.equal(after.headers['x-sandbox-request-id'], processed?.id, 'an injected status after processing')
  t.equal(processed?.order_id, 'FLT2')

  await arm({ effect: { type: 'corrupt', target: 'md5' } })
  const corrupt = await app.inject({ method: 'POST', url: '/processV2', payload: activePay('FLT3') })
  const [spoiled] = await entries(app, '?limit=1')
  t.equal(corrupt.headers['x-sandbox-request-id'], spoiled?.id, 'a corrupted answer')
  t.match(corrupt.headers['x-sandbox-inspector'], /\/sandbox\/requests\/req_\d+$/)
})

t.test('REQUEST_LOG_SIZE=0: the id header still counts the calls; no inspector header, as there is no entry to show', async (t) => {
  const { app } = await build(t, { env: { REQUEST_LOG_SIZE: '0' } })
  const first = await app.inject({ method: 'POST', url: '/processV2', payload: activePay('OFF1') })
  const second = await app.inject({ method: 'POST', url: '/processV2', payload: { ...activePay('OFF2'), merchant_id: 'NOPE' } })
  t.same([first.headers['x-sandbox-request-id'], second.headers['x-sandbox-request-id']], ['req_1', 'req_2'])
  t.equal(first.headers['x-sandbox-inspector'], undefined)
  t.equal(second.headers['x-sandbox-inspector'], undefined)
  t.equal((await app.inject('/sandbox/api/requests/req_1')).statusCode, 404)
})
