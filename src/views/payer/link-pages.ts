import type { Order } from '../../domain/orders/order.js'
import { formatAmount } from '../amount.js'
import { html, raw, type SafeHtml } from '../html.js'
import { page } from './layout.js'

// A constant script (`raw`: escaping would break its quotes).
const SUBMIT = raw('<script>document.getElementById("alipaysubmit").submit()</script>')

/**
 * The `submit_type=form` answer of /webPay: a form the merchant embeds in its own page that takes the payer to the
 * hosted payer page. Like Alipay's own form answer it submits itself, so the payer need not press the button;
 * `payerUrl` is absolute because the form is served from the merchant's origin.
 */
export function renderLinkForm (order: Order, merchantName: string, payerUrl: string): SafeHtml {
  return page(`Alipay — ${order.order_id}`, html`<h1>Alipay</h1>
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
<dl>
<dt>Merchant</dt><dd>${merchantName} (${order.merchant_id})</dd>
<dt>Order</dt><dd>${order.order_id}</dd>
</dl>
<form id="alipaysubmit" name="alipaysubmit" method="get" action="${payerUrl}">
<button class="pay" type="submit">Pay with Alipay</button>
</form>
${SUBMIT}`)
}
