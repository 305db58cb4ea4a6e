import { htmlDocument } from '../document.js'
import { html, raw, type SafeHtml } from '../html.js'

/** Which nav entry the page belongs to, so it can say `aria-current="page"`. */
export type AdminSection = 'orders' | 'requests' | 'merchants' | 'faults' | 'clock' | 'new-order' | 'readiness' | 'login' | 'none'

export interface AdminPageOptions {
  title: string
  section: AdminSection
  /** ADMIN_TOKEN is set: there is a session to end, so the nav offers "Log out". */
  canLogOut: boolean
  /** How far the virtual clock runs ahead of real time: every page says so while it is not 0. */
  clockOffsetMs?: number | undefined
}

// A constant stylesheet: `raw` because CSS is not HTML text (escaping its quotes would break it).
const STYLE = raw(`
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f3f4f6;color:#111827;line-height:1.45}
a{color:#1d4ed8}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:1}
.skip:focus{left:.5rem;top:.5rem}
header{background:#1f2937;color:#f9fafb;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}
header a{color:#f9fafb}
header .brand{font-weight:700}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;margin:0;padding:0}
nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
header form{margin-left:auto}
.banner{background:#fef3c7;color:#78350f;padding:.4rem 1rem;margin:0;font-size:.9rem}
main{max-width:72rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
section.card,.card{background:#fff;border:1px solid #d1d5db;border-radius:.5rem;padding:1rem;margin:1rem 0}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{background:#f9fafb;font-weight:600}
td.num{font-variant-numeric:tabular-nums;text-align:right}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem;margin:0}
dt{color:#374151;font-weight:600}dd{margin:0;min-width:0;overflow-wrap:anywhere}
pre{background:#111827;color:#f9fafb;padding:.75rem;border-radius:.375rem;overflow:auto;white-space:pre-wrap;word-break:break-all}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
button{font:inherit;padding:.4rem .9rem;border-radius:.375rem;border:1px solid #4b5563;background:#fff;color:#111827;cursor:pointer}
button:disabled{color:#6b7280;border-color:#d1d5db;background:#f3f4f6;cursor:not-allowed}
button.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}
button.primary:disabled{background:#93a3c8;border-color:#93a3c8;color:#f9fafb}
input,select{font:inherit;padding:.3rem .4rem;border:1px solid #6b7280;border-radius:.25rem;background:#fff;color:#111827;max-width:100%}
form.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;margin:0 0 1rem}
form.filters label{display:flex;flex-direction:column;font-size:.9rem;max-width:100%}
form.inline{display:inline-flex;gap:.5rem;align-items:center;margin:0 .5rem .5rem 0}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;border:1px solid currentColor;font-size:.85rem;font-weight:600;white-space:nowrap}
.badge[data-status=success],.badge[data-status=authorised],.badge[data-verdict=accepted],.badge[data-status=delivered]{color:#166534;background:#dcfce7}
.badge[data-status=fail],.badge[data-status=failed],.badge[data-verdict=rejected]{color:#991b1b;background:#fee2e2}
.badge[data-status=init],.badge[data-status=pending]{color:#1e3a8a;background:#dbeafe}
.badge[data-status=notpay],.badge[data-status=refunded],.badge[data-status=partial_refunded]{color:#374151;background:#e5e7eb}
.notice{border-left:4px solid #166534;background:#dcfce7;color:#14532d;padding:.5rem .75rem}
.error{border-left:4px solid #991b1b;background:#fee2e2;color:#7f1d1d;padding:.5rem .75rem}
.hints{border-left:4px solid #b45309;background:#fffbeb;padding:.5rem 1rem}
.muted{color:#4b5563}
.qr svg{width:12rem;height:12rem}
.pair{display:flex;flex-wrap:wrap;gap:1rem}
.pair>.card{flex:1 1 18rem;margin:0}
.pair h3{margin-top:0}
.clock-banner{background:#ede9fe;color:#3b0764}
.pager{display:flex;flex-wrap:wrap;gap:1rem}
form.stacked label{display:block;margin:.5rem 0 .15rem;font-weight:600}
form.stacked .hint{font-size:.9rem;color:#4b5563;margin:.15rem 0 0}
.secret{background:#fef3c7;border:2px solid #b45309;padding:.5rem .75rem;border-radius:.375rem}
/* A phone: each table row becomes a card of "label value" lines (the labels come from the column headings). */
@media (max-width:600px){
main{margin:1rem auto;padding:0 .5rem}
header{padding:.5rem}
nav ul{gap:.25rem .9rem}
dl{grid-template-columns:1fr;gap:0}
dd{margin-bottom:.4rem}
table,tbody,tr,td,caption{display:block;width:100%}
thead{display:none}
tr{border:1px solid #d1d5db;border-radius:.375rem;margin:0 0 .6rem;background:#fff}
td{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem .5rem;border-bottom:1px solid #f3f4f6;text-align:left;overflow-wrap:anywhere}
td.num{text-align:left}
td::before{content:attr(data-label);flex:0 0 35%;font-weight:600;color:#374151}
td>*{min-width:0;max-width:100%}
form.inline{display:flex;flex-wrap:wrap}
}
`)

function navLink (href: string, label: string, current: boolean): SafeHtml {
  return html`<li><a href="${href}"${current && html` aria-current="page"`}>${label}</a></li>`
}

function nav (section: AdminSection): SafeHtml {
  return html`<nav aria-label="Sandbox"><ul>
${navLink('/sandbox', 'Orders', section === 'orders')}
${navLink('/sandbox/requests', 'Requests', section === 'requests')}
${navLink('/sandbox/merchants', 'Merchants', section === 'merchants')}
${navLink('/sandbox/faults', 'Faults', section === 'faults')}
${navLink('/sandbox/clock', 'Clock', section === 'clock')}
${navLink('/sandbox/new-order', 'New test order', section === 'new-order')}
${navLink('/sandbox/readiness', 'Go-live', section === 'readiness')}
${navLink('/docs', 'API docs', false)}
</ul></nav>`
}

// Constant scripts (`raw`: escaping would break their quotes); the pages work without them.
const SCRIPT = raw(`<script>
(function () {
  // A phone shows each table row as a card: every cell is labelled with its column's heading.
  document.querySelectorAll('table').forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) { return th.textContent.trim() })
    table.querySelectorAll('tbody tr').forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (cell, i) {
        if (heads[i] && !cell.hasAttribute('data-label')) cell.setAttribute('data-label', heads[i])
      })
    })
  })
  // Filters apply as soon as one changes (the Filter button stays for a browser without JavaScript).
  document.querySelectorAll('form.filters select').forEach(function (select) {
    select.addEventListener('change', function () { select.form.submit() })
  })
})()
</script>`)

/** A whole duration in words: `2 d 3 h 4 min 5 s`. */
export function durationText (ms: number): string {
  const sign = ms < 0 ? '−' : ''
  let s = Math.floor(Math.abs(ms) / 1000)
  const parts: string[] = []
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['min', 60]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)} ${unit}`)
      s %= size
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s} s`)
  return sign + parts.join(' ')
}

function clockBanner (offsetMs: number | undefined): SafeHtml | false {
  if (offsetMs === undefined || offsetMs === 0) return false
  return html`<p class="banner clock-banner" role="note" id="clock-banner">The sandbox clock runs <strong>${durationText(offsetMs)}</strong> ahead of real time (<a href="/sandbox/clock">Clock</a>; a full reset puts it back).</p>`
}

const LOGOUT = html`<form method="post" action="/sandbox/logout"><button type="submit">Log out</button></form>`

/** The admin UI's shell around a page's body. */
export function adminPage (options: AdminPageOptions, body: SafeHtml): SafeHtml {
  return htmlDocument(`${options.title} · OTT Pay sandbox`, STYLE, html`<a class="skip" href="#main">Skip to content</a>
<header>
<span class="brand">OTT Pay sandbox</span>
${nav(options.section)}
${options.canLogOut && LOGOUT}
</header>
<p class="banner" role="note">OTT Pay sandbox — no real money moves.</p>
${clockBanner(options.clockOffsetMs)}
<main id="main" tabindex="-1">
${body}
</main>
${SCRIPT}`)
}

/** A status in words and colour, never colour alone; `data-status` lets tests and scripts read it. */
export function statusBadge (status: string, id?: string): SafeHtml {
  return html`<span class="badge"${id !== undefined && html` id="${id}"`} data-status="${status}">${status}</span>`
}

/** The outcome of the last form post: success is a polite status, failure an alert. */
export function flash (done: string | undefined, error: string | undefined): SafeHtml {
  if (error !== undefined) return html`<p class="error" role="alert">${error}</p>`
  if (done !== undefined) return html`<p class="notice" role="status">${done}</p>`
  return html``
}

/** A JSON value as an indented, escaped block. */
export function jsonBlock (value: unknown, label: string): SafeHtml {
  return html`<pre aria-label="${label}"><code>${JSON.stringify(value, null, 2)}</code></pre>`
}

export interface SelectOption {
  value: string
  label: string
}

/** A labelled `<select>` whose first option, "any", sends an empty value (read as no filter). */
export function filterSelect (name: string, label: string, options: readonly SelectOption[], selected: string | undefined): SafeHtml {
  const items = options.map((o) => html`<option value="${o.value}"${o.value === selected && html` selected`}>${o.label}</option>`)
  return html`<label>${label}
<select name="${name}"><option value="">any</option>${items}</select></label>`
}

/** An ISO time as `2026-01-15 04:00:00 UTC` inside a machine-readable `<time>`: the admin UI shows UTC throughout. */
export function timeTag (iso: string | null | undefined): SafeHtml {
  if (iso === null || iso === undefined || iso === '') return html`—`
  const text = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : iso
  return html`<time datetime="${iso}">${text}</time>`
}
