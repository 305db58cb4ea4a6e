import type { Delivery } from '../callbacks/delivery.js'
import { ORDER_STATUSES, type Order } from '../orders/order.js'
import { escapeHtml, formatAmount } from '../pages/html.js'
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

function filters (data: OrdersPageData): string {
  const statuses = ORDER_STATUSES.map((s) => ({ value: s, label: s }))
  const actions = data.actions.map((a) => ({ value: a, label: a }))
  return `<form class="filters" method="get" action="/sandbox" aria-label="Filter orders">
${filterSelect('merchant_id', 'Merchant', data.merchants, data.filter.merchant_id)}
${filterSelect('status', 'Status', statuses, data.filter.status)}
${filterSelect('action', 'Action', actions, data.filter.action)}
<button type="submit">Filter</button> <a href="/sandbox">Clear filters</a>
</form>`
}

function row ({ order, callbacks }: OrderRow): string {
  return `<tr>
<td>${timeTag(order.created_at)}</td>
<td>${escapeHtml(order.merchant_id)}</td>
<td><a href="${escapeHtml(orderPagePath(order.merchant_id, order.order_id))}">${escapeHtml(order.order_id)}</a></td>
<td>${escapeHtml(order.action)}</td>
<td>${escapeHtml(order.method)}</td>
<td class="num">${escapeHtml(formatAmount(order.amount, order.currency))}</td>
<td>${statusBadge(order.status)}</td>
<td>${escapeHtml(callbackSummary(callbacks))}</td>
</tr>`
}

function table (data: OrdersPageData): string {
  if (data.rows.length === 0) {
    const filtered = Object.values(data.filter).some((v) => v !== undefined)
    return `<p>No orders${filtered ? ' match these filters' : ' yet'}. Create one by calling <code>POST /processV2</code> (see <a href="/docs">API docs</a>).</p>`
  }
  const shown = data.rows.length < data.total ? `<p class="muted">Showing ${data.rows.length} of ${data.total} orders.</p>` : ''
  const older = data.older === undefined ? '' : `\n<p><a href="${escapeHtml(data.older)}" rel="next">Older orders →</a></p>`
  return `${shown}<table>
<caption class="muted">${data.total} order${data.total === 1 ? '' : 's'}, newest first</caption>
<thead><tr><th scope="col">Created</th><th scope="col">Merchant</th><th scope="col">Order id</th><th scope="col">Action</th><th scope="col">Method</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Callbacks</th></tr></thead>
<tbody>
${data.rows.map(row).join('\n')}
</tbody>
</table>${older}`
}

/** The orders list (GET /sandbox). */
export function renderOrdersPage (data: OrdersPageData): string {
  return adminPage({ title: 'Orders', section: 'orders', canLogOut: data.canLogOut }, `<h1>Orders</h1>
${filters(data)}
${liveRefresh('orders')}
<section id="orders" aria-live="polite" aria-label="Orders">
${table(data)}
</section>`)
}
