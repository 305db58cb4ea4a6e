import { GatewayError } from '../../domain/errors.js'
import type { Order, Refund } from '../../domain/orders/order.js'
import { unknownOrder } from '../../domain/orders/query-view.js'
import type { ActionContext } from '../action.js'

/** Rules several actions share, each rejected in the same words wherever it applies. */

/** Requests that repeat the merchant ID inside `data` (cards, H5PAY, checkout): it must be the envelope's. Absent is fine where optional. */
export function requireEnvelopeMerchant (ctx: ActionContext, merchantId: string | undefined): void {
  if (merchantId === undefined || merchantId === ctx.merchant.merchant_id) return
  throw new GatewayError('PARAM_INVALID', `merchant_id in data (${merchantId}) differs from the envelope's (${ctx.merchant.merchant_id})`)
}

/** The docs: `currency_type` "MUST match the merchant ID's currency setting" (H5PAY, PREPAY_INIT). */
export function requireMerchantCurrency (ctx: ActionContext, currency: string): void {
  if (currency === ctx.merchant.currency) return
  throw new GatewayError('PARAM_INVALID',
    `currency_type ${currency} does not match merchant ${ctx.merchant.merchant_id}, which uses ${ctx.merchant.currency}`)
}

/** The calling merchant's order `id`; an id it never used (or another merchant's) is PARAM_INVALID naming `field`. */
export function requireOrder (ctx: ActionContext, field: string, id: string): Order {
  const order = ctx.store.orders.find(ctx.merchant.merchant_id, id)
  if (order === undefined) throw unknownOrder(field, id, ctx.merchant.merchant_id)
  return order
}

/** The calling merchant's refund whose id is `id`, with its order (refund ids share the merchant's order-id namespace). */
export function refundNamed (ctx: ActionContext, id: string): { order: Order, refund: Refund } | undefined {
  return ctx.store.orders.findRefund(ctx.merchant.merchant_id, id)
}
