import type { Order } from '../../domain/orders/order.js'
import type { ReturnTarget } from '../../domain/orders/return-to-merchant.js'
import { formatAmount } from '../amount.js'
import { html, type SafeHtml } from '../html.js'
import { page } from './layout.js'
import { returnToMerchant } from './return-to-merchant.js'

const WALLET: Record<string, string> = { WECHATPAY: 'WeChat Pay', ALIPAY: 'Alipay', UNIONPAY: 'UnionPay QR' }

/**
 * The "scan" page of a wallet order: what the payer's phone would show after scanning `code_url` (or opening an
 * H5 / hosted link). A person or a headless browser plays the payer with its buttons; after a choice, `back`
 * returns the browser to the merchant.
 */
export function renderScanPage (order: Order, merchantName: string, formAction: string, message?: string, back?: ReturnTarget): SafeHtml {
  const wallet = WALLET[order.method] ?? order.method
  const buttons = order.status === 'init'
    ? html`<form method="post" action="${formAction}">
<button class="pay" type="submit" name="choice" value="pay">Pay</button>
<button type="submit" name="choice" value="decline">Decline</button>
</form>`
    : html`<p>This order is no longer awaiting payment.</p>`
  return page(`${wallet} — ${order.order_id}`, html`<h1>${wallet}</h1>
${message !== undefined && html`<p role="status">${message}</p>`}
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
<dl>
<dt>Merchant</dt><dd>${merchantName} (${order.merchant_id})</dd>
<dt>Order</dt><dd>${order.order_id}</dd>
<dt>QR content</dt><dd>${order.code_url}</dd>
<dt>Status</dt><dd class="status" data-status="${order.status}">${order.status}</dd>
</dl>
${buttons}
${returnToMerchant(back, back !== undefined && message !== undefined)}`)
}
