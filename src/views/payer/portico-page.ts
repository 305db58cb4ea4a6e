import type { Order } from '../../domain/orders/order.js'
import type { PayerChoice } from '../../engine/orders/payer-choice.js'
import type { ReturnTarget } from '../../domain/orders/return-to-merchant.js'
import { formatAmount } from '../amount.js'
import { html, type SafeHtml } from '../html.js'
import { page } from './layout.js'
import { choiceOutcome } from './outcome.js'
import { returnToMerchant } from './return-to-merchant.js'

function summary (order: Order, merchantName: string): SafeHtml {
  const brand = order.details?.cc_type
  return html`<dl>
<dt>Merchant</dt><dd>${merchantName} (${order.merchant_id})</dd>
<dt>Order</dt><dd>${order.order_id}</dd>
<dt>Card</dt><dd>${order.card_masked ?? 'unknown'}${brand !== undefined && ` (${brand})`}</dd>
<dt>Store</dt><dd>${order.details?.shopId ?? '—'}</dd>
<dt>Type</dt><dd>${order.action === 'CC_PREAUTH' ? 'Pre-authorisation' : 'Purchase'}</dd>
<dt>Status</dt><dd class="status" data-status="${order.status}">${order.status}</dd>
</dl>`
}

/**
 * The sandbox's decision page of a Global Payments Portico order (its `codeUrl`). Portico has no hosted page: the
 * card data arrived encrypted, so this page plays the card network, approving or declining the charge.
 */
export function renderPorticoPage (order: Order, merchantName: string, formAction: string): SafeHtml {
  const open = order.status === 'init'
  const buttons = open
    ? html`<form method="post" action="${formAction}">
<button class="pay" type="submit" name="choice" value="pay">Approve</button>
<button type="submit" name="choice" value="decline">Decline</button>
<button type="submit" name="choice" value="cancel">Cancel</button>
</form>`
    : html`<p>This order is no longer awaiting a decision.</p>`
  return page(`Global Payments Portico — ${order.order_id}`, html`<h1>Global Payments Portico</h1>
<p>The card data arrived encrypted and the sandbox cannot read it: decide what the card network answers.</p>
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
${summary(order, merchantName)}
${buttons}`)
}

/** After the decision; with a `frontUrl`, the page returns there on its own. */
export function renderPorticoResult (order: Order, merchantName: string, choice: PayerChoice, problem?: string, back?: ReturnTarget): SafeHtml {
  const heading = problem === undefined ? choiceOutcome(choice) : 'Nothing was changed'
  return page(`${heading} — ${order.order_id}`, html`<h1>${heading}</h1>
${problem !== undefined && html`<p role="alert">${problem}</p>`}
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
${summary(order, merchantName)}
${returnToMerchant(back, problem === undefined)}`)
}
