import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { open } from '../../src/crypto/index.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import { createMerchantDirectory, DEFAULT_OPERATOR } from '../../src/engine/merchants.js'
import type { MerchantKeys } from '../../src/domain/merchant-keys.js'
import { StoreError } from '../../src/domain/errors.js'
import { createStore } from '../../src/store/index.js'
import { flakyDisk } from '../helpers/flaky-disk.js'
import { activePayData, build, callGateway, envelope, MERCHANT, OTHER_MERCHANT, T0 } from '../helpers/build.js'
import { createMerchant } from '../helpers/runtime-merchant.js'

const TOKEN = 'admin-token-1234'

interface Listed {
  merchant_id: string
  sign_key?: string
  sign_key_masked: string
  runtime?: true
}

const listing = async (app: Parameters<typeof createMerchant>[0], query = '') =>
  (await app.inject(`/sandbox/api/merchants${query}`)).json() as { merchants: Listed[] }

t.test('POST /sandbox/api/merchants creates a merchant with a random id, sign key and merCode, answered once in full', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'POST', url: '/sandbox/api/merchants' })
  t.equal(res.statusCode, 201, 'no body at all is fine')
  const created = res.json() as Record<string, unknown>
  t.match(created, {
    merchant_id: /^RT[0-9]{8}$/,
    sign_key: /^[A-Za-z0-9]{16}$/,
    mer_code: /^[A-Za-z0-9]{16}$/,
    currency: 'CAD',
    operators: [DEFAULT_OPERATOR],
    name: `Runtime merchant ${String(created.merchant_id)}`,
    runtime: true
  })
  t.same(Object.keys(created).sort(), ['currency', 'mer_code', 'merchant_id', 'name', 'operators', 'runtime', 'sign_key'])

  const second = await createMerchant(app, {})
  const nullBody = await app.inject({ method: 'POST', url: '/sandbox/api/merchants', headers: { 'content-type': 'application/json' }, payload: 'null' })
  t.equal(nullBody.statusCode, 201, 'a JSON null body asks for the defaults too')
  const third = nullBody.json() as typeof second
  const ids = new Set([created.merchant_id, second.merchant_id, third.merchant_id])
  t.equal(ids.size, 3, 'every merchant gets its own id')
  t.equal(new Set([created.sign_key, second.sign_key, third.sign_key]).size, 3, 'and its own key')
  t.equal(new Set([created.mer_code, second.mer_code, third.mer_code]).size, 3, 'and its own merCode')
})

t.test('the chosen fields are kept', async (t) => {
  const { app } = await build(t)
  const merchant = await createMerchant(app, { name: 'Worker 3', currency: 'USD', operators: ['0000000007', '0000000008'], convenience_fee: '1', autopay_after: '5s' })
  t.match(merchant, { name: 'Worker 3', currency: 'USD', operators: ['0000000007', '0000000008'], convenience_fee: '1', autopay_after: '5s' })
  const { merchants } = await listing(app)
  t.match(merchants.find((m) => m.merchant_id === merchant.merchant_id), { name: 'Worker 3', currency: 'USD', convenience_fee: '1', autopay_after: '5s', runtime: true })
})

t.test('bad input is refused with a message naming the field, and creates nothing', async (t) => {
  const { app } = await build(t)
  const cases: Array<[unknown, RegExp]> = [
    [{ sign_key: 'MYOWNKEY12345678' }, /unknown field sign_key.*the sandbox picks merchant_id, sign_key and mer_code/],
    [{ merchant_id: 'RT00000001', mer_code: 'x' }, /unknown fields merchant_id, mer_code/],
    [{ currency: 'EUR' }, /body\/currency must be equal to one of the allowed values/],
    [{ operators: [] }, /operators/],
    [{ operators: ['op-1'] }, /operators/],
    [{ operators: ['0000000001', '0000000001'] }, /operators/],
    [{ name: '' }, /name/],
    [{ convenience_fee: '1.00' }, /convenience_fee/],
    [{ autopay_after: 'soon' }, /autopay_after/],
    [[], /body must be object/]
  ]
  for (const [payload, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/sandbox/api/merchants', payload: payload as Record<string, unknown> })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.equal(res.json().error, 'BAD_REQUEST')
    t.match(res.json().message, message, JSON.stringify(payload))
  }
  t.same((await listing(app)).merchants.map((m) => m.merchant_id), [MERCHANT.merchant_id, OTHER_MERCHANT.merchant_id])
})

t.test('the new merchant works at once: gateway, sealed answers and callbacks, hosted links, autopay, admin UI', async (t) => {
  const { app, store, clock } = await build(t)
  const merchant = await createMerchant(app, { autopay_after: '5s' })
  const paid = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ operator_id: DEFAULT_OPERATOR }), merchant), merchant)
  t.equal(paid.body.rsp_code, 'SUCCESS', paid.body.rsp_msg)
  t.equal(paid.data?.order_id, 'ORDER0001', 'the answer opens with the new key')

  clock.set(T0 + 5000)
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal(store.orders.find(merchant.merchant_id, 'ORDER0001')?.status, 'success', 'its autopay_after applies')
  const [delivery] = store.callbacks.forOrder(merchant.merchant_id, 'ORDER0001')
  t.equal(delivery?.body.merchant_id, merchant.merchant_id)
  t.match(open({ data: delivery!.body.data!, md5: delivery!.body.md5! }, merchant.sign_key), { order_id: 'ORDER0001' }, 'the callback is sealed with its key')

  const b64 = (text: string) => Buffer.from(text).toString('base64')
  const link = new URLSearchParams({ merCode: merchant.mer_code, merchantId: merchant.merchant_id, orderId: 'LINK1', operId: DEFAULT_OPERATOR, amount: '100', returnURL: b64('https://merchant.example/r'), notifyURL: b64('https://merchant.example/cb') })
  const linked = await app.inject(`/webPay?${link.toString()}`)
  t.equal(linked.statusCode, 302, 'its merCode opens the hosted links')
  t.equal(store.orders.find(merchant.merchant_id, 'LINK1')?.action, 'webPay')

  const page = await app.inject('/sandbox/merchants')
  t.equal(page.statusCode, 200)
  t.match(page.body, merchant.merchant_id, 'the admin UI lists it')

  const other = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ operator_id: '0000020156' }), merchant), merchant)
  t.equal(other.body.rsp_code, 'PARAM_INVALID', 'the fixture merchant\'s operator is not its operator')
})

t.test('the sign key is returned once: listings mask it, also with ?reveal=true', async (t) => {
  const { app } = await build(t)
  const merchant = await createMerchant(app)
  for (const query of ['', '?reveal=true']) {
    const res = await app.inject(`/sandbox/api/merchants${query}`)
    t.notMatch(res.body, merchant.sign_key, `${query || 'plain'}: the key is nowhere in the body`)
    const listed = (res.json() as { merchants: Listed[] }).merchants.find((m) => m.merchant_id === merchant.merchant_id)
    t.equal(listed?.sign_key, undefined)
    t.equal(listed?.sign_key_masked, merchant.sign_key.slice(0, 2) + '*'.repeat(12) + merchant.sign_key.slice(-2))
    t.equal(listed?.runtime, true)
  }
  const revealed = await listing(app, '?reveal=true')
  t.equal(revealed.merchants[0]?.sign_key, MERCHANT.sign_key, 'fixture keys are still revealed')
  t.equal(revealed.merchants[0]?.runtime, undefined, 'fixture merchants are not runtime')

  const page = await app.inject('/sandbox/merchants')
  t.notMatch(page.body, merchant.sign_key, 'the admin UI never shows it either')
  t.notMatch(page.body, `key-full-${merchant.merchant_id}`, 'no Reveal for a runtime merchant')
  t.match(page.body, `key-full-${MERCHANT.merchant_id}`, 'fixture keys keep their Reveal')
  t.match(page.body, MERCHANT.sign_key)
})

t.test('with ADMIN_TOKEN, creating a merchant needs the token; another site\'s page cannot create one', async (t) => {
  const { app } = await build(t, { env: { ADMIN_TOKEN: TOKEN } })
  const denied = await app.inject({ method: 'POST', url: '/sandbox/api/merchants' })
  t.equal(denied.statusCode, 401)
  const crossSite = await app.inject({ method: 'POST', url: '/sandbox/api/merchants', headers: { 'x-admin-token': TOKEN, origin: 'https://evil.example' } })
  t.equal(crossSite.statusCode, 403)
  const merchant = await createMerchant(app, {}, { authorization: `Bearer ${TOKEN}` })
  t.match(merchant.merchant_id, /^RT/)
  const listed = await app.inject({ url: '/sandbox/api/merchants', headers: { 'x-admin-token': TOKEN } })
  t.equal((listed.json() as { merchants: Listed[] }).merchants.length, 3, 'only the authorised call created one')
})

t.test('a runtime merchant is on disk before the 201, and only runtime merchants are written', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const { app } = await build(t, { store: await createStore(file) })
  const merchant = await createMerchant(app, { name: 'Disk' })
  const lines = readFileSync(`${file}.journal`, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { op: string, put: Merchant[] })
  const written = lines.filter((line) => line.op === 'merchants').flatMap((line) => line.put)
  t.same(written.map((m) => m.merchant_id), [merchant.merchant_id], 'fixture merchants are never written')
  t.equal(written[0]?.sign_key, merchant.sign_key, 'the key is kept so that it works after a restart')
  t.same((await createStore(file)).merchants.list().map((m) => m.merchant_id), [merchant.merchant_id])
})

t.test('a failed write creates no merchant', async (t) => {
  const disk = flakyDisk()
  const { app } = await build(t, { store: await createStore(join(t.testdir(), 'sandbox.json'), { openFile: disk.openFile }) })
  disk.broken = true
  const res = await app.inject({ method: 'POST', url: '/sandbox/api/merchants' })
  t.equal(res.statusCode, 500)
  t.equal(res.json().error, 'DB_ERROR', 'the control API names a failed write as the gateway does')
  t.match(res.json().message, /could not be saved/)
  t.notMatch(res.body, /sign_key/)
  t.equal((await listing(app)).merchants.length, 2)
})

t.test('DELETE /sandbox/api/merchants/:merchant_id removes a runtime merchant with its orders; fixture merchants stay', async (t) => {
  const { app, store } = await build(t)
  const gone = await createMerchant(app)
  const kept = await createMerchant(app)
  for (const merchant of [gone, kept]) {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ operator_id: DEFAULT_OPERATOR }), merchant), merchant)
    t.equal(answer.body.rsp_code, 'SUCCESS')
  }
  const res = await app.inject({ method: 'DELETE', url: `/sandbox/api/merchants/${gone.merchant_id}` })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { merchant_id: gone.merchant_id, removed: { merchants: 1, orders: 1, requests: 1 } })
  t.equal(store.orders.find(gone.merchant_id, 'ORDER0001'), undefined)
  t.ok(store.orders.find(kept.merchant_id, 'ORDER0001'), 'the other merchant keeps its order')
  const refused = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ operator_id: DEFAULT_OPERATOR }), gone), gone)
  t.equal(refused.body.rsp_code, 'PARAM_INVALID')
  t.match(refused.body.rsp_msg, `unknown merchant_id "${gone.merchant_id}"`)

  const again = await app.inject({ method: 'DELETE', url: `/sandbox/api/merchants/${gone.merchant_id}` })
  t.equal(again.statusCode, 404)
  t.match(again.json(), { error: 'NOT_FOUND', message: `merchant ${gone.merchant_id} is not a merchant of this sandbox` })

  const fixture = await app.inject({ method: 'DELETE', url: `/sandbox/api/merchants/${MERCHANT.merchant_id}` })
  t.equal(fixture.statusCode, 409)
  t.match(fixture.json(), { error: 'FIXTURE_MERCHANT', message: /comes from the fixtures .* cannot be deleted/ })
  t.equal((await listing(app)).merchants.length, 3, 'both fixture merchants and the kept one')
})

/** Keys that hand out the given values in turn, to force collisions. */
function scripted (ids: string[], codes: string[]): MerchantKeys {
  let key = 0
  return {
    merchantId: () => ids.shift() ?? 'RT99999999',
    merCode: () => codes.shift() ?? 'ZZZZZZZZZZZZZZZZ',
    signKey: () => `SCRIPTEDKEY${String(++key).padStart(5, '0')}`
  }
}

t.test('a random id or merCode that is taken is drawn again', async (t) => {
  const fixture: Merchant = { ...MERCHANT, merchant_id: 'RT00000001', mer_code: 'TAKENMERCODE0001' }
  const store = await createStore(':memory:')
  const directory = createMerchantDirectory([fixture], store, scripted(['RT00000001', 'RT00000002', 'RT00000002', 'RT00000003'], ['TAKENMERCODE0001', 'FREEMERCODE00001', 'FREEMERCODE00001', 'FREEMERCODE00002']))
  const first = await directory.create()
  t.equal(first.merchant_id, 'RT00000002', 'the fixture merchant\'s id is skipped')
  t.equal(first.mer_code, 'FREEMERCODE00001', 'the fixture merchant\'s merCode is skipped')
  const second = await directory.create()
  t.equal(second.merchant_id, 'RT00000003', 'a runtime merchant\'s id is skipped')
  t.equal(second.mer_code, 'FREEMERCODE00002')
  t.ok(directory.isRuntime('RT00000003'))
  t.notOk(directory.isRuntime('RT00000001'), 'a fixture merchant is not runtime')
  t.notOk(directory.isRuntime('RT00000009'), 'nor is an unknown id')
})

t.test('when no free id can be drawn, creating fails instead of reusing one', async (t) => {
  const store = await createStore(':memory:')
  const directory = createMerchantDirectory([{ ...MERCHANT, merchant_id: 'RT00000001' }], store, scripted(Array(200).fill('RT00000001'), []))
  await t.rejects(directory.create(), /no free merchant_id found in 100 tries/)
  t.same(store.merchants.list(), [])
})

t.test('a broken runtime merchant in the data file stops the start with a StoreError naming the file and the entry', async (t) => {
  const dir = t.testdir()
  for (const [merchants, where] of [[[null], '/0'], [[{ merchant_id: 'RT00000001', name: 'x' }], '/0']] as const) {
    const file = join(dir, `bad-${where.length}-${JSON.stringify(merchants).length}.json`)
    writeFileSync(file, JSON.stringify({ schema: 1, orders: [], callbacks: [], merchants }))
    const err = await createStore(file).then(() => undefined, (e: unknown) => e)
    t.type(err, StoreError)
    t.match((err as Error).message, file)
    t.match((err as Error).message, `"merchants"${where}`)
  }
})
