import type { FastifyInstance, FastifySchema } from 'fastify'
import { Type } from '@sinclair/typebox'
import { DeliverySchema } from '../domain/callbacks/delivery.js'
import { OrderSchema } from '../domain/orders/order.js'

/**
 * What the control API's routes share: the error body, the order and callback components, the `:order_id` +
 * `?merchant_id=` address of an order, and the options every route of /sandbox/api has.
 */

/** The body of every control API error (plugins/error-handler.ts writes it). */
export const ApiErrorSchema = Type.Object({
  error: Type.String({ description: 'what went wrong: NOT_FOUND, BAD_REQUEST, CONFLICT, UNAUTHORIZED, FORBIDDEN, a more precise reason such as ORDER_PAID, or DB_ERROR and INTERNAL for 5xx' }),
  message: Type.String({ description: 'what to do about it, in a sentence' })
}, { $id: 'ApiError', description: 'An error: `error` names it, `message` explains it' })

/** The error answers of a control API route, in every 4xx and 5xx status. */
export const ERROR_RESPONSES = { '4xx': Type.Ref(ApiErrorSchema), '5xx': Type.Ref(ApiErrorSchema) }

/** Shared components: each is added once, and routes link it with `Type.Ref`. */
export function registerApiSchemas (app: FastifyInstance): void {
  app.addSchema(ApiErrorSchema)
  app.addSchema(OrderSchema)
  app.addSchema(DeliverySchema)
}

/** One order: order ids are unique per merchant only, so `?merchant_id=` says whose when several have it. */
export const OrderParams = Type.Object({ order_id: Type.String() })
export const OrderMerchantQuery = Type.Object({ merchant_id: Type.Optional(Type.String()) })
export const IdParams = Type.Object({ id: Type.String() })

/**
 * Orders and callbacks are written as stored, with JSON.stringify: they hold the merchant's request and the answer
 * as sent, and orders of older data files may lack a field that the compiled serializer would then refuse, fill
 * in or reorder. Their schemas document and type them.
 */
export const AS_STORED = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) }

type ApiSchema = Omit<FastifySchema, 'response'> & { description?: string, response: Record<number, unknown> }

/**
 * The options of a control API route: behind ADMIN_TOKEN, tagged, its answers and the error answers documented
 * (and serialized) from the schemas.
 */
export function apiRoute<S extends ApiSchema> (summary: string, schema: S) {
  return {
    config: { admin: 'api' as const },
    schema: { summary, tags: ['control API'], ...schema, response: { ...schema.response, ...ERROR_RESPONSES } }
  }
}
