import type { Order } from '../orders/order.js'
import { escapeHtml, formatAmount, page } from './html.js'

import type { PayerChoice } from '../orders/payer-choice.js'

function summary (order: Order, merchantName: string): string {
  return `<dl>
<dt>Merchant</dt><dd>${escapeHtml(merchantName)} (${escapeHtml(order.merchant_id)})</dd>
<dt>Order</dt><dd>${escapeHtml(order.order_id)}</dd>
<dt>Card</dt><dd>${order.card_masked === null ? 'entered on this page' : escapeHtml(order.card_masked)}</dd>
<dt>Type</dt><dd>${order.action === 'CC_PREAUTH' ? 'Pre-authorisation' : 'Purchase'}</dd>
<dt>Status</dt><dd class="status" data-status="${escapeHtml(order.status)}">${escapeHtml(order.status)}</dd>
</dl>`
}

/** The UnionPay SecurePay payment page that `codeUrl` points at: order summary and the payer's buttons. */
export function renderUnionPayPage (order: Order, merchantName: string, formAction: string): string {
  const open = order.status === 'init'
  const buttons = open
    ? `<form method="post" action="${escapeHtml(formAction)}">
<button class="pay" type="submit" name="choice" value="pay">Pay</button>
<button type="submit" name="choice" value="decline">Decline</button>
<button type="submit" name="choice" value="cancel">Cancel</button>
</form>`
    : '<p>This order is no longer awaiting payment.</p>'
  return page(`UnionPay SecurePay — ${order.order_id}`, `<h1>UnionPay SecurePay</h1>
<p class="amount">${escapeHtml(formatAmount(order.amount, order.currency))}</p>
${summary(order, merchantName)}
${buttons}`)
}

const OUTCOME_TEXT: Record<PayerChoice, string> = {
  pay: 'Payment completed',
  decline: 'Payment declined',
  cancel: 'Payment cancelled'
}

/**
 * The fields posted to `frontUrl` when the payer returns to the merchant. The docs do not describe them;
 * these carry what a result page needs, in the names the rest of the API uses.
 */
function returnFields (order: Order): Record<string, string> {
  return {
    order_id: order.order_id,
    orderId: order.order_id,
    merchant_id: order.merchant_id,
    amount: order.amount,
    bizpay_order_id: order.bizpay_order_id,
    order_status: order.status
  }
}

/** A form that returns the browser to the merchant by POSTing the result, and submits itself when scripts run. */
function returnForm (order: Order): string {
  if (order.return_url === null) return ''
  const inputs = Object.entries(returnFields(order))
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('\n')
  return `<form id="return" method="post" action="${escapeHtml(order.return_url)}">
${inputs}
<button type="submit">Return to the merchant</button>
</form>`
}

/** What the payer sees after choosing; when the order has a `frontUrl`, the page returns there on its own. */
export function renderUnionPayResult (order: Order, merchantName: string, choice: PayerChoice, problem?: string): string {
  const heading = problem === undefined ? OUTCOME_TEXT[choice] : 'Nothing was changed'
  const autoReturn = problem === undefined && order.return_url !== null
    ? '<script>setTimeout(function () { document.getElementById("return").submit() }, 1500)</script>'
    : ''
  const back = returnForm(order) + autoReturn
  return page(`${heading} — ${order.order_id}`, `<h1>${escapeHtml(heading)}</h1>
${problem === undefined ? '' : `<p role="alert">${escapeHtml(problem)}</p>`}
<p class="amount">${escapeHtml(formatAmount(order.amount, order.currency))}</p>
${summary(order, merchantName)}
${back}`)
}

export function renderNotFound (): string {
  return page('Payment page not found', '<h1>Payment page not found</h1><p>This payment link is unknown to the sandbox (or its data was reset).</p>')
}
