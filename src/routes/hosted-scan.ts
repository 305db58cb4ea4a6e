import type { FastifyInstance } from 'fastify'
import { TransitionError } from '../orders/lifecycle.js'
import { applyPayerChoice, type PayerChoice } from '../orders/payer-choice.js'
import { renderNotFound } from '../pages/unionpay-page.js'
import { renderScanPage } from '../pages/scan-page.js'
import { ChoiceBody, PageParams, type HostedDeps } from './hosted-unionpay.js'

/** Where the scan page of an order lives; the control API links it from the order view. */
export const scanPagePath = (token: string) => `/sandbox/pay/scan/${token}`

const OUTCOME: Record<PayerChoice, string> = { pay: 'Payment completed', decline: 'Payment declined', cancel: 'Payment cancelled' }

/** The simulated payer of wallet orders (ACTIVEPAY): scan, then Pay or Decline. */
export function registerScanPage (app: FastifyInstance, deps: HostedDeps): void {
  const path = '/sandbox/pay/scan/:token'
  const merchantName = (merchantId: string) => deps.merchants.get(merchantId)?.name ?? merchantId

  app.get<{ Params: { token: string } }>(path, {
    config: { surface: 'page' },
    schema: { summary: 'Wallet payer page ("scan" the QR code)', tags: ['payer pages'], params: PageParams }
  }, async (request, reply) => {
    const order = deps.store.orders.findByPageToken(request.params.token)
    reply.type('text/html; charset=utf-8')
    if (order === undefined) return reply.code(404).send(renderNotFound())
    return renderScanPage(order, merchantName(order.merchant_id), request.url)
  })

  app.post<{ Params: { token: string }, Body: { choice: PayerChoice } }>(path, {
    config: { surface: 'page' },
    schema: { summary: 'The payer pays or declines', tags: ['payer pages'], params: PageParams, body: ChoiceBody }
  }, async (request, reply) => {
    const order = deps.store.orders.findByPageToken(request.params.token)
    reply.type('text/html; charset=utf-8')
    if (order === undefined) return reply.code(404).send(renderNotFound())
    const choice = request.body.choice
    try {
      await applyPayerChoice(deps.payments, order, choice, 'scan page')
    } catch (err) {
      if (!(err instanceof TransitionError)) throw err
      return reply.code(409).send(renderScanPage(order, merchantName(order.merchant_id), request.url, err.message))
    }
    return renderScanPage(order, merchantName(order.merchant_id), request.url, OUTCOME[choice])
  })
}
