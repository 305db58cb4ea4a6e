import { join } from 'node:path'
import t from 'tap'
import { compileRouteSchemas } from '../../src/plugins/lazy-schemas.js'
import { build } from '../helpers/build.js'
import { startServer } from '../helpers/process.js'
import { postActivePay, TEA } from '../helpers/server-calls.js'

// Issue 13 (start fast): the docs, the admin pages, the QR library and the route schemas load on first use.
// These tests prove that what loads late still works; how fast the start is, docs/startup.md measures.

t.test('a fresh server process answers its first /docs, /docs/json, admin page and QR code', async (t) => {
  const server = await startServer(t, { DB_FILE: join(t.testdir(), 'sandbox.json') })
  const get = (path: string) => fetch(server.url + path, { redirect: 'manual', signal: AbortSignal.timeout(10_000) })

  // The first requests of each lazily loaded part, at once: they share one load.
  const [docs, json, yaml, sandbox] = await Promise.all([get('/docs'), get('/docs/json'), get('/docs/yaml'), get('/sandbox')])
  t.equal(docs.status, 200, '/docs')
  t.match(await docs.text(), /id="swagger-ui"/)
  t.equal(json.status, 200, '/docs/json')
  const doc = await json.json() as { openapi: string, paths: Record<string, unknown> }
  t.match(doc.openapi, /^3\./)
  t.ok(doc.paths['/processV2'], 'the gateway is documented')
  t.equal(yaml.status, 200, '/docs/yaml')
  t.match(await yaml.text(), /^openapi: 3\./)
  t.equal(sandbox.status, 200, '/sandbox')
  t.match(await sandbox.text(), /No orders yet/)

  const bundle = await get('/docs/static/swagger-ui-bundle.js')
  t.equal(bundle.status, 200, 'the Swagger UI bundle')
  t.match(bundle.headers.get('content-type'), /javascript/)
  t.equal((await get('/docs/static/no-such-file.js')).status, 404, 'a missing docs file is a 404')

  // An order made by a gateway call, then its admin page with the QR code of its payment link.
  const res = await postActivePay(server.url, 'STARTUP-1')
  t.equal((await res.json() as { rsp_code: string }).rsp_code, 'SUCCESS', 'the gateway call succeeds')
  const page = await get(`/sandbox/orders/${TEA.merchant_id}/STARTUP-1`)
  t.equal(page.status, 200, 'the order page')
  t.match(await page.text(), /<svg role="img" aria-label="QR code for /, 'with its QR code')
  for (const path of ['/sandbox/requests', '/sandbox/merchants', '/sandbox/login']) {
    t.equal((await get(path)).status, path === '/sandbox/login' ? 303 : 200, path)
  }
  t.equal(server.stderr(), '')
})

t.test('every route schema still compiles: compileRouteSchemas compiles what no request has needed yet', async (t) => {
  const { app } = await build(t)
  await app.ready()
  const compiled = compileRouteSchemas(app)
  t.ok(compiled > 50, `${compiled} validators and serializers compiled`)
  t.equal(compileRouteSchemas(app), 0, 'each only once')
})

t.test('a lazily compiled validator validates and reports as at ready', async (t) => {
  const { app } = await build(t)
  const bad = await app.inject('/sandbox/api/orders?status=lost')
  t.equal(bad.statusCode, 400, 'the first request of the route is validated')
  t.match(bad.json().message, /querystring/)
  const good = await app.inject('/sandbox/api/orders?status=success')
  t.equal(good.statusCode, 200)
  t.same(good.json().orders, [])
})
