import { Type } from '@sinclair/typebox'
import { ORDER_STATUSES } from '../../domain/orders/order.js'

/** Answer fields shared by the queries (STATUS_QUERY, CC_QUERYPAY), in the vocabulary of the docs' query pages. */
export const cents = (description: string) => Type.String({ pattern: '^[0-9]{1,12}$', description })

export const OrderStatusField = Type.Union(
  ORDER_STATUSES.map((s) => Type.Literal(s)),
  { description: 'init (unpaid), success (paid), fail (declined), notpay (expired unpaid), authorised (a paid CC_PREAUTH), partial_refunded, refunded' }
)

export const BeijingTimeField = (description: string) => Type.String({ pattern: '^[0-9]{14}$', description: `${description}, yyyyMMddHHmmss Beijing time (UTC+8)` })
