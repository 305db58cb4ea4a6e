import t from 'tap'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { activePayData, build, callGateway, envelope, MERCHANT, OTHER_MERCHANT } from '../helpers/build.js'
import { walletOrder } from '../helpers/gateway-calls.js'
import { openapiOf, operationsOf, type Method } from '../helpers/openapi.js'

const TOKEN = 'test-admin-token-1234'

/**
 * Who guards a route: `api`, the control API (401 JSON without the token); `ui`, the admin UI (sent to the login
 * form); `open`, the gateway, payment links, payer pages, /healthz, and the login form itself.
 */
type Kind = 'api' | 'ui' | 'open'

/** The admin UI's own way in and out: the only routes under /sandbox (but the payer pages) without a token. */
const LOGIN = new Set(['GET /sandbox/login', 'POST /sandbox/login', 'POST /sandbox/logout'])

function kindOf (method: Method, path: string): Kind {
  if (path.startsWith('/sandbox/api/')) return 'api'
  if (path.startsWith('/sandbox') && !path.startsWith('/sandbox/pay/') && !LOGIN.has(`${method} ${path}`)) return 'ui'
  return 'open'
}

/** Ids that exist in a {@link guarded} app; any other path parameter gets one that does not. */
const KNOWN: Record<string, string> = { order_id: 'ORDER0001', merchant_id: MERCHANT.merchant_id, id: 'req_1' }

interface Route {
  method: Method
  path: string
  kind: Kind
  /** The path with ids that exist, and with ids that do not: what matters is who may call it. */
  urls: string[]
}

/**
 * Every operation of the app's own OpenAPI document (/docs/json), so that a new route is checked the day it is
 * added. The document lists every route the app serves but HEAD and /docs (test/app/openapi.test.ts checks that
 * against the route table), so nothing can hide from these checks.
 */
async function documentedRoutes (app: FastifyInstance): Promise<Route[]> {
  return operationsOf(await openapiOf(app)).map(({ method, path }) => ({
    method,
    path,
    kind: kindOf(method, path),
    urls: [...new Set([path.replace(/\{(\w+)\}/g, (_, name: string) => KNOWN[name] ?? 'X'), path.replace(/\{\w+\}/g, 'X')])]
  }))
}

/** The guarded routes, one request each: method and URL. */
async function guardedCalls (app: FastifyInstance, kind: 'api' | 'ui'): Promise<Array<[Method, string]>> {
  return (await documentedRoutes(app)).filter((r) => r.kind === kind).flatMap((r) => r.urls.map((url): [Method, string] => [r.method, url]))
}

function call (app: FastifyInstance, method: Method | 'HEAD', url: string, headers: Record<string, string> = {}) {
  const options: InjectOptions = { method, url, headers }
  if (method === 'POST') options.payload = {}
  return app.inject(options)
}

/** An app with ADMIN_TOKEN set and one wallet order (ORDER0001) created through the open gateway. */
async function guarded (t: Parameters<typeof build>[0]) {
  const sandbox = await build(t, { env: { ADMIN_TOKEN: TOKEN } })
  await walletOrder(sandbox.app)
  return sandbox
}

/** Requests that must not get through: no token, wrong ones, the right one in the wrong place. */
const REFUSALS: Array<[string, Record<string, string>]> = [
  ['no token', {}],
  ['a wrong x-admin-token', { 'x-admin-token': 'wrong-token-5678' }],
  ['the token with a suffix', { 'x-admin-token': TOKEN + 'x' }],
  ['a prefix of the token', { 'x-admin-token': TOKEN.slice(0, -1) }],
  ['an empty x-admin-token', { 'x-admin-token': '' }],
  ['a wrong Bearer token', { authorization: 'Bearer wrong-token-5678' }],
  ['the token as Basic auth', { authorization: `Basic ${TOKEN}` }],
  ['the token with no scheme', { authorization: TOKEN }],
  ['a wrong cookie', { cookie: 'ottpay_sandbox_admin=wrong-token-5678' }],
  ['the token in another cookie', { cookie: `other=${TOKEN}` }]
]

/** The login cookie: for the UI's pages only, so that a page on another localhost port cannot ride it into the API. */
const LOGIN_COOKIE: [string, Record<string, string>] = ['the right login cookie', { cookie: `ottpay_sandbox_admin=${TOKEN}` }]

/** The ways the token opens every guarded route. */
const ACCEPTED: Array<[string, Record<string, string>]> = [
  ['x-admin-token', { 'x-admin-token': TOKEN }],
  ['Authorization: Bearer', { authorization: `Bearer ${TOKEN}` }],
  ['Authorization: bearer (any case)', { authorization: `bearer ${TOKEN}` }]
]

t.test('/docs/json gives the walk its routes: the control API, the admin pages and the open ones', async (t) => {
  const { app } = await guarded(t)
  const routes = await documentedRoutes(app)
  const has = (kind: Kind, method: Method, path: string) => t.ok(routes.some((r) => r.kind === kind && r.method === method && r.path === path), `${kind}: ${method} ${path}`)
  has('api', 'GET', '/sandbox/api/orders')
  has('api', 'POST', '/sandbox/api/orders/{order_id}/pay')
  has('api', 'DELETE', '/sandbox/api/faults/{id}')
  has('ui', 'GET', '/sandbox')
  has('ui', 'POST', '/sandbox/orders/{merchant_id}/{order_id}/refund')
  has('open', 'POST', '/processV2')
  has('open', 'GET', '/sandbox/pay/checkout/{token}')
  for (const login of LOGIN) has('open', login.split(' ')[0] as Method, login.split(' ')[1]!)
  t.ok(routes.filter((r) => r.kind !== 'open').length >= 30, 'at least 30 guarded operations')
})

t.test('with ADMIN_TOKEN, every control API route answers 401 JSON without the token', async (t) => {
  const { app } = await guarded(t)
  for (const [method, url] of await guardedCalls(app, 'api')) {
    for (const [name, headers] of [...REFUSALS, LOGIN_COOKIE]) {
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

t.test('with ADMIN_TOKEN, every admin page and form sends a request without the token to the login form', async (t) => {
  const { app } = await guarded(t)
  for (const [method, url] of await guardedCalls(app, 'ui')) {
    for (const [name, headers] of REFUSALS) {
      const res = await call(app, method, url, headers)
      t.equal(res.statusCode, 303, `${method} ${url}, ${name}: 303`)
      t.equal(res.headers.location, `/sandbox/login?next=${encodeURIComponent(url)}`, 'to the login form, and back here after it')
      t.notOk(res.body.includes(TOKEN), 'the answer does not give the token away')
    }
  }
})

t.test('with ADMIN_TOKEN, the HEAD twins of the GET routes are guarded too', async (t) => {
  const { app } = await guarded(t)
  for (const kind of ['api', 'ui'] as const) {
    for (const [, url] of (await guardedCalls(app, kind)).filter(([method]) => method === 'GET')) {
      t.equal((await app.inject({ method: 'HEAD', url })).statusCode, kind === 'api' ? 401 : 303, `HEAD ${url}`)
      t.not((await app.inject({ method: 'HEAD', url, headers: { 'x-admin-token': TOKEN } })).statusCode, 401, `HEAD ${url} with the token`)
    }
  }
})

t.test('with ADMIN_TOKEN, nothing happens behind a refused request', async (t) => {
  const { app, store } = await guarded(t)
  t.equal((await call(app, 'POST', '/sandbox/api/orders/ORDER0001/pay')).statusCode, 401)
  t.equal((await call(app, 'POST', `/sandbox/orders/${MERCHANT.merchant_id}/ORDER0001/pay`)).statusCode, 303)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'ORDER0001')!.status, 'init', 'the order was not paid')
})

t.test('with ADMIN_TOKEN, the token opens every guarded route: x-admin-token or Bearer; the login cookie opens the pages', async (t) => {
  const { app } = await guarded(t)
  const list = await app.inject({ url: '/sandbox/api/orders', headers: { authorization: `Bearer ${TOKEN}` } })
  t.equal(list.statusCode, 200)
  t.equal(list.json().orders.length, 1, 'the answer itself')
  // The pages first: the control API's walk resets the sandbox.
  for (const kind of ['ui', 'api'] as const) {
    for (const [method, url] of await guardedCalls(app, kind)) {
      for (const [name, headers] of kind === 'ui' ? [...ACCEPTED, LOGIN_COOKIE] : ACCEPTED) {
        const res = await call(app, method, url, headers)
        t.not(res.statusCode, 401, `${method} ${url} with ${name}: ${res.statusCode}`)
        t.notMatch(res.headers.location ?? '', /^\/sandbox\/login/, 'not sent to the login form')
        t.ok(res.statusCode < 500, 'and no server error')
      }
    }
  }
})

t.test('with ADMIN_TOKEN, every other route of /docs/json stays open: the gateway, payment links, payer pages, /healthz, the login form', async (t) => {
  const { app } = await guarded(t)
  const open = (await documentedRoutes(app)).filter((r) => r.kind === 'open')
  for (const { method, path, urls } of open) {
    for (const url of urls) {
      // No body: the login form's own 401 is its answer to a wrong token, not the guard's.
      const res = await app.inject({ method, url })
      t.not(res.statusCode, 401, `${method} ${path}: no token needed`)
      t.notMatch(res.headers.location ?? '', /^\/sandbox\/login\?next=/, `${method} ${path}: no login needed`)
    }
  }
})

t.test('with ADMIN_TOKEN, the gateway, /healthz, /docs and the payer pages answer as without it', async (t) => {
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
  for (const kind of ['ui', 'api'] as const) {
    for (const [method, url] of await guardedCalls(app, kind)) {
      const res = await call(app, method, url)
      t.not(res.statusCode, 401, `${method} ${url}: ${res.statusCode}`)
      t.notMatch(res.headers.location ?? '', /^\/sandbox\/login/, 'not sent to the login form')
      t.ok(res.statusCode < 500)
    }
  }
  // The walk above reset the sandbox (POST /sandbox/api/reset): one more order, then the list.
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
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

  for (const [name, refused] of [...REFUSALS, LOGIN_COOKIE]) {
    t.equal((await call(app, 'GET', '/sandbox/api/merchants?reveal=true', refused)).statusCode, 401, `revealing needs the token too: ${name}`)
  }
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
