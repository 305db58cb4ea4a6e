import type { FastifyInstance } from 'fastify'
import { choiceOutcome } from '../views/payer/outcome.js'
import { renderScanPage } from '../views/payer/scan-page.js'
import { registerPayerPage, type PayerPageDeps } from './payer-page.js'

/** Where the scan page of an order lives; the control API links it from the order view. */
export const scanPagePath = (token: string) => `/sandbox/pay/scan/${token}`

/** The simulated payer of wallet orders (ACTIVEPAY): "scan" the QR code, then Pay or Decline. */
export function registerScanPage (app: FastifyInstance, deps: PayerPageDeps): void {
  registerPayerPage(app, deps, {
    kind: 'scan',
    path: scanPagePath(':token'),
    summary: 'Wallet payer page ("scan" the QR code)',
    pageName: 'scan page',
    render: (order, merchantName, formAction) => renderScanPage(order, merchantName, formAction),
    renderResult: (order, merchantName, formAction, choice, problem, back) => renderScanPage(order, merchantName, formAction, problem ?? choiceOutcome(choice), back)
  })
}
