import type { Order } from '../../domain/orders/order.js'
import type { ReturnTarget } from '../../domain/orders/return-to-merchant.js'
import { CHECKOUT_METHODS, type CheckoutMethod } from '../../protocol/actions/prepay-query.js'
import { beijingTime } from '../../platform/time.js'
import { formatAmount } from '../amount.js'
import { html, join, type SafeHtml } from '../html.js'
import { page } from './layout.js'
import { statusLabel } from './outcome.js'
import { refusalNotice } from './refusal.js'
import { returnToMerchant } from './return-to-merchant.js'

const METHOD_NAMES: Record<CheckoutMethod, string> = {
  WECHATPAY: 'WeChat Pay',
  ALIPAY: 'Alipay',
  UNIONPAY: 'UnionPay',
  GP: 'Card (Global Payments)'
}

/** What the checkout page shows: the order, and after the payer's choice what happened or why nothing did. */
export interface CheckoutView {
  order: Order
  merchantName: string
  /** Where the form posts (the page's own URL, `?selected=` included). */
  formAction: string
  /** The method checked when the page opens (`?selected=`, or the one just posted). */
  selected?: CheckoutMethod | undefined
  /** After a choice that went through: "Payment completed", … */
  outcome?: string
  /** Why the choice was refused, in the payer's words: no codes, no ids. */
  problem?: string
  /** The precise reason, for developers (folded away under the payer's sentence). */
  detail?: string | undefined
  /** The way back to the merchant, followed on its own after an outcome. */
  back?: ReturnTarget | undefined
}

/** `2026-01-15T04:15:00Z` → `2026-01-15 12:15:00 (Beijing time)`: the docs' times are Beijing's. */
function expiryText (order: Order): string {
  if (order.expires_at === undefined) return 'none'
  const ms = Date.parse(order.expires_at)
  // Stored orders always hold an ISO time; anything else is shown as it is rather than failing the page.
  if (Number.isNaN(ms)) return order.expires_at
  const t = beijingTime(ms)
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)} (Beijing time)`
}

/**
 * The methods as radios. While none is chosen the group is `required` (one `required` radio makes the whole group
 * so): the browser then refuses Pay until the payer picks one, and the stylesheet greys Pay out while the form is
 * `:invalid`. No script needed; without a browser check the server still answers 400.
 */
function methodChoice (selected: CheckoutMethod | undefined): SafeHtml {
  const radios = CHECKOUT_METHODS.map((method, i) => {
    const id = `method-${method.toLowerCase()}`
    const required = i === 0 && selected === undefined
    return html`<div><input type="radio" id="${id}" name="method" value="${method}"${method === selected && html` checked`}${required && html` required`}> <label for="${id}">${METHOD_NAMES[method]}</label></div>`
  })
  return html`<fieldset style="flex-basis:100%;border:1px solid #d1d5db;border-radius:.5rem">
<legend>Payment method</legend>
${join(radios, html`\n`)}
</fieldset>`
}

function choiceForm (view: CheckoutView): SafeHtml {
  if (view.order.status !== 'init') return html`<p>This order is no longer awaiting payment.</p>`
  return html`<form method="post" action="${view.formAction}">
${methodChoice(view.selected)}
<button class="pay" type="submit" name="choice" value="pay">Pay</button>
<button formnovalidate type="submit" name="choice" value="decline">Decline</button>
<button formnovalidate type="submit" name="choice" value="cancel">Cancel</button>
</form>`
}

function summary (order: Order, merchantName: string): SafeHtml {
  const method = order.method !== 'CHECKOUT' && html`\n<dt>Method</dt><dd>${METHOD_NAMES[order.method as CheckoutMethod] ?? order.method}</dd>`
  return html`<dl>
<dt>Merchant</dt><dd>${merchantName} (${order.merchant_id})</dd>
<dt>Order</dt><dd class="id">${order.order_id}</dd>
<dt>Sale number</dt><dd class="id">${order.sale_num}</dd>
<dt>Expires</dt><dd>${expiryText(order)}</dd>${method}
<dt>Status</dt><dd class="status" data-status="${order.status}">${statusLabel(order.status)}</dd>
</dl>`
}

/**
 * The hosted checkout page that PREPAY_INIT's `payinfo` points at: the payer picks a method and pays, declines
 * or cancels. After a choice the page returns the browser to the merchant's `redirect_url` on its own.
 */
export function renderCheckoutPage (view: CheckoutView): SafeHtml {
  const { order } = view
  const problem = view.problem !== undefined && html`\n${refusalNotice(view.problem, view.detail)}`
  const outcome = view.outcome !== undefined && html`\n<p role="status">${view.outcome}</p>`
  return page(`Checkout — ${order.order_id}`, html`<h1>OTT Pay Checkout</h1>${problem}${outcome}
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
${summary(order, view.merchantName)}
${choiceForm(view)}
${returnToMerchant(view.back, view.outcome !== undefined)}`)
}
