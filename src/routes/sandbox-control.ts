import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import { AttemptSchema, DeliverySchema } from '../domain/callbacks/delivery.js'
import type { Dispatcher } from '../engine/callbacks/dispatcher.js'
import { NotFoundError } from '../domain/errors.js'
import { OrderSchema } from '../domain/orders/order.js'
import type { Payments } from '../engine/orders/payments.js'
import type { Store } from '../store/index.js'
import { apiRoute, AS_STORED, IdParams, OrderMerchantQuery, OrderParams } from './api-schemas.js'
import { findOrderOrThrow } from './sandbox-orders.js'

export interface ControlDeps {
  store: Store
  payments: Payments
  dispatcher: Dispatcher
}

const PayBody = Type.Union([
  Type.Object({ tip: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$', description: 'tip in cents, replaces the order\'s' })) }),
  Type.Null()
])

const RefundBody = Type.Union([
  Type.Object({ amount: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$', description: 'cents to refund; default: all that is left' })) }),
  Type.Null()
])

const tipChange = (tip: string | undefined) => tip === undefined ? {} : { tip }

const RedeliveredSchema = Type.Object({
  delivery: Type.Ref(DeliverySchema, { description: 'the callback with the new attempt' }),
  attempt: AttemptSchema
})

/** How a control route names its order: the path's order id, and `?merchant_id=` when several merchants use it. */
interface OrderAddress {
  params: Static<typeof OrderParams>
  query: Static<typeof OrderMerchantQuery>
}

/**
 * Payment events on demand, and callback redelivery (contract §4). A refused event is a TransitionError: a paid
 * order answers 409 ORDER_PAID (the gateway's code), a closed one 409 ORDER_CLOSED (src/domain/errors.ts).
 */
export function registerControlRoutes (app: FastifyInstance, deps: ControlDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  const find = (request: OrderAddress) => findOrderOrThrow(deps.store, request.params.order_id, request.query.merchant_id)
  // Each answers the order as the event left it.
  const event = <B extends object>(summary: string, body: B) => ({
    ...apiRoute(summary, { params: OrderParams, querystring: OrderMerchantQuery, ...body, response: { 200: Type.Ref(OrderSchema) } }),
    ...AS_STORED
  })

  api.post('/sandbox/api/orders/:order_id/pay', event('The payer pays now; fires the callback', { body: PayBody }),
    async (request) => deps.payments.pay(find(request), 'paid through the control API', tipChange(request.body?.tip)))

  api.post('/sandbox/api/orders/:order_id/fail', event('Decline the payment; fires a FAIL callback', {}),
    async (request) => deps.payments.decline(find(request), 'declined through the control API'))

  api.post('/sandbox/api/orders/:order_id/expire', event('Expire the unpaid order (notpay); no callback', {}),
    async (request) => deps.payments.expire(find(request), 'expired through the control API'))

  api.post('/sandbox/api/orders/:order_id/refund', event('Refund a paid order, in part (amount in cents) or in full (no amount); no callback', { body: RefundBody }),
    async (request) => (await deps.payments.refund(find(request), 'refunded through the control API', request.body?.amount ?? undefined)).order)

  api.post('/sandbox/api/callbacks/:id/redeliver', {
    ...apiRoute('Send a callback once more now', { params: IdParams, response: { 200: RedeliveredSchema } }),
    ...AS_STORED
  }, async (request) => {
    const delivery = deps.store.callbacks.get(request.params.id)
    if (delivery === undefined) throw new NotFoundError(`callback ${request.params.id} not found`)
    const attempt = await deps.dispatcher.redeliver(delivery)
    return { delivery: deps.store.callbacks.get(delivery.id) ?? delivery, attempt }
  })
}
