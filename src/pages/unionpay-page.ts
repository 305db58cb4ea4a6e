import type { Order } from '../orders/order.js'
import type { PayerChoice } from '../orders/payer-choice.js'
import type { ReturnTarget } from '../orders/return-to-merchant.js'
import { escapeHtml, formatAmount, page, returnToMerchant } from './html.js'

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

/** What the payer sees after choosing; with somewhere to return to, the page returns there on its own. */
export function renderUnionPayResult (order: Order, merchantName: string, choice: PayerChoice, problem?: string, back?: ReturnTarget): string {
  const heading = problem === undefined ? OUTCOME_TEXT[choice] : 'Nothing was changed'
  return page(`${heading} — ${order.order_id}`, `<h1>${escapeHtml(heading)}</h1>
${problem === undefined ? '' : `<p role="alert">${escapeHtml(problem)}</p>`}
<p class="amount">${escapeHtml(formatAmount(order.amount, order.currency))}</p>
${summary(order, merchantName)}
${returnToMerchant(back, problem === undefined)}`)
}

export function renderNotFound (): string {
  return page('Payment page not found', '<h1>Payment page not found</h1><p>This payment link is unknown to the sandbox (or its data was reset).</p>')
}
