import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { hostAllowed, hostPolicy } from '../../src/plugins/allowed-hosts.js'
import { loadConfig } from '../../src/config/config.js'
import { activePayData, build, callGateway, envelope, MERCHANT } from '../helpers/build.js'

// DNS rebinding: a page on rebind.attacker.example re-resolves its own name to 127.0.0.1, then calls the sandbox
// as same-origin, so Host and Origin are both the attacker's name. Without a token on loopback, only the Host
// name tells such a request from the developer's own.
const ATTACKER = 'rebind.attacker.example:8080'
const attacker = { host: ATTACKER, origin: `http://${ATTACKER}` }

/** A wallet order ORDER0001 through the open gateway, then every merchant's data as it stands. */
async function withOrder (app: FastifyInstance) {
  t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))).body.rsp_code, 'SUCCESS')
}

t.test('on the default configuration, the control API and the admin UI refuse a rebound Host; nothing changes', async (t) => {
  const { app, store } = await build(t)
  await withOrder(app)
  const refused = [
    { method: 'POST' as const, url: `/sandbox/api/orders/ORDER0001/pay?merchant_id=${MERCHANT.merchant_id}`, payload: {} },
    { method: 'GET' as const, url: '/sandbox/api/merchants?reveal=true' },
    { method: 'POST' as const, url: '/sandbox/api/reset', payload: {} },
    { method: 'GET' as const, url: '/healthz' },
    { method: 'GET' as const, url: '/docs/json' }
  ]
  for (const request of refused) {
    const res = await app.inject({ ...request, headers: attacker })
    t.equal(res.statusCode, 403, `${request.method} ${request.url}: 403`)
    t.equal(res.json().error, 'FORBIDDEN')
    t.match(res.json().message, /ALLOWED_HOSTS/, 'says how to allow a name')
    t.notMatch(res.body, MERCHANT.sign_key, 'no sign key')
  }
  for (const url of ['/sandbox', '/sandbox/merchants', '/sandbox/requests']) {
    const res = await app.inject({ url, headers: attacker })
    t.equal(res.statusCode, 403, `GET ${url}: 403`)
    t.match(res.headers['content-type'], /^text\/html/, `${url}: an admin page`)
    t.notMatch(res.body, MERCHANT.sign_key)
  }
  const form = await app.inject({ method: 'POST', url: `/sandbox/orders/${MERCHANT.merchant_id}/ORDER0001/pay`, headers: { ...attacker, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' })
  t.equal(form.statusCode, 403, 'the admin UI\'s Pay button too')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'ORDER0001')?.status, 'init', 'not paid, not reset')
})

t.test('the gateway and the payer pages answer whatever the Host', async (t) => {
  const { app } = await build(t)
  const created = await app.inject({ method: 'POST', url: '/processV2', headers: attacker, payload: envelope('ACTIVEPAY', '1.0', activePayData()) })
  t.equal(created.json().rsp_code, 'SUCCESS', 'the gateway')
  const pageUrl = new URL((await app.inject(`/sandbox/api/orders/ORDER0001?merchant_id=${MERCHANT.merchant_id}`)).json().payer_page_url as string)
  const page = await app.inject({ url: pageUrl.pathname, headers: attacker })
  t.equal(page.statusCode, 200, 'the payer page')
  const paid = await app.inject({ method: 'POST', url: pageUrl.pathname, headers: { ...attacker, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'choice=pay' })
  t.ok(paid.statusCode < 400, `the payer's Pay (${paid.statusCode})`)
  t.not((await app.inject({ url: '/sandbox/login', headers: attacker })).statusCode, 403, 'the login form (it only asks for the token)')
})

t.test('loopback names, PUBLIC_URL\'s host and ALLOWED_HOSTS are answered', async (t) => {
  const { app } = await build(t, { env: { PUBLIC_URL: 'https://sandbox.test:8443', ALLOWED_HOSTS: 'ci-sandbox,*.corp.example' } })
  for (const host of ['localhost:8080', '127.0.0.1:8080', '127.1.2.3', '[::1]:8080', 'app.localhost:3000', 'ci-sandbox:8080', 'a.corp.example', 'LOCALHOST']) {
    t.equal((await app.inject({ url: '/sandbox/api/orders', headers: { host } })).statusCode, 200, host)
  }
  // An explicit ALLOWED_HOSTS is the list: PUBLIC_URL's host is then only accepted when listed.
  t.equal((await app.inject({ url: '/sandbox/api/orders', headers: { host: 'sandbox.test:8443' } })).statusCode, 403, 'not listed')
  t.equal((await app.inject({ url: '/sandbox/api/orders', headers: { host: 'corp.example' } })).statusCode, 403, '*.corp.example is not corp.example')

  const { app: proxied } = await build(t, { env: { PUBLIC_URL: 'https://sandbox.test:8443' } })
  t.equal((await proxied.inject({ url: '/sandbox/api/orders', headers: { host: 'sandbox.test:8443' } })).statusCode, 200, 'PUBLIC_URL\'s host by default')
  t.equal((await proxied.inject({ url: '/sandbox/api/orders', headers: { host: ATTACKER } })).statusCode, 403)
})

t.test('with ALLOWED_HOSTS=* or off loopback with a token (Docker), any Host is answered; the token still guards', async (t) => {
  const { app: open } = await build(t, { env: { ALLOWED_HOSTS: '*' } })
  t.equal((await open.inject({ url: '/sandbox/api/orders', headers: { host: ATTACKER } })).statusCode, 200, 'ALLOWED_HOSTS=*')
  const token = 'docker-token-1234'
  const { app: docker } = await build(t, { env: { HOST: '0.0.0.0', ADMIN_TOKEN: token } })
  t.equal((await docker.inject({ url: '/sandbox/api/orders', headers: { host: 'ottpay:8080', 'x-admin-token': token } })).statusCode, 200, 'a service name')
  t.equal((await docker.inject({ url: '/sandbox/api/orders', headers: { host: ATTACKER } })).statusCode, 401, 'a rebound page has no token')
  const { app: listed } = await build(t, { env: { HOST: '0.0.0.0', ADMIN_TOKEN: token, ALLOWED_HOSTS: 'ottpay' } })
  t.equal((await listed.inject({ url: '/sandbox/api/orders', headers: { host: 'ottpay:8080', 'x-admin-token': token } })).statusCode, 200, 'listed')
  t.equal((await listed.inject({ url: '/sandbox/api/orders', headers: { host: 'other:8080', 'x-admin-token': token } })).statusCode, 403, 'the list holds off loopback too')
  t.equal((await listed.inject({ url: '/healthz', headers: { host: '127.0.0.1:8080' } })).statusCode, 200, 'the image\'s HEALTHCHECK (127.0.0.1) is always answered')
})

t.test('hostAllowed and hostPolicy', async (t) => {
  const policy = hostPolicy(loadConfig({ PUBLIC_URL: 'http://[::1]:9000' }))
  t.same(policy, [{ host: '::1', subdomains: false, port: undefined }])
  t.equal(hostPolicy(loadConfig({ HOST: '0.0.0.0', ADMIN_TOKEN: 'token-12345678' })), 'any')
  t.equal(hostPolicy(loadConfig({ ALLOWED_HOSTS: '*' })), 'any')
  t.ok(hostAllowed(undefined, []), 'no Host (HTTP/1.0) names nothing to rebind')
  t.ok(hostAllowed('localhost.', []), 'a trailing dot')
  t.notOk(hostAllowed('localhost.attacker.example', []), 'a name that starts like localhost')
  t.notOk(hostAllowed('127.0.0.1.attacker.example', []))
  t.notOk(hostAllowed('evil.example:80:80', []), 'not a host')
  t.ok(hostAllowed('shop.test:3000', loadConfig({ ALLOWED_HOSTS: 'shop.test:3000' }).allowedHosts as []))
  t.notOk(hostAllowed('shop.test:3001', loadConfig({ ALLOWED_HOSTS: 'shop.test:3000' }).allowedHosts as []), 'another port')
  t.throws(() => loadConfig({ ALLOWED_HOSTS: 'http://shop.test' }), { name: 'ConfigError', message: /^ALLOWED_HOSTS must be a comma list of hosts/ })
})
