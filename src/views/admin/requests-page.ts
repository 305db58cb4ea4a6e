import type { RequestLogEntry } from '../../inspector/log-entry.js'
import { html, join, type SafeHtml } from '../html.js'
import { adminPage, filterSelect, timeTag, type SelectOption } from './layout.js'
import { liveRefresh } from './live-refresh.js'
import { orderPagePath } from './orders-page.js'

export interface RequestsFilter {
  merchant_id?: string | undefined
  action?: string | undefined
  order_id?: string | undefined
  verdict?: 'accepted' | 'rejected' | undefined
}

export interface RequestsPageData {
  entries: RequestLogEntry[]
  /** REQUEST_LOG_SIZE: how many calls the log keeps. */
  size: number
  merchants: SelectOption[]
  /** The gateway's actions, for the action filter. */
  actions?: readonly string[]
  filter: RequestsFilter
  /** The next (older) page of the list, when there is one. */
  older?: string | undefined
  canLogOut: boolean
  clockOffsetMs?: number | undefined
}

export const requestPagePath = (id: string) => `/sandbox/requests/${encodeURIComponent(id)}`

/** Accepted or rejected, in words; `data-verdict` for tests and styling. */
export function verdictBadge (verdict: string, id?: string): SafeHtml {
  return html`<span class="badge"${id !== undefined && html` id="${id}"`} data-verdict="${verdict}">${verdict}</span>`
}

function row (e: RequestLogEntry): SafeHtml {
  return html`<tr>
<td>${timeTag(e.at)}</td>
<td>${e.merchant_id ?? '—'}</td>
<td>${e.action ?? '—'}</td>
<td>${e.order_id === null ? '—' : e.merchant_id === null ? html`<code>${e.order_id}</code>` : html`<a href="${orderPagePath(e.merchant_id, e.order_id)}"><code>${e.order_id}</code></a>`}</td>
<td>${verdictBadge(e.verdict)}</td>
<td><code>${e.rsp_code}</code></td>
<td>${e.failed_step ?? '—'}</td>
<td>${e.rsp_msg}</td>
<td><a href="${requestPagePath(e.id)}">${e.id}<span class="muted"> details</span></a></td>
</tr>`
}

function table (data: RequestsPageData): SafeHtml {
  if (data.entries.length === 0) {
    const why = data.size === 0 ? 'REQUEST_LOG_SIZE is 0, so no request is kept.' : 'No gateway call matches yet.'
    return html`<p>${why} Calls to <code>POST /processV2</code> appear here.</p>`
  }
  return html`<table>
<caption class="muted">${data.entries.length} request${data.entries.length === 1 ? '' : 's'}, newest first</caption>
<thead><tr><th scope="col">Time</th><th scope="col">Merchant</th><th scope="col">Action</th><th scope="col">Order id</th><th scope="col">Verdict</th><th scope="col">rsp_code</th><th scope="col">Failed step</th><th scope="col">rsp_msg</th><th scope="col">Details</th></tr></thead>
<tbody>
${join(data.entries.map(row), html`\n`)}
</tbody>
</table>${data.older !== undefined && html`\n<p><a href="${data.older}" rel="next">Older requests →</a></p>`}`
}

/** The request inspector's list (GET /sandbox/requests). */
export function renderRequestsPage (data: RequestsPageData): SafeHtml {
  const verdicts = [{ value: 'accepted', label: 'accepted' }, { value: 'rejected', label: 'rejected' }]
  const actions = (data.actions ?? []).map((a) => ({ value: a, label: a }))
  return adminPage({ title: 'Requests', section: 'requests', canLogOut: data.canLogOut, clockOffsetMs: data.clockOffsetMs }, html`<h1>Requests</h1>
<p>Every call to the gateway with its verdict and crypto story. The log is kept in memory only (a restart empties it)
and holds the last ${data.size} calls (<code>REQUEST_LOG_SIZE</code>); older ones fall out first.</p>
<form class="filters" method="get" action="/sandbox/requests" aria-label="Filter requests">
${filterSelect('merchant_id', 'Merchant', data.merchants, data.filter.merchant_id)}
${filterSelect('action', 'Action', actions, data.filter.action)}
${filterSelect('verdict', 'Verdict', verdicts, data.filter.verdict)}
<label>Order id
<input type="search" name="order_id" value="${data.filter.order_id ?? ''}" maxlength="128" size="16" spellcheck="false"></label>
<button type="submit">Filter</button> <a href="/sandbox/requests">Clear filters</a>
</form>
${liveRefresh('requests')}
<section id="requests" aria-live="polite" aria-label="Requests">
${table(data)}
</section>`)
}
