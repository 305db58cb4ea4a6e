import type { Clock } from '../../platform/clock.js'
import type { OwnListener } from '../callbacks/own-listener.js'
import { GatewayError, IdTakenError } from '../../domain/errors.js'
import type { Merchant } from '../../domain/fixtures.js'
import type { Ids } from '../../platform/ids.js'
import type { OrderRepository } from '../../store/types.js'
import { maskCard, maskRequest, type Order, type PayerPage, type PayMethod, type ReturnStyle } from '../../domain/orders/order.js'

/**
 * What making an order needs: the merchant, the action (or payment link) and version that make it, and the services.
 * A gateway action's context is one; a hosted payment link builds its own.
 */
export interface OrderContext {
  merchant: Merchant
  action: string
  version: string
  clock: Clock
  ids: Ids
  store: { orders: Pick<OrderRepository, 'find' | 'idTaken' | 'insert'> }
  /** The sandbox's own address, which no callback URL may name. */
  ownListener: OwnListener
}

export interface NewOrder {
  order_id: string | undefined
  method: PayMethod
  amount: string
  tip: string | undefined
  operator_id: string | undefined
  /** The callback URL; '' when the flow has none (no callback is sent). */
  notify_url: string
  return_url?: string | undefined
  return_style?: ReturnStyle | undefined
  payer_page?: PayerPage | undefined
  /** ISO time the unpaid order expires, when the request sets one (default: ORDER_EXPIRY). */
  expires_at?: string | undefined
  /** ISO time the scheduler pays the order on its own (a payer who confirms later). */
  pay_at?: string | undefined
  sale_num?: string | undefined
  details?: Record<string, string> | undefined
  card_number?: string | undefined
  /** The last four digits of a card whose number the sandbox never sees (Portico's `cc_maskednum`). */
  card_last4?: string | undefined
  channel?: string | undefined
  request: Record<string, unknown>
}

/** The fields of a {@link NewOrder} that a payment request gives as they are: its id, amount, tip and operator. */
export function requestedOrder (data: { order_id?: string | undefined, amount: string, tip?: string | undefined, operator_id?: string | undefined }): Pick<NewOrder, 'order_id' | 'amount' | 'tip' | 'operator_id'> {
  return { order_id: data.order_id, amount: data.amount, tip: data.tip, operator_id: data.operator_id }
}

/** Copies the optional fields that are set: stored orders carry no `undefined` keys (lowdb writes JSON). */
function defined<T extends object> (fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>
}

/** The acquirer's id prefix by method (`bizpay_order_id`, contract §1). */
export const BIZPAY_PREFIX: Record<PayMethod, string> = { WECHATPAY: 'WX', ALIPAY: 'AP', UNIONPAY: 'UP', SECUREPAY: 'UP', GP: 'GP', CONVERGE: 'EV', CHECKOUT: 'CK' }

/** The operator must be one of the merchant's (fixtures `operators`). */
export function requireOperator (ctx: OrderContext, operatorId: string | undefined): void {
  if (operatorId === undefined || ctx.merchant.operators.includes(operatorId)) return
  throw new GatewayError('PARAM_INVALID',
    `operator_id ${operatorId} is not an operator of merchant ${ctx.merchant.merchant_id} (known: ${ctx.merchant.operators.join(', ')})`)
}

/**
 * The callback URL must not be the sandbox itself: the callback of a payment would call the sandbox's own control
 * API (`/sandbox/api/reset` wipes every merchant's data). The dispatcher checks again before sending.
 */
function refuseSelfCallback (ctx: Pick<OrderContext, 'ownListener'>, url: string): void {
  if (url === '' || !ctx.ownListener.targets(url)) return
  throw new GatewayError('PARAM_INVALID',
    `the callback URL ${url} is the sandbox's own address: the sandbox does not send callbacks to itself; give the URL of your own receiver`)
}

/**
 * Builds an `init` order for the calling merchant and reserves its id. The caller fills `code_url` and
 * `response`, then persists with {@link commitOrder}. Throws an {@link IdTakenError} (ORDER_USED) for an id the merchant already used.
 */
export function draftOrder (ctx: OrderContext, input: NewOrder): Order {
  requireOperator(ctx, input.operator_id)
  refuseSelfCallback(ctx, input.notify_url)
  const orderId = input.order_id ?? ctx.ids.orderId()
  if (ctx.store.orders.idTaken(ctx.merchant.merchant_id, orderId)) {
    throw new IdTakenError(ctx.merchant.merchant_id, orderId)
  }
  const at = new Date(ctx.clock.now()).toISOString()
  return {
    merchant_id: ctx.merchant.merchant_id,
    order_id: orderId,
    action: ctx.action,
    version: ctx.version,
    method: input.method,
    amount: input.amount,
    tip: input.tip === undefined || input.tip === '' ? '0' : input.tip,
    currency: ctx.merchant.currency,
    operator_id: input.operator_id ?? null,
    notify_url: input.notify_url,
    return_url: input.return_url ?? null,
    ...defined({
      return_style: input.return_style,
      payer_page: input.payer_page,
      expires_at: input.expires_at,
      pay_at: input.pay_at,
      sale_num: input.sale_num,
      details: input.details
    }),
    card_masked: input.card_number !== undefined ? maskCard(input.card_number) : input.card_last4 !== undefined ? maskCard(`000000000000${input.card_last4}`) : null,
    channel: input.channel ?? null,
    bizpay_order_id: ctx.ids.bizpayOrderId(BIZPAY_PREFIX[input.method]),
    code_url: '',
    page_token: ctx.ids.pageToken(),
    status: 'init',
    created_at: at,
    updated_at: at,
    finish_time: null,
    history: [{ at, status: 'init', reason: `created by ${ctx.action} ${ctx.version}` }],
    request: maskRequest(input.request),
    response: {}
  }
}

/**
 * Persists a drafted order; resolves once it is durable, so an acknowledged order survives a crash. The store
 * checks the id again: another request may have taken it while this one was drafted ({@link IdTakenError}).
 */
export async function commitOrder (ctx: OrderContext, order: Order): Promise<void> {
  await ctx.store.orders.insert(order)
}
