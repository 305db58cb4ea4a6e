import t from 'tap'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { activePayData, build, callGateway, envelope, MERCHANT, OTHER_MERCHANT } from '../helpers/build.js'

const TOKEN = 'test-admin-token-1234'

type Method = 'GET' | 'POST'

/** Every route of the control API, with ids that may or may not exist: what matters is who may call it. */
const API_ROUTES: Array<[Method, string]> = [
  ['GET', '/sandbox/api/orders'],
  ['GET', '/sandbox/api/orders/X'],
  ['GET', '/sandbox/api/orders/ORDER0001'],
  ['POST', '/sandbox/api/orders/X/pay'],
  ['POST', '/sandbox/api/orders/X/fail'],
  ['POST', '/sandbox/api/orders/X/expire'],
  ['POST', '/sandbox/api/orders/X/refund'],
  ['POST', '/sandbox/api/callbacks/X/redeliver'],
  ['GET', '/sandbox/api/requests'],
  ['GET', '/sandbox/api/requests/X'],
  ['GET', '/sandbox/api/requests/req_1'],
  ['GET', '/sandbox/api/merchants'],
  ['GET', '/sandbox/api/merchants?reveal=true'],
  ['GET', '/sandbox/api/merchants/QC00000001/readiness'],
  ['GET', '/sandbox/api/merchants/X/readiness'],
  ['POST', '/sandbox/api/merchants/X/readiness/probe']
]

function call (app: FastifyInstance, method: Method, url: string, headers: Record<string, string> = {}) {
  const options: InjectOptions = { method, url, headers }
  if (method === 'POST') options.payload = {}
  return app.inject(options)
}

/** An app with ADMIN_TOKEN set and one wallet order (ORDER0001) created through the open gateway. */
async function guarded (t: Parameters<typeof build>[0]) {
  const sandbox = await build(t, { env: { ADMIN_TOKEN: TOKEN } })
  const answer = await callGateway(sandbox.app, envelope('ACTIVEPAY', '1.0', activePayData()))
  if (answer.body.rsp_code !== 'SUCCESS') throw new Error(answer.body.rsp_msg)
  return sandbox
}

t.test('with ADMIN_TOKEN, every control API route answers 401 JSON without the token', async (t) => {
  const { app } = await guarded(t)
  const refusals: Array<[string, Record<string, string>]> = [
    ['no token', {}],
    ['a wrong x-admin-token', { 'x-admin-token': 'wrong-token-5678' }],
    ['the token with a suffix', { 'x-admin-token': TOKEN + 'x' }],
    ['a prefix of the token', { 'x-admin-token': TOKEN.slice(0, -1) }],
    ['an empty x-admin-token', { 'x-admin-token': '' }],
    ['a wrong Bearer token', { authorization: 'Bearer wrong-token-5678' }],
    ['the token as Basic auth', { authorization: `Basic ${TOKEN}` }],
    ['the token with no scheme', { authorization: TOKEN }],
    ['a wrong cookie', { cookie: 'ottpay_sandbox_admin=wrong-token-5678' }],
    ['the token in another cookie', { cookie: `other=${TOKEN}` }],
    // The login cookie is for the UI's pages: a page on another localhost port must not ride it into the API.
    ['the right login cookie', { cookie: `ottpay_sandbox_admin=${TOKEN}` }]
  ]
  for (const [method, url] of API_ROUTES) {
    for (const [name, headers] of refusals) {
      const res = await call(app, method, url, headers)
      t.equal(res.statusCode, 401, `${method} ${url}, ${name}: 401`)
      t.match(res.headers['content-type'], /application\/json/)
      const body = res.json() as { error: string, message: string }
      t.same(Object.keys(body).sort(), ['error', 'message'])
      t.equal(body.error, 'UNAUTHORIZED')
      t.match(body.message, /ADMIN_TOKEN/)
      t.notOk(res.body.includes(TOKEN), 'the answer does not give the token away')
    }
  }
})

t.test('with ADMIN_TOKEN, the HEAD twins of the GET routes are guarded too', async (t) => {
  const { app } = await guarded(t)
  for (const [, url] of API_ROUTES.filter(([method]) => method === 'GET')) {
    t.equal((await app.inject({ method: 'HEAD', url })).statusCode, 401, `HEAD ${url}`)
    t.not((await app.inject({ method: 'HEAD', url, headers: { 'x-admin-token': TOKEN } })).statusCode, 401, `HEAD ${url} with the token`)
  }
})

t.test('with ADMIN_TOKEN, nothing happens behind a refused request', async (t) => {
  const { app, store } = await guarded(t)
  t.equal((await call(app, 'POST', '/sandbox/api/orders/ORDER0001/pay')).statusCode, 401)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'ORDER0001')!.status, 'init', 'the order was not paid')
})

t.test('with ADMIN_TOKEN, the token opens every route: x-admin-token or Bearer', async (t) => {
  const { app } = await guarded(t)
  const accepted: Array<[string, Record<string, string>]> = [
    ['x-admin-token', { 'x-admin-token': TOKEN }],
    ['Authorization: Bearer', { authorization: `Bearer ${TOKEN}` }],
    ['Authorization: bearer (any case)', { authorization: `bearer ${TOKEN}` }]
  ]
  for (const [method, url] of API_ROUTES) {
    for (const [name, headers] of accepted) {
      const res = await call(app, method, url, headers)
      t.not(res.statusCode, 401, `${method} ${url} with ${name}: ${res.statusCode}`)
      t.ok(res.statusCode < 500, 'and no server error')
    }
  }
  const list = await app.inject({ url: '/sandbox/api/orders', headers: { 'x-admin-token': TOKEN } })
  t.equal(list.statusCode, 200)
  t.equal(list.json().orders.length, 1, 'the answer itself')
})

t.test('with ADMIN_TOKEN, the gateway, /healthz, /docs and the payer pages stay open', async (t) => {
  const { app } = await guarded(t)
  for (const [i, url] of ['/processV2', '/process', '/processV3'].entries()) {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `OPEN${i}` })), MERCHANT, url)
    t.equal(answer.status, 200, url)
    t.equal(answer.body.rsp_code, 'SUCCESS', `${url}: ${answer.body.rsp_msg}`)
  }
  const rejected = await app.inject({ method: 'POST', url: '/processV2', payload: 'nope', headers: { 'content-type': 'application/json' } })
  t.equal(rejected.statusCode, 200, 'a rejection is still an Appendix B answer, not a 401')
  t.equal(rejected.json().rsp_code, 'PARAM_ERROR')

  t.equal((await app.inject('/healthz')).statusCode, 200, '/healthz')
  const docs = await app.inject('/docs/json')
  t.equal(docs.statusCode, 200, '/docs/json')
  t.ok(docs.json().paths['/sandbox/api/requests'], 'the docs describe the control API')

  const order = await app.inject({ url: '/sandbox/api/orders/ORDER0001', headers: { 'x-admin-token': TOKEN } })
  const pageUrl = new URL(order.json().payer_page_url as string)
  t.match(pageUrl.pathname, /^\/sandbox\/pay\//, 'the payer page lives under /sandbox/pay/')
  const page = await app.inject(pageUrl.pathname)
  t.equal(page.statusCode, 200, 'the payer page needs no token')
  t.match(page.headers['content-type'], /text\/html/)
})

t.test('without ADMIN_TOKEN nothing needs a token', async (t) => {
  const { app } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
  for (const [method, url] of API_ROUTES) {
    const res = await call(app, method, url)
    t.not(res.statusCode, 401, `${method} ${url}: ${res.statusCode}`)
    t.ok(res.statusCode < 500)
  }
  t.equal((await app.inject('/sandbox/api/orders')).json().orders.length, 1)
  const wrong = await call(app, 'GET', '/sandbox/api/orders', { 'x-admin-token': 'whatever-token' })
  t.equal(wrong.statusCode, 200, 'a stray token is ignored')
})

t.test('GET /sandbox/api/merchants masks the sign keys unless ?reveal=true', async (t) => {
  const { app } = await build(t, { env: { ADMIN_TOKEN: TOKEN } })
  const headers = { 'x-admin-token': TOKEN }

  const masked = await app.inject({ url: '/sandbox/api/merchants', headers })
  t.equal(masked.statusCode, 200)
  const { merchants } = masked.json() as { merchants: Array<Record<string, unknown>> }
  t.same(merchants.map((m) => m.merchant_id), [MERCHANT.merchant_id, OTHER_MERCHANT.merchant_id])
  t.same(merchants[0], {
    merchant_id: MERCHANT.merchant_id,
    name: MERCHANT.name,
    currency: MERCHANT.currency,
    operators: MERCHANT.operators,
    sign_key_masked: 'TE************01',
    mer_code: MERCHANT.mer_code
  })
  t.equal(merchants[1]!.sign_key_masked, 'TE************02')
  for (const m of merchants) t.notOk('sign_key' in m, `${String(m.merchant_id)}: no sign_key`)
  t.notOk(masked.body.includes(MERCHANT.sign_key) || masked.body.includes(OTHER_MERCHANT.sign_key), 'no key anywhere in the answer')

  const notRevealed = await app.inject({ url: '/sandbox/api/merchants?reveal=false', headers })
  t.same(notRevealed.json(), masked.json(), '?reveal=false masks too')

  const revealed = await app.inject({ url: '/sandbox/api/merchants?reveal=true', headers })
  t.equal(revealed.statusCode, 200)
  const shown = (revealed.json() as { merchants: Array<Record<string, unknown>> }).merchants
  t.equal(shown[0]!.sign_key, MERCHANT.sign_key)
  t.equal(shown[1]!.sign_key, OTHER_MERCHANT.sign_key)
  t.equal(shown[0]!.sign_key_masked, 'TE************01')

  t.equal((await app.inject('/sandbox/api/merchants?reveal=true')).statusCode, 401, 'revealing needs the token too')
  t.equal((await app.inject({ url: '/sandbox/api/merchants?reveal=maybe', headers })).statusCode, 400)
})

t.test('GET /sandbox/api/merchants shows autopay_after only where a merchant has it', async (t) => {
  const { app } = await build(t, { merchants: [{ ...MERCHANT, autopay_after: '5s' }, OTHER_MERCHANT] })
  const { merchants } = (await app.inject('/sandbox/api/merchants')).json() as { merchants: Array<Record<string, unknown>> }
  t.equal(merchants[0]!.autopay_after, '5s')
  t.notOk('autopay_after' in merchants[1]!)
})

t.test('the login cookie opens the UI pages, also among other cookies', async (t) => {
  const { app } = await guarded(t)
  for (const cookie of [`ottpay_sandbox_admin=${TOKEN}`, `theme=dark; ottpay_sandbox_admin=${encodeURIComponent(TOKEN)}; lang=en`]) {
    t.equal((await app.inject({ url: '/sandbox', headers: { cookie } })).statusCode, 200, cookie)
  }
  t.equal((await app.inject({ url: '/sandbox', headers: { cookie: 'ottpay_sandbox_admin=wrong-token-5678' } })).statusCode, 303)
})

t.test('a change posted from another host\'s page is refused, token or not; curl-like clients without Origin are not', async (t) => {
  for (const env of [{}, { ADMIN_TOKEN: TOKEN }]) {
    const { app, store } = await build(t, { env })
    await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
    const auth = { 'x-admin-token': TOKEN }
    for (const origin of ['http://evil.example', 'http://localhost:3000', 'null']) {
      const res = await app.inject({
        method: 'POST',
        url: '/sandbox/api/orders/ORDER0001/pay',
        headers: { ...auth, origin, host: 'localhost:8080', 'content-type': 'application/x-www-form-urlencoded' },
        payload: ''
      })
      t.equal(res.statusCode, 403, `Origin ${origin}`)
      t.equal(res.json().error, 'FORBIDDEN')
    }
    t.equal(store.orders.find(MERCHANT.merchant_id, 'ORDER0001')!.status, 'init', 'nothing was paid')
    const same = await app.inject({ method: 'POST', url: '/sandbox/api/orders/ORDER0001/pay', headers: { ...auth, origin: 'http://localhost:8080', host: 'localhost:8080' } })
    t.equal(same.statusCode, 200, 'the same origin is accepted')
    const reading = await app.inject({ url: '/sandbox/api/orders', headers: { ...auth, origin: 'http://evil.example' } })
    t.equal(reading.statusCode, 200, 'reads are not changes')
  }
})

t.test('the login\'s next only leads back into the admin UI, and odd characters fall back to /sandbox', async (t) => {
  const { app } = await guarded(t)
  const cases: Array<[string, string]> = [
    ['/sandbox/requests?verdict=rejected', '/sandbox/requests?verdict=rejected'],
    ['//evil.example', '/sandbox'],
    ['https://evil.example/sandbox', '/sandbox'],
    ['/sandbox/api/orders', '/sandbox'],
    ['/sandbox/\r\nX-Injected: 1', '/sandbox'],
    ['/sandbox/\u2028x', '/sandbox']
  ]
  for (const [next, location] of cases) {
    const res = await app.inject({ method: 'POST', url: '/sandbox/login', payload: new URLSearchParams({ token: TOKEN, next }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    // The message is URL-encoded: a raw U+2028 would split the TAP line.
    t.equal(res.statusCode, 303, encodeURIComponent(next))
    t.equal(res.headers.location, location, encodeURIComponent(next))
  }
})
