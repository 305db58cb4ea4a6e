import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { build, MERCHANT, OTHER_MERCHANT } from '../helpers/build.js'

const armFault = (app: FastifyInstance, payload: unknown) => app.inject({ method: 'POST', url: '/sandbox/api/faults', payload: payload as Record<string, unknown> })
const ids = async (app: FastifyInstance, query = '') => ((await app.inject(`/sandbox/api/faults${query}`)).json() as { faults: Array<{ id: string }> }).faults.map((f) => f.id)

t.test('GET lists armed faults oldest first with their defaults; DELETE disarms one, a merchant\'s, or all', async (t) => {
  const { app } = await build(t)
  t.equal((await armFault(app, { match: { merchant_id: MERCHANT.merchant_id }, effect: { type: 'corrupt' }, times: 3 })).statusCode, 201)
  await armFault(app, { effect: { type: 'drop' } })
  await armFault(app, { match: { merchant_id: OTHER_MERCHANT.merchant_id, on: 'callback' }, effect: { type: 'out_of_order' } })
  await armFault(app, { match: { merchant_id: MERCHANT.merchant_id }, effect: { type: 'delay', ms: 10 } })

  const list = (await app.inject('/sandbox/api/faults')).json()
  t.same(list.faults.map((f: { id: string }) => f.id), ['flt_1', 'flt_2', 'flt_3', 'flt_4'])
  t.same(list.faults[0], {
    id: 'flt_1',
    match: { on: 'gateway', merchant_id: MERCHANT.merchant_id, action: null },
    effect: { type: 'corrupt', target: 'data' },
    times: 3,
    remaining: 3,
    fired: 0,
    armed_at: '2026-01-15T04:00:00.000Z'
  })
  t.same(list.faults[1].effect, { type: 'drop', when: 'before' })
  t.same(list.faults[2].effect, { type: 'out_of_order', ms: 300_000 })
  t.same(await ids(app, `?merchant_id=${MERCHANT.merchant_id}`), ['flt_1', 'flt_4'], 'a merchant\'s faults, not the ones for any merchant')

  t.same((await app.inject({ method: 'DELETE', url: '/sandbox/api/faults/flt_4' })).json(), { removed: 1 })
  const unknown = await app.inject({ method: 'DELETE', url: '/sandbox/api/faults/flt_4' })
  t.equal(unknown.statusCode, 404)
  t.match(unknown.json(), { error: 'NOT_FOUND', message: /fault flt_4 is not armed/ })

  t.same((await app.inject({ method: 'DELETE', url: `/sandbox/api/faults?merchant_id=${MERCHANT.merchant_id}` })).json(), { removed: 1 })
  t.same(await ids(app), ['flt_2', 'flt_3'])
  t.same((await app.inject({ method: 'DELETE', url: '/sandbox/api/faults' })).json(), { removed: 2 })
  t.same(await ids(app), [])
  const next = await armFault(app, { effect: { type: 'drop' } })
  t.equal(next.json().id, 'flt_5', 'ids are never reused')
})

t.test('bad faults are refused with a 400 naming the field', async (t) => {
  const { app } = await build(t)
  const cases: Array<[unknown, RegExp]> = [
    [[], /the body must be a JSON object/],
    [{}, /^effect is required$/],
    [{ effect: { type: 'explode' } }, /^effect\.type must be one of status, delay, drop, corrupt, duplicate, out_of_order, got "explode"$/],
    [{ effect: { type: 'status' } }, /^effect\.status is required$/],
    [{ effect: { type: 'status', status: 200 } }, /^effect\.status must be an HTTP status from 400 to 599, got number 200$/],
    [{ effect: { type: 'status', status: 503, when: 'later' } }, /^effect\.when must be "before" or "after"/],
    [{ effect: { type: 'delay' } }, /^effect\.ms is required$/],
    [{ effect: { type: 'delay', ms: -1 } }, /^effect\.ms must be a whole number of milliseconds/],
    [{ effect: { type: 'delay', ms: 120_001 } }, /^effect\.ms must be at most 120000 for a gateway delay/],
    [{ effect: { type: 'corrupt', target: 'rsp_code' } }, /^effect\.target must be "data" or "md5"/],
    [{ effect: { type: 'drop' }, times: 0 }, /^times must be a whole number from 1 to 1000000, got number 0$/],
    [{ effect: { type: 'drop' }, times: 1.5 }, /^times must be a whole number/],
    [{ effect: { type: 'drop' }, tims: 2 }, /^tims: unexpected property/],
    [{ match: { on: 'gateway' }, effect: { type: 'duplicate' } }, /^effect\.type "duplicate" does not apply to gateway calls/],
    [{ match: { on: 'callback' }, effect: { type: 'corrupt' } }, /^effect\.type "corrupt" does not apply to callbacks \(match\.on "callback"\): callback faults are delay, drop, duplicate, out_of_order$/],
    [{ match: { on: 'callback' }, effect: { type: 'status', status: 503 } }, /^effect\.type "status" does not apply to callbacks/],
    [{ match: { on: 'callback' }, effect: { type: 'drop', when: 'after' } }, /^effect\.when "after" does not apply to callbacks: a dropped callback is never sent/],
    [{ match: { on: 'callback' }, effect: { type: 'drop', when: 'never' } }, /^effect\.when must be "before" or "after"/],
    [{ match: { on: 'both' }, effect: { type: 'drop' } }, /^match\.on must be "gateway" or "callback"/],
    [{ match: { merchant_id: 'QC99999999' }, effect: { type: 'drop' } }, /^match\.merchant_id "QC99999999" is not a merchant of this sandbox/],
    [{ match: { action: 'activepay' }, effect: { type: 'drop' } }, /^match\.action must be one of STATUS_QUERY, .*, got "activepay"$/]
  ]
  for (const [payload, message] of cases) {
    const res = await armFault(app, payload)
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.match(res.json(), { error: 'BAD_REQUEST', message }, JSON.stringify(payload))
  }
  t.same(await ids(app), [], 'nothing was armed')
  t.equal((await armFault(app, { match: { on: 'callback', action: 'webPay' }, effect: { type: 'delay', ms: 86_400_000 } })).statusCode, 201, 'callbacks of payment links match by link name, and wait up to a year')
})

t.test('drop arms on callbacks with match.on "callback"; without it, on gateway calls as before', async (t) => {
  const { app } = await build(t)
  const res = await armFault(app, { match: { on: 'callback', merchant_id: MERCHANT.merchant_id }, effect: { type: 'drop' } })
  t.equal(res.statusCode, 201)
  t.match(res.json(), { id: 'flt_1', match: { on: 'callback', merchant_id: MERCHANT.merchant_id, action: null }, effect: { type: 'drop', when: 'before' }, times: 1 })
  const before = await armFault(app, { match: { on: 'callback', action: 'webPay' }, effect: { type: 'drop', when: 'before' }, times: 2 })
  t.equal(before.statusCode, 201, '"before" is what a dropped callback is: never sent')
  t.equal((await armFault(app, { effect: { type: 'drop' } })).json().match.on, 'gateway', 'without match.on, drop still acts on gateway calls')

  const form = await app.inject({ method: 'POST', url: '/sandbox/faults', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ effect: 'drop', on: 'callback', when: '', times: '1' }).toString() })
  t.equal(form.statusCode, 303)
  t.equal(form.headers.location, '/sandbox/faults?done=armed', 'the admin form arms it too')
  const page = (await app.inject('/sandbox/faults')).body
  t.match(page, /<tr id="fault-flt_4">\s*<td><code>flt_4<\/code><\/td>\s*<td>callback<\/td>[\s\S]*?<td>drop the callback \(never sent, not retried\)<\/td>/, 'the page says what a callback drop does')
  t.match(page, /<tr id="fault-flt_3">[\s\S]*?<td>drop the connection \(without processing\)<\/td>/, 'and a gateway drop as before')
  t.match(page, '<option value="drop">drop: close the connection (gateway) or lose the callback (callback)</option>')
})

t.test('resetting a merchant disarms its faults and keeps the others', async (t) => {
  const { app } = await build(t)
  await armFault(app, { match: { merchant_id: MERCHANT.merchant_id }, effect: { type: 'drop' } })
  await armFault(app, { match: { merchant_id: OTHER_MERCHANT.merchant_id }, effect: { type: 'drop' } })
  await armFault(app, { effect: { type: 'drop' } })
  const res = await app.inject({ method: 'POST', url: `/sandbox/api/reset?merchant_id=${MERCHANT.merchant_id}` })
  t.equal(res.statusCode, 200)
  t.equal(res.json().removed.faults, 1)
  t.same(await ids(app), ['flt_2', 'flt_3'])
  const all = await app.inject({ method: 'POST', url: '/sandbox/api/reset' })
  t.equal(all.json().removed.faults, 2)
  t.same(await ids(app), [])
})

t.test('with ADMIN_TOKEN the fault routes need it', async (t) => {
  const { app } = await build(t, { env: { ADMIN_TOKEN: 'fault-token-123' } })
  t.equal((await armFault(app, { effect: { type: 'drop' } })).statusCode, 401)
  t.equal((await app.inject('/sandbox/api/faults')).statusCode, 401)
  const armed = await app.inject({ method: 'POST', url: '/sandbox/api/faults', headers: { 'x-admin-token': 'fault-token-123' }, payload: { effect: { type: 'drop' } } })
  t.equal(armed.statusCode, 201)
})

t.test('the fault routes and shapes are in /docs/json', async (t) => {
  const { app } = await build(t)
  const doc = (await app.inject('/docs/json')).json()
  const post = doc.paths['/sandbox/api/faults'].post
  t.same(post.tags, ['control API'])
  const effects = post.requestBody.content['application/json'].schema.properties.effect.anyOf as Array<{ properties: { type: { const?: string, enum?: string[] } } }>
  t.same(effects.map((e) => e.properties.type.const ?? e.properties.type.enum?.[0]), ['status', 'delay', 'drop', 'corrupt', 'duplicate', 'out_of_order'])
  for (const method of ['get', 'delete']) t.ok(doc.paths['/sandbox/api/faults'][method].summary, `${method} has a summary`)
  t.ok(doc.paths['/sandbox/api/faults/{id}'].delete.summary)
  t.ok(doc.components.schemas.Fault, 'the armed fault is a component')
  const drop = effects[2] as unknown as { title: string, description: string }
  t.equal(drop.title, 'drop (gateway or callback)')
  t.match(drop.description, /Callback \(`match\.on: "callback"`\): the callback is never sent, as if lost on the way, and not retried/)
  t.match(post.description, /callback effects \(`match\.on: "callback"`\): `delay`, `drop`, `duplicate`, `out_of_order`/)
})
