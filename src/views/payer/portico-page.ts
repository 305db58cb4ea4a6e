import type { Order } from '../../domain/orders/order.js'
import type { PayerChoice } from '../../engine/orders/payer-choice.js'
import type { ReturnTarget } from '../../domain/orders/return-to-merchant.js'
import { html, type SafeHtml } from '../html.js'
import { renderCardChoicePage, renderCardChoiceResult, type CardChannel } from './card-page.js'

const PORTICO: CardChannel = {
  name: 'Global Payments Portico',
  intro: 'The card data arrived encrypted and the sandbox cannot read it: decide what the card network answers.',
  payLabel: 'Approve',
  awaiting: 'a decision',
  cardRows: (order) => {
    const brand = order.details?.cc_type
    return html`<dt>Card</dt><dd>${order.card_masked ?? 'unknown'}${brand !== undefined && ` (${brand})`}</dd>
<dt>Store</dt><dd>${order.details?.shopId ?? '—'}</dd>`
  }
}

/**
 * The sandbox's decision page of a Global Payments Portico order (its `codeUrl`). Portico has no hosted page: the
 * card data arrived encrypted, so this page plays the card network, approving or declining the charge.
 */
export function renderPorticoPage (order: Order, merchantName: string, formAction: string): SafeHtml {
  return renderCardChoicePage(PORTICO, order, merchantName, formAction)
}

/** After the decision; with a `frontUrl`, the page returns there on its own. */
export function renderPorticoResult (order: Order, merchantName: string, choice: PayerChoice, problem?: string, back?: ReturnTarget): SafeHtml {
  return renderCardChoiceResult(PORTICO, order, merchantName, choice, problem, back)
}
