import type { FastifyInstance } from 'fastify'
import { renderPorticoPage, renderPorticoResult } from '../views/payer/portico-page.js'
import { registerPayerPage, type PayerPageDeps } from './payer-page.js'

/**
 * The sandbox's decision page of Global Payments Portico orders (their `codeUrl`): Approve and Decline fire the
 * callback to `backUrl` when there is one; the result page then POSTs the result to `frontUrl` when there is one.
 */
export function registerHostedPortico (app: FastifyInstance, deps: PayerPageDeps): void {
  registerPayerPage(app, deps, {
    kind: 'portico',
    path: '/sandbox/pay/portico/:token',
    summary: 'Global Payments Portico decision page (the sandbox plays the card network)',
    pageName: 'Portico decision page',
    render: renderPorticoPage,
    renderResult: (order, merchantName, _formAction, choice, problem, back) => renderPorticoResult(order, merchantName, choice, problem, back)
  })
}
