import type { Delivery } from '../../domain/callbacks/delivery.js'
import { ORDER_STATUSES, type Order } from '../../domain/orders/order.js'
import { formatAmount } from '../amount.js'
import { html, join, type SafeHtml } from '../html.js'
import { adminPage, filterSelect, statusBadge, timeTag, type SelectOption } from './layout.js'
import { liveRefresh } from './live-refresh.js'

/** Where an order's admin page lives; order ids are unique per merchant only, so both are in the path. */
export function orderPagePath (merchantId: string, orderId: string): string {
  return `/sandbox/orders/${encodeURIComponent(merchantId)}/${encodeURIComponent(orderId)}`
}

export interface OrderRow {
  order: Order
  callbacks: Delivery[]
}

export interface OrdersFilter {
  merchant_id?: string
  status?: string
  action?: string
}

export interface OrdersPageData {
  rows: OrderRow[]
  /** How many orders match the filter; `rows` may hold only the newest of them. */
  total: number
  merchants: SelectOption[]
  actions: readonly string[]
  filter: OrdersFilter
  /** The next (older) page of the list, when there is one. */
  older?: string | undefined
  /** The first (newest) page with the same filters, when this is a later page. */
  newest?: string | undefined
  /** A search by order id, bizpay_order_id or request id: `rows` are its matches, not a page of the list. */
  search?: string | undefined
  canLogOut: boolean
  clockOffsetMs?: number | undefined
}

/** `1 delivered, 1 pending`: how the order's callbacks stand, in words. */
export function callbackSummary (deliveries: readonly Delivery[]): string {
  if (deliveries.length === 0) return 'none'
  const counts = new Map<string, number>()
  for (const d of deliveries) counts.set(d.status, (counts.get(d.status) ?? 0) + 1)
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ')
}

function filters (data: OrdersPageData): SafeHtml {
  const statuses = ORDER_STATUSES.map((s) => ({ value: s, label: s }))
  const actions = data.actions.map((a) => ({ value: a, label: a }))
  return html`<form class="filters" method="get" action="/sandbox" aria-label="Filter orders">
${filterSelect('merchant_id', 'Merchant', data.merchants, data.filter.merchant_id)}
${filterSelect('status', 'Status', statuses, data.filter.status)}
${filterSelect('action', 'Action', actions, data.filter.action)}
<button type="submit">Filter</button> <a href="/sandbox">Clear filters</a>
</form>`
}

function searchForm (data: OrdersPageData): SafeHtml {
  return html`<form class="filters" method="get" action="/sandbox" role="search" aria-label="Find an order">
<label>Order id, bizpay_order_id or request id
<input type="search" name="q" value="${data.search ?? ''}" maxlength="128" size="28" placeholder="order id, SBX…, req_…" spellcheck="false"></label>
<button type="submit">Find</button>
</form>`
}

function searchResults (data: OrdersPageData): SafeHtml {
  const found = data.rows.length === 0
    ? html`<p id="search-none">No order has the id, bizpay_order_id or request id <code>${data.search}</code>. Order ids are exact and case-sensitive; the request log keeps only the last calls.</p>`
    : html`<p class="muted" id="search-count">${data.rows.length} order${data.rows.length === 1 ? '' : 's'} found for <code>${data.search}</code>.</p>
${ordersTable(data.rows, html`Orders found`)}`
  return html`${found}
<p><a href="/sandbox">← All orders</a></p>`
}

function row ({ order, callbacks }: OrderRow): SafeHtml {
  return html`<tr>
<td>${timeTag(order.created_at)}</td>
<td>${order.merchant_id}</td>
<td><a href="${orderPagePath(order.merchant_id, order.order_id)}">${order.order_id}</a></td>
<td>${order.action}</td>
<td>${order.method}</td>
<td class="num">${formatAmount(order.amount, order.currency)}</td>
<td>${statusBadge(order.status)}</td>
<td>${callbackSummary(callbacks)}</td>
</tr>`
}

function table (data: OrdersPageData): SafeHtml {
  if (data.rows.length === 0) {
    const filtered = Object.values(data.filter).some((v) => v !== undefined)
    return html`<p>No orders${filtered ? ' match these filters' : ' yet'}. Create one by calling <code>POST /processV2</code> (see <a href="/docs">API docs</a>).</p>`
  }
  const shown = data.rows.length < data.total && html`<p class="muted">Showing ${data.rows.length} of ${data.total} orders.</p>`
  const newest = data.newest !== undefined && html`<a href="${data.newest}" id="newest-orders">← Newest orders</a>`
  const older = data.older !== undefined && html`<a href="${data.older}" rel="next">Older orders →</a>`
  const pager = (newest !== false || older !== false) && html`\n<p class="pager">${newest}${older}</p>`
  return html`${shown}${ordersTable(data.rows, html`${data.total} order${data.total === 1 ? '' : 's'}, newest first`)}${pager}`
}

function ordersTable (rows: readonly OrderRow[], caption: SafeHtml): SafeHtml {
  return html`<table>
<caption class="muted">${caption}</caption>
<thead><tr><th scope="col">Created</th><th scope="col">Merchant</th><th scope="col">Order id</th><th scope="col">Action</th><th scope="col">Method</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Callbacks</th></tr></thead>
<tbody>
${join(rows.map(row), html`\n`)}
</tbody>
</table>`
}

/** The orders list (GET /sandbox). */
export function renderOrdersPage (data: OrdersPageData): SafeHtml {
  const options = { title: 'Orders', section: 'orders', canLogOut: data.canLogOut, clockOffsetMs: data.clockOffsetMs } as const
  if (data.search !== undefined) {
    return adminPage(options, html`<h1>Orders</h1>
${searchForm(data)}
<section id="orders" aria-label="Orders found">
${searchResults(data)}
</section>`)
  }
  return adminPage(options, html`<h1>Orders</h1>
${searchForm(data)}
${filters(data)}
${liveRefresh('orders')}
<section id="orders" aria-live="polite" aria-label="Orders">
${table(data)}
</section>`)
}
