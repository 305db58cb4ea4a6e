import type { Attempt, Delivery } from '../../domain/callbacks/delivery.js'
import type { RequestLogEntry } from '../../inspector/log-entry.js'
import type { Order } from '../../domain/orders/order.js'
import { formatAmount } from '../amount.js'
import { html, join, type SafeHtml } from '../html.js'
import { adminPage, flash, jsonBlock, statusBadge, timeTag } from './layout.js'
import { liveRefresh } from './live-refresh.js'
import { orderPagePath } from './orders-page.js'

/** What a form post on the order page did, as `?done=` names it, in words. */
export const DONE_MESSAGES = {
  paid: 'Paid: the order is paid and its callback is on its way.',
  declined: 'Declined: the order failed and a FAIL callback is on its way.',
  expired: 'Expired: the order is closed unpaid (notpay); no callback is sent for expiry.',
  refunded: 'Refunded: no callback is sent for refunds.',
  redelivered: 'Redelivered: the callback was sent once more; its new attempt is listed below.'
} as const

export type DoneKey = keyof typeof DONE_MESSAGES

/** What `paid` and `declined` say once no callback is on its way any more. */
const SETTLED_MESSAGES: Partial<Record<DoneKey, string>> = {
  paid: 'Paid: the order is paid; its callback is no longer pending (see Callbacks below).',
  declined: 'Declined: the order failed; its FAIL callback is no longer pending (see Callbacks below).'
}

/** Something on the page will change by itself: the payer may still pay, or a callback is still being sent. */
export function orderPending (order: Order, callbacks: readonly Delivery[]): boolean {
  return order.status === 'init' || callbacks.some((d) => d.status === 'pending')
}

export interface OrderPageData {
  order: Order
  merchantName: string
  /** The hosted payer page: a same-site path for the link, the absolute URL for the text. */
  payerPagePath: string
  payerPageUrl: string
  callbacks: Delivery[]
  requests: RequestLogEntry[]
  /** The code_url as an inline SVG QR code (rendered asynchronously by the route); none without a code_url. */
  qrSvg: SafeHtml | undefined
  done?: DoneKey
  error?: string
  canLogOut: boolean
  clockOffsetMs?: number | undefined
}

const NL = html`\n`
const orDash = (value: string | null | undefined) => value === null || value === undefined || value === '' ? '—' : value
/** A value in `<code>`, or a dash when there is none. */
const codeOrDash = (value: string | null | undefined) => value === null || value === undefined ? '—' : html`<code>${value}</code>`

function facts (data: OrderPageData): SafeHtml {
  const { order } = data
  const money = (cents: string) => formatAmount(cents, order.currency)
  const refunded = order.refund_amount !== undefined && html`<dt>Refunded</dt><dd>${money(order.refund_amount)}</dd>`
  return html`<dl id="order-facts">
<dt>Merchant</dt><dd>${data.merchantName} (<code>${order.merchant_id}</code>)</dd>
<dt>Amount</dt><dd>${money(order.amount)}</dd>
<dt>Tip</dt><dd>${money(order.tip === '' ? '0' : order.tip)}</dd>
${refunded}
<dt>Currency</dt><dd>${order.currency}</dd>
<dt>Method</dt><dd>${order.method}${order.channel !== null && ` (${order.channel})`}</dd>
<dt>Action</dt><dd>${order.action} ${order.version}</dd>
<dt>Operator</dt><dd>${orDash(order.operator_id)}</dd>
<dt>bizpay_order_id</dt><dd><code>${order.bizpay_order_id}</code></dd>
<dt>Created</dt><dd>${timeTag(order.created_at)}</dd>
<dt>finish_time</dt><dd>${order.finish_time === null ? '— (not paid)' : html`<code>${order.finish_time}</code> (Beijing time)`}</dd>
<dt>Notify URL</dt><dd><code>${order.notify_url}</code></dd>
<dt>Return URL</dt><dd>${codeOrDash(order.return_url)}</dd>
<dt>Card</dt><dd>${codeOrDash(order.card_masked)}</dd>
<dt>Payer page</dt><dd><a href="${data.payerPagePath}">${data.payerPageUrl}</a></dd>
${order.sale_num !== undefined && html`<dt>sale_num</dt><dd><code>${order.sale_num}</code></dd>`}
${order.expires_at !== undefined && html`<dt>Expires</dt><dd>${timeTag(order.expires_at)} (unless paid)</dd>`}
${order.pay_at !== undefined && order.status === 'init' && html`<dt>Payer confirms</dt><dd>${timeTag(order.pay_at)}</dd>`}
</dl>
${flowDetails(order)}`
}

/** What one flow adds (H5PAY's fee, a checkout's shop, PASSIVEPAY's auth code and terminal…). */
function flowDetails (order: Order): SafeHtml | false {
  const entries = Object.entries(order.details ?? {})
  if (entries.length === 0) return false
  const rows = entries.map(([name, value]) => html`<dt>${name}</dt><dd><code>${value}</code></dd>`)
  return html`<h2 id="details-heading">${order.action} details</h2>
<dl id="order-details" aria-labelledby="details-heading">
${join(rows, NL)}
</dl>`
}

function refunds (order: Order): SafeHtml | false {
  const list = order.refunds ?? []
  if (list.length === 0) return false
  const rows = list.map((r) => html`<tr><td><code>${r.refund_id}</code></td><td class="num">${formatAmount(r.amount, order.currency)}</td>
<td>${timeTag(r.at)}</td><td><code>${r.bizpay_order_id}</code></td><td>${r.reason}</td></tr>`)
  return html`<section aria-labelledby="refunds-heading"><h2 id="refunds-heading">Refunds</h2>
<table id="refunds">
<thead><tr><th scope="col">Refund id (STATUS_QUERY it)</th><th scope="col">Amount</th><th scope="col">Time</th><th scope="col">bizpay_order_id</th><th scope="col">By</th></tr></thead>
<tbody>${join(rows, NL)}</tbody>
</table></section>`
}

function qr (data: OrderPageData): SafeHtml | false {
  if (data.order.code_url === '') return false
  return html`<section class="card qr" aria-labelledby="qr-heading">
<h2 id="qr-heading">code_url</h2>
${data.qrSvg}
<p><code id="code-url">${data.order.code_url}</code></p>
</section>`
}

function actionButton (base: string, path: string, label: string, enabled: boolean, primary = false): SafeHtml {
  return html`<form class="inline" method="post" action="${base + path}">
<button type="submit"${primary && html` class="primary"`}${!enabled && html` disabled`}>${label}</button></form>`
}

function actions (order: Order): SafeHtml {
  const base = orderPagePath(order.merchant_id, order.order_id)
  const open = order.status === 'init'
  const refundable = order.status === 'success' || order.status === 'partial_refunded'
  const disabled = !refundable && html` disabled`
  return html`<section class="card" aria-labelledby="actions-heading">
<h2 id="actions-heading">Act as the payer or the merchant</h2>
<p class="muted">Pay now, Decline and Expire apply while the order is <code>init</code>; Refund once it is <code>success</code> or <code>partial_refunded</code>.</p>
${actionButton(base, '/pay', 'Pay now', open, true)}
${actionButton(base, '/fail', 'Decline', open)}
${actionButton(base, '/expire', 'Expire', open)}
<form class="inline" method="post" action="${`${base}/refund`}">
<label for="refund-amount">Refund amount in cents (optional; empty refunds all that is left)</label>
<input id="refund-amount" name="amount" inputmode="numeric" pattern="[0-9]*" maxlength="12" size="10"${disabled}>
<button type="submit"${disabled}>Refund</button></form>
</section>`
}

function timeline (order: Order): SafeHtml {
  const items = order.history.map((h) => html`<li>${timeTag(h.at)} ${statusBadge(h.status)} ${h.reason}</li>`)
  return html`<h2 id="timeline-heading">Status timeline</h2>
<ol aria-labelledby="timeline-heading">${join(items, NL)}</ol>`
}

function attemptRow (a: Attempt): SafeHtml {
  return html`<tr><td class="num">${a.n}</td><td>${timeTag(a.at)}</td><td>${a.status ?? '—'}</td>
<td class="num">${a.latency_ms}</td><td>${orDash(a.error)}</td><td>${a.reply === null ? '—' : html`<code>${a.reply.slice(0, 200)}</code>`}</td>
<td>${a.delivered ? 'yes' : 'no'}</td></tr>`
}

function attempts (delivery: Delivery): SafeHtml {
  if (delivery.attempts.length === 0) return html`<p>No attempt yet.</p>`
  return html`<table>
<caption class="muted">Attempts of callback ${delivery.id}</caption>
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">HTTP status</th><th scope="col">Latency (ms)</th><th scope="col">Error</th><th scope="col">Reply (first bytes)</th><th scope="col">Delivered</th></tr></thead>
<tbody>${join(delivery.attempts.map(attemptRow), NL)}</tbody>
</table>`
}

function callback (delivery: Delivery): SafeHtml {
  const next = delivery.next_attempt_at === null ? '—' : timeTag(new Date(delivery.next_attempt_at).toISOString())
  return html`<article class="card callback" id="callback-${delivery.id}" aria-labelledby="callback-${delivery.id}-h">
<h3 id="callback-${delivery.id}-h">Callback <code>${delivery.id}</code> ${statusBadge(delivery.status)}</h3>
<dl>
<dt>Kind</dt><dd>${delivery.kind}${delivery.duplicate_of !== null && ` (deliberate duplicate of ${delivery.duplicate_of})`}</dd>
<dt>URL</dt><dd><code>${delivery.url}</code></dd>
<dt>Created</dt><dd>${timeTag(delivery.created_at)}</dd>
<dt>Next attempt</dt><dd>${next}</dd>
</dl>
<details><summary>Body sent</summary>${jsonBlock(delivery.body, `body of callback ${delivery.id}`)}</details>
${attempts(delivery)}
<form method="post" action="${`/sandbox/callbacks/${encodeURIComponent(delivery.id)}/redeliver`}"><button type="submit">Redeliver</button></form>
</article>`
}

function callbacks (list: readonly Delivery[]): SafeHtml {
  const body = list.length === 0 ? html`<p>No callbacks: they are sent when the order is paid or declined.</p>` : join(list.map(callback), NL)
  return html`<section aria-labelledby="callbacks-heading"><h2 id="callbacks-heading">Callbacks</h2>
${body}</section>`
}

function requests (list: readonly RequestLogEntry[]): SafeHtml {
  const items = list.map((e) => html`<li><a href="${`/sandbox/requests/${encodeURIComponent(e.id)}`}">${e.id}</a> ${timeTag(e.at)} ${e.action ?? ''} — ${e.verdict} (${e.rsp_code})</li>`)
  const body = items.length === 0 ? html`<p>None in the request log (it is in memory: a restart empties it).</p>` : html`<ul>${join(items, NL)}</ul>`
  return html`<section aria-labelledby="requests-heading"><h2 id="requests-heading">Requests for this order</h2>
${body}</section>`
}

/** One order's whole story (GET /sandbox/orders/:merchant_id/:order_id). */
export function renderOrderPage (data: OrderPageData): SafeHtml {
  const { order } = data
  const pending = orderPending(order, data.callbacks)
  const done = data.done === undefined ? undefined : pending ? DONE_MESSAGES[data.done] : SETTLED_MESSAGES[data.done] ?? DONE_MESSAGES[data.done]
  // The live region is everything that changes by itself; `data-settled` tells the refresh script it may stop.
  return adminPage({ title: `Order ${order.order_id}`, section: 'orders', canLogOut: data.canLogOut, clockOffsetMs: data.clockOffsetMs }, html`<p><a href="/sandbox">← All orders</a></p>
${pending && liveRefresh('order-live')}
<div id="order-live" aria-live="polite"${!pending && html` data-settled="true"`}>
<h1>Order <code>${order.order_id}</code> ${statusBadge(order.status, 'order-status')}</h1>
${flash(done, data.error)}
<p class="muted" id="time-zone">Times are UTC. <code>finish_time</code> is in Beijing time (UTC+8), as the protocol sends it.</p>
${facts(data)}
${qr(data)}
${actions(order)}
${refunds(order)}
${timeline(order)}
${callbacks(data.callbacks)}
${requests(data.requests)}
</div>
<h2>Request (decrypted data, card numbers masked)</h2>
${jsonBlock(order.request, 'request data')}
<h2>Answer</h2>
${jsonBlock(order.response, 'answer data')}`)
}
