import t from 'tap'
import Fastify from 'fastify'
import {
  ConflictError, DomainError, GATEWAY_CODES, GoneError, IdTakenError, NotFoundError, StoreError, TransitionError,
  type ApiCode, type GatewayCode
} from '../../src/domain/errors.js'
import { registerErrorHandler, type Surface } from '../../src/plugins/error-handler.js'
import { html } from '../../src/views/html.js'

// The error catalogue as a table: each domain error, its control API status and `error` code, its Appendix B code
// and its page status. The handler is checked on each surface with the same rows.

interface Row {
  error: DomainError
  api: [number, ApiCode]
  gateway: GatewayCode
  page: number
}

const ROWS: Row[] = [
  { error: new TransitionError('ORDER_PAID', 'order A is already paid (success)'), api: [409, 'ORDER_PAID'], gateway: 'ORDER_PAID', page: 409 },
  { error: new TransitionError('ORDER_CLOSED', 'order A is closed (notpay)'), api: [409, 'ORDER_CLOSED'], gateway: 'PARAM_INVALID', page: 409 },
  { error: new TransitionError('ORDER_NOT_PAID', 'order A is init'), api: [409, 'ORDER_NOT_PAID'], gateway: 'PARAM_INVALID', page: 409 },
  { error: new TransitionError('ORDER_TYPE_ERROR', 'order A is pre-authorised'), api: [409, 'ORDER_TYPE_ERROR'], gateway: 'ORDER_TYPE_ERROR', page: 409 },
  { error: new TransitionError('REFUND_EXCEEDS', 'refund of 2 cents exceeds the 1 cents left'), api: [409, 'REFUND_EXCEEDS'], gateway: 'PARAM_INVALID', page: 409 },
  { error: new NotFoundError('order A not found'), api: [404, 'NOT_FOUND'], gateway: 'PARAM_INVALID', page: 404 },
  { error: new ConflictError('order A exists for several merchants'), api: [409, 'CONFLICT'], gateway: 'PARAM_INVALID', page: 409 },
  { error: new ConflictError('merchant M comes from the fixtures', 'FIXTURE_MERCHANT'), api: [409, 'FIXTURE_MERCHANT'], gateway: 'PARAM_INVALID', page: 409 },
  { error: new ConflictError('100 faults are armed already', 'TOO_MANY_FAULTS'), api: [409, 'TOO_MANY_FAULTS'], gateway: 'PARAM_INVALID', page: 409 },
  { error: new IdTakenError('M', 'A'), api: [409, 'ORDER_USED'], gateway: 'ORDER_USED', page: 409 },
  { error: new GoneError('order A of merchant M'), api: [404, 'NOT_FOUND'], gateway: 'PARAM_INVALID', page: 404 },
  { error: new StoreError('disk full'), api: [500, 'DB_ERROR'], gateway: 'DB_ERROR', page: 503 }
]

const label = (row: Row) => `${row.error.name} ${row.api[1]}`

t.test('each domain error declares its answer on every surface', async (t) => {
  for (const row of ROWS) {
    const { api, gateway, page } = row.error.answer
    t.same([api.status, api.error], row.api, `${label(row)}: control API`)
    t.equal(gateway.code, row.gateway, `${label(row)}: gateway`)
    t.equal(page.status, row.page, `${label(row)}: page`)
  }
})

/** An app with the one error handler and a route per surface that throws `error`. */
async function appThrowing (t: { teardown(fn: () => unknown): void }, error: Error) {
  const app = Fastify()
  registerErrorHandler(app)
  for (const surface of ['gateway', 'api', 'page'] as Surface[]) {
    app.get(`/${surface}`, { config: { surface } }, async () => { throw error })
  }
  t.teardown(() => app.close())
  await app.ready()
  return app
}

t.test('the error handler answers each domain error as its row says', async (t) => {
  for (const row of ROWS) {
    const app = await appThrowing(t, row.error)
    const detail = row.error instanceof StoreError ? 'the change could not be saved, so nothing was done' : row.error.message

    const gateway = await app.inject({ method: 'GET', url: '/gateway' })
    t.equal(gateway.statusCode, 200, `${label(row)}: the gateway answers HTTP 200`)
    t.equal(gateway.json().rsp_code, row.gateway, `${label(row)}: rsp_code`)
    t.ok((gateway.json().rsp_msg as string).startsWith(GATEWAY_CODES[row.gateway]), `${label(row)}: rsp_msg starts with the documented text`)
    t.match(gateway.json().rsp_msg, detail, `${label(row)}: rsp_msg says what failed`)

    const api = await app.inject({ method: 'GET', url: '/api' })
    t.equal(api.statusCode, row.api[0], `${label(row)}: API status`)
    t.equal(api.json().error, row.api[1], `${label(row)}: API error code`)
    t.match(api.json().message, row.error.message, `${label(row)}: API message`)

    const page = await app.inject({ method: 'GET', url: '/page' })
    t.equal(page.statusCode, row.page, `${label(row)}: page status`)
    t.match(page.headers['content-type'], /^text\/html/, `${label(row)}: an HTML page`)
  }
})

t.test('a refused transition on a page with its own refusal view is shown there, with the catalogue\'s status', async (t) => {
  const app = Fastify()
  registerErrorHandler(app)
  app.post('/pay', { config: { surface: 'page', refusedPage: (_request, err) => html`<p>${err.code}: ${err.message}</p>` } }, async () => {
    throw new TransitionError('ORDER_PAID', 'order A is already paid (success)')
  })
  app.post('/store', { config: { surface: 'page', refusedPage: () => html`not for a failed write` } }, async () => {
    throw new StoreError('disk full')
  })
  t.teardown(() => app.close())
  const refused = await app.inject({ method: 'POST', url: '/pay' })
  t.equal(refused.statusCode, 409)
  t.equal(refused.body, '<p>ORDER_PAID: order A is already paid (success)</p>')
  const failed = await app.inject({ method: 'POST', url: '/store' })
  t.equal(failed.statusCode, 503, 'only refused transitions use the page\'s view')
  t.match(failed.body, 'database error: the change could not be saved')
})

t.test('errors outside the catalogue keep their generic answers', async (t) => {
  const app = await appThrowing(t, new Error('boom'))
  const api = await app.inject({ method: 'GET', url: '/api' })
  t.equal(api.statusCode, 500)
  t.same(api.json(), { error: 'INTERNAL', message: 'unexpected sandbox error; see the sandbox log' })
  const gateway = await app.inject({ method: 'GET', url: '/gateway' })
  t.same(gateway.json(), { rsp_code: 'SYSTEM_ERROR', rsp_msg: 'system error. unexpected sandbox error; see the sandbox log' })
  const page = await app.inject({ method: 'GET', url: '/page' })
  t.equal(page.statusCode, 500)
  t.notMatch(page.body, 'boom', 'the page does not show internals')
})
