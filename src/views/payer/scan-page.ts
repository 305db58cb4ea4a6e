import type { Order } from '../../domain/orders/order.js'
import type { ReturnTarget } from '../../domain/orders/return-to-merchant.js'
import { formatAmount } from '../amount.js'
import { html, type SafeHtml } from '../html.js'
import { page } from './layout.js'
import { statusLabel } from './outcome.js'
import { refusalNotice } from './refusal.js'
import { returnToMerchant } from './return-to-merchant.js'

const WALLET: Record<string, string> = { WECHATPAY: 'WeChat Pay', ALIPAY: 'Alipay', UNIONPAY: 'UnionPay QR' }

/** What the scan page shows: the order, its QR code, and after the payer's choice what happened or why nothing did. */
export interface ScanView {
  order: Order
  merchantName: string
  /** Where the Pay and Decline buttons post. */
  formAction: string
  /** The order's `code_url` as an inline SVG QR code (the page before the choice). */
  qr?: SafeHtml | undefined
  /** After a choice that went through: "Payment completed", … */
  outcome?: string | undefined
  /** Why the choice changed nothing, in the payer's words; `detail`: the precise reason, for developers. */
  problem?: string | undefined
  detail?: string | undefined
  /** The way back to the merchant, followed on its own after a choice. */
  back?: ReturnTarget | undefined
}

/**
 * The "scan" page of a wallet order: what the payer's phone would show after scanning `code_url` (or opening an
 * H5 / hosted link), styled as the wallet's own confirmation (green WeChat Pay, blue Alipay). A person or a
 * headless browser plays the payer with its buttons; after a choice, `back` returns the browser to the merchant.
 */
export function renderScanPage (view: ScanView): SafeHtml {
  const { order } = view
  const wallet = WALLET[order.method] ?? order.method
  const buttons = order.status === 'init'
    ? html`<form method="post" action="${view.formAction}">
<button class="pay" type="submit" name="choice" value="pay">Pay</button>
<button type="submit" name="choice" value="decline">Decline</button>
</form>`
    : html`<p>This order is no longer awaiting payment.</p>`
  const qr = view.qr !== undefined && html`<div class="qr">${view.qr}</div>
<p class="hint">The order's QR code, as the merchant shows it</p>`
  const after = view.outcome ?? view.problem
  return page(`${wallet} — ${order.order_id}`, html`<section class="wallet" data-wallet="${order.method}">
<header class="wallet-bar"><h1>${wallet}</h1></header>
${view.outcome !== undefined && html`<p role="status">${view.outcome}</p>`}${refusalNotice(view.problem, view.detail)}
<p class="to">Payment to</p>
<p class="merchant">${view.merchantName}</p>
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
${qr}
<dl>
<dt>Order</dt><dd class="id">${order.order_id}</dd>
<dt>Status</dt><dd class="status" data-status="${order.status}">${statusLabel(order.status)}</dd>
</dl>
${buttons}
${returnToMerchant(view.back, view.back !== undefined && after !== undefined)}
<details class="dev"><summary>Details for developers</summary>
<dl>
<dt>Merchant id</dt><dd class="id">${order.merchant_id}</dd>
<dt>QR content</dt><dd class="id">${order.code_url}</dd>
<dt>Status</dt><dd>${order.status}</dd>
</dl>
</details>
</section>`, 'phone')
}
