import { Readable } from 'node:stream'
import t, { type Test } from 'tap'
import { InputError } from '../../src/cli/errors.js'
import { readJsonObject } from '../../src/cli/stdin.js'
import { CryptoError, deriveKey, diagnose, encrypt, jsonDepth, MAX_DATA_DEPTH, md5Upper, openDetailed, seal, type DataObject } from '../../src/crypto/index.js'
import { GATEWAY_CODES } from '../../src/domain/errors.js'
import { ACTIONS } from '../../src/protocol/registry.js'
import { GATEWAY_PATHS } from '../../src/routes/process.js'
import { activePayData, build, callGateway, envelope, MERCHANT } from '../helpers/build.js'
import { handSealed, latestRequest } from '../helpers/raw-gateway.js'

/** `base` with an `extra` field that makes the whole data object exactly `depth` levels deep (objects and arrays alternate). */
function atDepth (base: DataObject, depth: number): DataObject {
  let value: unknown = 'leaf'
  for (let level = depth; level > 1; level--) value = level % 2 === 0 ? { k: value } : [value]
  return { ...base, extra: value }
}

/** A plaintext far too deep to build as a value (JSON.stringify would overflow): `base` plus `"extra":[[[…]]]`. */
function deepText (base: DataObject, arrays: number): string {
  return JSON.stringify(base).replace(/}$/, `,"extra":${'['.repeat(arrays)}${']'.repeat(arrays)}}`)
}

/** A depth refusal as the client sees it: HTTP 200, PARAM_INVALID, no data, the message naming depth, limit and path. */
function assertTooDeep (t: Test, status: number, body: { rsp_code: string, rsp_msg: string, data?: string }, depth: number, path: string): void {
  t.equal(status, 200, 'HTTP 200, not a 5xx')
  t.equal(body.rsp_code, 'PARAM_INVALID', body.rsp_msg)
  t.ok(body.rsp_msg.startsWith(GATEWAY_CODES.PARAM_INVALID), 'Appendix B text first')
  t.match(body.rsp_msg, /nested too deeply/)
  t.match(body.rsp_msg, `${depth} levels`, 'names the depth')
  t.match(body.rsp_msg, `the limit is ${MAX_DATA_DEPTH}`, 'names the limit')
  t.match(body.rsp_msg, `starts at ${path}`, 'names where')
  t.equal(body.data, undefined, 'no answer data')
}

t.test('jsonDepth measures nesting without recursion', async (t) => {
  t.equal(MAX_DATA_DEPTH, 32, 'the documented limit')
  t.same(jsonDepth('"a"'), { depth: 0, tooDeepAt: undefined }, 'a scalar has no depth')
  t.same(jsonDepth('{"a":"1","b":"2"}'), { depth: 1, tooDeepAt: undefined }, 'a flat object is level 1')
  t.equal(jsonDepth('{"a":{"b":[1,[2]]}}').depth, 4)
  t.equal(jsonDepth('{"a":"[[[[{{{{","b":"\\"]]]]"}').depth, 1, 'brackets and escaped quotes inside strings do not count')
  t.equal(jsonDepth(JSON.stringify(atDepth({}, 32))).tooDeepAt, undefined, '32 is within the limit')
  t.equal(jsonDepth(JSON.stringify(atDepth({}, 33))).depth, 33)
  t.equal(jsonDepth(JSON.stringify(atDepth({}, 33))).tooDeepAt, `$.extra${'.k[0]'.repeat(15)}.k`, 'the path of level 33')

  t.test('the path names keys and indexes, quoting keys that are not plain names and cutting long ones', async (t) => {
    t.same(jsonDepth('{"a":1,"b c\\n":[0,{"x":1},[[]]]}', 3), { depth: 4, tooDeepAt: '$["b c\\n"][2][0]' }, 'index 2, then its first element')
    const long = 'k'.repeat(100)
    const at = jsonDepth(`{"${long}":{"b":[]}}`, 2).tooDeepAt!
    t.equal(at, `$["${'k'.repeat(32)}…"].b`)
    t.notMatch(at, /\n/, 'a key with a line break never breaks the message')
    t.equal(jsonDepth('{"\\u0061":[[]]}', 2).tooDeepAt, '$.a[0]', 'escaped keys are decoded')
  })

  t.test('100,000 levels: measured in one pass, no stack overflow', async (t) => {
    const depth = 100_000
    const result = jsonDepth(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`)
    t.equal(result.depth, depth + 1)
    t.equal(result.tooDeepAt, `$.a${'[0]'.repeat(MAX_DATA_DEPTH - 1)}`)
  })

  t.test('text that is not JSON gives a best effort, never a throw', async (t) => {
    t.equal(jsonDepth(']]]}}').depth, 0)
    t.equal(jsonDepth('[[["unterminated').depth, 3)
    t.equal(jsonDepth('{"a').depth, 1)
  })
})

t.test('openDetailed refuses deep data as JSON_TOO_DEEP, before the md5', async (t) => {
  const key = 'DEPTH-TEST-KEY01'
  t.same(Object.keys(openDetailed(seal(atDepth({ a: '1' }, 32), key), key).data), ['a', 'extra'], '32 levels open')

  const right = seal(atDepth({ a: '1' }, 33), key)
  const wrongMd5 = md5Upper('not the digest')
  const cases = [
    { name: 'right md5', sealed: right },
    { name: 'wrong md5', sealed: { data: encrypt(JSON.stringify(atDepth({ a: '1' }, 33)), deriveKey(wrongMd5, key)), md5: wrongMd5 } }
  ]
  for (const c of cases) {
    t.test(c.name, async (t) => {
      const err = t.throws(() => openDetailed(c.sealed, key)) as CryptoError
      t.type(err, CryptoError)
      t.equal(err.code, 'JSON_TOO_DEEP', err.message)
      t.match(err.message, /^data decrypted, but its JSON is nested too deeply: 33 levels/)
      t.ok(err.details.plaintext?.startsWith('{"a":"1"'), 'the decrypted text is kept for diagnostics')
      t.equal(err.details.expectedMd5, undefined, 'the md5 step was not reached')
      t.same(diagnose(c.sealed, key).map((h) => h.code), ['JSON_NESTED_TOO_DEEPLY'], 'diagnose names the cause, not the key')
    })
  }

  t.test('a RangeError from JSON.parse is the same refusal (parsers that recurse throw it)', async (t) => {
    const parse = JSON.parse
    JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
      if (text.startsWith('{"a":"1"')) throw new RangeError('Maximum call stack size exceeded')
      return parse(text, reviver)
    }) as typeof JSON.parse
    let err: unknown
    try {
      openDetailed(right, key)
    } catch (caught) {
      err = caught
    } finally {
      JSON.parse = parse
    }
    t.type(err, CryptoError)
    t.equal((err as CryptoError).code, 'JSON_TOO_DEEP')
    t.match((err as CryptoError).message, /nested too deeply: 33 levels/)
  })
})

t.test('the gateway: 32 levels accepted, 33 refused before the md5 and never stored', async (t) => {
  const { app, store } = await build(t)

  t.test('32 levels: SUCCESS, the order stored', async (t) => {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', atDepth(activePayData({ order_id: 'DEPTH32' }), 32)))
    t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
    t.ok(store.orders.find(MERCHANT.merchant_id, 'DEPTH32'), 'the order exists')
  })

  t.test('33 levels with the right md5: PARAM_INVALID, nothing stored', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/processV2', payload: envelope('ACTIVEPAY', '1.0', atDepth(activePayData({ order_id: 'DEPTH33' }), 33)) })
    assertTooDeep(t, res.statusCode, res.json(), 33, `$.extra${'.k[0]'.repeat(15)}.k`)
    t.equal(store.orders.find(MERCHANT.merchant_id, 'DEPTH33'), undefined, 'no order')

    const entry = await latestRequest(app)
    t.equal(entry.failed_step, 'json', 'the inspector says the JSON step failed')
    t.equal(entry.rsp_msg, res.json().rsp_msg, 'with the message the client got')
    t.same(entry.hints.map((h) => h.code), ['JSON_NESTED_TOO_DEEPLY'])
    t.match(entry.hints[0]!.message, `more than ${MAX_DATA_DEPTH} levels`)
    t.match(entry.steps.find((s) => s.step === 'json')!.label, `at most ${MAX_DATA_DEPTH} levels`, 'the step label states the limit')
    t.equal(entry.crypto.expected_md5, null, 'md5 never computed')
    t.equal(entry.data, null)
  })

  t.test('33 levels with a wrong md5: still the depth, not the md5', async (t) => {
    const plaintext = JSON.stringify(atDepth(activePayData({ order_id: 'DEPTH33B' }), 33))
    const res = await app.inject({ method: 'POST', url: '/processV2', payload: handSealed(plaintext, md5Upper('whatever')) })
    assertTooDeep(t, res.statusCode, res.json(), 33, '$.extra')
    t.notMatch(res.json().rsp_msg, /md5/)
  })

  t.test('100,000 levels: refused cleanly, logged, and the sandbox still works', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/processV2', payload: handSealed(deepText(activePayData({ order_id: 'DEEP100K' }), 100_000), md5Upper('whatever')) })
    assertTooDeep(t, res.statusCode, res.json(), 100_001, `$.extra${'[0]'.repeat(MAX_DATA_DEPTH - 1)}`)
    t.equal(store.orders.find(MERCHANT.merchant_id, 'DEEP100K'), undefined, 'no order')
    const entry = await latestRequest(app)
    t.equal(entry.failed_step, 'json')
    t.match(entry.crypto.plaintext, /more characters\)$/, 'the logged text is clipped')
    const again = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'AFTERDEEP' })))
    t.equal(again.body.rsp_code, 'SUCCESS', 'a good request still succeeds')
  })
})

t.test('every action, on every gateway path, refuses 33 levels and lets 32 through the JSON step', async (t) => {
  const { app } = await build(t)
  t.ok(ACTIONS.length >= 12, 'the registry lists the actions')
  for (const definition of ACTIONS) {
    const version = definition.versions[0]!
    for (const url of GATEWAY_PATHS) {
      t.test(`${definition.action} ${version} on ${url}`, async (t) => {
        const deep = await callGateway(app, envelope(definition.action, version, atDepth({ order_id: 'DEPTHALL' }, 33)), MERCHANT, url)
        assertTooDeep(t, deep.status, deep.body, 33, '$.extra')

        const huge = await app.inject({ method: 'POST', url, payload: handSealed(deepText({ order_id: 'DEPTHALL' }, 100_000), md5Upper('whatever'), definition.action, version) })
        assertTooDeep(t, huge.statusCode, huge.json(), 100_001, '$.extra')

        // 32 levels pass the JSON step: whatever the action then says, it is not about the depth.
        const within = await callGateway(app, envelope(definition.action, version, atDepth({ order_id: 'DEPTHALL' }, 32)), MERCHANT, url)
        t.notMatch(within.body.rsp_msg, /nested too deeply/, within.body.rsp_msg)
        t.not(within.body.rsp_code, 'SYSTEM_ERROR')
      })
    }
  }
})

t.test('the CLI\'s stdin reader answers a RangeError from JSON.parse as nested too deeply, not "not JSON"', async (t) => {
  const text = `{"a":${'['.repeat(40)}${']'.repeat(40)}}`
  const parse = JSON.parse
  JSON.parse = ((input: string, reviver?: Parameters<typeof parse>[1]) => {
    if (input === text) throw new RangeError('Maximum call stack size exceeded')
    return parse(input, reviver)
  }) as typeof JSON.parse
  try {
    // Without the depth limit too (open reads envelopes): a parser that gave up on depth is never "not JSON".
    for (const limitDepth of [false, true]) {
      const err = await readJsonObject(Readable.from([text]), 'the data to seal', limitDepth).then(() => undefined, (caught: unknown) => caught)
      t.type(err, InputError, `limitDepth ${limitDepth}`)
      t.match((err as Error).message, /^stdin is nested too deeply: 41 levels of objects and arrays, the limit is 32 \(level 33 starts at \$\.a(\[0\]){31}\)$/)
    }
  } finally {
    JSON.parse = parse
  }
  t.same(await readJsonObject(Readable.from([text]), 'the sealed data'), JSON.parse(text), 'open reads a deep envelope as it is')
})
