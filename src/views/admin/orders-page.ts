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
  canLogOut: boolean
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
  const older = data.older !== undefined && html`\n<p><a href="${data.older}" rel="next">Older orders →</a></p>`
  return html`${shown}<table>
<caption class="muted">${data.total} order${data.total === 1 ? '' : 's'}, newest first</caption>
<thead><tr><th scope="col">Created</th><th scope="col">Merchant</th><th scope="col">Order id</th><th scope="col">Action</th><th scope="col">Method</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Callbacks</th></tr></thead>
<tbody>
${join(data.rows.map(row), html`\n`)}
</tbody>
</table>${older}`
}

/** The orders list (GET /sandbox). */
export function renderOrdersPage (data: OrdersPageData): SafeHtml {
  return adminPage({ title: 'Orders', section: 'orders', canLogOut: data.canLogOut }, html`<h1>Orders</h1>
${filters(data)}
${liveRefresh('orders')}
<section id="orders" aria-live="polite" aria-label="Orders">
${table(data)}
</section>`)
}
