import t, { type Test } from 'tap'
import { canonicalString, md5Upper, seal, type DataObject } from '../../src/crypto/index.js'
import { GATEWAY_CODES, type GatewayCode } from '../../src/domain/errors.js'
import { activePayData, build, callGateway, envelope, MERCHANT } from '../helpers/build.js'
import { handSealed, postEnvelope, postRaw } from '../helpers/raw-gateway.js'

type Answer = { statusCode: number, json(): unknown }

/** Asserts an Appendix B rejection: HTTP 200 (unless told), exactly {rsp_code, rsp_msg}, the code and the explanation. */
function assertRejected (t: Test, res: Answer, code: GatewayCode, message: RegExp, status = 200): void {
  const body = res.json() as { rsp_code: string, rsp_msg: string }
  t.equal(res.statusCode, status, 'HTTP status')
  t.same(Object.keys(body).sort(), ['rsp_code', 'rsp_msg'], 'no data, no md5')
  t.equal(body.rsp_code, code, body.rsp_msg)
  t.ok(body.rsp_msg.startsWith(GATEWAY_CODES[code]), 'starts with the Appendix B text')
  t.match(body.rsp_msg, message)
}

const APPENDIX_B = Object.keys(GATEWAY_CODES)

t.test('bodies that are not a JSON object are PARAM_ERROR saying what arrived', async (t) => {
  const { app } = await build(t)
  const cases = [
    { name: 'empty JSON body', payload: '', type: 'application/json', message: /body.*cannot be empty/i },
    { name: 'non-JSON text', payload: 'hello world', type: 'application/json', message: /not a JSON object.*not valid JSON/ },
    { name: 'non-JSON text/plain', payload: 'action=ACTIVEPAY', type: 'text/plain', message: /not a JSON object.*not valid JSON/ },
    { name: 'JSON array', payload: '[1,2]', type: 'application/json', message: /must be a JSON object .*got an array/ },
    { name: 'JSON null', payload: 'null', type: 'application/json', message: /must be a JSON object .*got null/ },
    { name: 'JSON string', payload: '"ACTIVEPAY"', type: 'application/json', message: /must be a JSON object .*got string/ },
    { name: 'JSON number', payload: '42', type: 'application/json', message: /must be a JSON object .*got number/ }
  ]
  for (const c of cases) {
    t.test(c.name, async (t) => assertRejected(t, await postRaw(app, c.payload, c.type), 'PARAM_ERROR', c.message))
  }
})

t.test('an empty POST with no content type is PARAM_ERROR, not a crash', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'POST', url: '/processV2' })
  assertRejected(t, res, 'PARAM_ERROR', /must be a JSON object .*got undefined/)
})

t.test('the JSON envelope sent as text/plain is accepted', async (t) => {
  const { app, store } = await build(t)
  const res = await postRaw(app, JSON.stringify(envelope('ACTIVEPAY', '1.0', activePayData())), 'text/plain')
  t.equal(res.statusCode, 200)
  t.equal(res.json().rsp_code, 'SUCCESS', res.json().rsp_msg)
  t.ok(store.orders.find(MERCHANT.merchant_id, 'ORDER0001'), 'the order exists')
})

t.test('deeply nested JSON is answered, not a stack overflow', async (t) => {
  const { app } = await build(t)
  const depth = 100000
  const deep = '['.repeat(depth) + ']'.repeat(depth)
  const sealed = envelope('ACTIVEPAY', '1.0', activePayData())

  t.test('in an outer field', async (t) => {
    const text = JSON.stringify({ ...sealed, md5: '$' }).replace('"$"', deep)
    assertRejected(t, await postRaw(app, text), 'PARAM_ERROR', /md5 must be a string, got an array/)
  })

  t.test('as the value of data', async (t) => {
    const objects = 50000
    const text = JSON.stringify({ ...sealed, data: '$' }).replace('"$"', '{"a":'.repeat(objects) + '1' + '}'.repeat(objects))
    assertRejected(t, await postRaw(app, text), 'PARAM_ERROR', /data must be a string, got an object/)
  })

  t.test('in an extra outer field (ignored)', async (t) => {
    const text = JSON.stringify({ ...sealed, extra: '$' }).replace('"$"', deep)
    const res = await postRaw(app, text)
    t.equal(res.json().rsp_code, 'SUCCESS', res.json().rsp_msg)
  })

  t.test('inside the decrypted data', async (t) => {
    const plaintext = JSON.stringify(activePayData({ order_id: 'DEEP1' })).replace(/}$/, `,"extra":${deep}}`)
    const res = await postEnvelope(app, handSealed(plaintext, md5Upper('whatever')))
    assertRejected(t, res, 'PARAM_INVALID', /nested too deeply/)
  })
})

t.test('a body over BODY_LIMIT is HTTP 413 PARAM_ERROR naming the limit', async (t) => {
  const { app } = await build(t)
  const body = { ...envelope('ACTIVEPAY', '1.0', activePayData()), padding: 'x'.repeat(3 * 1024 * 1024) }
  const res = await postEnvelope(app, body)
  assertRejected(t, res, 'PARAM_ERROR', /larger than the 1048576-byte limit \(BODY_LIMIT\)/, 413)
})

t.test('a raised BODY_LIMIT lets a 2 MB body through', async (t) => {
  const { app } = await build(t, { env: { BODY_LIMIT: '4194304' } })
  const body = { ...envelope('ACTIVEPAY', '1.0', activePayData()), padding: 'x'.repeat(2 * 1024 * 1024) }
  const res = await postEnvelope(app, body)
  t.equal(res.statusCode, 200)
  t.equal(res.json().rsp_code, 'SUCCESS', res.json().rsp_msg)
})

t.test('outer fields missing or of the wrong type are PARAM_ERROR naming the field', async (t) => {
  const { app } = await build(t)
  const good = envelope('ACTIVEPAY', '1.0', activePayData())
  const without = (field: string) => Object.fromEntries(Object.entries(good).filter(([key]) => key !== field))
  const cases = [
    { name: 'no md5', body: without('md5'), message: /md5 is required/ },
    { name: 'no data', body: without('data'), message: /data is required/ },
    { name: 'no action', body: without('action'), message: /action is required/ },
    { name: 'no version', body: without('version'), message: /version is required/ },
    { name: 'no merchant_id', body: without('merchant_id'), message: /merchant_id is required/ },
    { name: 'empty object', body: {}, message: / is required/ },
    { name: 'data a number', body: { ...good, data: 123 }, message: /data must be a string, got number 123/ },
    { name: 'data an object', body: { ...good, data: { amount: '100' } }, message: /data must be a string, got an object/ },
    { name: 'md5 null', body: { ...good, md5: null }, message: /md5 must be a string, got null/ },
    { name: 'version a number', body: { ...good, version: 1.0 }, message: /version must be a string, got number 1/ },
    { name: 'merchant_id an array', body: { ...good, merchant_id: [MERCHANT.merchant_id] }, message: /merchant_id must be a string, got an array/ },
    { name: 'action a boolean', body: { ...good, action: true }, message: /action must be a string, got boolean true/ }
  ]
  for (const c of cases) {
    t.test(c.name, async (t) => assertRejected(t, await postEnvelope(app, c.body), 'PARAM_ERROR', c.message))
  }
})

t.test('unknown merchant, action or version is PARAM_INVALID naming it', async (t) => {
  const { app } = await build(t)
  const good = envelope('ACTIVEPAY', '1.0', activePayData())
  const cases = [
    { body: { ...good, merchant_id: 'QC99999999' }, message: /unknown merchant_id "QC99999999"/ },
    { body: { ...good, action: 'TELEPORT' }, message: /unknown action "TELEPORT" \(supported: STATUS_QUERY, REFUND, EX_RATE_QUERY, ACTIVEPAY, H5PAY, MAPPPAY, CC_PURCHASE, CC_PREAUTH, CC_QUERYPAY, PASSIVEPAY, PREPAY_INIT, PREPAY_QUERY\)/ },
    { body: { ...good, action: 'activepay' }, message: /unknown action "activepay"/ },
    { body: { ...good, version: '2.0' }, message: /version "2.0" is not supported for ACTIVEPAY \(supported: 1\.0\)/ },
    { body: { ...good, version: '1' }, message: /version "1" is not supported/ }
  ]
  for (const c of cases) {
    t.test(c.message.source, async (t) => assertRejected(t, await postEnvelope(app, c.body), 'PARAM_INVALID', c.message))
  }
})

t.test('data that is not plain Base64 is PARAM_INVALID saying which kind', async (t) => {
  const { app } = await build(t)
  const good = envelope('ACTIVEPAY', '1.0', activePayData())
  t.match(good.data, /\+/, 'precondition: the sealed data has a "+"')
  t.match(good.data, /\//, 'precondition: the sealed data has a "/"')
  const cases = [
    { name: 'not Base64', data: 'this is not base64!', message: /data is not valid Base64/ },
    { name: 'bad length', data: good.data!.slice(0, -1), message: /data is not valid Base64/ },
    { name: 'empty', data: '', message: /data is empty/ },
    { name: 'URL-encoded', data: good.data!.replace(/\+/g, '%2B').replace(/\//g, '%2F').replace(/=/g, '%3D'), message: /URL-encoded/ },
    { name: 'URL-safe', data: good.data!.replace(/\+/g, '-').replace(/\//g, '_'), message: /URL-safe Base64/ },
    { name: 'whole bytes but not AES blocks', data: 'QUJD', message: /3 bytes, not a whole number of 16-byte AES blocks/ }
  ]
  for (const c of cases) {
    t.test(c.name, async (t) => assertRejected(t, await postEnvelope(app, { ...good, data: c.data }), 'PARAM_INVALID', c.message))
  }
})

t.test('whitespace inside the Base64 is ignored', async (t) => {
  const { app } = await build(t)
  const good = envelope('ACTIVEPAY', '1.0', activePayData())
  const wrapped = good.data!.replace(/(.{20})/g, '$1\n ')
  const answer = await callGateway(app, { ...good, data: wrapped })
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
})

t.test('data sealed with another sign key is PARAM_INVALID mentioning the sign key', async (t) => {
  const { app } = await build(t)
  const body = { action: 'ACTIVEPAY', version: '1.0', merchant_id: MERCHANT.merchant_id, ...seal(activePayData(), 'NOT-THE-KEY-0001') }
  assertRejected(t, await postEnvelope(app, body), 'PARAM_INVALID', /could not be decrypted: wrong sign key/)
})

t.test('an md5 that does not match the data is PARAM_INVALID with the expected md5', async (t) => {
  const { app } = await build(t)
  const data = activePayData()
  const expected = md5Upper(canonicalString(data))
  const wrong = md5Upper('something else')
  const res = await postEnvelope(app, handSealed(JSON.stringify(data), wrong))
  assertRejected(t, res, 'PARAM_INVALID', /md5 does not match the decrypted data/)
  t.match(res.json().rsp_msg, new RegExp(`expected ${expected}, received ${wrong}`))
})

t.test('a lowercase md5 is PARAM_INVALID saying it must be uppercase', async (t) => {
  const { app } = await build(t)
  const data = activePayData()
  const lower = md5Upper(canonicalString(data)).toLowerCase()
  assertRejected(t, await postEnvelope(app, handSealed(JSON.stringify(data), lower)), 'PARAM_INVALID', /md5 must be uppercase/)
})

t.test('data that decrypts to something other than a JSON object is PARAM_INVALID', async (t) => {
  const { app } = await build(t)
  const md5 = md5Upper('x')
  assertRejected(t, await postEnvelope(app, handSealed('order_id=1&amount=100', md5)), 'PARAM_INVALID', /decrypted, but the text is not JSON/)
  assertRejected(t, await postEnvelope(app, handSealed('[{"amount":"100"}]', md5)), 'PARAM_INVALID', /decrypted, but the JSON is not an object/)
  assertRejected(t, await postEnvelope(app, handSealed('"100"', md5)), 'PARAM_INVALID', /the JSON is not an object/)
})

t.test('a missing data field is PARAM_INVALID "<field> is required"', async (t) => {
  const { app } = await build(t)
  for (const field of ['amount', 'operator_id', 'call_back_url', 'biz_type']) {
    const data = activePayData()
    delete data[field]
    const res = await postEnvelope(app, envelope('ACTIVEPAY', '1.0', data))
    t.test(field, async (t) => assertRejected(t, res, 'PARAM_INVALID', new RegExp(`: ${field} is required$`)))
  }
})

t.test('an invalid amount is PARAM_INVALID naming amount and the value', async (t) => {
  const { app } = await build(t)
  const cases = [
    { amount: '1.00', got: /got "1\.00"/ },
    { amount: '0', got: /got "0"/ },
    { amount: '000', got: /got "000"/ },
    { amount: '-5', got: /got "-5"/ },
    { amount: 'abc', got: /got "abc"/ },
    { amount: '', got: /got ""/ },
    { amount: ' 100', got: /got " 100"/ },
    { amount: true, got: /got boolean true/ },
    { amount: null, got: /got null/ }
  ]
  for (const c of cases) {
    const res = await postEnvelope(app, envelope('ACTIVEPAY', '1.0', activePayData({ amount: c.amount })))
    t.test(JSON.stringify(c.amount), async (t) => {
      assertRejected(t, res, 'PARAM_INVALID', /amount must be a whole number of cents greater than 0/)
      t.match(res.json().rsp_msg, c.got)
    })
  }
})

t.test('an invalid call_back_url is PARAM_INVALID naming it', async (t) => {
  const { app } = await build(t)
  for (const url of ['not a url', 'ftp://x', 'merchant.example/callback', 'javascript:alert(1)']) {
    const res = await postEnvelope(app, envelope('ACTIVEPAY', '1.0', activePayData({ call_back_url: url })))
    t.test(url, async (t) => assertRejected(t, res, 'PARAM_INVALID', /call_back_url must be an absolute http\(s\) URL/))
  }
})

t.test('an unknown biz_type is PARAM_INVALID listing the allowed values', async (t) => {
  const { app } = await build(t)
  for (const bizType of ['WECHATAY', 'wechatpay', '']) {
    const res = await postEnvelope(app, envelope('ACTIVEPAY', '1.0', activePayData({ biz_type: bizType })))
    t.test(bizType || '(empty)', async (t) => {
      assertRejected(t, res, 'PARAM_INVALID', /biz_type must be one of "WECHATPAY", "ALIPAY", "UNIONPAY"/)
      t.match(res.json().rsp_msg, `got ${JSON.stringify(bizType)}`)
    })
  }
})

t.test('an operator_id that is not the merchant\'s is PARAM_INVALID', async (t) => {
  const { app, store } = await build(t)
  const res = await postEnvelope(app, envelope('ACTIVEPAY', '1.0', activePayData({ operator_id: '0000000005' })))
  assertRejected(t, res, 'PARAM_INVALID', /operator_id 0000000005 is not an operator of merchant QC00000001 \(known: 0000020156\)/)
  t.equal(store.orders.count(), 0, 'no order was created')
})

t.test('order_id and orderId that disagree are PARAM_INVALID; that agree are accepted', async (t) => {
  const { app } = await build(t)
  const clash = await postEnvelope(app, envelope('ACTIVEPAY', '1.0', activePayData({ orderId: 'OTHER' })))
  assertRejected(t, clash, 'PARAM_INVALID', /orderId and order_id are the same field and disagree/)
  const same = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ orderId: 'ORDER0001' })))
  t.equal(same.body.rsp_code, 'SUCCESS', same.body.rsp_msg)
  t.equal(same.data!.order_id, 'ORDER0001')
})

t.test('a number amount is accepted', async (t) => {
  const { app, store } = await build(t)
  const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ amount: 100 })))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'ORDER0001')!.amount, '100')
})

t.test('a Java-style digest of a number amount ("100.0") is accepted', async (t) => {
  const { app, store } = await build(t)
  const data: DataObject = activePayData({ amount: 100 })
  const md5 = md5Upper(canonicalString(data, 'java'))
  t.not(md5, md5Upper(canonicalString(data)), 'precondition: the two spellings differ')
  const answer = await callGateway(app, handSealed(JSON.stringify(data), md5))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'ORDER0001')!.amount, '100')
})

t.test('no body gets a 5xx: odd bodies answer an Appendix B code', async (t) => {
  const { app } = await build(t)
  const good = envelope('ACTIVEPAY', '1.0', activePayData())
  const cases: Array<{ payload: string, type: string }> = [
    { payload: '{', type: 'application/json' },
    { payload: '{"__proto__":{"polluted":true}}', type: 'application/json' },
    { payload: '{"constructor":{"prototype":{"x":1}}}', type: 'application/json' },
    { payload: '\u0000\u0001\u0002', type: 'application/octet-stream' },
    { payload: '<xml/>', type: 'application/xml' },
    { payload: 'action=ACTIVEPAY&version=1.0', type: 'application/x-www-form-urlencoded' },
    { payload: '--x\r\n\r\n--x--', type: 'multipart/form-data; boundary=x' },
    { payload: JSON.stringify(good), type: 'application/json; charset=latin99' },
    { payload: JSON.stringify({ ...good, data: '\uD800' }), type: 'application/json' },
    { payload: JSON.stringify({ ...good, md5: 'Z'.repeat(10000) }), type: 'application/json' },
    { payload: JSON.stringify({ ...good, merchant_id: '' }), type: 'application/json' },
    { payload: JSON.stringify({ ...good, action: '__proto__' }), type: 'application/json' },
    { payload: JSON.stringify({ ...good, action: 'constructor' }), type: 'application/json' },
    { payload: JSON.stringify({ ...good, merchant_id: 'toString' }), type: 'application/json' },
    { payload: JSON.stringify(handSealed('{"__proto__":{"amount":"1"}}', md5Upper('x'))), type: 'application/json' },
    { payload: JSON.stringify(handSealed('{}', md5Upper(''))), type: 'application/json' },
    { payload: JSON.stringify(handSealed('{"amount":1e400}', md5Upper('x'))), type: 'application/json' },
    { payload: '1'.repeat(5000), type: 'application/json' },
    { payload: '"' + 'x'.repeat(100000) + '"', type: 'text/plain' }
  ]
  for (const [i, c] of cases.entries()) {
    const res = await postRaw(app, c.payload, c.type)
    const body = res.json() as { rsp_code: string, rsp_msg: string }
    t.ok(res.statusCode < 500, `case ${i} (${c.type}): HTTP ${res.statusCode}`)
    t.ok(APPENDIX_B.includes(body.rsp_code), `case ${i}: ${body.rsp_code} is an Appendix B code`)
    t.not(body.rsp_code, 'SYSTEM_ERROR', `case ${i}: bad input is not a sandbox failure (${body.rsp_msg})`)
  }
})
