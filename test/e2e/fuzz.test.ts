import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { canonicalString, deriveKey, encrypt, md5Upper, seal, type DataObject } from '../../src/crypto/index.js'
import { GATEWAY_CODES, type GatewayCode } from '../../src/domain/errors.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import { ACTIONS } from '../../src/protocol/registry.js'
import { activePayData, build, cardData, h5PayData, mappPayData, MERCHANT, OTHER_MERCHANT, passivePayData, prepayInitData } from '../helpers/build.js'
import { panArbitrary } from '../helpers/card-numbers.js'

// Thousands of generated malformed requests at the real gateway (memory store): every answer must be an
// Appendix B envelope, never an HTTP 5xx, never SYSTEM_ERROR (the sandbox's "I did not expect this"). The runs are
// random on purpose; a failure prints fast-check's seed and the shrunk request that broke it.

const BODY_LIMIT = 4096
const PATHS = ['/processV2', '/process', '/processV3']
const CODES = Object.keys(GATEWAY_CODES) as GatewayCode[]

/** Callbacks of orders the fuzz manages to pay go nowhere: the generated URLs must never reach the network. */
const noNetwork: typeof globalThis.fetch = async () => new Response(null, { status: 204 })

interface Tally {
  calls: number
  codes: Map<string, number>
}

/** Throws (so fast-check shrinks and reports) unless the answer is a well-formed Appendix B envelope. */
function checkAnswer (res: { statusCode: number, body: string, headers: Record<string, unknown> }, tally: Tally): void {
  tally.calls++
  if (res.statusCode !== 200 && res.statusCode !== 413) throw new Error(`HTTP ${res.statusCode}: ${res.body.slice(0, 300)}`)
  let answer: Record<string, unknown>
  try {
    answer = JSON.parse(res.body) as Record<string, unknown>
  } catch {
    throw new Error(`not JSON (HTTP ${res.statusCode}): ${res.body.slice(0, 300)}`)
  }
  const code = answer.rsp_code as GatewayCode
  if (!CODES.includes(code)) throw new Error(`rsp_code ${JSON.stringify(answer.rsp_code)} is not an Appendix B code`)
  if (code === 'SYSTEM_ERROR') throw new Error(`SYSTEM_ERROR: the sandbox did not expect this input: ${String(answer.rsp_msg)}`)
  if (typeof answer.rsp_msg !== 'string' || !answer.rsp_msg.startsWith(GATEWAY_CODES[code])) {
    throw new Error(`rsp_msg ${JSON.stringify(answer.rsp_msg)} does not start with Appendix B's "${GATEWAY_CODES[code]}"`)
  }
  if (res.statusCode === 413 && code !== 'PARAM_ERROR') throw new Error(`HTTP 413 with ${code}, expected PARAM_ERROR`)
  if ((answer.data === undefined) !== (answer.md5 === undefined)) throw new Error('data without md5, or md5 without data')
  const id = res.headers['x-sandbox-request-id']
  if (typeof id !== 'string' || !/^req_\d+$/.test(id)) throw new Error(`x-sandbox-request-id ${JSON.stringify(id)} does not name a request log entry`)
  tally.codes.set(code, (tally.codes.get(code) ?? 0) + 1)
}

async function post (app: FastifyInstance, path: string, payload: string | Buffer, headers: Record<string, string>, tally: Tally): Promise<void> {
  const res = await app.inject({ method: 'POST', url: path, payload, headers })
  checkAnswer(res, tally)
}

/** Requests thrown by all the subtests together. */
let total = 0

async function fuzzSandbox (t: Parameters<typeof build>[0]) {
  const sandbox = await build(t, { env: { BODY_LIMIT: String(BODY_LIMIT) }, fetch: noNetwork })
  return { ...sandbox, tally: { calls: 0, codes: new Map() } as Tally }
}

/** Whatever was thrown at it, the sandbox still serves: health, and a good order. */
async function stillServes (t: Test, app: FastifyInstance, tally: Tally): Promise<void> {
  total += tally.calls
  t.equal((await app.inject('/healthz')).statusCode, 200, '/healthz still answers')
  const res = await app.inject({ method: 'POST', url: '/processV2', payload: { action: 'ACTIVEPAY', version: '1.0', merchant_id: MERCHANT.merchant_id, ...seal(activePayData({ order_id: 'AFTERFUZZ' }), MERCHANT.sign_key) } })
  t.equal(res.json().rsp_code, 'SUCCESS', 'a good request still succeeds')
}

const path = fc.constantFrom(...PATHS)

/** Values of every JSON type and some that JSON cannot carry, as a field of the envelope or of data. */
const anyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('', ' ', '0', '-1', '1.00', '100.0', '9'.repeat(40), 'NaN', '١٢٣', '%2B', 'http://', 'javascript:alert(1)', '__proto__', 'constructor')
)

const ACTION_NAMES = ACTIONS.map((a) => a.action)
const VERSIONS = [...new Set(ACTIONS.flatMap((a) => a.versions))]

t.test('random JSON values as the body', async (t) => {
  const { app, tally } = await fuzzSandbox(t)
  const runs = 2000
  await fc.assert(fc.asyncProperty(path, fc.jsonValue({ maxDepth: 6 }), async (url, value) => {
    await post(app, url, JSON.stringify(value), { 'content-type': 'application/json' }, tally)
  }), { numRuns: runs })
  t.equal(tally.calls, runs, `${runs} bodies, each answered with an Appendix B code`)
  await stillServes(t, app, tally)
  t.ok((tally.codes.get('PARAM_ERROR') ?? 0) > runs / 2, 'mostly PARAM_ERROR: not an envelope')
})

t.test('envelopes with missing, mistyped or unknown fields', async (t) => {
  const { app, tally } = await fuzzSandbox(t)
  const good = seal(activePayData(), MERCHANT.sign_key)
  const field = (valid: readonly string[]) => fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: anyValue },
    { weight: 1, arbitrary: fc.constant(undefined) }
  )
  const envelope = fc.record({
    action: field(ACTION_NAMES),
    version: field(VERSIONS),
    merchant_id: field([MERCHANT.merchant_id, OTHER_MERCHANT.merchant_id, 'QC00000000', MERCHANT.merchant_id.toLowerCase()]),
    data: field([good.data, '', good.data.slice(0, 20)]),
    md5: field([good.md5, good.md5.toLowerCase(), ''])
  })
  const extras = fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 3 })
  const runs = 2500
  await fc.assert(fc.asyncProperty(path, envelope, extras, async (url, fields, extra) => {
    await post(app, url, JSON.stringify({ ...extra, ...fields }), { 'content-type': 'application/json' }, tally)
  }), { numRuns: runs })
  t.equal(tally.calls, runs)
  await stillServes(t, app, tally)
  t.ok((tally.codes.get('PARAM_ERROR') ?? 0) > 0, 'some fail the envelope (PARAM_ERROR)')
  t.ok((tally.codes.get('PARAM_INVALID') ?? 0) > 0, 'some get past it (PARAM_INVALID)')
})

t.test('right merchant, action and version; data that is not what the md5 and the key promise', async (t) => {
  const { app, tally } = await fuzzSandbox(t)
  const good = seal(activePayData(), MERCHANT.sign_key)
  const key = deriveKey(good.md5, MERCHANT.sign_key)
  const base64OfBytes = fc.uint8Array({ maxLength: 96 }).map((bytes) => Buffer.from(bytes).toString('base64'))
  // Valid AES under the right key, with plaintext that is no JSON object (or one the md5 does not describe).
  const encryptedText = fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v))).map((text) => encrypt(text, key))
  const mangled = fc.tuple(fc.nat(good.data.length - 1), fc.constantFrom('', ' ', '\n', '%', '-', '_', '=', 'A', '+')).map(([at, insert]) => good.data.slice(0, at) + insert + good.data.slice(at + 1))
  const data = fc.oneof(base64OfBytes, fc.base64String({ maxLength: 120 }), fc.string(), encryptedText, mangled, fc.constant(good.data.replace(/\+/g, '%2B')), fc.constant(good.data.replace(/\+/g, '-').replace(/\//g, '_')))
  const md5 = fc.oneof(fc.constant(good.md5), fc.stringMatching(/^[0-9A-F]{32}$/), fc.string({ maxLength: 40 }))
  const runs = 2000
  await fc.assert(fc.asyncProperty(path, data, md5, async (url, d, m) => {
    await post(app, url, JSON.stringify({ action: 'ACTIVEPAY', version: '1.0', merchant_id: MERCHANT.merchant_id, data: d, md5: m }), { 'content-type': 'application/json' }, tally)
  }), { numRuns: runs })
  t.equal(tally.calls, runs)
  await stillServes(t, app, tally)
  // A mangling may leave the data intact (a space, a character replaced by itself): that order is then created
  // once and its id is taken for every later copy.
  t.same([...tally.codes.keys()].filter((code) => !['PARAM_INVALID', 'SUCCESS', 'ORDER_USED'].includes(code)), [], 'rejections are PARAM_INVALID (Base64, AES, JSON or md5)')
})

/** A valid data object of each action; `n` keeps the ids of one run apart from the others'. */
const TEMPLATES: Record<string, (n: number) => DataObject> = {
  STATUS_QUERY: (n) => ({ order_id: `FZ${n - 1}` }),
  REFUND: (n) => ({ ori_order_id: `FZ${n - 1}`, refund_amt: '50', order_id: `FZR${n}` }),
  EX_RATE_QUERY: () => ({ fee_type: 'CAD' }),
  ACTIVEPAY: (n) => activePayData({ order_id: `FZ${n}` }),
  H5PAY: (n) => h5PayData({ order_id: `FZ${n}` }),
  MAPPPAY: (n) => mappPayData({ order_id: `FZ${n}` }),
  CC_PURCHASE: (n) => cardData({ orderId: `FZ${n}` }),
  CC_PREAUTH: (n) => cardData({ orderId: `FZ${n}` }),
  CC_QUERYPAY: (n) => ({ orderId: `FZ${n - 1}` }),
  PASSIVEPAY: (n) => passivePayData({ order_id: `FZ${n}` }),
  PREPAY_INIT: (n) => prepayInitData({ prepay_order_id: `FZ${n}` }),
  PREPAY_QUERY: (n) => ({ merchant_id: MERCHANT.merchant_id, prepay_order_id: `FZ${n - 1}` })
}

t.test('correctly sealed data of every action with fields dropped, changed and added', async (t) => {
  const { app, tally } = await fuzzSandbox(t)
  t.same(Object.keys(TEMPLATES).sort(), [...ACTION_NAMES].sort(), 'a template for every action of the registry')
  const fieldNames = [...new Set(ACTIONS.flatMap((a) => Object.keys((a.data.schema as { properties?: object }).properties ?? {})))]
  const request = fc.record({
    definition: fc.constantFrom(...ACTIONS),
    wrongVersion: fc.option(fc.string({ maxLength: 4 }), { freq: 10 }),
    merchant: fc.constantFrom<Merchant>(MERCHANT, MERCHANT, OTHER_MERCHANT),
    drop: fc.array(fc.constantFrom(...fieldNames), { maxLength: 3 }),
    set: fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames, 'bizType', 'orderId', 'Tip', 'orderld'), fc.string({ maxLength: 10 })), anyValue, { maxKeys: 3 }),
    javaNumbers: fc.boolean()
  })
  let n = 0
  const runs = 3000
  await fc.assert(fc.asyncProperty(path, request, async (url, r) => {
    n++
    const data: DataObject = { ...TEMPLATES[r.definition.action]!(n) }
    for (const name of r.drop) delete data[name]
    Object.assign(data, r.set)
    const sealed = seal(data, r.merchant.sign_key)
    // Some clients digest whole numbers Java-style ("100.0"): the sandbox accepts that spelling too.
    const md5 = r.javaNumbers ? md5Upper(canonicalString(data, 'java')) : sealed.md5
    const body = { action: r.definition.action, version: r.wrongVersion ?? r.definition.versions[0], merchant_id: r.merchant.merchant_id, data: md5 === sealed.md5 ? sealed.data : encrypt(JSON.stringify(data), deriveKey(md5, r.merchant.sign_key)), md5 }
    await post(app, url, JSON.stringify(body), { 'content-type': 'application/json' }, tally)
  }), { numRuns: runs })
  t.equal(tally.calls, runs)
  await stillServes(t, app, tally)
  t.ok((tally.codes.get('SUCCESS') ?? 0) > 0, `some reach an action and succeed (${tally.codes.get('SUCCESS') ?? 0})`)
  t.ok((tally.codes.get('PARAM_INVALID') ?? 0) > 0, 'some are refused for a field')
})

t.test('a card number in any field of any action never comes back unmasked in rsp_msg', async (t) => {
  const { app, tally } = await fuzzSandbox(t)
  const fieldNames = [...new Set(ACTIONS.flatMap((a) => Object.keys((a.data.schema as { properties?: object }).properties ?? {})))]
  const request = fc.record({
    definition: fc.constantFrom(...ACTIONS),
    field: fc.constantFrom(...fieldNames, 'orderId', 'bizType', 'remarks', 'card_no'),
    pan: panArbitrary,
    around: fc.constantFrom(['', ''], ['card ', ''], ['', ' please'], ['no=', ';'], ['(', ')'])
  })
  let n = 0
  let quoted = 0
  const runs = 1500
  await fc.assert(fc.asyncProperty(path, request, async (url, r) => {
    n++
    const data: DataObject = { ...TEMPLATES[r.definition.action]!(n), [r.field]: r.around[0] + r.pan.written + r.around[1] }
    const res = await app.inject({ method: 'POST', url, payload: { action: r.definition.action, version: r.definition.versions[0], merchant_id: MERCHANT.merchant_id, ...seal(data, MERCHANT.sign_key) } })
    checkAnswer(res, tally)
    const message = String(res.json().rsp_msg)
    if (message.includes(r.pan.written) || message.includes(r.pan.digits)) throw new Error(`rsp_msg shows the card number: ${message}`)
    if (message.includes(`*${r.pan.digits.slice(-4)}`)) quoted++
  }), { numRuns: runs })
  t.equal(tally.calls, runs)
  await stillServes(t, app, tally)
  t.ok(quoted > runs / 10, `many rejections quoted the number, masked (${quoted})`)
})

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/json;',
  'application/vnd.api+json', 'text/plain', 'text/plain; charset=latin1', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'application/xml', 'application/octet-stream', '*/*', 'image/png', ';', ''
]

t.test('raw bodies that are not JSON, under odd content types, some over the body limit', async (t) => {
  const { app, tally } = await fuzzSandbox(t)
  const payload = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    fc.dictionary(fc.constantFrom('action', 'version', 'merchant_id', 'data', 'md5', 'x'), fc.string({ maxLength: 20 })).map((form) => new URLSearchParams(form).toString()),
    fc.constantFrom('{', '{"action":', '[]', 'null', '""', '{"__proto__":{"x":1}}', '{"action":"ACTIVEPAY"}'.repeat(3), '\uFEFF{}', 'action=ACTIVEPAY&action=H5PAY'),
    fc.integer({ min: BODY_LIMIT - 10, max: BODY_LIMIT + 2000 }).map((size) => JSON.stringify({ action: 'ACTIVEPAY', data: 'A'.repeat(size) }))
  )
  const contentType = fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.stringMatching(/^[\x21-\x7e]{1,30}$/), fc.constant(undefined))
  const runs = 1500
  await fc.assert(fc.asyncProperty(path, payload, contentType, fc.boolean(), async (url, body, type, gzip) => {
    const headers: Record<string, string> = {}
    if (type !== undefined) headers['content-type'] = type
    if (gzip) headers['content-encoding'] = 'gzip'
    await post(app, url, body, headers, tally)
  }), { numRuns: runs })
  t.equal(tally.calls, runs)
  await stillServes(t, app, tally)
  t.ok((tally.codes.get('PARAM_ERROR') ?? 0) > runs / 2, 'mostly PARAM_ERROR')
})

t.test('the fuzz threw at least 10,000 requests in all', async (t) => {
  t.ok(total >= 10_000, `${total} requests`)
})
