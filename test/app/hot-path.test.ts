/**
 * The lean hot path (docs/performance.md): request-log entries built when first read must read as they did when
 * they were built at once, validation says the same with the check-first validator, and the ring keeps the newest.
 */
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { ValueErrorType } from '@sinclair/typebox/errors'
import { canonicalString, deriveKey, encrypt, md5Upper } from '../../src/crypto/index.js'
import type { RequestLogEntry } from '../../src/inspector/log-entry.js'
import { RequestEnvelopeSchema } from '../../src/protocol/envelope.js'
import { ACTIONS } from '../../src/protocol/registry.js'
import { compile, explain } from '../../src/protocol/validate.js'
import { activePayData, build, callGateway, cardData, envelope, MERCHANT, OTHER_MERCHANT, T0 } from '../helpers/build.js'

const CARD = '5160736813962037'

async function entries (app: FastifyInstance, query = ''): Promise<RequestLogEntry[]> {
  const res = await app.inject(`/sandbox/api/requests${query}`)
  t.equal(res.statusCode, 200)
  return (res.json() as { requests: RequestLogEntry[] }).requests
}

async function entry (app: FastifyInstance, id: string): Promise<RequestLogEntry> {
  return (await app.inject(`/sandbox/api/requests/${id}`)).json() as RequestLogEntry
}

t.test('an accepted request read later: the whole crypto story, unchanged by what happened since', async (t) => {
  const { app } = await build(t)
  const data = activePayData({ order_id: 'LAZY0001', amount: 2500 })
  const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', data))
  t.equal(answer.body.rsp_code, 'SUCCESS')
  // The order changes after the answer went out, and a merchant is created: the entry stays as it was.
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/api/orders/LAZY0001/pay' })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/api/merchants', payload: {} })).statusCode, 201)

  const [first] = await entries(app, '?order_id=LAZY0001')
  t.ok(first)
  const e = first!
  t.equal(e.id, 'req_1')
  t.equal(e.verdict, 'accepted')
  t.equal(e.at, new Date(T0).toISOString())
  t.equal(e.failed_step, null)
  t.ok(e.steps.every((s) => s.result === 'passed'))
  t.equal(e.crypto.plaintext, JSON.stringify(data), 'the decrypted text, as sent')
  t.equal(e.crypto.canonical, canonicalString(data), 'the canonical string')
  t.equal(e.crypto.expected_md5, md5Upper(canonicalString(data)))
  t.equal(e.crypto.md5_matches, true)
  t.same(e.data, { ...data, amount: '2500' }, 'the data after normalisation')
  t.same(e.warnings, ['amount was sent as a number; send it as a string ("2500")'])
  t.same(e.hints.map((h) => h.code), ['NUMBERS_NOT_STRINGS'], 'hints of an accepted request')
  t.same(e.answer.data, answer.data, 'the answer data as the client decrypted it')
  t.same(e.answer.md5, answer.body.md5)
  t.same(await entry(app, 'req_1'), e, 'GET /sandbox/api/requests/:id reads the same entry')
  t.same((await entries(app)).find((x) => x.id === 'req_1'), e, 'and so does the list, read again')
})

t.test('a bad md5: the hints are there, worked out with the merchants of the time', async (t) => {
  const { app } = await build(t)
  const data = activePayData({ order_id: 'LAZY0002' })
  const plaintext = JSON.stringify(data)
  const md5 = md5Upper(plaintext)
  const badMd5 = { action: 'ACTIVEPAY', version: '1.0', merchant_id: MERCHANT.merchant_id, data: encrypt(plaintext, deriveKey(md5, MERCHANT.sign_key)), md5 }
  t.equal((await callGateway(app, badMd5)).body.rsp_code, 'PARAM_INVALID')
  t.equal((await callGateway(app, { ...envelope('ACTIVEPAY', '1.0', data, OTHER_MERCHANT), merchant_id: MERCHANT.merchant_id })).body.rsp_code, 'PARAM_INVALID')
  t.equal((await callGateway(app, { ...envelope('ACTIVEPAY', '1.0', data), merchant_id: 'XX00000000' })).body.rsp_code, 'PARAM_INVALID')
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/api/merchants', payload: {} })).statusCode, 201)

  const md5Entry = await entry(app, 'req_1')
  t.equal(md5Entry.failed_step, 'md5')
  t.equal(md5Entry.crypto.md5_matches, false)
  t.equal(md5Entry.crypto.canonical, canonicalString(data))
  t.ok(md5Entry.hints.some((h) => h.code === 'MD5_OF_JSON'), 'MD5_OF_JSON')
  const keyEntry = await entry(app, 'req_2')
  t.equal(keyEntry.failed_step, 'decrypt')
  t.ok(keyEntry.hints.some((h) => h.code === 'WRONG_SIGN_KEY' && h.message.includes(OTHER_MERCHANT.merchant_id)), 'WRONG_SIGN_KEY naming the other merchant')
  const unknown = await entry(app, 'req_3')
  t.equal(unknown.failed_step, 'merchant')
  t.same(unknown.hints, [{ code: 'WRONG_MERCHANT_ID', message: `data opens with the sign key of merchant ${MERCHANT.merchant_id}: send merchant_id "${MERCHANT.merchant_id}"` }])
})

t.test('the unknown-merchant hint lists the merchants there were when the request came', async (t) => {
  const { app } = await build(t)
  await callGateway(app, { ...envelope('ACTIVEPAY', '1.0', activePayData()), merchant_id: 'XX00000000', data: 'AAAA' })
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/api/merchants', payload: {} })).statusCode, 201)
  t.same((await entry(app, 'req_1')).hints, [{ code: 'UNKNOWN_MERCHANT', message: `merchants in this sandbox: ${MERCHANT.merchant_id}, ${OTHER_MERCHANT.merchant_id} (see /sandbox/merchants)` }])
})

t.test('card numbers are masked in the canonical string and everywhere else, however the key is spelled', async (t) => {
  const { app } = await build(t)
  const data = cardData({ orderId: 'LAZYCARD1' })
  t.equal((await callGateway(app, envelope('CC_PURCHASE', '2.0', data))).body.rsp_code, 'SUCCESS')
  // The key spelled with a JSON escape: no text names a card field, only the decrypted object does.
  const escaped = JSON.stringify(cardData({ orderId: 'LAZYCARD2' })).replace('"cc_number"', '"cc\\u005fnumber"')
  const escapedData = JSON.parse(escaped) as Record<string, unknown>
  const md5 = md5Upper(canonicalString(escapedData))
  const sealed = { action: 'CC_PURCHASE', version: '2.0', merchant_id: MERCHANT.merchant_id, data: encrypt(escaped, deriveKey(md5, MERCHANT.sign_key)), md5 }
  t.equal((await callGateway(app, sealed)).body.rsp_code, 'SUCCESS')

  const first = await entry(app, 'req_1')
  t.equal(first.crypto.canonical, canonicalString(data).split(CARD).join('************2037'), 'canonical: the card masked, the rest as digested')
  t.equal(first.crypto.plaintext, JSON.stringify(data).split(CARD).join('************2037'))
  const second = await entry(app, 'req_2')
  t.equal(second.verdict, 'accepted')
  t.equal(second.data!.cc_number, '************2037')
  for (const e of [first, second]) t.notOk(JSON.stringify(e).includes(CARD), `${e.id}: no full card number`)
  t.notOk((await app.inject('/sandbox/api/requests')).body.includes(CARD), 'nor in the list')
})

t.test('the ring keeps the newest REQUEST_LOG_SIZE entries through wraps and a merchant reset', async (t) => {
  const { app } = await build(t, { env: { REQUEST_LOG_SIZE: '3' } })
  for (let i = 1; i <= 7; i++) {
    const merchant = i % 2 === 0 ? OTHER_MERCHANT : MERCHANT
    const data = i % 2 === 0 ? activePayData({ order_id: `RING${i}`, operator_id: OTHER_MERCHANT.operators[0] }) : activePayData({ order_id: `RING${i}` })
    t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', data, merchant), merchant)).body.rsp_code, 'SUCCESS')
  }
  t.same((await entries(app)).map((e) => e.id), ['req_7', 'req_6', 'req_5'])
  t.equal((await app.inject('/sandbox/api/requests/req_4')).statusCode, 404, 'fallen out')
  t.same((await entries(app, '?limit=2')).map((e) => e.order_id), ['RING7', 'RING6'])
  t.equal((await app.inject({ method: 'POST', url: `/sandbox/api/reset?merchant_id=${OTHER_MERCHANT.merchant_id}` })).statusCode, 200)
  t.same((await entries(app)).map((e) => e.id), ['req_7', 'req_5'], 'the other merchant\'s entry is gone')
  t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'RING8' })))).body.rsp_code, 'SUCCESS')
  t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'RING9' })))).body.rsp_code, 'SUCCESS')
  t.same((await entries(app)).map((e) => e.id), ['req_9', 'req_8', 'req_7'])
  t.equal((await entry(app, 'req_8')).order_id, 'RING8')
})

t.test('validation says what it said before: the check first, the errors only on a failure', async (t) => {
  // The validator as it was: every error collected, the first required-property error first.
  function before (schema: Parameters<typeof TypeCompiler.Compile>[0], value: unknown): string | undefined {
    const errors = [...TypeCompiler.Compile(schema).Errors(value)]
    if (errors.length === 0) return undefined
    return explain(errors.find((e) => e.type === ValueErrorType.ObjectRequiredProperty) ?? errors[0]!)
  }
  const schemas = [RequestEnvelopeSchema, ...ACTIONS.map((a) => a.data.schema)]
  const validators = schemas.map((schema) => ({ schema, validator: compile(schema) }))
  // Values near valid ones: a valid ACTIVEPAY or card data object with fields dropped, replaced or added.
  const near = fc.record({ base: fc.constantFrom<Record<string, unknown>>(activePayData(), cardData(), { action: 'ACTIVEPAY', version: '1.0', merchant_id: 'X', data: 'A', md5: 'B' }), drop: fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }), set: fc.dictionary(fc.constantFrom('amount', 'order_id', 'biz_type', 'call_back_url', 'operator_id', 'cc_number', 'orderId', 'md5', 'tip'), fc.jsonValue({ maxDepth: 1 })) })
    .map(({ base, drop, set }) => {
      const value: Record<string, unknown> = { ...base, ...set }
      for (const key of drop) delete value[key]
      for (const key of Object.keys(base)) if (drop.includes(key.slice(0, 3))) delete value[key]
      return value
    })
  fc.assert(fc.property(fc.oneof(near, fc.jsonValue({ maxDepth: 3 })), (value) => {
    for (const { schema, validator } of validators) {
      const said = validator.problem(value)
      if (said !== before(schema, value)) return false
      if ((said === undefined) !== validator.is(value)) return false
    }
    return true
  }), { numRuns: 500 })
  t.equal(compile(RequestEnvelopeSchema).problem({}), 'action is required')
  t.equal(ACTIONS.find((a) => a.action === 'ACTIVEPAY')!.data.problem(activePayData()), undefined, 'valid data has no problem')
  t.pass('the same message for every value tried')
})
