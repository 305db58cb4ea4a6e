import type { FastifyInstance } from 'fastify'
import { renderUnionPayPage, renderUnionPayResult } from '../views/payer/unionpay-page.js'
import { registerPayerPage, type PayerPageDeps } from './payer-page.js'

/**
 * The hosted UnionPay SecurePay page that CC_PURCHASE / CC_PREAUTH `codeUrl` points at. Pay and Decline fire
 * the callback to `backUrl`; the result page then POSTs the result to `frontUrl`.
 */
export function registerHostedUnionPay (app: FastifyInstance, deps: PayerPageDeps): void {
  registerPayerPage(app, deps, {
    kind: 'unionpay',
    path: '/sandbox/pay/unionpay/:token',
    summary: 'UnionPay SecurePay payer page',
    pageName: 'hosted UnionPay page',
    render: renderUnionPayPage,
    renderResult: (order, merchantName, _formAction, choice, problem, back) => renderUnionPayResult(order, merchantName, choice, problem, back)
  })
}
