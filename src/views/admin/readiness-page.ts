import type { Check, ReadinessReport } from '../../readiness/report.js'
import { html, raw, type SafeHtml } from '../html.js'
import { adminPage, filterSelect, flash, timeTag, type SelectOption } from './layout.js'
import { requestPagePath } from './requests-page.js'

export interface ReadinessPageData {
  merchants: readonly SelectOption[]
  /** The merchant chosen; none: the page only offers the choice. */
  merchantId: string | undefined
  report: ReadinessReport | undefined
  /** The callback URL the probe would use by default (the merchant's newest), to show in the form. */
  lastCallbackUrl: string | undefined
  /** The poll window as asked for (`?poll_within=`), '' for the default. */
  pollWithin: string
  done: string | undefined
  error: string | undefined
  canLogOut: boolean
}

// The checklist's own few rules: constant CSS, so `raw`. Checks are cards, never a wide table: the page fits a phone.
const STYLE = raw(`<style>
main p code{overflow-wrap:anywhere}
.checks{list-style:none;margin:0;padding:0}
.checks>li{background:#fff;border:1px solid #d1d5db;border-radius:.5rem;padding:.75rem 1rem;margin:.5rem 0;overflow-wrap:anywhere}
.checks h3{font-size:1rem;margin:0 0 .35rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline}
.checks p{margin:.25rem 0}
.badge[data-status=passed]{color:#166534;background:#dcfce7}
.badge[data-status=not_exercised]{color:#374151;background:#e5e7eb}
.verdict{font-size:1.1rem}
form.probe{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end}
form.probe label{display:flex;flex-direction:column;font-size:.9rem;min-width:0;flex:1 1 14rem}
form.probe input{width:100%}
</style>`)

const STATUS_WORDS: Record<Check['status'], string> = { passed: 'passed', failed: 'failed', not_exercised: 'not yet exercised' }
const GROUP_TITLES: Record<Check['group'], string> = {
  requests: 'Requests (what the gateway has seen)',
  callback: 'Callback endpoint (the probe)',
  resilience: 'Resilience (after faults)'
}

function checkItem (check: Check): SafeHtml {
  const requests = check.requests.map((id, i) => html`${i > 0 && ', '}<a href="${requestPagePath(id)}">${id}</a>`)
  return html`<li id="check-${check.id}" data-check="${check.id}" data-status="${check.status}">
<h3><span class="badge" data-status="${check.status}">${STATUS_WORDS[check.status]}</span> ${check.title}${!check.required && html` <span class="muted">(optional)</span>`}</h3>
<p>${check.evidence}</p>
${check.requests.length > 0 && html`<p class="muted">Requests: ${requests}</p>`}
${check.attempts.length > 0 && html`<p class="muted">Attempts: ${check.attempts.join(', ')}</p>`}
${check.status !== 'passed' && html`<p><strong>Fix:</strong> ${check.fix}</p>`}
<p class="muted">Why and how: <code>${check.docs}</code></p>
</li>`
}

function probeForm (merchantId: string, lastCallbackUrl: string | undefined, pollWithin: string, report: ReadinessReport): SafeHtml {
  const ack = report.probe?.ack ?? 'status'
  return html`<section class="card" aria-labelledby="probe-title">
<h2 id="probe-title">Callback probe</h2>
<p>Sends forged callbacks (header <code>x-sandbox-probe: readiness</code>) to the endpoint: a valid one and its repeat,
a FAIL one, and three that must be refused. No order in the sandbox changes.</p>
${report.probe === null
    ? html`<p class="muted" id="probe-last">Not run yet for this merchant.</p>`
    : html`<p class="muted" id="probe-last">Last run ${timeTag(report.probe.ran_at)} against <code>${report.probe.url}</code> (ack=${report.probe.ack}).</p>`}
<form class="probe" method="post" action="/sandbox/readiness/probe">
<input type="hidden" name="merchant_id" value="${merchantId}">
<input type="hidden" name="poll_within" value="${pollWithin}">
<label>Callback URL <input type="url" name="callback_url" value="${lastCallbackUrl ?? ''}" placeholder="https://your-shop.example/ottpay/callback"></label>
<label>An acknowledgement is
<select name="ack"><option value="status"${ack === 'status' && html` selected`}>any 2xx</option><option value="body"${ack === 'body' && html` selected`}>2xx with SUCCESS in the body</option></select></label>
<button type="submit" class="primary">Run callback probe</button>
</form>
</section>`
}

function checklist (report: ReadinessReport): SafeHtml {
  const groups = (['requests', 'callback', 'resilience'] as const).map((group) => html`<h2>${GROUP_TITLES[group]}</h2>
<ul class="checks">${report.checks.filter((c) => c.group === group).map(checkItem)}</ul>`)
  const { passed, failed, not_exercised: waiting } = report.summary
  return html`<p class="verdict" id="verdict" data-ready="${String(report.ready)}"><span class="badge" data-status="${report.ready ? 'passed' : 'failed'}">${report.ready ? 'ready' : 'not ready'}</span>
${passed} passed, ${failed} failed, ${waiting} not yet exercised (as of ${timeTag(report.generated_at)}).</p>
${groups}`
}

/** The go-live checklist of one merchant, with the form that runs the callback probe. */
export function renderReadinessPage (data: ReadinessPageData): SafeHtml {
  const { report, merchantId } = data
  return adminPage({ title: 'Go-live readiness', section: 'readiness', canLogOut: data.canLogOut }, html`${STYLE}
<h1>Go-live readiness</h1>
<p>What the sandbox has seen of a merchant's integration, checked against the go-live checklist
(<code>docs/go-live-checklist.md</code>). The same report: <code>GET /sandbox/api/merchants/:merchant_id/readiness</code>
and <code>ottpay-sandbox readiness --merchant ID</code>.</p>
<form class="filters" method="get" action="/sandbox/readiness">
${filterSelect('merchant_id', 'Merchant', data.merchants, merchantId)}
<label>Poll STATUS_QUERY within <input name="poll_within" value="${data.pollWithin}" placeholder="300s" size="6"></label>
<button type="submit">Show</button>
</form>
${flash(data.done, data.error)}
${report !== undefined && merchantId !== undefined && html`${probeForm(merchantId, data.lastCallbackUrl, data.pollWithin, report)}${checklist(report)}`}
${report === undefined && html`<p class="muted">Choose a merchant to see its checklist.</p>`}`)
}
