import { DELIVERY_STATUSES } from '../domain/callbacks/delivery.js'
import { ORDER_STATUSES } from '../domain/orders/order.js'

/**
 * What a stored order or delivery must have for the sandbox to use it: the fields every reader relies on. A value
 * that lacks one is refused when the store loads, naming the file and line, instead of failing later on a page.
 */
const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

type Checks = Array<[string, (field: unknown) => boolean]>

function firstProblem (value: Record<string, unknown>, checks: Checks): string | undefined {
  for (const [name, ok] of checks) {
    if (!ok(value[name])) return `"${name}" is ${value[name] === undefined ? 'missing' : `invalid (${JSON.stringify(value[name])?.slice(0, 60)})`}`
  }
  return undefined
}

const str = (field: unknown) => typeof field === 'string'
const id = (field: unknown) => typeof field === 'string' && field !== ''
const cents = (field: unknown) => typeof field === 'string' && /^\d{1,18}$/.test(field)
const time = (field: unknown) => typeof field === 'string' && !Number.isNaN(Date.parse(field))
const optional = (check: (field: unknown) => boolean) => (field: unknown) => field === undefined || check(field)

const ORDER_CHECKS: Checks = Object.entries({
  merchant_id: id,
  order_id: id,
  action: id,
  method: id,
  amount: cents,
  tip: str,
  currency: str,
  notify_url: str,
  bizpay_order_id: str,
  code_url: str,
  page_token: id,
  status: (field) => (ORDER_STATUSES as readonly unknown[]).includes(field),
  created_at: time,
  updated_at: time,
  history: Array.isArray,
  request: isObject,
  response: isObject,
  expires_at: optional(time),
  pay_at: optional(time),
  refund_amount: optional(cents),
  refunds: optional((field) => Array.isArray(field) && field.every((r) => isObject(r) && id(r.refund_id) && cents(r.amount)))
})

const DELIVERY_CHECKS: Checks = Object.entries({
  id,
  merchant_id: id,
  order_id: id,
  url: str,
  body: isObject,
  status: (field) => (DELIVERY_STATUSES as readonly unknown[]).includes(field),
  next_attempt_at: (field) => field === null || (typeof field === 'number' && Number.isFinite(field)),
  attempts: Array.isArray,
  created_at: time
})

export function orderProblem (value: unknown): string | undefined {
  return isObject(value) ? firstProblem(value, ORDER_CHECKS) : 'is not an order object'
}

export function deliveryProblem (value: unknown): string | undefined {
  return isObject(value) ? firstProblem(value, DELIVERY_CHECKS) : 'is not a callback object'
}
