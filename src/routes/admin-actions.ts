import type { FastifyInstance, FastifyReply } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import { ApiError, TransitionError } from '../domain/errors.js'
import type { Order } from '../domain/orders/order.js'
import { notFoundPage } from '../views/admin/error-pages.js'
import type { DoneKey } from '../views/admin/order-page.js'
import { orderPagePath } from '../views/admin/orders-page.js'
import { sendHtml } from '../views/send-html.js'
import type { AdminUiDeps } from './deps.js'

const PAGE = { admin: 'ui', surface: 'page' } as const

export const OrderParams = Type.Object({
  merchant_id: Type.String({ minLength: 1, maxLength: 64 }),
  order_id: Type.String({ minLength: 1, maxLength: 128 })
})

// An HTML form always sends the field, empty when left blank; the route reads blank as "all that is left".
const RefundBody = Type.Union([
  Type.Object({ amount: Type.Optional(Type.String({ maxLength: 32, description: 'cents to refund; empty: all that is left' })) }),
  Type.Null()
])
type RefundForm = Static<typeof RefundBody>

interface OrderAction {
  path: string
  summary: string
  run(order: Order, body: RefundForm | undefined): Promise<Order>
  /** What to report, from the order as the action left it (a magic amount can turn a payment into a decline). */
  done(order: Order): DoneKey
}

function refundAmount (body: RefundForm | undefined): string | undefined {
  const amount = body?.amount?.trim() ?? ''
  if (amount === '') return undefined
  if (!/^[0-9]{1,12}$/.test(amount)) throw new ApiError('BAD_REQUEST', `the refund amount must be whole cents, digits only ("250" for 2.50), got "${amount}"`)
  return amount
}

function actionsOf (deps: AdminUiDeps): OrderAction[] {
  const { payments } = deps
  return [
    { path: 'pay', summary: 'Admin UI: Pay now (fires the callback)', run: (o) => payments.pay(o, 'paid from the admin UI'), done: (o) => o.status === 'fail' ? 'declined' : 'paid' },
    { path: 'fail', summary: 'Admin UI: Decline (fires a FAIL callback)', run: (o) => payments.decline(o, 'declined from the admin UI'), done: () => 'declined' },
    { path: 'expire', summary: 'Admin UI: Expire the unpaid order (notpay)', run: (o) => payments.expire(o, 'expired from the admin UI'), done: () => 'expired' },
    { path: 'refund', summary: 'Admin UI: Refund, in part (amount in cents) or in full', run: async (o, body) => (await payments.refund(o, 'refunded from the admin UI', refundAmount(body))).order, done: () => 'refunded' }
  ]
}

/** Post/redirect/get: the order page shows the outcome, and reloading it does not post again. */
function backToOrder (reply: FastifyReply, order: Order, query: string): FastifyReply {
  return reply.redirect(`${orderPagePath(order.merchant_id, order.order_id)}?${query}`, 303)
}

function registerOrderAction (app: FastifyInstance, deps: AdminUiDeps, action: OrderAction): void {
  const schema = { summary: action.summary, tags: ['admin UI'], hide: false, params: OrderParams, ...(action.path === 'refund' ? { body: RefundBody } : {}) }
  app.withTypeProvider<TypeBoxTypeProvider>().post(`/sandbox/orders/:merchant_id/:order_id/${action.path}`, { config: PAGE, schema }, async (request, reply) => {
    const { merchant_id: merchantId, order_id: orderId } = request.params
    const order = deps.store.orders.find(merchantId, orderId)
    if (order === undefined) return sendHtml(reply, notFoundPage(`order ${orderId} of merchant ${merchantId} not found`, deps.adminToken !== undefined, 'orders'), 404)
    let changed: Order
    try {
      changed = await action.run(order, request.body ?? undefined)
    } catch (err) {
      // A button that does not apply (already paid, closed, refund too large) is news for the page, not a crash.
      if (err instanceof TransitionError || err instanceof ApiError) return backToOrder(reply, order, `error=${encodeURIComponent(err.message)}`)
      throw err
    }
    return backToOrder(reply, order, `done=${action.done(changed)}`)
  })
}

function registerRedeliver (app: FastifyInstance, deps: AdminUiDeps): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post('/sandbox/callbacks/:id/redeliver', {
    config: PAGE,
    schema: { summary: 'Admin UI: send a callback once more now', tags: ['admin UI'], hide: false, params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }) }
  }, async (request, reply) => {
    const delivery = deps.store.callbacks.get(request.params.id)
    if (delivery === undefined) return sendHtml(reply, notFoundPage(`callback ${request.params.id} not found`, deps.adminToken !== undefined, 'orders'), 404)
    await deps.dispatcher.redeliver(delivery)
    const back = orderPagePath(delivery.merchant_id, delivery.order_id)
    return reply.redirect(`${back}?done=redelivered#callback-${encodeURIComponent(delivery.id)}`, 303)
  })
}

/** The admin UI's buttons: plain HTML form posts that act through the same payments service as everything else. */
export function registerAdminActions (app: FastifyInstance, deps: AdminUiDeps): void {
  for (const action of actionsOf(deps)) registerOrderAction(app, deps, action)
  registerRedeliver(app, deps)
}
