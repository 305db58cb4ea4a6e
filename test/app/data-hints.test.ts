import { readFileSync } from 'node:fs'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { Merchant } from '../../src/domain/fixtures.js'
import type { RequestLogEntry } from '../../src/inspector/log-entry.js'
import { activePayData, build, callGateway, envelope, MERCHANT, type GatewayAnswer } from '../helpers/build.js'
import { CONVERGE_EXAMPLE } from '../helpers/card-channel-data.js'

/** The shipped merchants: the docs' Converge example names `ON00000097`, which the fixtures have. */
const MERCHANTS = JSON.parse(readFileSync(new URL('../../fixtures/merchants.json', import.meta.url), 'utf8')) as Merchant[]
const EZSHOPS = MERCHANTS.find((m) => m.merchant_id === 'ON00000097')!

/** Sends `data` as `action` and reads its request-log entry back by id, as a client of the control API does. */
async function sendAndRead (app: FastifyInstance, action: string, version: string, data: Record<string, unknown>, merchant = MERCHANT): Promise<{ answer: GatewayAnswer, entry: RequestLogEntry }> {
  const answer = await callGateway(app, envelope(action, version, data, merchant), merchant)
  const list = (await app.inject('/sandbox/api/requests?limit=1')).json() as { requests: RequestLogEntry[] }
  const id = list.requests[0]!.id
  const res = await app.inject(`/sandbox/api/requests/${id}`)
  if (res.statusCode !== 200) throw new Error(`GET /sandbox/api/requests/${id}: ${res.statusCode} ${res.body}`)
  return { answer, entry: res.json() as RequestLogEntry }
}

const codes = (entry: RequestLogEntry): string[] => entry.hints.map((h) => h.code)

t.test('the data hints reach the request log and, in a few words, the rejection\'s message', async (t) => {
  const { app } = await build(t)

  t.test('{"Currency type": "CYN"}: fee_type is required, did you mean fee_type, and CNY', async (t) => {
    const { answer, entry } = await sendAndRead(app, 'EX_RATE_QUERY', '1.0', { 'Currency type': 'CYN' })
    t.equal(answer.body.rsp_code, 'PARAM_INVALID')
    t.equal(answer.body.rsp_msg, 'invalid parameter: fee_type is required; did you mean fee_type? (the data has "Currency type")', 'the message as before, then the hint')
    t.equal(entry.failed_step, 'fields')
    t.equal(entry.rsp_msg, answer.body.rsp_msg)
    t.same(codes(entry), ['FIELD_NAME_IS_DESCRIPTION', 'VALUE_TYPO'])
    t.match(entry.hints[0]!.message, 'the docs\' description of the field they call fee_type (Currency type), not its name; fee_type is required: rename the key to fee_type')
    t.match(entry.hints[1]!.message, 'did you mean "CNY"?', 'CNY: a currency of the sandbox\'s rates')
    t.same(entry.hints.map((h) => Object.keys(h).sort()), [['code', 'message'], ['code', 'message']], 'hints are { code, message } as the others')
  })

  t.test('fee_type "CYN": rejected by the action (no such rate), the log says CNY', async (t) => {
    const { answer, entry } = await sendAndRead(app, 'EX_RATE_QUERY', '1.0', { fee_type: 'CYN' })
    t.match(answer.body.rsp_msg, /^invalid parameter: fee_type CYN has no exchange rate in the sandbox \(rates\.json knows: [A-Z, ]+\)$/, 'the action\'s message is unchanged')
    t.equal(entry.failed_step, 'rules')
    t.same(codes(entry), ['VALUE_TYPO'])
    t.match(entry.hints[0]!.message, 'fee_type is "CYN", which is not a valid value; did you mean "CNY"?')
  })

  t.test('biz_type "WECHATAY" → WECHATPAY', async (t) => {
    const { answer, entry } = await sendAndRead(app, 'ACTIVEPAY', '1.0', activePayData({ biz_type: 'WECHATAY' }))
    t.equal(answer.body.rsp_msg, 'invalid parameter: biz_type must be one of "WECHATPAY", "ALIPAY", "UNIONPAY", got "WECHATAY"; did you mean "WECHATPAY"?')
    t.same(codes(entry), ['VALUE_TYPO'])
  })

  t.test('amount "1.50" → cents', async (t) => {
    const { answer, entry } = await sendAndRead(app, 'ACTIVEPAY', '1.0', activePayData({ order_id: 'DOLLARS1', amount: '1.50' }))
    t.match(answer.body.rsp_msg, /^invalid parameter: amount must be a whole number of cents .*, got "1\.50"; amounts are cents: send "150"$/)
    t.same(codes(entry), ['AMOUNT_NOT_CENTS'])
  })

  t.test('an accepted request with a look-alike optional key: accepted as before, the log says it was ignored', async (t) => {
    const { answer, entry } = await sendAndRead(app, 'ACTIVEPAY', '1.0', activePayData({ order_id: 'TIPS0001', tips: '50' }))
    t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
    t.equal(answer.body.rsp_msg, 'success')
    t.equal(entry.verdict, 'accepted')
    t.same(codes(entry), ['FIELD_NAME_TYPO'])
    t.match(entry.hints[0]!.message, 'did you mean tip (Tip in cents), which is optional: the key as sent is ignored?')
  })

  t.test('a missing field with no look-alike: the message is exactly as before', async (t) => {
    const data = activePayData({ order_id: 'NOAMOUNT' })
    delete data.amount
    const { answer, entry } = await sendAndRead(app, 'ACTIVEPAY', '1.0', data)
    t.equal(answer.body.rsp_msg, 'invalid parameter: amount is required')
    t.same(entry.hints, [])
  })
})

t.test('Converge (docs §18) is simulated: its example is accepted, and a near miss is named', async (t) => {
  const { app } = await build(t, { merchants: MERCHANTS })

  t.test('the docs\' exact Converge request: accepted, and no FLOW_NOT_SIMULATED in the log', async (t) => {
    const { answer, entry } = await sendAndRead(app, 'CC_PURCHASE', '2.0', CONVERGE_EXAMPLE, EZSHOPS)
    t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
    t.equal(entry.verdict, 'accepted')
    t.notOk(codes(entry).includes('FLOW_NOT_SIMULATED'))
    t.same(codes(entry), [], 'no hint at all')
    t.notMatch(JSON.stringify(entry), '5160736813962037', 'the card number the example sends stays masked')
  })

  t.test('channelType "ELAVONCOM": the message as before, then "did you mean ELAVONECOM"', async (t) => {
    const { answer, entry } = await sendAndRead(app, 'CC_PURCHASE', '2.0', { ...CONVERGE_EXAMPLE, orderId: 'CONVERGE2', channelType: 'ELAVONCOM' }, EZSHOPS)
    t.equal(answer.body.rsp_code, 'PARAM_INVALID')
    t.equal(answer.body.rsp_msg, 'invalid parameter: channelType must be one of "UPAYONLINE", "ELAVONECOM", "PORTICOECOM", got "ELAVONCOM"; did you mean "ELAVONECOM"?')
    t.equal(entry.failed_step, 'fields')
    t.same(codes(entry), ['VALUE_TYPO'])
    t.equal(entry.hints[0]!.message, 'channelType is "ELAVONCOM", which is not a valid value; did you mean "ELAVONECOM"? (valid: "UPAYONLINE", "ELAVONECOM", "PORTICOECOM")')
    t.notMatch(JSON.stringify(entry), '5160736813962037', 'card numbers stay masked')
  })

  t.test('bizType "converge_hostd": the message as before, then "did you mean converge_hosted"', async (t) => {
    const { answer, entry } = await sendAndRead(app, 'CC_PREAUTH', '2.0', { ...CONVERGE_EXAMPLE, orderId: 'CONVERGE3', bizType: 'converge_hostd' }, EZSHOPS)
    t.equal(answer.body.rsp_code, 'PARAM_INVALID')
    t.equal(answer.body.rsp_msg, 'invalid parameter: bizType must be one of "converge_hosted", got "converge_hostd"; did you mean "converge_hosted"?')
    t.same(codes(entry), ['VALUE_TYPO'])
    t.match(entry.hints[0]!.message, 'bizType is "converge_hostd", which is not a valid value; did you mean "converge_hosted"?')
  })
})
