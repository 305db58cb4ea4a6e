import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { MerchantDirectory } from '../merchants.js'
import { TransitionError } from '../orders/lifecycle.js'
import type { Order } from '../orders/order.js'
import { applyPayerChoice, PAYER_CHOICES, type PayerChoice } from '../orders/payer-choice.js'
import type { Payments } from '../orders/payments.js'
import { renderNotFound } from '../pages/unionpay-page.js'
import type { Store } from '../store/index.js'

const PageParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) })
const ChoiceBody = Type.Object({ choice: Type.Union(PAYER_CHOICES.map((c) => Type.Literal(c))) })

export interface PayerPageDeps {
  store: Store
  merchants: MerchantDirectory
  payments: Payments
}

/** One kind of hosted payer page: where it lives and how it looks before and after the payer's choice. */
export interface PayerPageSpec {
  /** Route path with a `:token` parameter. */
  path: string
  summary: string
  /** How the order history names the page. */
  pageName: string
  render(order: Order, merchantName: string, formAction: string): string
  /** After a choice; `problem` says why nothing changed (already paid, closed). */
  renderResult(order: Order, merchantName: string, formAction: string, choice: PayerChoice, problem?: string): string
}

/**
 * A hosted page where a person or a headless browser plays the payer: GET shows the order, POST `choice`
 * pays, declines or cancels it through the payments service (which fires the callbacks).
 */
export function registerPayerPage (app: FastifyInstance, deps: PayerPageDeps, spec: PayerPageSpec): void {
  const merchantName = (merchantId: string) => deps.merchants.get(merchantId)?.name ?? merchantId

  app.get<{ Params: { token: string } }>(spec.path, {
    config: { surface: 'page' },
    schema: { summary: spec.summary, tags: ['payer pages'], params: PageParams }
  }, async (request, reply) => {
    const order = deps.store.orders.findByPageToken(request.params.token)
    reply.type('text/html; charset=utf-8')
    if (order === undefined) return reply.code(404).send(renderNotFound())
    return spec.render(order, merchantName(order.merchant_id), request.url)
  })

  app.post<{ Params: { token: string }, Body: { choice: PayerChoice } }>(spec.path, {
    config: { surface: 'page' },
    schema: { summary: `${spec.summary}: the payer's choice`, tags: ['payer pages'], params: PageParams, body: ChoiceBody }
  }, async (request, reply) => {
    const order = deps.store.orders.findByPageToken(request.params.token)
    reply.type('text/html; charset=utf-8')
    if (order === undefined) return reply.code(404).send(renderNotFound())
    const { choice } = request.body
    const name = merchantName(order.merchant_id)
    try {
      await applyPayerChoice(deps.payments, order, choice, spec.pageName)
    } catch (err) {
      if (!(err instanceof TransitionError)) throw err
      return reply.code(409).send(spec.renderResult(order, name, request.url, choice, err.message))
    }
    return spec.renderResult(order, name, request.url, choice)
  })
}
