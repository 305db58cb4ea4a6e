import type { Order } from '../orders/order.js'
import { escapeHtml, formatAmount, page } from './html.js'

/**
 * The `submit_type=form` answer of /webPay: a form the merchant embeds in its own page that takes the payer to the
 * hosted payer page. Like Alipay's own form answer it submits itself, so the payer need not press the button;
 * `payerUrl` is absolute because the form is served from the merchant's origin.
 */
export function renderLinkForm (order: Order, merchantName: string, payerUrl: string): string {
  return page(`Alipay — ${order.order_id}`, `<h1>Alipay</h1>
<p class="amount">${escapeHtml(formatAmount(order.amount, order.currency))}</p>
<dl>
<dt>Merchant</dt><dd>${escapeHtml(merchantName)} (${escapeHtml(order.merchant_id)})</dd>
<dt>Order</dt><dd>${escapeHtml(order.order_id)}</dd>
</dl>
<form id="alipaysubmit" name="alipaysubmit" method="get" action="${escapeHtml(payerUrl)}">
<button class="pay" type="submit">Pay with Alipay</button>
</form>
<script>document.getElementById("alipaysubmit").submit()</script>`)
}
