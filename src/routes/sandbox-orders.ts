import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import { DeliverySchema } from '../domain/callbacks/delivery.js'
import { ConflictError, NotFoundError } from '../domain/errors.js'
import { ORDER_STATUSES, OrderSchema, payerPagePath, type Order } from '../domain/orders/order.js'
import type { Store } from '../store/index.js'
import { apiRoute, AS_STORED, OrderMerchantQuery, OrderParams } from './api-schemas.js'
import type { BaseUrlOf } from './deps.js'

/** Pages of orders: at most this many at a time (the store's limit too). */
export const MAX_PAGE = 1000

const ListQuery = Type.Object({
  merchant_id: Type.Optional(Type.String()),
  status: Type.Optional(Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s)))),
  action: Type.Optional(Type.String({ description: 'the action (or payment link) that made the order, e.g. ACTIVEPAY' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 100, description: `orders per page (default 100, at most ${MAX_PAGE})` })),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'the `next` of the previous page' }))
})

const OrderPageSchema = Type.Object({
  orders: Type.Array(Type.Ref(OrderSchema)),
  total: Type.Integer({ description: 'orders matching the filters, on every page' }),
  next: Type.Union([Type.String(), Type.Null()], { description: 'the cursor of the next (older) page; null on the last' }),
  next_url: Type.Union([Type.String(), Type.Null()], { description: 'the next page, with the same filters' })
})

const OrderViewSchema = Type.Intersect([
  Type.Ref(OrderSchema),
  Type.Object({
    payer_page_url: Type.String({ description: 'the order\'s hosted payer page (PUBLIC_URL or the request\'s origin)' }),
    callbacks: Type.Array(Type.Ref(DeliverySchema), { description: 'the order\'s callbacks with their attempts' })
  })
])

type OrderView = Static<typeof OrderViewSchema>

/** Finds one order by id; order ids are unique per merchant only, so `merchant_id` disambiguates. */
export function findOrderOrThrow (store: Store, orderId: string, merchantId: string | undefined): Order {
  if (merchantId !== undefined) {
    const order = store.orders.find(merchantId, orderId)
    if (order === undefined) throw new NotFoundError(`order ${orderId} of merchant ${merchantId} not found`)
    return order
  }
  const matches = store.orders.findById(orderId)
  if (matches.length === 0) throw new NotFoundError(`order ${orderId} not found`)
  if (matches.length > 1) {
    throw new ConflictError(`order ${orderId} exists for several merchants (${matches.map((o) => o.merchant_id).join(', ')}); add ?merchant_id=`)
  }
  return matches[0]!
}

/** An order as the control API shows it: the stored order, where its payer page is, and its callbacks. */
export function orderView (store: Store, order: Order, baseUrl: string): OrderView {
  return { ...order, payer_page_url: baseUrl + payerPagePath(order), callbacks: store.callbacks.forOrder(order.merchant_id, order.order_id) }
}

/** The control API's order views (contract §4). */
export function registerSandboxOrders (app: FastifyInstance, store: Store, baseUrlOf: BaseUrlOf): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  api.get('/sandbox/api/orders', {
    ...apiRoute('List orders, newest first, a page at a time (`next` is the cursor of the next page; null on the last)', {
      querystring: ListQuery,
      response: { 200: OrderPageSchema }
    }),
    ...AS_STORED
  }, async (request) => {
    const page = store.orders.page(request.query)
    const query = new URLSearchParams(Object.entries({ ...request.query, cursor: page.next ?? '' }).map(([k, v]): [string, string] => [k, String(v)]))
    return {
      orders: page.items,
      total: store.orders.countMatching(request.query),
      next: page.next,
      next_url: page.next === null ? null : `/sandbox/api/orders?${query.toString()}`
    }
  })

  api.get('/sandbox/api/orders/:order_id', {
    ...apiRoute('One order with its request, answer and status history', {
      params: OrderParams,
      querystring: OrderMerchantQuery,
      response: { 200: OrderViewSchema }
    }),
    ...AS_STORED
  }, async (request) => orderView(store, findOrderOrThrow(store, request.params.order_id, request.query.merchant_id), baseUrlOf(request)))
}
