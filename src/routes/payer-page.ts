import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { MerchantDirectory } from '../engine/merchants.js'
import { payerPageOf, type Order, type PayerPage } from '../domain/orders/order.js'
import { applyPayerChoice, PAYER_CHOICES, type PayerChoice } from '../engine/orders/payer-choice.js'
import type { Payments } from '../engine/orders/payments.js'
import { returnTarget, type ReturnTarget } from '../domain/orders/return-to-merchant.js'
import type { Store } from '../store/index.js'
import type { SafeHtml } from '../views/html.js'
import { renderNotFound, renderPageError } from '../views/payer/error-pages.js'
import { sendHtml } from '../views/send-html.js'

const PageParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) })
const ChoiceBody = Type.Object({ choice: Type.Union(PAYER_CHOICES.map((c) => Type.Literal(c))) })
const PageQuery = Type.Object({
  redirect_url: Type.Optional(Type.String({ description: 'Where to return after paying, appended by the merchant to a WeChat MWEB link (H5PAY payinfo); absolute http(s) URL' }))
}, { additionalProperties: true })

/** A `redirect_url` must be an absolute http(s) URL: undefined when absent, null when unusable. */
function redirectUrlOf (value: string | undefined): string | undefined | null {
  if (value === undefined || value === '') return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null
  } catch {
    return null
  }
}

export interface PayerPageDeps {
  store: Store
  merchants: MerchantDirectory
  payments: Payments
}

/** One kind of hosted payer page: where it lives and how it looks before and after the payer's choice. */
export interface PayerPageSpec {
  /** Which orders this page plays the payer of: another order's token is not found here. */
  kind: PayerPage
  /** Route path with a `:token` parameter. */
  path: string
  summary: string
  /** How the order history names the page. */
  pageName: string
  /** The page before the choice; it may wait for something drawn on demand (the scan page's QR code). */
  render(order: Order, merchantName: string, formAction: string): SafeHtml | Promise<SafeHtml>
  /** After a choice; `problem` says why nothing changed (already paid, closed); `back` leads to the merchant. */
  renderResult(order: Order, merchantName: string, formAction: string, choice: PayerChoice, problem?: string, back?: ReturnTarget): SafeHtml
}

/**
 * A hosted page where a person or a headless browser plays the payer: GET shows the order, POST `choice`
 * pays, declines or cancels it through the payments service (which fires the callbacks).
 */
export function registerPayerPage (app: FastifyInstance, deps: PayerPageDeps, spec: PayerPageSpec): void {
  const merchantName = (merchantId: string) => deps.merchants.get(merchantId)?.name ?? merchantId
  // A checkout order opened on the scan page could be paid without choosing a method: each page has its own orders.
  const findOrder = (token: string) => {
    const order = deps.store.orders.findByPageToken(token)
    return order !== undefined && payerPageOf(order) === spec.kind ? order : undefined
  }

  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.get(spec.path, {
    config: { surface: 'page' },
    schema: { summary: spec.summary, tags: ['payer pages'], params: PageParams, querystring: PageQuery }
  }, async (request, reply) => {
    const order = findOrder(request.params.token)
    if (order === undefined) return sendHtml(reply, renderNotFound(), 404)
    if (redirectUrlOf(request.query.redirect_url) === null) return sendHtml(reply, renderPageError('redirect_url must be an absolute http(s) URL'), 400)
    return sendHtml(reply, await spec.render(order, merchantName(order.merchant_id), request.url))
  })

  type ChoiceRequest = { Params: { token: string }, Querystring: { redirect_url?: string }, Body: { choice: PayerChoice } }

  /** A refused choice (already paid, closed): the page shows the order as it is now, and why nothing changed. */
  function refusedPage (request: FastifyRequest, err: Error): SafeHtml {
    const { params, query, body, url } = request as FastifyRequest<ChoiceRequest>
    // As it is now: another tab, the scheduler or the control API may have changed it; a reset may have removed it.
    const now = findOrder(params.token)
    if (now === undefined) return renderNotFound()
    return spec.renderResult(now, merchantName(now.merchant_id), url, body.choice, err.message, returnTarget(now, redirectUrlOf(query.redirect_url) ?? undefined))
  }

  api.post(spec.path, {
    config: { surface: 'page', refusedPage },
    schema: { summary: `${spec.summary}: the payer's choice`, tags: ['payer pages'], params: PageParams, querystring: PageQuery, body: ChoiceBody }
  }, async (request, reply) => {
    const order = findOrder(request.params.token)
    if (order === undefined) return sendHtml(reply, renderNotFound(), 404)
    const redirectUrl = redirectUrlOf(request.query.redirect_url)
    if (redirectUrl === null) return sendHtml(reply, renderPageError('redirect_url must be an absolute http(s) URL'), 400)
    const { choice } = request.body
    const name = merchantName(order.merchant_id)
    const done = await applyPayerChoice(deps.payments, order, choice, spec.pageName)
    return sendHtml(reply, spec.renderResult(done, name, request.url, choice, undefined, returnTarget(done, redirectUrl)))
  })
}
