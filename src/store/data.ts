import type { Delivery } from '../callbacks/delivery.js'
import type { Merchant } from '../fixtures.js'
import type { Order } from '../orders/order.js'

/** The shape of the lowdb JSON file. `schema` lets a later version migrate older files. */
export interface Data {
  schema: 1
  orders: Order[]
  /** The callback outbox: pending deliveries survive restarts and crashes. */
  callbacks: Delivery[]
  /** Merchants created at run time (POST /sandbox/api/merchants); fixture merchants are never written here. */
  merchants: Merchant[]
}

export function defaultData (): Data {
  return { schema: 1, orders: [], callbacks: [], merchants: [] }
}
