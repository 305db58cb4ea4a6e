import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { BIZPAY_PREFIX } from '../engine/orders/create-order.js'
import { TransitionError } from '../domain/errors.js'
import { payerPageOf, type Order } from '../domain/orders/order.js'
import { PAYER_CHOICES, type PayerChoice } from '../engine/orders/payer-choice.js'
import { returnTarget } from '../domain/orders/return-to-merchant.js'
import { CHECKOUT_METHODS, type CheckoutMethod } from '../protocol/actions/prepay-query.js'
import { beijingTime } from '../platform/time.js'
import { renderCheckoutPage, type CheckoutView } from '../views/payer/checkout-page.js'
import { renderNotFound } from '../views/payer/error-pages.js'
import { refusalText, statusOutcome } from '../views/payer/outcome.js'
import type { SafeHtml } from '../views/html.js'
import { sendHtml } from '../views/send-html.js'
import type { HostedDeps } from './deps.js'

/** A string enum: fastify's validator then names the field and says "must be equal to one of the allowed values". */
const stringEnum = <T extends string>(values: readonly T[], description: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], description })

type Selected = CheckoutMethod | 'NONE'

const PageParams = Type.Object({
  token: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'The token of PREPAY_INIT\'s payinfo link' })
})
const PageQuery = Type.Object({
  selected: Type.Optional(stringEnum<Selected>(['NONE', ...CHECKOUT_METHODS], 'The method to preselect (docs §20a); NONE or absent: the payer picks from the list'))
}, { additionalProperties: true })
const ChoiceBody = Type.Object({
  choice: stringEnum(PAYER_CHOICES, 'pay, decline or cancel'),
  method: Type.Optional(stringEnum(CHECKOUT_METHODS, 'The payment method the payer picked; required to pay (GP: a card through Global Payments)'))
})

type PageRequest = { Params: { token: string }, Querystring: { selected?: Selected } }
type ChoiceRequest = PageRequest & { Body: { choice: PayerChoice, method?: CheckoutMethod } }

const PAGE = 'checkout page'

/** The checkout order behind a token; tokens of other payer pages are not found here. */
function checkoutOrder (deps: HostedDeps, token: string): Order | undefined {
  const order = deps.store.orders.findByPageToken(token)
  return order !== undefined && payerPageOf(order) === 'checkout' ? order : undefined
}

/**
 * An order past its `expire_time` that the scheduler has not closed yet is closed now, so the payer cannot pay
 * after the deadline PREPAY_INIT announced.
 */
async function closeIfExpired (deps: HostedDeps, order: Order): Promise<void> {
  if (order.status !== 'init' || order.expires_at === undefined || deps.clock.now() < Date.parse(order.expires_at)) return
  await deps.payments.expire(order, `expired unpaid at its expire time (${order.expires_at})`)
  throw new TransitionError('ORDER_CLOSED', `order ${order.order_id} expired at ${beijingTime(Date.parse(order.expires_at))} (Beijing time), unpaid`)
}

/** Carries out the payer's choice; paying (and declining, when a method was picked) records the method and its acquirer id. */
function applyChoice (deps: HostedDeps, order: Order, choice: PayerChoice, method: CheckoutMethod | undefined): Promise<Order> {
  if (choice === 'cancel') return deps.payments.expire(order, `cancelled by the payer on the ${PAGE}`)
  const changes = method === undefined ? {} : { method, bizpay_order_id: deps.ids.bizpayOrderId(BIZPAY_PREFIX[method]) }
  const how = method === undefined ? '' : ` with ${method}`
  if (choice === 'decline') return deps.payments.decline(order, `declined by the payer on the ${PAGE}${how}`, changes)
  return deps.payments.pay(order, `paid by the payer on the ${PAGE}${how}`, changes)
}

/**
 * The hosted checkout page of PREPAY_INIT (`payinfo`): GET shows the order and the methods, POST carries out the
 * payer's choice through the payments service (which fires the callback to `call_back_url`), then returns the
 * browser to `redirect_url` with `total_fee`, `trade_no`, `out_trade_no` and `trade_status`.
 */
export function registerCheckoutPage (app: FastifyInstance, deps: HostedDeps): void {
  const path = '/sandbox/pay/checkout/:token'
  const merchantName = (order: Order) => deps.merchants.get(order.merchant_id)?.name ?? order.merchant_id
  const selectedOf = (selected: Selected | undefined) => selected === 'NONE' ? undefined : selected
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.get(path, {
    config: { surface: 'page' },
    schema: { summary: 'Hosted checkout page (PREPAY_INIT payinfo)', tags: ['payer pages'], params: PageParams, querystring: PageQuery }
  }, async (request, reply) => {
    const order = checkoutOrder(deps, request.params.token)
    if (order === undefined) return sendHtml(reply, renderNotFound(), 404)
    return sendHtml(reply, renderCheckoutPage({ order, merchantName: merchantName(order), formAction: request.url, selected: selectedOf(request.query.selected) }))
  })

  const viewOf = (request: { url: string, body: { method?: CheckoutMethod }, query: { selected?: Selected } }, order: Order): CheckoutView =>
    ({ order, merchantName: merchantName(order), formAction: request.url, selected: request.body.method ?? selectedOf(request.query.selected) })

  /** A refused choice (paid in another tab, past the deadline): the page shows the order as it is now, and why. */
  function refusedPage (request: FastifyRequest, err: Error): SafeHtml {
    const choiceRequest = request as FastifyRequest<ChoiceRequest>
    const now = checkoutOrder(deps, choiceRequest.params.token)
    // A reset removed it meanwhile.
    if (now === undefined) return renderNotFound()
    // In the payer's words from the order's status now; the precise reason (ids, codes) folded away for developers.
    return renderCheckoutPage({ ...viewOf(choiceRequest, now), problem: refusalText(now.status), detail: err.message })
  }

  api.post(path, {
    config: { surface: 'page', refusedPage },
    schema: { summary: 'Hosted checkout page: the payer\'s method and choice', tags: ['payer pages'], params: PageParams, querystring: PageQuery, body: ChoiceBody }
  }, async (request, reply) => {
    const order = checkoutOrder(deps, request.params.token)
    if (order === undefined) return sendHtml(reply, renderNotFound(), 404)
    const { choice, method } = request.body
    const view = viewOf(request, order)
    if (choice === 'pay' && method === undefined) {
      // Only without the browser's own check (the radios are required): a sentence for the payer, the field for developers.
      const detail = `the form field "method" is required to pay: one of ${CHECKOUT_METHODS.join(', ')}`
      return sendHtml(reply, renderCheckoutPage({ ...view, problem: 'choose a payment method to pay.', detail }), 400)
    }
    await closeIfExpired(deps, order)
    const done = await applyChoice(deps, order, choice, method)
    return sendHtml(reply, renderCheckoutPage({ ...view, order: done, outcome: statusOutcome(done.status), back: returnTarget(done) }))
  })
}
