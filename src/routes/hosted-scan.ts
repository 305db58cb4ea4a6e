import type { FastifyInstance } from 'fastify'
import type { Order } from '../domain/orders/order.js'
import { qrSvg } from '../views/admin/qr.js'
import type { SafeHtml } from '../views/html.js'
import { choiceOutcome, refusalText } from '../views/payer/outcome.js'
import { renderScanPage } from '../views/payer/scan-page.js'
import { registerPayerPage, type PayerPageDeps } from './payer-page.js'

/** Where the scan page of an order lives; the control API links it from the order view. */
export const scanPagePath = (token: string) => `/sandbox/pay/scan/${token}`

/** The order's QR code as inline SVG (the admin UI's, drawn here: nothing loads from the internet); none without a code. */
function orderQr (order: Order): Promise<SafeHtml> | undefined {
  return order.code_url === '' ? undefined : qrSvg(order.code_url, `QR code of order ${order.order_id}`)
}

/** The simulated payer of wallet orders (ACTIVEPAY): "scan" the QR code, then Pay or Decline. */
export function registerScanPage (app: FastifyInstance, deps: PayerPageDeps): void {
  registerPayerPage(app, deps, {
    kind: 'scan',
    path: scanPagePath(':token'),
    summary: 'Wallet payer page ("scan" the QR code)',
    pageName: 'scan page',
    render: async (order, merchantName, formAction) => renderScanPage({ order, merchantName, formAction, qr: await orderQr(order) }),
    // A refusal reads in the payer's words from the order's status now; the precise reason goes to the details.
    renderResult: (order, merchantName, formAction, choice, problem, back) => renderScanPage(problem === undefined
      ? { order, merchantName, formAction, outcome: choiceOutcome(choice), back }
      : { order, merchantName, formAction, problem: refusalText(order.status), detail: problem, back })
  })
}
