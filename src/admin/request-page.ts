import type { RequestLogEntry } from '../inspector/log-entry.js'
import { escapeHtml } from '../pages/html.js'
import { adminPage, jsonBlock, timeTag } from './layout.js'
import { orderPagePath } from './orders-page.js'
import { verdictBadge } from './requests-page.js'

export interface RequestPageData {
  entry: RequestLogEntry
  /** The order the request created or touched, when it is still in the store. */
  orderExists: boolean
  canLogOut: boolean
}

type StepResult = RequestLogEntry['steps'][number]['result']

// The mark is repeated in words: a symbol alone is neither read out reliably nor obvious to everyone.
const STEP_MARKS: Record<StepResult, string> = { passed: '✓ passed', failed: '✗ failed', 'not reached': '— not reached' }

function verdict (entry: RequestLogEntry): string {
  return `<section class="card ${entry.verdict === 'accepted' ? 'notice' : 'error'}" aria-labelledby="verdict-heading">
<h2 id="verdict-heading">Verdict: ${verdictBadge(entry.verdict, 'request-verdict')}</h2>
<dl>
<dt>rsp_code</dt><dd><code id="rsp-code">${escapeHtml(entry.rsp_code)}</code></dd>
<dt>rsp_msg</dt><dd id="rsp-msg">${escapeHtml(entry.rsp_msg)}</dd>
<dt>HTTP status</dt><dd>${entry.http_status}</dd>
<dt>Failed step</dt><dd>${entry.failed_step === null ? '— (none)' : escapeHtml(entry.failed_step)}</dd>
</dl>
</section>`
}

function hints (entry: RequestLogEntry): string {
  if (entry.hints.length === 0) return ''
  const items = entry.hints.map((h) => `<li><strong>${escapeHtml(h.message)}</strong> <span class="muted">(${escapeHtml(h.code)})</span></li>`)
  return `<section class="hints" aria-labelledby="hints-heading">
<h2 id="hints-heading">Likely cause</h2>
<ul id="hints">${items.join('\n')}</ul>
</section>`
}

function steps (entry: RequestLogEntry): string {
  const items = entry.steps.map((s) => `<li data-step="${escapeHtml(s.step)}" data-result="${escapeHtml(s.result)}"><strong>${STEP_MARKS[s.result]}</strong>: ${escapeHtml(s.label)} <span class="muted">(${escapeHtml(s.step)})</span></li>`)
  return `<h2 id="steps-heading">What the gateway checked, in order</h2>
<ol id="steps" aria-labelledby="steps-heading">${items.join('\n')}</ol>`
}

function md5Verdict (expected: string | null, received: string | null, matches: boolean | null): string {
  if (expected === null) return 'No expected md5: the data did not decrypt, so there was nothing to compute it over.'
  if (matches === true) return 'The md5 values match.'
  if (received !== null && expected.toUpperCase() === received.toUpperCase()) return 'Mismatch: the md5 values differ only in letter case. Send it uppercase.'
  return 'Mismatch: the md5 values do not match. The md5 was computed over different values than the ones encrypted in data.'
}

function md5 (entry: RequestLogEntry): string {
  const { expected_md5: expected, received_md5: received, md5_matches: matches } = entry.crypto
  const cell = (value: string | null, id: string, title: string) => `<div class="card">
<h3>${title}</h3><code id="${id}">${value === null ? '—' : escapeHtml(value)}</code></div>`
  return `<section aria-labelledby="md5-heading">
<h2 id="md5-heading">md5 comparison</h2>
<div class="pair">
${cell(expected, 'expected-md5', 'expected md5 (computed by the sandbox)')}
${cell(received, 'received-md5', 'received md5 (sent by the client)')}
</div>
<p id="md5-verdict" class="${matches === true ? 'notice' : 'error'}">${md5Verdict(expected, received, matches)}</p>
<p class="muted">data was ${entry.crypto.data_length} characters of Base64.</p>
</section>`
}

function textBlock (id: string, text: string | null, absent: string): string {
  return text === null ? `<p id="${id}" class="muted">${absent}</p>` : `<pre id="${id}"><code>${escapeHtml(text)}</code></pre>`
}

function decrypted (entry: RequestLogEntry): string {
  const warnings = entry.warnings.length === 0
    ? '<p>None.</p>'
    : `<ul id="warnings">${entry.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
  return `<h2>Decrypted plaintext</h2>
<p class="muted">What <code>data</code> decrypted to (card numbers masked).</p>
${textBlock('plaintext', entry.crypto.plaintext, 'Nothing: data did not decrypt.')}
<h2>Canonical string</h2>
<p>The values of the decrypted data, sorted by key and concatenated with nothing between them. This is what the md5
is computed over: <code>md5 = uppercase(MD5(canonical string))</code>.</p>
${textBlock('canonical', entry.crypto.canonical, 'None: the data did not decrypt to a JSON object.')}
<h2>Normalised data</h2>
<p class="muted">The fields after the sandbox read them (aliases such as <code>bizType</code> folded, values trimmed).</p>
${entry.data === null ? '<p class="muted">None: the request stopped before its fields were read.</p>' : jsonBlock(entry.data, 'normalised data')}
<h2>Warnings</h2>
${warnings}`
}

function answer (entry: RequestLogEntry): string {
  return `<section aria-labelledby="answer-heading">
<h2 id="answer-heading">Answer sent</h2>
<dl>
<dt>rsp_code</dt><dd><code>${escapeHtml(entry.answer.rsp_code)}</code></dd>
<dt>rsp_msg</dt><dd>${escapeHtml(entry.answer.rsp_msg)}</dd>
<dt>md5</dt><dd>${entry.answer.md5 === null ? '—' : `<code>${escapeHtml(entry.answer.md5)}</code>`}</dd>
</dl>
<h3>Answer data, decrypted</h3>
${entry.answer.data === null ? '<p class="muted">None: a rejection carries no data.</p>' : jsonBlock(entry.answer.data, 'answer data')}
</section>`
}

function context (data: RequestPageData): string {
  const { entry } = data
  const order = entry.order_id !== null && entry.merchant_id !== null
    ? `<dt>Order</dt><dd>${data.orderExists ? `<a id="order-link" href="${escapeHtml(orderPagePath(entry.merchant_id, entry.order_id))}">${escapeHtml(entry.order_id)}</a>` : escapeHtml(entry.order_id)}</dd>`
    : ''
  return `<dl>
<dt>Time</dt><dd>${timeTag(entry.at)}</dd>
<dt>Path</dt><dd><code>${escapeHtml(entry.path)}</code></dd>
<dt>Merchant</dt><dd>${entry.merchant_id === null ? '—' : escapeHtml(entry.merchant_id)}</dd>
<dt>Action</dt><dd>${entry.action === null ? '—' : escapeHtml(entry.action)} ${entry.version === null ? '' : escapeHtml(entry.version)}</dd>
${order}
</dl>`
}

/** One gateway call told step by step, for someone who never read the sandbox's code (GET /sandbox/requests/:id). */
export function renderRequestPage (data: RequestPageData): string {
  const { entry } = data
  return adminPage({ title: `Request ${entry.id}`, section: 'requests', canLogOut: data.canLogOut }, `<p><a href="/sandbox/requests">← All requests</a></p>
<h1>Request <code>${escapeHtml(entry.id)}</code></h1>
${context(data)}
${verdict(entry)}
${hints(entry)}
${steps(entry)}
${md5(entry)}
${decrypted(entry)}
${answer(entry)}`)
}
