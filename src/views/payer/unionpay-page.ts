import type { Order } from '../../domain/orders/order.js'
import type { PayerChoice } from '../../engine/orders/payer-choice.js'
import type { ReturnTarget } from '../../domain/orders/return-to-merchant.js'
import { formatAmount } from '../amount.js'
import { html, type SafeHtml } from '../html.js'
import { page } from './layout.js'
import { choiceOutcome } from './outcome.js'
import { returnToMerchant } from './return-to-merchant.js'

function summary (order: Order, merchantName: string): SafeHtml {
  return html`<dl>
<dt>Merchant</dt><dd>${merchantName} (${order.merchant_id})</dd>
<dt>Order</dt><dd>${order.order_id}</dd>
<dt>Card</dt><dd>${order.card_masked ?? 'entered on this page'}</dd>
<dt>Type</dt><dd>${order.action === 'CC_PREAUTH' ? 'Pre-authorisation' : 'Purchase'}</dd>
<dt>Status</dt><dd class="status" data-status="${order.status}">${order.status}</dd>
</dl>`
}

/** The UnionPay SecurePay payment page that `codeUrl` points at: order summary and the payer's buttons. */
export function renderUnionPayPage (order: Order, merchantName: string, formAction: string): SafeHtml {
  const open = order.status === 'init'
  const buttons = open
    ? html`<form method="post" action="${formAction}">
<button class="pay" type="submit" name="choice" value="pay">Pay</button>
<button type="submit" name="choice" value="decline">Decline</button>
<button type="submit" name="choice" value="cancel">Cancel</button>
</form>`
    : html`<p>This order is no longer awaiting payment.</p>`
  return page(`UnionPay SecurePay — ${order.order_id}`, html`<h1>UnionPay SecurePay</h1>
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
${summary(order, merchantName)}
${buttons}`)
}

/** What the payer sees after choosing; with somewhere to return to, the page returns there on its own. */
export function renderUnionPayResult (order: Order, merchantName: string, choice: PayerChoice, problem?: string, back?: ReturnTarget): SafeHtml {
  const heading = problem === undefined ? choiceOutcome(choice) : 'Nothing was changed'
  return page(`${heading} — ${order.order_id}`, html`<h1>${heading}</h1>
${problem !== undefined && html`<p role="alert">${problem}</p>`}
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
${summary(order, merchantName)}
${returnToMerchant(back, problem === undefined)}`)
}
