import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { canonicalString, md5Upper, seal } from '../../src/crypto/index.js'
import { GATEWAY_STEPS, type GatewayStep, type RequestLogEntry } from '../../src/inspector/log-entry.js'
import { activePayData, build, callGateway, cardData, envelope, MERCHANT, OTHER_MERCHANT, T0 } from '../helpers/build.js'
import { handSealed, latestRequest, postEnvelope, postRaw } from '../helpers/raw-gateway.js'

const CARD = '5160736813962037'

interface LogPage {
  size: number
  requests: RequestLogEntry[]
}

async function requests (app: FastifyInstance, query = ''): Promise<LogPage> {
  const res = await app.inject(`/sandbox/api/requests${query}`)
  if (res.statusCode !== 200) throw new Error(`GET /sandbox/api/requests${query}: ${res.statusCode} ${res.body}`)
  return res.json() as LogPage
}

const codes = (entry: RequestLogEntry): string[] => entry.hints.map((h) => h.code)

/** The steps before `failed` passed, `failed` failed, the rest were not reached; every step has a label. */
function assertSteps (t: Test, entry: RequestLogEntry, failed: GatewayStep | null): void {
  const at = failed === null ? GATEWAY_STEPS.length : GATEWAY_STEPS.indexOf(failed)
  t.same(entry.steps.map((s) => s.step), [...GATEWAY_STEPS], 'every step, in order')
  t.same(entry.steps.map((s) => s.result), GATEWAY_STEPS.map((_s, i) => i < at ? 'passed' : i === at ? 'failed' : 'not reached'), `steps up to ${failed ?? 'the end'}`)
  t.ok(entry.steps.every((s) => s.label.length > 0), 'every step says what it checks')
}

/** A rejection as logged: verdict, failed step, code, steps, and the answer's code mirrored. */
function assertRejection (t: Test, entry: RequestLogEntry, step: GatewayStep, rspCode: string, httpStatus = 200): void {
  t.equal(entry.verdict, 'rejected', 'verdict')
  t.equal(entry.failed_step, step, 'failed_step')
  t.equal(entry.rsp_code, rspCode, `rsp_code (${entry.rsp_msg})`)
  t.equal(entry.http_status, httpStatus, 'http_status')
  t.equal(entry.answer.rsp_code, rspCode)
  t.equal(entry.answer.rsp_msg, entry.rsp_msg)
  t.equal(entry.answer.data, null, 'a rejection has no answer data')
  t.equal(entry.answer.md5, null)
  t.equal(entry.at, new Date(T0).toISOString(), 'at, from the sandbox clock')
  t.equal(entry.path, '/processV2')
  assertSteps(t, entry, step)
}

t.test('each kind of rejection is logged with its failed step, code and a hint', async (t) => {
  const { app } = await build(t)
  const good = envelope('ACTIVEPAY', '1.0', activePayData())

  t.test('body not JSON → body', async (t) => {
    const res = await postRaw(app, 'hello world')
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'body', 'PARAM_ERROR')
    t.equal(entry.rsp_msg, res.json().rsp_msg, 'the message the client got')
    t.match(entry.rsp_msg, /not valid JSON|not a JSON object/)
    t.equal(entry.merchant_id, null)
    t.equal(entry.action, null)
    t.equal(entry.crypto.data_length, 0)
    t.equal(entry.crypto.plaintext, null)
    t.equal(entry.data, null)
  })

  t.test('body a JSON array → body', async (t) => {
    await postRaw(app, '[1,2]')
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'body', 'PARAM_ERROR')
    t.match(entry.rsp_msg, /got an array/)
  })

  t.test('body not JSON, sent as text/plain → body', async (t) => {
    await postRaw(app, 'action=ACTIVEPAY', 'text/plain')
    assertRejection(t, await latestRequest(app), 'body', 'PARAM_ERROR')
  })

  t.test('envelope missing md5 → envelope', async (t) => {
    const { md5: _md5, ...withoutMd5 } = good
    await postEnvelope(app, withoutMd5)
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'envelope', 'PARAM_ERROR')
    t.match(entry.rsp_msg, /md5 is required/)
    t.equal(entry.crypto.received_md5, null)
  })

  t.test('unknown merchant_id whose data opens with another merchant\'s key → merchant, WRONG_MERCHANT_ID', async (t) => {
    await postEnvelope(app, { ...envelope('ACTIVEPAY', '1.0', activePayData({ operator_id: '0000000005' }), OTHER_MERCHANT), merchant_id: 'QC99999999' })
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'merchant', 'PARAM_INVALID')
    t.equal(entry.merchant_id, 'QC99999999')
    t.same(codes(entry), ['WRONG_MERCHANT_ID'])
    t.match(entry.hints[0]!.message, `send merchant_id "${OTHER_MERCHANT.merchant_id}"`)
    t.notMatch(JSON.stringify(entry), OTHER_MERCHANT.sign_key, 'the sign key is not shown')
  })

  t.test('unknown merchant_id whose data opens with no key → merchant, UNKNOWN_MERCHANT listing the merchants', async (t) => {
    await postEnvelope(app, { ...seal(activePayData(), 'NOBODYS-KEY-0000'), action: 'ACTIVEPAY', version: '1.0', merchant_id: 'QC99999999' })
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'merchant', 'PARAM_INVALID')
    t.same(codes(entry), ['UNKNOWN_MERCHANT'])
    t.match(entry.hints[0]!.message, `${MERCHANT.merchant_id}, ${OTHER_MERCHANT.merchant_id}`)
  })

  t.test('action in lowercase → action, ACTION_SPELLING', async (t) => {
    await postEnvelope(app, { ...good, action: 'activepay' })
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'action', 'PARAM_INVALID')
    t.equal(entry.action, 'activepay', 'the action as sent')
    t.same(codes(entry), ['ACTION_SPELLING'])
    t.match(entry.hints[0]!.message, 'send "ACTIVEPAY"')
  })

  t.test('action with spaces → action, ACTION_SPELLING', async (t) => {
    await postEnvelope(app, { ...good, action: ' cc_purchase ' })
    t.match((await latestRequest(app)).hints[0]!.message, 'send "CC_PURCHASE"')
  })

  t.test('bad version → version', async (t) => {
    await postEnvelope(app, { ...good, version: '2.0' })
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'version', 'PARAM_INVALID')
    t.equal(entry.version, '2.0')
    t.match(entry.rsp_msg, /version "2.0" is not supported for ACTIVEPAY/)
  })

  t.test('URL-encoded data → base64, URL_ENCODED_BASE64', async (t) => {
    await postEnvelope(app, { ...good, data: encodeURIComponent(good.data!) })
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'base64', 'PARAM_INVALID')
    t.same(codes(entry), ['URL_ENCODED_BASE64'])
    t.match(entry.hints[0]!.message, /opens once URL-decoded/)
    t.equal(entry.crypto.data_length, encodeURIComponent(good.data!).length)
    t.equal(entry.crypto.received_md5, good.md5)
    t.equal(entry.crypto.expected_md5, null, 'nothing decrypted')
    t.equal(entry.crypto.md5_matches, null)
  })

  t.test('data sealed with the other merchant\'s key → decrypt, WRONG_SIGN_KEY naming it', async (t) => {
    await postEnvelope(app, { ...envelope('ACTIVEPAY', '1.0', activePayData(), OTHER_MERCHANT), merchant_id: MERCHANT.merchant_id })
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'decrypt', 'PARAM_INVALID')
    t.same(codes(entry), ['WRONG_SIGN_KEY'])
    t.match(entry.hints[0]!.message, `merchant ${OTHER_MERCHANT.merchant_id}`)
    t.equal(entry.crypto.plaintext, null)
    t.notMatch(JSON.stringify(entry), OTHER_MERCHANT.sign_key, 'no sign key is shown')
    t.notMatch(JSON.stringify(entry), MERCHANT.sign_key)
  })

  t.test('decrypted text not JSON → json, QUERY_STRING_NOT_JSON, plaintext shown', async (t) => {
    await postEnvelope(app, handSealed('order_id=1&amount=100', md5Upper('x')))
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'json', 'PARAM_INVALID')
    t.same(codes(entry), ['QUERY_STRING_NOT_JSON'])
    t.equal(entry.crypto.plaintext, 'order_id=1&amount=100')
    t.equal(entry.crypto.canonical, null)
  })

  t.test('md5 mismatch → md5, expected and received md5, canonical shown, MD5_OF_JSON', async (t) => {
    const data = activePayData()
    const wrong = md5Upper(JSON.stringify(data))
    const res = await postEnvelope(app, handSealed(JSON.stringify(data), wrong))
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'md5', 'PARAM_INVALID')
    t.equal(entry.crypto.expected_md5, md5Upper(canonicalString(data)))
    t.equal(entry.crypto.received_md5, wrong)
    t.not(entry.crypto.expected_md5, entry.crypto.received_md5)
    t.equal(entry.crypto.md5_matches, false)
    t.equal(entry.crypto.canonical, canonicalString(data))
    t.equal(entry.crypto.plaintext, JSON.stringify(data))
    t.match(res.json().rsp_msg, entry.crypto.expected_md5!, 'the client saw the same expected md5')
    t.same(codes(entry), ['MD5_OF_JSON'])
  })

  t.test('a lowercase md5 → md5, MD5_LOWERCASE', async (t) => {
    const data = activePayData()
    const lower = md5Upper(canonicalString(data)).toLowerCase()
    await postEnvelope(app, handSealed(JSON.stringify(data), lower))
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'md5', 'PARAM_INVALID')
    t.equal(entry.crypto.md5_matches, false)
    t.same(codes(entry), ['MD5_LOWERCASE'])
  })

  t.test('a missing field → fields, the decrypted data shown', async (t) => {
    const data = activePayData({ order_id: 'NOAMOUNT' })
    delete data.amount
    await postEnvelope(app, envelope('ACTIVEPAY', '1.0', data))
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'fields', 'PARAM_INVALID')
    t.match(entry.rsp_msg, /amount is required/)
    t.same(entry.data, data)
    t.equal(entry.crypto.md5_matches, true)
    t.equal(entry.crypto.expected_md5, entry.crypto.received_md5)
    t.equal(entry.order_id, 'NOAMOUNT')
  })

  t.test('order_id and orderId that disagree → fields', async (t) => {
    await postEnvelope(app, envelope('ACTIVEPAY', '1.0', activePayData({ orderId: 'OTHER' })))
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'fields', 'PARAM_INVALID')
    t.match(entry.rsp_msg, /orderId and order_id are the same field and disagree/)
  })

  t.test('a duplicate order id → rules, ORDER_USED', async (t) => {
    const first = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'DUP1' })))
    t.equal(first.body.rsp_code, 'SUCCESS', first.body.rsp_msg)
    await postEnvelope(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'DUP1' })))
    const entry = await latestRequest(app)
    assertRejection(t, entry, 'rules', 'ORDER_USED')
    t.equal(entry.order_id, 'DUP1')
    t.equal(entry.crypto.md5_matches, true)
    t.same(entry.data, activePayData({ order_id: 'DUP1' }))
  })

  t.test('a number amount is accepted with a warning and NUMBERS_NOT_STRINGS', async (t) => {
    await postEnvelope(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'NUM1', amount: 100 })))
    const entry = await latestRequest(app)
    t.equal(entry.verdict, 'accepted', entry.rsp_msg)
    t.same(codes(entry), ['NUMBERS_NOT_STRINGS'])
    t.match(entry.warnings, [/amount was sent as a number/])
  })
})

t.test('a body over BODY_LIMIT is logged as HTTP 413, failed at body', async (t) => {
  const { app } = await build(t, { env: { BODY_LIMIT: '1024' } })
  const res = await postEnvelope(app, { ...envelope('ACTIVEPAY', '1.0', activePayData()), padding: 'x'.repeat(4096) })
  t.equal(res.statusCode, 413)
  const entry = await latestRequest(app)
  assertRejection(t, entry, 'body', 'PARAM_ERROR', 413)
  t.match(entry.rsp_msg, /larger than the 1024-byte limit/)
  t.equal(entry.merchant_id, null)
})

t.test('an accepted request: verdict, every step passed, the crypto story and the decrypted answer', async (t) => {
  const { app } = await build(t)
  const data = activePayData()
  const body = envelope('ACTIVEPAY', '1.0', data)
  const answer = await callGateway(app, body)
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  const entry = await latestRequest(app)
  t.equal(entry.id, 'req_1')
  t.equal(entry.verdict, 'accepted')
  t.equal(entry.rsp_code, 'SUCCESS')
  t.equal(entry.rsp_msg, 'success')
  t.equal(entry.failed_step, null)
  t.equal(entry.http_status, 200)
  assertSteps(t, entry, null)
  t.equal(entry.merchant_id, MERCHANT.merchant_id)
  t.equal(entry.action, 'ACTIVEPAY')
  t.equal(entry.version, '1.0')
  t.equal(entry.order_id, 'ORDER0001')
  t.same(entry.crypto, {
    data_length: body.data!.length,
    received_md5: body.md5,
    expected_md5: body.md5,
    md5_matches: true,
    plaintext: JSON.stringify(data),
    canonical: canonicalString(data)
  })
  t.same(entry.data, data)
  t.same(entry.hints, [])
  t.same(entry.warnings, [])
  t.same(entry.answer.data, answer.data, 'the answer data, decrypted, is what the client opened')
  t.equal(entry.answer.md5, answer.body.md5)
  t.equal(entry.answer.rsp_code, 'SUCCESS')
})

t.test('card numbers never appear unmasked in the request log', async (t) => {
  const { app } = await build(t)
  const sent: Array<{ name: string, res: { statusCode: number } }> = []
  const send = async (name: string, body: Record<string, unknown>) => sent.push({ name, res: await postEnvelope(app, body) })

  await send('accepted CC_PURCHASE', envelope('CC_PURCHASE', '2.0', cardData()))
  await send('duplicate (rules)', envelope('CC_PURCHASE', '2.0', cardData()))
  await send('bad txnTime (fields)', envelope('CC_PURCHASE', '2.0', cardData({ orderId: 'CARD0002', txnTime: 'yesterday' })))
  await send('card number as a number', envelope('CC_PURCHASE', '2.0', cardData({ orderId: 'CARD0003', cc_number: Number(CARD) })))
  await send('card number spelled with spaces', envelope('CC_PURCHASE', '2.0', cardData({ orderId: 'CARD0004', cc_number: '5160 7368 1396 2037' })))
  const plaintext = JSON.stringify(cardData({ orderId: 'CARD0005' }))
  await send('md5 mismatch', handSealed(plaintext, md5Upper('other'), 'CC_PURCHASE', '2.0'))
  await send('md5 over the JSON', handSealed(plaintext, md5Upper(plaintext), 'CC_PURCHASE', '2.0'))
  await send('JSON encoded twice', handSealed(JSON.stringify(plaintext), md5Upper('x'), 'CC_PURCHASE', '2.0'))
  const query = Object.entries(cardData({ orderId: 'CARD0006' })).map(([k, v]) => `${k}=${String(v)}`).join('&')
  await send('a query string', handSealed(query, md5Upper('x'), 'CC_PURCHASE', '2.0'))
  await send('pretty-printed JSON', handSealed(JSON.stringify(cardData({ orderId: 'CARD0007' }), null, 2), md5Upper('x'), 'CC_PURCHASE', '2.0'))

  const { requests: list } = await requests(app)
  t.equal(list.length, sent.length, 'every request is logged')
  t.equal(list.at(-1)!.verdict, 'accepted', 'the first was accepted')
  for (const [i, entry] of [...list].reverse().entries()) {
    const text = JSON.stringify(entry)
    t.notOk(text.includes(CARD), `${sent[i]!.name}: no full card number`)
    t.notMatch(text, /5160\D{0,3}7368/, `${sent[i]!.name}: not even with separators`)
    t.match(text, /2037/, `${sent[i]!.name}: the last four digits are shown`)
  }
  const accepted = list.at(-1)!
  t.equal(accepted.data!.cc_number, '************2037', 'data: masked')
  t.match(accepted.crypto.plaintext, '"cc_number":"************2037"', 'plaintext: masked')
  t.match(accepted.crypto.canonical, '************2037', 'canonical: masked')
  const whole = (await app.inject('/sandbox/api/requests')).body
  t.notOk(whole.includes(CARD), 'nor anywhere in the list')
  for (const entry of list) {
    t.notOk((await app.inject(`/sandbox/api/requests/${entry.id}`)).body.includes(CARD), `${entry.id} alone`)
  }
})

t.test('REQUEST_LOG_SIZE bounds the log: the newest entries, newest first', async (t) => {
  t.test('3 keeps the last 3', async (t) => {
    const { app } = await build(t, { env: { REQUEST_LOG_SIZE: '3' } })
    for (let i = 1; i <= 5; i++) await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `ORDER${i}` })))
    const page = await requests(app)
    t.equal(page.size, 3)
    t.same(page.requests.map((e) => e.id), ['req_5', 'req_4', 'req_3'])
    t.same(page.requests.map((e) => e.order_id), ['ORDER5', 'ORDER4', 'ORDER3'])
    t.equal((await app.inject('/sandbox/api/requests/req_2')).statusCode, 404, 'the oldest fell out')
    t.equal((await app.inject('/sandbox/api/requests/req_3')).statusCode, 200)
    await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'ORDER6' })))
    t.same((await requests(app)).requests.map((e) => e.id), ['req_6', 'req_5', 'req_4'], 'ids keep increasing')
  })

  t.test('0 keeps none', async (t) => {
    const { app } = await build(t, { env: { REQUEST_LOG_SIZE: '0' } })
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
    t.equal(answer.body.rsp_code, 'SUCCESS', 'the gateway still answers')
    await postRaw(app, 'not json')
    t.same(await requests(app), { size: 0, requests: [], next: null, next_url: null })
    t.equal((await app.inject('/sandbox/api/requests/req_1')).statusCode, 404)
  })

  t.test('the default is 500', async (t) => {
    const { app } = await build(t)
    t.equal((await requests(app)).size, 500)
  })
})

t.test('filters: merchant_id, verdict, action, order_id, limit', async (t) => {
  const { app } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'A1' })))
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'A1', operator_id: '0000000005' }), OTHER_MERCHANT), OTHER_MERCHANT)
  await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData({ orderId: 'C1' })))
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'A1' })))
  await postRaw(app, 'not json')
  const ids = async (query: string) => (await requests(app, query)).requests.map((e) => e.id)

  t.same(await ids(''), ['req_5', 'req_4', 'req_3', 'req_2', 'req_1'], 'all, newest first')
  t.same(await ids(`?merchant_id=${MERCHANT.merchant_id}`), ['req_4', 'req_3', 'req_1'])
  t.same(await ids(`?merchant_id=${OTHER_MERCHANT.merchant_id}`), ['req_2'])
  t.same(await ids('?merchant_id=NOBODY'), [])
  t.same(await ids('?verdict=accepted'), ['req_3', 'req_2', 'req_1'])
  t.same(await ids('?verdict=rejected'), ['req_5', 'req_4'])
  t.same(await ids('?action=CC_PURCHASE'), ['req_3'])
  t.same(await ids('?action=ACTIVEPAY'), ['req_4', 'req_2', 'req_1'])
  t.same(await ids('?order_id=A1'), ['req_4', 'req_2', 'req_1'])
  t.same(await ids('?order_id=C1'), ['req_3'])
  t.same(await ids(`?order_id=A1&merchant_id=${MERCHANT.merchant_id}&verdict=accepted`), ['req_1'], 'filters combine')
  t.same(await ids('?limit=2'), ['req_5', 'req_4'])
  t.same(await ids('?verdict=accepted&limit=2'), ['req_3', 'req_2'], 'limit applies after the filters')
  t.equal((await app.inject('/sandbox/api/requests?verdict=maybe')).statusCode, 400)
  t.equal((await app.inject('/sandbox/api/requests?limit=0')).statusCode, 400)
  t.equal((await app.inject('/sandbox/api/requests?limit=abc')).statusCode, 400)
})

t.test('GET /sandbox/api/requests/:id: one entry, or 404', async (t) => {
  const { app } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
  await postEnvelope(app, { ...envelope('ACTIVEPAY', '1.0', activePayData()), version: '9' })
  const { requests: list } = await requests(app)
  for (const entry of list) {
    const res = await app.inject(`/sandbox/api/requests/${entry.id}`)
    t.equal(res.statusCode, 200)
    t.same(res.json(), entry, `${entry.id} is the entry of the list`)
  }
  const missing = await app.inject('/sandbox/api/requests/req_99')
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().error, 'NOT_FOUND')
  t.match(missing.json().message, /req_99 is not in the log \(it keeps the last 500\)/)
})

t.test('requests to /process and /processV3 are logged with their path', async (t) => {
  const { app } = await build(t)
  for (const [i, path] of ['/process', '/processV3', '/processV2'].entries()) {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `P${i}` })), MERCHANT, path)
    t.equal(answer.body.rsp_code, 'SUCCESS', `${path}: ${answer.body.rsp_msg}`)
  }
  await postRaw(app, 'nope', 'application/json', '/processV3')
  const { requests: list } = await requests(app)
  t.same(list.map((e) => [e.path, e.verdict]), [['/processV3', 'rejected'], ['/processV2', 'accepted'], ['/processV3', 'accepted'], ['/process', 'accepted']])
  t.same((await requests(app, '?order_id=P0')).requests.map((e) => e.path), ['/process'])
})

t.test('the log is deterministic: same inputs and clock, same JSON', async (t) => {
  async function scenario (t: Test): Promise<string> {
    const { app, clock } = await build(t)
    await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
    clock.advance(1500)
    await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData()))
    await postEnvelope(app, { ...envelope('ACTIVEPAY', '1.0', activePayData(), OTHER_MERCHANT), merchant_id: MERCHANT.merchant_id })
    await postEnvelope(app, handSealed(JSON.stringify(activePayData({ order_id: 'X' })), md5Upper('x')))
    await postEnvelope(app, envelope('ACTIVEPAY', '1.0', activePayData()))
    await postRaw(app, '{')
    clock.advance(60_000)
    await postEnvelope(app, { ...envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'Y' })), action: 'activepay' })
    return (await app.inject('/sandbox/api/requests')).body
  }
  const first = await scenario(t)
  const second = await scenario(t)
  t.equal(second, first)
  const list = (JSON.parse(first) as LogPage).requests
  t.equal(list.length, 7)
  t.equal(list[0]!.at, new Date(T0 + 61_500).toISOString(), 'times from the sandbox clock')
  t.equal(list.at(-1)!.at, new Date(T0).toISOString())
})
