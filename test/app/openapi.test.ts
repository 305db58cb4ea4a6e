import t from 'tap'
import type { TSchema } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { DataObject } from '../../src/crypto/index.js'
import { COMPONENTS } from '../../src/protocol/openapi.js'
import { ACTIONS, findAction } from '../../src/protocol/registry.js'
import { activePayData, build, callGateway, cardData, envelope, h5PayData, mappPayData, MERCHANT, passivePayData, prepayInitData } from '../helpers/build.js'
import { openapiOf, type SchemaObject } from '../helpers/openapi.js'

/**
 * Every route the app serves, read from `printRoutes({ commonPrefix: false })`: a tree where each line is
 * `├── segment (GET, HEAD)`, indented by four characters per level, the segment continuing its parent's path.
 */
function servedRoutes (app: FastifyInstance): Array<{ method: string, path: string }> {
  const routes: Array<{ method: string, path: string }> = []
  const parents: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([^)]*)\))?$/.exec(line)
    if (match === null) continue
    const depth = match[1]!.length / 4
    const path = (parents[depth - 1] ?? '') + match[2]!
    parents[depth] = path
    parents.length = depth + 1
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '')) routes.push({ method, path })
  }
  return routes
}

/** `/sandbox/api/orders/:order_id` → `/sandbox/api/orders/{order_id}`, as OpenAPI spells the path. */
const openapiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')

/** The property maps of an object schema, or of each object of a union. */
function objectsOf (schema: TSchema | SchemaObject): Array<Record<string, unknown>> {
  const s = schema as SchemaObject
  if (s.anyOf !== undefined) return s.anyOf.flatMap(objectsOf)
  return s.properties === undefined ? [] : [s.properties]
}

t.test('/docs/json is an OpenAPI 3 document of the sandbox', async (t) => {
  const { app } = await build(t)
  const doc = await openapiOf(app)
  t.match(doc.openapi, /^3\.\d+\.\d+$/)
  t.equal(doc.info.title, 'ottpay-sandbox')
  t.type(doc.paths, 'object')
  t.ok(Object.keys(doc.paths).length > 0)

  // Every $ref points at a component that exists.
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]*)"/g)].map((m) => m[1]!)
  t.ok(refs.length > 0)
  for (const ref of new Set(refs)) {
    t.ok(ref.startsWith(COMPONENTS) && doc.components.schemas[ref.slice(COMPONENTS.length)] !== undefined, `${ref} resolves`)
  }
})

t.test('every route the app serves is documented with a summary (except HEAD and /docs)', async (t) => {
  const { app } = await build(t)
  await app.ready()
  const doc = await openapiOf(app)
  const routes = servedRoutes(app)
  const documented = routes.filter((r) => r.method !== 'HEAD' && !r.path.startsWith('/docs'))
  // The parser found the routes (a broken one would pass vacuously).
  t.ok(routes.some((r) => r.method === 'GET' && r.path === '/docs/json'), 'sees /docs/json')
  for (const [method, path] of [['POST', '/processV2'], ['POST', '/process'], ['POST', '/processV3'], ['GET', '/healthz'], ['GET', '/sandbox/api/orders/:order_id']]) {
    t.ok(documented.some((r) => r.method === method && r.path === path), `sees ${method} ${path}`)
  }
  for (const route of documented) {
    const operation = doc.paths[openapiPath(route.path)]?.[route.method.toLowerCase()]
    t.ok(operation, `${route.method} ${route.path} is in /docs/json`)
    t.ok(typeof operation?.summary === 'string' && operation.summary !== '', `${route.method} ${route.path} has a summary`)
  }
  t.notOk(Object.keys(doc.paths).some((p) => p.startsWith('/docs')), 'the docs routes stay hidden')
})

t.test('every JSON route documents its answer, and the control API its error body', async (t) => {
  const { app } = await build(t)
  const doc = await openapiOf(app)
  const json = Object.entries(doc.paths).filter(([path]) => path.startsWith('/sandbox/api/') || path === '/healthz' || /^\/process(V2|V3)?$/.test(path))
  const operations = json.flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, operation]) => ({ path, method, operation })))
  // Among them the orders and the payment events, which answer orders as stored (open-ended `request`/`response`).
  const listed = ['get /sandbox/api/orders', 'get /sandbox/api/orders/{order_id}', 'post /sandbox/api/orders/{order_id}/pay', 'post /sandbox/api/orders/{order_id}/fail',
    'post /sandbox/api/orders/{order_id}/expire', 'post /sandbox/api/orders/{order_id}/refund', 'post /sandbox/api/callbacks/{id}/redeliver']
  for (const route of listed) t.ok(operations.some((o) => `${o.method} ${o.path}` === route), `sees ${route}`)
  for (const { path, method, operation } of operations) {
    const responses = operation.responses ?? {}
    const success = Object.keys(responses).filter((status) => /^2/.test(status))
    t.ok(success.length > 0, `${method} ${path} has a success answer`)
    for (const status of success) {
      const schema = responses[status]?.content?.['application/json']?.schema
      t.ok(schema !== undefined && Object.keys(schema).length > 0, `${method} ${path} ${status} has a schema`)
    }
    if (!path.startsWith('/sandbox/api/')) continue
    for (const status of ['4XX', '5XX']) {
      t.same(responses[status]?.content?.['application/json']?.schema, { $ref: `${COMPONENTS}ApiError` }, `${method} ${path} ${status}: ApiError`)
    }
  }
  t.same(Object.keys(doc.components.schemas.ApiError?.properties ?? {}), ['error', 'message'])
  for (const path of ['/processV2', '/process', '/processV3']) t.ok(doc.paths[path]?.post?.responses?.['413'], `${path}: 413 over BODY_LIMIT`)
})

t.test('each gateway path documents the actions, their versions and their data and answer components', async (t) => {
  const { app } = await build(t)
  const doc = await openapiOf(app)
  for (const path of ['/processV2', '/process', '/processV3']) {
    const operation = doc.paths[path]?.post
    t.ok(operation, path)
    const listed = operation?.['x-ottpay-actions'] ?? []
    t.same(listed.map((a) => a.action), ACTIONS.map((a) => a.action), `${path} lists every action`)
    for (const definition of ACTIONS) {
      const entry = listed.find((a) => a.action === definition.action)
      t.match(entry, {
        versions: [...definition.versions],
        summary: definition.summary,
        data: { $ref: COMPONENTS + String(definition.data.schema.$id) },
        answer: { $ref: COMPONENTS + String(definition.answer.schema.$id) }
      }, `${path} ${definition.action}`)
      const row = operation?.description?.split('\n').find((line) => line.startsWith(`| \`${definition.action}\` |`))
      t.ok(row, `${path}: the description has a row for ${definition.action}`)
      t.ok(row?.includes(` ${definition.versions.join(', ')} `), 'with its versions')
      t.ok(row?.includes(`](${entry?.data.$ref})`) && row.includes(`](${entry?.answer.$ref})`), 'with links to its data and answer')
    }
  }
  // The envelope stays the body and the answer.
  t.match(doc.paths['/processV2']?.post, { requestBody: { content: { 'application/json': { schema: { required: ['action', 'version', 'merchant_id', 'data', 'md5'] } } } } })
})

t.test('the data and answer components of every action have all their fields, described', async (t) => {
  const { app } = await build(t)
  const doc = await openapiOf(app)
  for (const definition of ACTIONS) {
    for (const [role, schema] of [['data', definition.data.schema], ['answer', definition.answer.schema]] as const) {
      const id = String(schema.$id)
      const component = doc.components.schemas[id]
      t.ok(component, `${definition.action} ${role}: component ${id}`)
      if (component === undefined) continue
      const expected = objectsOf(schema)
      const actual = objectsOf(component)
      t.ok(expected.length > 0, `${id} has fields`)
      t.equal(actual.length, expected.length, `${id}: as many shapes as the schema`)
      for (const [i, fields] of expected.entries()) {
        t.same(Object.keys(actual[i] ?? {}), Object.keys(fields), `${id}: the fields of the schema`)
        for (const [name, field] of Object.entries(actual[i] ?? {})) {
          t.ok((field as SchemaObject).description, `${id}.${name} is described`)
        }
      }
    }
  }
  // Spot checks against the documented answers (reference §7, §9, §14).
  t.same(Object.keys(doc.components.schemas.ActivePayAnswer?.properties ?? {}).sort(), ['bizpay_order_id', 'code_url', 'order_id'])
  const card = objectsOf(doc.components.schemas.CardOrderAnswer!).map((fields) => Object.keys(fields).sort())
  t.same(card, [['amount', 'codeUrl', 'rspCode', 'rspMsg'], ['amount', 'codeUrl', 'respcode', 'respmsg', 'rspCode', 'rspMsg']])
})

t.test('the real answers of every action validate against its answer schema', async (t) => {
  const { app } = await build(t)
  const calls: Array<{ name: string, action: string, version: string, data: DataObject, code?: string, before?: () => Promise<unknown> }> = [
    { name: 'ACTIVEPAY WECHATPAY', action: 'ACTIVEPAY', version: '1.0', data: activePayData({ order_id: 'OA-WX', biz_type: 'WECHATPAY' }) },
    { name: 'ACTIVEPAY ALIPAY', action: 'ACTIVEPAY', version: '1.0', data: activePayData({ order_id: 'OA-AP', biz_type: 'ALIPAY' }) },
    { name: 'ACTIVEPAY UNIONPAY', action: 'ACTIVEPAY', version: '1.0', data: activePayData({ order_id: 'OA-UP', biz_type: 'UNIONPAY', tip: '50' }) },
    { name: 'ACTIVEPAY without order_id', action: 'ACTIVEPAY', version: '1.0', data: activePayData({ order_id: undefined }) },
    { name: 'CC_PURCHASE web', action: 'CC_PURCHASE', version: '2.0', data: cardData({ orderId: 'OA-CPW' }) },
    { name: 'CC_PURCHASE mobile', action: 'CC_PURCHASE', version: '2.0', data: cardData({ orderId: 'OA-CPM', cc_channelType: 'mobile', frontUrl: undefined }) },
    { name: 'CC_PREAUTH web', action: 'CC_PREAUTH', version: '2.0', data: cardData({ orderId: 'OA-PAW' }) },
    { name: 'CC_PREAUTH mobile', action: 'CC_PREAUTH', version: '2.0', data: cardData({ orderId: 'OA-PAM', cc_channelType: 'mobile' }) },
    { name: 'STATUS_QUERY unpaid', action: 'STATUS_QUERY', version: '1.0', data: { order_id: 'OA-AP' } },
    { name: 'REFUND', action: 'REFUND', version: '1.0', data: { ori_order_id: 'OA-WX', refund_amt: '40', order_id: 'OA-RF' }, before: () => app.inject({ method: 'POST', url: '/sandbox/api/orders/OA-WX/pay' }) },
    { name: 'STATUS_QUERY refunded', action: 'STATUS_QUERY', version: '1.0', data: { order_id: 'OA-WX' } },
    { name: 'STATUS_QUERY of a refund', action: 'STATUS_QUERY', version: '1.0', data: { order_id: 'OA-RF' } },
    { name: 'EX_RATE_QUERY', action: 'EX_RATE_QUERY', version: '1.0', data: { fee_type: 'CAD' } },
    { name: 'CC_QUERYPAY unpaid', action: 'CC_QUERYPAY', version: '2.0', data: { orderId: 'OA-CPW' } },
    { name: 'CC_QUERYPAY paid', action: 'CC_QUERYPAY', version: '2.0', data: { orderId: 'OA-PAW' }, before: () => app.inject({ method: 'POST', url: '/sandbox/api/orders/OA-PAW/pay' }) },
    { name: 'H5PAY', action: 'H5PAY', version: '2.0', data: h5PayData({ order_id: 'OA-H5' }) },
    { name: 'MAPPPAY 1.1', action: 'MAPPPAY', version: '1.1', data: mappPayData({ order_id: 'OA-MP', sale_num: 'S1' }) },
    { name: 'MAPPPAY 1.0', action: 'MAPPPAY', version: '1.0', data: mappPayData({ order_id: 'OA-MP0' }) },
    { name: 'PASSIVEPAY paid', action: 'PASSIVEPAY', version: '1.0', data: passivePayData({ order_id: 'OA-PP' }) },
    { name: 'PASSIVEPAY declined', action: 'PASSIVEPAY', version: '1.0', data: passivePayData({ order_id: 'OA-PPD', auth_code: '130000000000000001' }), code: 'FAIL' },
    { name: 'PASSIVEPAY processing', action: 'PASSIVEPAY', version: '1.0', data: passivePayData({ order_id: 'OA-PPP', auth_code: '130000000000000002' }), code: 'PROCESSING' },
    { name: 'PASSIVEPAY password', action: 'PASSIVEPAY', version: '1.0', data: passivePayData({ order_id: 'OA-PPW', auth_code: '130000000000000003' }), code: 'PWD_INCORRECT' },
    { name: 'PREPAY_INIT', action: 'PREPAY_INIT', version: '2.0', data: prepayInitData({ prepay_order_id: 'OA-CO' }) },
    { name: 'PREPAY_QUERY', action: 'PREPAY_QUERY', version: '2.0', data: { prepay_order_id: 'OA-CO', merchant_id: MERCHANT.merchant_id } }
  ]
  t.same([...new Set(calls.map((c) => c.action))].sort(), ACTIONS.map((a) => a.action).sort(), 'every action answers at least once')
  for (const call of calls) {
    await call.before?.()
    // `undefined` leaves a field out, as JSON.stringify does when sealing.
    const data = Object.fromEntries(Object.entries(call.data).filter(([, value]) => value !== undefined))
    const answer = await callGateway(app, envelope(call.action, call.version, data))
    t.equal(answer.body.rsp_code, call.code ?? 'SUCCESS', `${call.name}: ${answer.body.rsp_msg}`)
    const validator = findAction(call.action)!.answer
    t.equal(validator.problem(answer.data), undefined, `${call.name} answers its ${String(validator.schema.$id)}`)
  }

  // The schemas are strict enough to catch a change of the answers.
  const activePay = findAction('ACTIVEPAY')!.answer
  const wx = { bizpay_order_id: 'WX0000000000000001', code_url: 'weixin://wxpay/bizpayurl?pr=qr0000001', order_id: 'A1' }
  t.equal(activePay.problem(wx), undefined)
  t.not(activePay.problem({ ...wx, extra: 'x' }), undefined, 'an unlisted field')
  t.not(activePay.problem({ ...wx, code_url: 'https://cdn.example/qr' }), undefined, 'a code_url of no wallet')
  const card = findAction('CC_PURCHASE')!.answer
  const web = { rspCode: 'PROCESSING', rspMsg: 'User paying', codeUrl: 'http://localhost/sandbox/pay/unionpay/abc', amount: '100' }
  t.equal(card.problem(web), undefined)
  t.equal(card.problem({ ...web, respcode: 'PROCESSING', respmsg: 'User paying' }), undefined)
  t.not(card.problem({ ...web, respcode: 'PROCESSING' }), undefined, 'respcode without respmsg')
  t.not(card.problem({ rspCode: 'PROCESSING', rspMsg: 'User paying', amount: '100' }), undefined, 'no codeUrl')
})

t.test('the Swagger UI at /docs is served from the package, with no outside URL', async (t) => {
  const { app } = await build(t)
  let url = '/docs'
  let res = await app.inject(url)
  for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 5; hops++) {
    url = new URL(String(res.headers.location), `http://localhost${url}`).pathname
    res = await app.inject(url)
  }
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  const html = res.body
  t.match(html, /id="swagger-ui"/)
  t.notMatch(html, /https?:\/\//, 'no absolute URL in the page')

  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
  const scripts = assets.filter((a) => a.endsWith('.js'))
  t.ok(scripts.some((s) => s.endsWith('/swagger-ui-bundle.js')), 'the page loads the swagger-ui bundle')
  t.ok(scripts.some((s) => s.endsWith('/swagger-initializer.js')), 'and its initializer')
  for (const asset of assets) {
    const assetUrl = new URL(asset, `http://localhost${url}`).pathname
    const served = await app.inject(assetUrl)
    t.equal(served.statusCode, 200, `${asset} is served`)
    if (asset.endsWith('.js')) t.match(served.headers['content-type'], /javascript/, `${asset} is JavaScript`)
  }

  const initializer = (await app.inject(new URL(scripts.find((s) => s.endsWith('/swagger-initializer.js'))!, `http://localhost${url}`).pathname)).body
  t.notMatch(initializer, /validator\.swagger\.io/)
  t.match(initializer, /"?validatorUrl"?\s*:\s*null/, 'the online validator is off')
  const code = initializer.split('\n').filter((line) => !line.trim().startsWith('//')).join('\n')
  t.notMatch(code, /https?:\/\//, 'the initializer calls no outside URL')
  t.match(code, /resolveUrl\('\.\/json'\)/, 'it reads the local /docs/json')
})
