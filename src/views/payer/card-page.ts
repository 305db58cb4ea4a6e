import type { Order } from '../../domain/orders/order.js'
import type { PayerChoice } from '../../engine/orders/payer-choice.js'
import type { ReturnTarget } from '../../domain/orders/return-to-merchant.js'
import { formatAmount } from '../amount.js'
import { html, type SafeHtml } from '../html.js'
import { page } from './layout.js'
import { choiceOutcome } from './outcome.js'
import { returnToMerchant } from './return-to-merchant.js'

/**
 * The order as a card page shows it. Only the card rows differ between the card channels (what is known of the
 * card, and when), so each page passes its own.
 */
export function cardSummary (order: Order, merchantName: string, cardRows: SafeHtml | false): SafeHtml {
  return html`<dl>
<dt>Merchant</dt><dd>${merchantName} (${order.merchant_id})</dd>
<dt>Order</dt><dd>${order.order_id}</dd>
${cardRows}
<dt>Type</dt><dd>${order.action === 'CC_PREAUTH' ? 'Pre-authorisation' : 'Purchase'}</dd>
<dt>Status</dt><dd class="status" data-status="${order.status}">${order.status}</dd>
</dl>`
}

/** What sets one card channel's choice page apart from another's; the form, the summary and the result are shared. */
export interface CardChannel {
  /** In the title and the heading: "UnionPay SecurePay". */
  name: string
  /** A line under the heading, where the page needs to say what it plays. */
  intro?: string
  /** The label of the `pay` button. */
  payLabel: string
  /** What an order no longer open is no longer awaiting ("payment"). */
  awaiting: string
  /** The card rows of the summary (see {@link cardSummary}). */
  cardRows: (order: Order) => SafeHtml
}

/** A card page that asks the payer to choose (pay, decline, cancel) while the order is open. */
export function renderCardChoicePage (channel: CardChannel, order: Order, merchantName: string, formAction: string): SafeHtml {
  const open = order.status === 'init'
  const buttons = open
    ? html`<form method="post" action="${formAction}">
<button class="pay" type="submit" name="choice" value="pay">${channel.payLabel}</button>
<button type="submit" name="choice" value="decline">Decline</button>
<button type="submit" name="choice" value="cancel">Cancel</button>
</form>`
    : html`<p>This order is no longer awaiting ${channel.awaiting}.</p>`
  return page(`${channel.name} — ${order.order_id}`, html`<h1>${channel.name}</h1>${channel.intro !== undefined && html`
<p>${channel.intro}</p>`}
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
${cardSummary(order, merchantName, channel.cardRows(order))}
${buttons}`)
}

/** What the payer sees after choosing (or why nothing changed); with somewhere to return to, it returns on its own. */
export function renderCardChoiceResult (channel: CardChannel, order: Order, merchantName: string, choice: PayerChoice, problem?: string, back?: ReturnTarget): SafeHtml {
  const heading = problem === undefined ? choiceOutcome(choice) : 'Nothing was changed'
  return page(`${heading} — ${order.order_id}`, html`<h1>${heading}</h1>
${problem !== undefined && html`<p role="alert">${problem}</p>`}
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
${cardSummary(order, merchantName, channel.cardRows(order))}
${returnToMerchant(back, problem === undefined)}`)
}
