import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { Dispatcher } from '../engine/callbacks/dispatcher.js'
import { NotFoundError } from '../domain/errors.js'
import type { Payments } from '../engine/orders/payments.js'
import type { Store } from '../store/index.js'
import { findOrderOrThrow } from './sandbox-orders.js'

export interface ControlDeps {
  store: Store
  payments: Payments
  dispatcher: Dispatcher
}

const OrderParams = Type.Object({ order_id: Type.String() })
const MerchantQuery = Type.Object({ merchant_id: Type.Optional(Type.String()) })
const PayBody = Type.Union([
  Type.Object({ tip: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$', description: 'tip in cents, replaces the order\'s' })) }),
  Type.Null()
])

const RefundBody = Type.Union([
  Type.Object({ amount: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$', description: 'cents to refund; default: all that is left' })) }),
  Type.Null()
])

const tipChange = (tip: string | undefined) => tip === undefined ? {} : { tip }

type OrderRequest = FastifyRequest<{ Params: { order_id: string }, Querystring: { merchant_id?: string } }>

/**
 * Payment events on demand, and callback redelivery (contract §4). A refused event is a TransitionError: a paid
 * order answers 409 ORDER_PAID (the gateway's code), a closed one 409 ORDER_CLOSED (src/domain/errors.ts).
 */
export function registerControlRoutes (app: FastifyInstance, deps: ControlDeps): void {
  const find = (request: OrderRequest) => findOrderOrThrow(deps.store, request.params.order_id, request.query.merchant_id)
  const schema = (summary: string) => ({ summary, tags: ['control API'], params: OrderParams, querystring: MerchantQuery })

  app.post<{ Params: { order_id: string }, Querystring: { merchant_id?: string }, Body: { tip?: string } | null }>(
    '/sandbox/api/orders/:order_id/pay',
    { config: { admin: 'api' }, schema: { ...schema('The payer pays now; fires the callback'), body: PayBody } },
    async (request) => deps.payments.pay(find(request), 'paid through the control API', tipChange(request.body?.tip)))

  app.post<{ Params: { order_id: string }, Querystring: { merchant_id?: string } }>(
    '/sandbox/api/orders/:order_id/fail',
    { config: { admin: 'api' }, schema: schema('Decline the payment; fires a FAIL callback') },
    async (request) => deps.payments.decline(find(request), 'declined through the control API'))

  app.post<{ Params: { order_id: string }, Querystring: { merchant_id?: string } }>(
    '/sandbox/api/orders/:order_id/expire',
    { config: { admin: 'api' }, schema: schema('Expire the unpaid order (notpay); no callback') },
    async (request) => deps.payments.expire(find(request), 'expired through the control API'))

  app.post<{ Params: { order_id: string }, Querystring: { merchant_id?: string }, Body: { amount?: string } | null }>(
    '/sandbox/api/orders/:order_id/refund',
    { config: { admin: 'api' }, schema: { ...schema('Refund a paid order, in part (amount in cents) or in full (no amount); no callback'), body: RefundBody } },
    async (request) => (await deps.payments.refund(find(request), 'refunded through the control API', request.body?.amount ?? undefined)).order)

  app.post<{ Params: { id: string } }>('/sandbox/api/callbacks/:id/redeliver', {
    config: { admin: 'api' },
    schema: { summary: 'Send a callback once more now', tags: ['control API'], params: Type.Object({ id: Type.String() }) }
  }, async (request) => {
    const delivery = deps.store.callbacks.get(request.params.id)
    if (delivery === undefined) throw new NotFoundError(`callback ${request.params.id} not found`)
    const attempt = await deps.dispatcher.redeliver(delivery)
    return { delivery: deps.store.callbacks.get(delivery.id) ?? delivery, attempt }
  })
}
