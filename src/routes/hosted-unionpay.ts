import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { MerchantDirectory } from '../merchants.js'
import { TransitionError } from '../orders/lifecycle.js'
import { applyPayerChoice, PAYER_CHOICES, type PayerChoice } from '../orders/payer-choice.js'
import type { Payments } from '../orders/payments.js'
import { renderNotFound, renderUnionPayPage, renderUnionPayResult } from '../pages/unionpay-page.js'
import type { Store } from '../store/index.js'

export const PageParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) })
export const ChoiceBody = Type.Object({ choice: Type.Union(PAYER_CHOICES.map((c) => Type.Literal(c))) })

export interface HostedDeps {
  store: Store
  merchants: MerchantDirectory
  payments: Payments
}

/**
 * The hosted UnionPay SecurePay page that CC_PURCHASE / CC_PREAUTH `codeUrl` points at. Pay and Decline fire
 * the callback to `backUrl`; the result page then POSTs the result to `frontUrl`.
 */
export function registerHostedUnionPay (app: FastifyInstance, deps: HostedDeps): void {
  const path = '/sandbox/pay/unionpay/:token'
  const merchantName = (merchantId: string) => deps.merchants.get(merchantId)?.name ?? merchantId

  app.get<{ Params: { token: string } }>(path, {
    config: { surface: 'page' },
    schema: { summary: 'UnionPay SecurePay payer page', tags: ['payer pages'], params: PageParams }
  }, async (request, reply) => {
    const order = deps.store.orders.findByPageToken(request.params.token)
    reply.type('text/html; charset=utf-8')
    if (order === undefined) return reply.code(404).send(renderNotFound())
    return renderUnionPayPage(order, merchantName(order.merchant_id), request.url)
  })

  app.post<{ Params: { token: string }, Body: { choice: PayerChoice } }>(path, {
    config: { surface: 'page' },
    schema: { summary: 'The payer pays, declines or cancels', tags: ['payer pages'], params: PageParams, body: ChoiceBody }
  }, async (request, reply) => {
    const order = deps.store.orders.findByPageToken(request.params.token)
    reply.type('text/html; charset=utf-8')
    if (order === undefined) return reply.code(404).send(renderNotFound())
    const choice = request.body.choice
    try {
      await applyPayerChoice(deps.payments, order, choice, 'hosted UnionPay page')
    } catch (err) {
      if (!(err instanceof TransitionError)) throw err
      return reply.code(409).send(renderUnionPayResult(order, merchantName(order.merchant_id), choice, err.message))
    }
    return renderUnionPayResult(order, merchantName(order.merchant_id), choice)
  })
}
