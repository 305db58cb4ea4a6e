import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import { ORDER_STATUSES, payerPagePath, type Order } from '../domain/orders/order.js'
import { loginCookie, logoutCookie, safeNext, tokenMatches } from '../plugins/admin-auth.js'
import { notFoundPage } from '../views/admin/error-pages.js'
import { DONE_MESSAGES, renderOrderPage, type DoneKey } from '../views/admin/order-page.js'
import type { SafeHtml } from '../views/html.js'
import { sendHtml } from '../views/send-html.js'
import { registerAdminActions, OrderParams } from './admin-actions.js'
import { registerAdminControl } from './admin-control.js'
import { registerFavicon } from './favicon.js'
import { MERCHANTS_DONE } from '../views/admin/merchants-page.js'
import { orderPagePath, type OrderRow } from '../views/admin/orders-page.js'
import type { AdminUiDeps } from './deps.js'

const PAGE = { admin: 'ui', surface: 'page' } as const
/** The list re-renders every 2 s while live refresh is on; a bounded table keeps that cheap. */
const MAX_ROWS = 200

// Filter forms send every field, empty when "any" is chosen, so each filter also accepts ''.
const anyOf = <T extends string>(values: readonly T[]) => Type.Optional(Type.Union([...values.map((v) => Type.Literal(v)), Type.Literal('')]))
const Cursor = Type.Optional(Type.String({ pattern: '^[0-9]{0,15}$', description: 'the page after this cursor (the list\'s "Older" link)' }))
const OrdersQuery = Type.Object({
  merchant_id: Type.Optional(Type.String({ maxLength: 64 })),
  status: anyOf(ORDER_STATUSES),
  action: Type.Optional(Type.String({ maxLength: 32 })),
  q: Type.Optional(Type.String({ maxLength: 128, description: 'find an order by its order id, bizpay_order_id, or the id of a request about it' })),
  cursor: Cursor
})
const OrderQuery = Type.Object({
  done: Type.Optional(Type.Union((Object.keys(DONE_MESSAGES) as DoneKey[]).map((k) => Type.Literal(k)))),
  error: Type.Optional(Type.String({ maxLength: 2000 }))
})
const RequestsQuery = Type.Object({
  merchant_id: Type.Optional(Type.String({ maxLength: 64 })),
  action: Type.Optional(Type.String({ maxLength: 32 })),
  order_id: Type.Optional(Type.String({ maxLength: 128 })),
  verdict: anyOf(['accepted', 'rejected'] as const),
  cursor: Cursor
})
const MerchantsQuery = Type.Object({
  done: Type.Optional(Type.Union((Object.keys(MERCHANTS_DONE) as Array<keyof typeof MERCHANTS_DONE>).map((k) => Type.Literal(k)))),
  error: Type.Optional(Type.String({ maxLength: 2000 }))
})
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const LoginQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) })
const LoginBody = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 1000 })),
  next: Type.Optional(Type.String({ maxLength: 2000 }))
})

/**
 * The page renderers and the QR code load on the first page asked for, not at the start (issue 13: start fast); the
 * order page stays imported for its `done` messages, which its route's schema lists.
 */
const loginPage = () => import('../views/admin/login-page.js')
const merchantsPage = () => import('../views/admin/merchants-page.js')
const ordersPage = () => import('../views/admin/orders-page.js')
const qr = () => import('../views/admin/qr.js')
const requestPage = () => import('../views/admin/request-page.js')
const requestsPage = () => import('../views/admin/requests-page.js')

const blank = <T extends string>(value: T | undefined): Exclude<T, ''> | undefined => value === undefined || value === '' ? undefined : value as Exclude<T, ''>
const schema = <P extends object = object>(summary: string, parts?: P) => ({ summary, tags: ['admin UI'], hide: false, ...parts as P })

/** The list's next (older) page with the same filters, or undefined on the last page. */
function olderHref (path: string, filter: Record<string, string | undefined>, next: string | null): string | undefined {
  if (next === null) return undefined
  const query = new URLSearchParams(Object.entries({ ...filter, cursor: next }).filter((e): e is [string, string] => e[1] !== undefined))
  return `${path}?${query.toString()}`
}

/** The list's first (newest) page with the same filters. */
function newestHref (path: string, filter: Record<string, string | undefined>): string {
  const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined))
  return query.size === 0 ? path : `${path}?${query.toString()}`
}

/** What every admin page shows besides its content: "Log out", and the clock banner while the clock is ahead. */
function chrome (deps: AdminUiDeps) {
  return { canLogOut: deps.adminToken !== undefined, clockOffsetMs: deps.clock.offset() }
}

/**
 * The orders an admin search names: those with this order id (one per merchant), the one with this
 * bizpay_order_id (its own or a refund's), and the one a logged request with this id was about.
 */
function searchOrders (deps: AdminUiDeps, text: string): Order[] {
  const found = new Map<string, Order>()
  const add = (order: Order | undefined) => { if (order !== undefined) found.set(`${order.merchant_id}\u0000${order.order_id}`, order) }
  for (const order of deps.store.orders.findById(text)) add(order)
  add(deps.store.orders.findByBizpayId(text))
  const entry = deps.requestLog.get(text)
  if (entry?.order_id != null && entry.merchant_id !== null) add(deps.store.orders.find(entry.merchant_id, entry.order_id))
  return [...found.values()]
}

function merchantOptions (deps: AdminUiDeps) {
  return deps.merchants.list().map((m) => ({ value: m.merchant_id, label: `${m.merchant_id} — ${m.name}` }))
}

function registerOrdersPage (app: FastifyInstance, deps: AdminUiDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/sandbox', {
    config: PAGE,
    schema: schema('Admin UI: the orders, newest first, with filters and live refresh', { querystring: OrdersQuery })
  }, async (request, reply) => {
    const filter = { merchant_id: blank(request.query.merchant_id), status: blank(request.query.status), action: blank(request.query.action) }
    const withCallbacks = (order: Order): OrderRow => ({ order, callbacks: deps.store.callbacks.forOrder(order.merchant_id, order.order_id) })
    const { renderOrdersPage } = await ordersPage()
    const search = request.query.q?.trim()
    if (search !== undefined && search !== '') {
      const found = searchOrders(deps, search)
      // One match: straight to it, as a search box in any tool does.
      if (found.length === 1) return reply.redirect(orderPagePath(found[0]!.merchant_id, found[0]!.order_id), 303)
      return sendHtml(reply, renderOrdersPage({ rows: found.map(withCallbacks), total: found.length, merchants: [], actions: [], filter: {}, search, ...chrome(deps) }))
    }
    const page = deps.store.orders.page({ ...filter, limit: MAX_ROWS, cursor: request.query.cursor })
    const rows = page.items.map(withCallbacks)
    return sendHtml(reply, renderOrdersPage({
      rows,
      total: deps.store.orders.countMatching(filter),
      merchants: merchantOptions(deps),
      // The actions and links that made the stored orders (queries and refunds make none).
      actions: deps.store.orders.actions(),
      filter,
      older: olderHref('/sandbox', filter, page.next),
      newest: blank(request.query.cursor) === undefined ? undefined : newestHref('/sandbox', filter),
      ...chrome(deps)
    }))
  })
}

async function orderPage (deps: AdminUiDeps, order: Order, baseUrl: string, query: Static<typeof OrderQuery>): Promise<SafeHtml> {
  const payerPage = payerPagePath(order)
  return renderOrderPage({
    order,
    merchantName: deps.merchants.get(order.merchant_id)?.name ?? order.merchant_id,
    payerPagePath: payerPage,
    payerPageUrl: baseUrl + payerPage,
    callbacks: deps.store.callbacks.forOrder(order.merchant_id, order.order_id),
    requests: deps.requestLog.list({ order_id: order.order_id, merchant_id: order.merchant_id }),
    qrSvg: order.code_url === '' ? undefined : await (await qr()).qrSvg(order.code_url, `QR code for ${order.code_url}`),
    done: query.done,
    error: blank(query.error),
    ...chrome(deps)
  })
}

function registerOrderPage (app: FastifyInstance, deps: AdminUiDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/sandbox/orders/:merchant_id/:order_id', {
    config: PAGE,
    schema: schema('Admin UI: one order with its QR code, actions, timeline, callbacks and requests', { params: OrderParams, querystring: OrderQuery })
  }, async (request, reply) => {
    const { merchant_id: merchantId, order_id: orderId } = request.params
    const order = deps.store.orders.find(merchantId, orderId)
    if (order === undefined) return sendHtml(reply, notFoundPage(`order ${orderId} of merchant ${merchantId} not found`, deps.adminToken !== undefined, 'orders'), 404)
    return sendHtml(reply, await orderPage(deps, order, deps.baseUrlOf(request), request.query))
  })
}

function registerRequestPages (app: FastifyInstance, deps: AdminUiDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/sandbox/requests', {
    config: PAGE,
    schema: schema('Admin UI: the request inspector, newest first, with live refresh', { querystring: RequestsQuery })
  }, async (request, reply) => {
    const filter = {
      merchant_id: blank(request.query.merchant_id),
      action: blank(request.query.action),
      order_id: blank(request.query.order_id?.trim()),
      verdict: blank(request.query.verdict)
    }
    const { renderRequestsPage } = await requestsPage()
    const { ACTIONS } = await import('../protocol/registry.js')
    const page = deps.requestLog.page({ ...filter, limit: MAX_ROWS, cursor: request.query.cursor })
    return sendHtml(reply, renderRequestsPage({
      entries: page.requests,
      older: olderHref('/sandbox/requests', filter, page.next),
      size: deps.requestLog.size,
      merchants: merchantOptions(deps),
      actions: ACTIONS.map((a) => a.action),
      filter,
      ...chrome(deps)
    }))
  })

  app.withTypeProvider<TypeBoxTypeProvider>().get('/sandbox/requests/:id', {
    config: PAGE,
    schema: schema('Admin UI: one gateway call, step by step: verdict, hints, md5 comparison, decrypted data', { params: IdParams })
  }, async (request, reply) => {
    const entry = deps.requestLog.get(request.params.id)
    const canLogOut = deps.adminToken !== undefined
    if (entry === undefined) {
      return sendHtml(reply, notFoundPage(`request ${request.params.id} is not in the request log (it is in memory and keeps the last ${deps.requestLog.size})`, canLogOut, 'requests'), 404)
    }
    const orderExists = entry.order_id !== null && entry.merchant_id !== null && deps.store.orders.find(entry.merchant_id, entry.order_id) !== undefined
    const { renderRequestPage } = await requestPage()
    return sendHtml(reply, renderRequestPage({ entry, orderExists, baseUrl: deps.baseUrlOf(request), ...chrome(deps) }))
  })
}

function registerMerchantsPage (app: FastifyInstance, deps: AdminUiDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/sandbox/merchants', {
    config: PAGE,
    schema: schema('Admin UI: the merchants, operators and (masked) sign keys, with forms to create, reset and delete', { querystring: MerchantsQuery })
  }, async (request, reply) => sendHtml(reply, (await merchantsPage()).renderMerchantsPage({
    merchants: deps.merchants.list(),
    isRuntime: (id) => deps.merchants.isRuntime(id),
    done: request.query.done,
    error: blank(request.query.error),
    ...chrome(deps)
  })))
}

function registerLogin (app: FastifyInstance, token: string | undefined): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/sandbox/login', {
    config: { surface: 'page' },
    schema: schema('Admin UI: the admin token form (redirects to /sandbox when ADMIN_TOKEN is not set)', { querystring: LoginQuery })
  }, async (request, reply) => {
    if (token === undefined) return reply.redirect('/sandbox', 303)
    const { renderLoginPage } = await loginPage()
    return sendHtml(reply, renderLoginPage({ next: safeNext(request.query.next) }))
  })

  app.withTypeProvider<TypeBoxTypeProvider>().post('/sandbox/login', {
    config: { surface: 'page' },
    schema: schema('Admin UI: log in with the admin token; sets the login cookie', { body: LoginBody })
  }, async (request, reply) => {
    const next = safeNext(request.body.next)
    if (token === undefined) return reply.redirect(next, 303)
    if (!tokenMatches(request.body.token ?? '', token)) {
      const { renderLoginPage } = await loginPage()
      return sendHtml(reply, renderLoginPage({ next, error: 'That is not the admin token (ADMIN_TOKEN). Try again.' }), 401)
    }
    return reply.header('set-cookie', loginCookie(token)).redirect(next, 303)
  })

  app.withTypeProvider<TypeBoxTypeProvider>().post('/sandbox/logout', {
    config: { surface: 'page' },
    schema: schema('Admin UI: log out (clears the login cookie)')
  }, async (_request, reply) => reply.header('set-cookie', logoutCookie()).redirect('/sandbox/login', 303))
}

/** The admin UI: server-rendered pages over the same store, request log and payments as the control API. */
export function registerAdminUi (app: FastifyInstance, deps: AdminUiDeps): void {
  registerOrdersPage(app, deps)
  registerOrderPage(app, deps)
  registerRequestPages(app, deps)
  registerMerchantsPage(app, deps)
  registerAdminActions(app, deps)
  registerAdminControl(app, deps)
  registerLogin(app, deps.adminToken)
  registerFavicon(app)
}
