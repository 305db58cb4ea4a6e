import type { FastifyInstance, FastifyReply } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import { seal } from '../crypto/index.js'
import { CLOCK_DONE } from '../views/admin/clock-page.js'
import { FAULTS_DONE } from '../views/admin/faults-page.js'
import type { NewOrderForm } from '../views/admin/new-order-page.js'
import { orderPagePath } from '../views/admin/orders-page.js'
import { requestPagePath } from '../views/admin/requests-page.js'
import { sendHtml } from '../views/send-html.js'
import type { AdminUiDeps } from './deps.js'

/**
 * The admin UI's control pages: faults, the virtual clock, runtime merchants, and a test order. Their forms act by
 * calling the control API and the gateway in-process (`app.inject`), so validation, error messages and effects are
 * the API's own, and a test order goes through the real gateway path and into the request log like any other call.
 */

const PAGE = { admin: 'ui', surface: 'page' } as const
const schema = <P extends object = object>(summary: string, parts?: P) => ({ summary, tags: ['admin UI'], hide: false, ...parts as P })
const doneQuery = (keys: readonly string[]) => Type.Object({
  done: Type.Optional(Type.Union(keys.map((k) => Type.Literal(k)))),
  error: Type.Optional(Type.String({ maxLength: 2000 }))
})
const FaultsQuery = doneQuery(Object.keys(FAULTS_DONE))
const ClockQuery = doneQuery(Object.keys(CLOCK_DONE))
const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }))
const FaultForm = Type.Object({
  effect: Type.String({ maxLength: 32 }),
  on: Text(16),
  status: Text(8),
  ms: Text(16),
  when: Text(16),
  target: Text(16),
  merchant_id: Text(64),
  action: Text(32),
  times: Text(12)
})
const AdvanceForm = Type.Object({
  amount: Type.String({ maxLength: 12 }),
  unit: Type.Union([Type.Literal('s'), Type.Literal('min'), Type.Literal('h'), Type.Literal('d')])
})
const NewMerchantForm = Type.Object({ name: Text(100), currency: Text(8) })
const MerchantParams = Type.Object({ merchant_id: Type.String({ minLength: 1, maxLength: 64 }) })
const FaultParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const NewOrderBody = Type.Object({
  merchant_id: Type.String({ minLength: 1, maxLength: 64 }),
  biz_type: Type.String({ maxLength: 16 }),
  amount: Type.String({ maxLength: 16 }),
  order_id: Type.String({ maxLength: 64 }),
  call_back_url: Type.String({ maxLength: 500 })
})

const UNIT_MS = { s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 } as const

type Answer = { ok: true, body: Record<string, unknown>, headers: Record<string, unknown> } | { ok: false, message: string }

/** One call of the control API from inside the app, with the admin token when there is one. */
async function api (app: FastifyInstance, deps: AdminUiDeps, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object): Promise<Answer> {
  const res = await app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload }),
    headers: deps.adminToken === undefined ? {} : { 'x-admin-token': deps.adminToken }
  })
  let body: Record<string, unknown> = {}
  try {
    body = res.json()
  } catch {
    return { ok: false, message: `the control API answered HTTP ${res.statusCode}` }
  }
  if (res.statusCode >= 400) return { ok: false, message: typeof body.message === 'string' ? body.message : `the control API answered HTTP ${res.statusCode}` }
  return { ok: true, body, headers: res.headers }
}

const blank = (value: string | undefined): string | undefined => value === undefined || value.trim() === '' ? undefined : value.trim()
/** A form's number field: digits become a number (the API then checks its range); anything else is sent as typed. */
const numberOf = (value: string | undefined): number | string | undefined => {
  const text = blank(value)
  return text === undefined ? undefined : /^[0-9]{1,15}$/.test(text) ? Number(text) : text
}
const defined = (entries: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined))

/** The fault form as POST /sandbox/api/faults takes it: only the fields the chosen effect has. */
export function faultRequest (form: Static<typeof FaultForm>): Record<string, unknown> {
  const type = form.effect
  const effect = defined({
    type,
    status: type === 'status' ? numberOf(form.status) : undefined,
    ms: type === 'delay' || type === 'out_of_order' ? numberOf(form.ms) : undefined,
    when: type === 'status' || type === 'drop' ? blank(form.when) : undefined,
    target: type === 'corrupt' ? blank(form.target) : undefined
  })
  const match = defined({ on: blank(form.on), merchant_id: blank(form.merchant_id), action: blank(form.action) })
  return defined({ match: Object.keys(match).length === 0 ? undefined : match, effect, times: numberOf(form.times) })
}

const back = (reply: FastifyReply, path: string, answer: Answer, done: string): FastifyReply =>
  reply.redirect(answer.ok ? `${path}?done=${done}` : `${path}?error=${encodeURIComponent(answer.message)}`, 303)

function chrome (deps: AdminUiDeps) {
  return { canLogOut: deps.adminToken !== undefined, clockOffsetMs: deps.clock.offset() }
}

function merchantOptions (deps: AdminUiDeps) {
  return deps.merchants.list().map((m) => ({ value: m.merchant_id, label: `${m.merchant_id} — ${m.name}` }))
}

function registerFaults (app: FastifyInstance, deps: AdminUiDeps): void {
  const ui = app.withTypeProvider<TypeBoxTypeProvider>()
  ui.get('/sandbox/faults', { config: PAGE, schema: schema('Admin UI: the armed faults, and a form to arm one', { querystring: FaultsQuery }) }, async (request, reply) => {
    const { renderFaultsPage } = await import('../views/admin/faults-page.js')
    const { ACTIONS } = await import('../protocol/registry.js')
    return sendHtml(reply, renderFaultsPage({
      faults: deps.faults.list(),
      merchants: merchantOptions(deps),
      actions: ACTIONS.map((a) => a.action),
      done: request.query.done as keyof typeof FAULTS_DONE | undefined,
      error: blank(request.query.error),
      ...chrome(deps)
    }))
  })
  ui.post('/sandbox/faults', { config: PAGE, schema: schema('Admin UI: arm a fault (as POST /sandbox/api/faults)', { body: FaultForm }) }, async (request, reply) =>
    back(reply, '/sandbox/faults', await api(app, deps, 'POST', '/sandbox/api/faults', faultRequest(request.body)), 'armed'))
  ui.post('/sandbox/faults/:id/disarm', { config: PAGE, schema: schema('Admin UI: disarm one fault', { params: FaultParams }) }, async (request, reply) =>
    back(reply, '/sandbox/faults', await api(app, deps, 'DELETE', `/sandbox/api/faults/${encodeURIComponent(request.params.id)}`), 'disarmed'))
  ui.post('/sandbox/faults/disarm-all', { config: PAGE, schema: schema('Admin UI: disarm every fault') }, async (_request, reply) =>
    back(reply, '/sandbox/faults', await api(app, deps, 'DELETE', '/sandbox/api/faults'), 'disarmed'))
}

function registerClock (app: FastifyInstance, deps: AdminUiDeps): void {
  const ui = app.withTypeProvider<TypeBoxTypeProvider>()
  ui.get('/sandbox/clock', { config: PAGE, schema: schema('Admin UI: the virtual clock, and a form to move it forward', { querystring: ClockQuery }) }, async (request, reply) => {
    const { renderClockPage } = await import('../views/admin/clock-page.js')
    return sendHtml(reply, renderClockPage({
      nowMs: deps.clock.now(),
      offsetMs: deps.clock.offset(),
      done: request.query.done as keyof typeof CLOCK_DONE | undefined,
      error: blank(request.query.error),
      canLogOut: deps.adminToken !== undefined
    }))
  })
  ui.post('/sandbox/clock/advance', { config: PAGE, schema: schema('Admin UI: move the clock forward (as POST /sandbox/api/clock/advance)', { body: AdvanceForm }) }, async (request, reply) => {
    const amount = request.body.amount.trim()
    const answer: Answer = /^[0-9]{1,9}$/.test(amount)
      ? await api(app, deps, 'POST', '/sandbox/api/clock/advance', { ms: Number(amount) * UNIT_MS[request.body.unit] })
      : { ok: false, message: `the amount must be a whole number, got "${amount}"` }
    return back(reply, '/sandbox/clock', answer, 'advanced')
  })
}

function registerMerchantActions (app: FastifyInstance, deps: AdminUiDeps): void {
  const ui = app.withTypeProvider<TypeBoxTypeProvider>()
  // The answer is the page itself, not a redirect: the key is shown once and never travels in a URL.
  ui.post('/sandbox/merchants', { config: PAGE, schema: schema('Admin UI: create a runtime merchant and show its sign key once', { body: NewMerchantForm }) }, async (request, reply) => {
    const answer = await api(app, deps, 'POST', '/sandbox/api/merchants', defined({ name: blank(request.body.name), currency: blank(request.body.currency) }))
    if (!answer.ok) return reply.redirect(`/sandbox/merchants?error=${encodeURIComponent(answer.message)}`, 303)
    const created = deps.merchants.get(String(answer.body.merchant_id))
    const { renderMerchantsPage } = await import('../views/admin/merchants-page.js')
    return sendHtml(reply.header('cache-control', 'no-store'), renderMerchantsPage({
      merchants: deps.merchants.list(),
      isRuntime: (id) => deps.merchants.isRuntime(id),
      created,
      ...chrome(deps)
    }), 201)
  })
  ui.post('/sandbox/merchants/:merchant_id/reset', { config: PAGE, schema: schema('Admin UI: reset one merchant (as POST /sandbox/api/reset?merchant_id=)', { params: MerchantParams }) }, async (request, reply) =>
    back(reply, '/sandbox/merchants', await api(app, deps, 'POST', `/sandbox/api/reset?merchant_id=${encodeURIComponent(request.params.merchant_id)}`), 'reset'))
  ui.post('/sandbox/merchants/:merchant_id/delete', { config: PAGE, schema: schema('Admin UI: delete a runtime merchant (as DELETE /sandbox/api/merchants/:merchant_id)', { params: MerchantParams }) }, async (request, reply) =>
    back(reply, '/sandbox/merchants', await api(app, deps, 'DELETE', `/sandbox/api/merchants/${encodeURIComponent(request.params.merchant_id)}`), 'deleted'))
}

/** A fresh order id for the form: the sandbox clock's time, readable and unique enough for a person's tries. */
function newOrderId (now: number): string {
  return `TEST${new Date(now).toISOString().replace(/\D/g, '').slice(2, 17)}`
}

function registerNewOrder (app: FastifyInstance, deps: AdminUiDeps): void {
  const ui = app.withTypeProvider<TypeBoxTypeProvider>()
  const render = async (form: NewOrderForm, error?: string, requestPath?: string) => {
    const { renderNewOrderPage } = await import('../views/admin/new-order-page.js')
    return renderNewOrderPage({ merchants: merchantOptions(deps), form, error, requestPath, ...chrome(deps) })
  }
  ui.get('/sandbox/new-order', { config: PAGE, schema: schema('Admin UI: a form that creates an ACTIVEPAY order through the gateway') }, async (request, reply) => {
    const form = { merchant_id: deps.merchants.list()[0]?.merchant_id ?? '', biz_type: 'WECHATPAY', amount: '100', order_id: newOrderId(deps.clock.now()), call_back_url: 'https://merchant.example/callback' }
    return sendHtml(reply, await render(form))
  })
  ui.post('/sandbox/new-order', { config: PAGE, schema: schema('Admin UI: create an ACTIVEPAY order by calling POST /processV2, sealed with the merchant\'s key', { body: NewOrderBody }) }, async (request, reply) => {
    const form = request.body
    const merchant = deps.merchants.get(form.merchant_id)
    if (merchant === undefined) return sendHtml(reply, await render(form, `merchant ${form.merchant_id} is not a merchant of this sandbox`), 400)
    const data = { order_id: form.order_id.trim(), operator_id: merchant.operators[0] ?? '', amount: form.amount.trim(), biz_type: form.biz_type, call_back_url: form.call_back_url.trim() }
    const res = await app.inject({
      method: 'POST',
      url: '/processV2',
      payload: { action: 'ACTIVEPAY', version: '1.0', merchant_id: merchant.merchant_id, ...seal(data, merchant.sign_key) }
    })
    const answer = res.json<{ rsp_code?: string, rsp_msg?: string }>()
    // The answer's request id names the call; without it, the newest call for this order is it.
    const header = res.headers['x-sandbox-request-id']
    const logged = typeof header === 'string' ? header : deps.requestLog.list({ merchant_id: merchant.merchant_id, order_id: data.order_id, limit: 1 })[0]?.id
    if (answer.rsp_code === 'SUCCESS' && deps.store.orders.find(merchant.merchant_id, data.order_id) !== undefined) {
      return reply.redirect(orderPagePath(merchant.merchant_id, data.order_id), 303)
    }
    const why = `The gateway refused it: ${answer.rsp_code ?? `HTTP ${res.statusCode}`} ${answer.rsp_msg ?? ''}`.trim()
    return sendHtml(reply, await render(form, why, logged === undefined ? undefined : requestPagePath(logged)), 400)
  })
}

/** The control pages; called by registerAdminUi. */
export function registerAdminControl (app: FastifyInstance, deps: AdminUiDeps): void {
  registerFaults(app, deps)
  registerClock(app, deps)
  registerMerchantActions(app, deps)
  registerNewOrder(app, deps)
}
