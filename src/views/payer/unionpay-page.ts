import type { Order } from '../../domain/orders/order.js'
import type { PayerChoice } from '../../engine/orders/payer-choice.js'
import type { ReturnTarget } from '../../domain/orders/return-to-merchant.js'
import { html, type SafeHtml } from '../html.js'
import { renderCardChoicePage, renderCardChoiceResult, type CardChannel } from './card-page.js'

const UNIONPAY: CardChannel = {
  name: 'UnionPay SecurePay',
  payLabel: 'Pay',
  awaiting: 'payment',
  cardRows: (order) => html`<dt>Card</dt><dd>${order.card_masked ?? 'entered on this page'}</dd>`
}

/** The UnionPay SecurePay payment page that `codeUrl` points at: order summary and the payer's buttons. */
export function renderUnionPayPage (order: Order, merchantName: string, formAction: string): SafeHtml {
  return renderCardChoicePage(UNIONPAY, order, merchantName, formAction)
}

/** What the payer sees after choosing; with somewhere to return to, the page returns there on its own. */
export function renderUnionPayResult (order: Order, merchantName: string, choice: PayerChoice, problem?: string, back?: ReturnTarget): SafeHtml {
  return renderCardChoiceResult(UNIONPAY, order, merchantName, choice, problem, back)
}
