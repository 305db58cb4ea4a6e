import t from 'tap'
import { LOG_REDACT, LOG_SERIALIZERS } from '../../src/app.js'
import { GATEWAY_CALL } from '../../src/inspector/call-summary.js'
import { chooseLogFormat, prettyDestination, startBanner, startLine } from '../../src/plugins/log-output.js'
import { activePayData, build, callGateway, cardData, envelope, MERCHANT } from '../helpers/build.js'

/** Collects what a destination writes. */
function sink () {
  const chunks: string[] = []
  return { out: { write: (text: string) => { chunks.push(text) } }, text: () => chunks.join('') }
}

t.test('LOG_FORMAT=auto is pretty on a terminal and JSON otherwise; pretty and json are what they say', async (t) => {
  t.equal(chooseLogFormat('auto', true), 'pretty')
  t.equal(chooseLogFormat('auto', false), 'json')
  t.equal(chooseLogFormat('json', true), 'json')
  t.equal(chooseLogFormat('pretty', false), 'pretty')
})

t.test('the pretty log: one short line per gateway call, and no request lines', async (t) => {
  const { out, text } = sink()
  const { app } = await build(t, {
    env: { ADMIN_TOKEN: 'pretty-admin-token' },
    logger: { level: 'info', stream: prettyDestination(out, { colorize: false }), redact: LOG_REDACT, serializers: LOG_SERIALIZERS },
    logRequests: false
  })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'PRETTY1' })))
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'PRETTY1' })))
  await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData({ orderId: 'CARD9' })))
  await app.inject({ method: 'POST', url: '/processV2', payload: 'not json', headers: { 'content-type': 'application/json' } })
  await app.inject({ url: '/sandbox/api/orders', headers: { 'x-admin-token': 'pretty-admin-token' } })
  const lines = text().split('\n').filter((line) => line !== '')
  t.same(lines.map((line) => line.replace(/^\[\d\d:\d\d:\d\d\] /, '')), [
    `INFO: ${MERCHANT.merchant_id} ACTIVEPAY SUCCESS · order PRETTY1 · req_1`,
    `INFO: ${MERCHANT.merchant_id} ACTIVEPAY ORDER_USED · order PRETTY1 · req_2`,
    `INFO: ${MERCHANT.merchant_id} CC_PURCHASE SUCCESS · order CARD9 · req_3`,
    'INFO: - - PARAM_ERROR · req_4'
  ], 'time, merchant, action, rsp_code, order and request id; the control API call is not a line')
  for (const line of lines) t.match(line, /^\[\d\d:\d\d:\d\d\] /, 'each starts with the time')
  for (const secret of [MERCHANT.sign_key, '5160736813962037', 'pretty-admin-token']) t.notOk(text().includes(secret), `no ${secret.slice(0, 4)}…`)
})

t.test('other records keep their fields on the same line; a call field is spelled out', async (t) => {
  const { out, text } = sink()
  const log = (await build(t, { logger: { level: 'info', stream: prettyDestination(out, { colorize: false }) } })).app.log
  log.warn({ fault: 'flt_1', merchant_id: 'QC1', action: 'ACTIVEPAY' }, 'fault fired')
  t.match(text(), /WARN: fault fired merchant_id=QC1 action=ACTIVEPAY \{"fault":"flt_1"\}\n$/)
})

t.test('the JSON log has the same record: one per gateway call, with the fields as fields', async (t) => {
  const { out, text } = sink()
  const { app } = await build(t, { env: { REQUEST_LOG_SIZE: '0' }, logger: { level: 'info', stream: out, redact: LOG_REDACT, serializers: LOG_SERIALIZERS } })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'JSON1' })))
  const records = text().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>)
  const calls = records.filter((r) => r.msg === GATEWAY_CALL)
  t.equal(calls.length, 1)
  t.match(calls[0], { merchant_id: MERCHANT.merchant_id, action: 'ACTIVEPAY', rsp_code: 'SUCCESS', http_status: 200, order_id: 'JSON1', request_id: String })
  // Without a request log the calls are still counted: the same req_N the answer's x-sandbox-request-id carries.
  t.match(calls[0]!.request_id, /^req_\d+$/, 'without a request log, still the call\'s req_N')
  t.ok(records.some((r) => r.msg === 'incoming request'), 'fastify\'s request lines stay in the JSON log')
})

t.test('the start line (JSON) and the start banner (terminal)', async (t) => {
  const info = { address: 'http://127.0.0.1:8080', data: '/srv/data/sandbox.json', merchants: ['QC00005496', 'ON00000097'], tokenRequired: false }
  t.equal(startLine(info), 'ottpay-sandbox listening on http://127.0.0.1:8080 · data: /srv/data/sandbox.json · merchants: QC00005496, ON00000097')
  t.equal(startBanner(info), [
    'ottpay-sandbox listening on http://127.0.0.1:8080',
    '  gateway    http://127.0.0.1:8080/processV2',
    '  admin UI   http://127.0.0.1:8080/sandbox',
    '  API docs   http://127.0.0.1:8080/docs',
    '  data       /srv/data/sandbox.json',
    '  merchants  QC00005496, ON00000097'
  ].join('\n'))
  t.match(startBanner({ ...info, tokenRequired: true }), '/sandbox (asks for ADMIN_TOKEN)')
})
