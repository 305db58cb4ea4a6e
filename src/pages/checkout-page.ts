import type { Order } from '../orders/order.js'
import type { ReturnTarget } from '../orders/return-to-merchant.js'
import { CHECKOUT_METHODS, type CheckoutMethod } from '../protocol/actions/prepay-query.js'
import { beijingTime } from '../time.js'
import { escapeHtml, formatAmount, page, returnToMerchant } from './html.js'

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
  /** Why the choice was refused. */
  problem?: string
  /** The way back to the merchant, followed on its own after an outcome. */
  back?: ReturnTarget | undefined
}

/** `2026-01-15T04:15:00Z` → `2026-01-15 12:15:00 (Beijing time)`: the docs' times are Beijing's. */
function expiryText (order: Order): string {
  if (order.expires_at === undefined) return 'none'
  const t = beijingTime(Date.parse(order.expires_at))
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)} (Beijing time)`
}

function methodChoice (selected: CheckoutMethod | undefined): string {
  const radios = CHECKOUT_METHODS.map((method) => {
    const id = `method-${method.toLowerCase()}`
    const checked = method === selected ? ' checked' : ''
    return `<div><input type="radio" id="${id}" name="method" value="${method}"${checked}> <label for="${id}">${escapeHtml(METHOD_NAMES[method])}</label></div>`
  })
  return `<fieldset style="flex-basis:100%;border:1px solid #d1d5db;border-radius:.5rem">
<legend>Payment method</legend>
${radios.join('\n')}
</fieldset>`
}

function choiceForm (view: CheckoutView): string {
  if (view.order.status !== 'init') return '<p>This order is no longer awaiting payment.</p>'
  return `<form method="post" action="${escapeHtml(view.formAction)}">
${methodChoice(view.selected)}
<button class="pay" type="submit" name="choice" value="pay">Pay</button>
<button type="submit" name="choice" value="decline">Decline</button>
<button type="submit" name="choice" value="cancel">Cancel</button>
</form>`
}

function summary (order: Order, merchantName: string): string {
  const method = order.method === 'CHECKOUT' ? '' : `\n<dt>Method</dt><dd>${escapeHtml(METHOD_NAMES[order.method as CheckoutMethod] ?? order.method)}</dd>`
  return `<dl>
<dt>Merchant</dt><dd>${escapeHtml(merchantName)} (${escapeHtml(order.merchant_id)})</dd>
<dt>Order</dt><dd>${escapeHtml(order.order_id)}</dd>
<dt>Sale number</dt><dd>${escapeHtml(order.sale_num ?? '')}</dd>
<dt>Expires</dt><dd>${escapeHtml(expiryText(order))}</dd>${method}
<dt>Status</dt><dd class="status" data-status="${escapeHtml(order.status)}">${escapeHtml(order.status)}</dd>
</dl>`
}

/**
 * The hosted checkout page that PREPAY_INIT's `payinfo` points at: the payer picks a method and pays, declines
 * or cancels. After a choice the page returns the browser to the merchant's `redirect_url` on its own.
 */
export function renderCheckoutPage (view: CheckoutView): string {
  const { order } = view
  const problem = view.problem === undefined ? '' : `\n<p role="alert">Nothing was changed: ${escapeHtml(view.problem)}</p>`
  const outcome = view.outcome === undefined ? '' : `\n<p role="status">${escapeHtml(view.outcome)}</p>`
  return page(`Checkout — ${order.order_id}`, `<h1>OTT Pay Checkout</h1>${problem}${outcome}
<p class="amount">${escapeHtml(formatAmount(order.amount, order.currency))}</p>
${summary(order, view.merchantName)}
${choiceForm(view)}
${returnToMerchant(view.back, view.outcome !== undefined)}`)
}
