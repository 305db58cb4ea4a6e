import type { RequestLogEntry } from '../../inspector/log-entry.js'
import { html, join, raw, type SafeHtml } from '../html.js'
import { adminPage, jsonBlock, timeTag } from './layout.js'
import { orderPagePath } from './orders-page.js'
import { verdictBadge } from './requests-page.js'

export interface RequestPageData {
  entry: RequestLogEntry
  /** The order the request created or touched, when it is still in the store. */
  orderExists: boolean
  /** The sandbox's origin, for the curl command. */
  baseUrl: string
  canLogOut: boolean
  clockOffsetMs?: number | undefined
}

/** A text as one single-quoted shell word: `'` closes the quote, adds an escaped quote, and opens it again. */
export function shellQuote (text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`
}

/** The call again, as a curl command a developer can paste into a terminal. */
export function curlCommand (entry: RequestLogEntry, baseUrl: string): string | undefined {
  if (entry.envelope === null) return undefined
  return `curl -sS -X POST ${shellQuote(baseUrl + entry.path)} -H 'content-type: application/json' --data-binary ${shellQuote(entry.envelope)}`
}

// A constant script (`raw`): the Copy button stays hidden without JavaScript or a clipboard, where it could not work.
const COPY_SCRIPT = raw(`<script>
(function () {
  var button = document.getElementById('copy-curl')
  var source = document.getElementById('curl')
  var status = document.getElementById('copy-status')
  if (!button || !source || !navigator.clipboard) return
  button.hidden = false
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(source.textContent).then(function () { status.textContent = 'Copied.' }, function () { status.textContent = 'The browser refused to copy: select the command and copy it.' })
  })
})()
</script>`)

type StepResult = RequestLogEntry['steps'][number]['result']

// The mark is repeated in words: a symbol alone is neither read out reliably nor obvious to everyone.
const STEP_MARKS: Record<StepResult, string> = { passed: '✓ passed', failed: '✗ failed', 'not reached': '— not reached' }

const NL = html`\n`

function verdict (entry: RequestLogEntry): SafeHtml {
  return html`<section class="card ${entry.verdict === 'accepted' ? 'notice' : 'error'}" aria-labelledby="verdict-heading">
<h2 id="verdict-heading">Verdict: ${verdictBadge(entry.verdict, 'request-verdict')}</h2>
<dl>
<dt>rsp_code</dt><dd><code id="rsp-code">${entry.rsp_code}</code></dd>
<dt>rsp_msg</dt><dd id="rsp-msg">${entry.rsp_msg}</dd>
<dt>HTTP status</dt><dd>${entry.http_status}</dd>
<dt>Failed step</dt><dd>${entry.failed_step ?? '— (none)'}</dd>
</dl>
</section>`
}

function hints (entry: RequestLogEntry): SafeHtml | false {
  if (entry.hints.length === 0) return false
  const items = entry.hints.map((h) => html`<li><strong>${h.message}</strong> <span class="muted">(${h.code})</span></li>`)
  return html`<section class="hints" aria-labelledby="hints-heading">
<h2 id="hints-heading">Likely cause</h2>
<ul id="hints">${join(items, NL)}</ul>
</section>`
}

function steps (entry: RequestLogEntry): SafeHtml {
  const items = entry.steps.map((s) => html`<li data-step="${s.step}" data-result="${s.result}"><strong>${STEP_MARKS[s.result]}</strong>: ${s.label} <span class="muted">(${s.step})</span></li>`)
  return html`<h2 id="steps-heading">What the gateway checked, in order</h2>
<ol id="steps" aria-labelledby="steps-heading">${join(items, NL)}</ol>`
}

function md5Verdict (expected: string | null, received: string | null, matches: boolean | null): string {
  if (expected === null) return 'No expected md5: the data did not decrypt, so there was nothing to compute it over.'
  if (matches === true) return 'The md5 values match.'
  if (received !== null && expected.toUpperCase() === received.toUpperCase()) return 'Mismatch: the md5 values differ only in letter case. Send it uppercase.'
  return 'Mismatch: the md5 values do not match. The md5 was computed over different values than the ones encrypted in data.'
}

function md5 (entry: RequestLogEntry): SafeHtml {
  const { expected_md5: expected, received_md5: received, md5_matches: matches, md5_withheld: withheld } = entry.crypto
  if (withheld !== undefined) {
    return html`<section aria-labelledby="md5-heading">
<h2 id="md5-heading">md5 comparison</h2>
<p id="md5-withheld" class="muted">The md5 values are ${withheld}.</p>
<p id="md5-verdict" class="${matches === true ? 'notice' : 'error'}">${matches === true ? 'The md5 values match.' : matches === false ? 'Mismatch: the md5 values do not match. The md5 was computed over different values than the ones encrypted in data.' : 'No expected md5: the data did not decrypt.'}</p>
<p class="muted">data was ${entry.crypto.data_length} characters of Base64.</p>
</section>`
  }
  const cell = (value: string | null, id: string, title: string) => html`<div class="card">
<h3>${title}</h3><code id="${id}">${value ?? '—'}</code></div>`
  return html`<section aria-labelledby="md5-heading">
<h2 id="md5-heading">md5 comparison</h2>
<div class="pair">
${cell(expected, 'expected-md5', 'expected md5 (computed by the sandbox)')}
${cell(received, 'received-md5', 'received md5 (sent by the client)')}
</div>
<p id="md5-verdict" class="${matches === true ? 'notice' : 'error'}">${md5Verdict(expected, received, matches)}</p>
<p class="muted">data was ${entry.crypto.data_length} characters of Base64.</p>
</section>`
}

function textBlock (id: string, text: string | null, absent: string): SafeHtml {
  return text === null ? html`<p id="${id}" class="muted">${absent}</p>` : html`<pre id="${id}"><code>${text}</code></pre>`
}

function decrypted (entry: RequestLogEntry): SafeHtml {
  const warnings = entry.warnings.length === 0
    ? html`<p>None.</p>`
    : html`<ul id="warnings">${entry.warnings.map((w) => html`<li>${w}</li>`)}</ul>`
  return html`<h2>Decrypted plaintext</h2>
<p class="muted">What <code>data</code> decrypted to (card numbers masked).</p>
${textBlock('plaintext', entry.crypto.plaintext, 'Nothing: data did not decrypt.')}
<h2>Canonical string</h2>
<p>The values of the decrypted data, sorted by key and concatenated with nothing between them. This is what the md5
is computed over: <code>md5 = uppercase(MD5(canonical string))</code>.</p>
${textBlock('canonical', entry.crypto.canonical, 'None: the data did not decrypt to a JSON object.')}
<h2>Normalised data</h2>
<p class="muted">The fields after the sandbox read them (aliases such as <code>bizType</code> folded, values trimmed).</p>
${entry.data === null ? html`<p class="muted">None: the request stopped before its fields were read.</p>` : jsonBlock(entry.data, 'normalised data')}
<h2>Warnings</h2>
${warnings}`
}

function received (data: RequestPageData): SafeHtml {
  const { entry } = data
  const curl = curlCommand(entry, data.baseUrl)
  const body = entry.envelope === null
    ? html`<p class="muted" id="envelope">None: the body was not JSON (or was larger than the body limit).</p>`
    : html`<pre id="envelope"><code>${prettyJson(entry.envelope)}</code></pre>`
  return html`<section aria-labelledby="received-heading">
<h2 id="received-heading">Envelope as received</h2>
<p class="muted">The body of the call (card numbers masked), as the gateway parsed it.</p>
${body}
${curl !== undefined && html`<h3>Send it again</h3>
<p><button type="button" id="copy-curl" hidden>Copy as curl</button> <span id="copy-status" role="status"></span></p>
<pre><code id="curl">${curl}</code></pre>
${COPY_SCRIPT}`}
</section>`
}

/** JSON text indented for reading; a clipped or broken text as it is. */
function prettyJson (text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

function answer (entry: RequestLogEntry): SafeHtml {
  return html`<section aria-labelledby="answer-heading">
<h2 id="answer-heading">Answer sent</h2>
<dl>
<dt>rsp_code</dt><dd><code>${entry.answer.rsp_code}</code></dd>
<dt>rsp_msg</dt><dd>${entry.answer.rsp_msg}</dd>
<dt>md5</dt><dd>${entry.answer.md5 !== null ? html`<code>${entry.answer.md5}</code>` : entry.crypto.md5_withheld !== undefined && entry.answer.rsp_code === 'SUCCESS' ? 'withheld (the request carries a card number)' : '—'}</dd>
</dl>
<h3>Answer data, decrypted</h3>
${entry.answer.data === null ? html`<p class="muted">None: a rejection carries no data.</p>` : jsonBlock(entry.answer.data, 'answer data')}
</section>`
}

function context (data: RequestPageData): SafeHtml {
  const { entry } = data
  const order = entry.order_id !== null && entry.merchant_id !== null &&
    html`<dt>Order</dt><dd>${data.orderExists ? html`<a id="order-link" href="${orderPagePath(entry.merchant_id, entry.order_id)}">${entry.order_id}</a>` : entry.order_id}</dd>`
  return html`<dl>
<dt>Request id</dt><dd><code id="request-id">${entry.id}</code> <span class="muted">(the <code>x-sandbox-request-id</code> header of the answer)</span></dd>
<dt>Time</dt><dd>${timeTag(entry.at)}</dd>
<dt>Path</dt><dd><code>${entry.path}</code></dd>
<dt>Merchant</dt><dd>${entry.merchant_id ?? '—'}</dd>
<dt>Action</dt><dd>${entry.action ?? '—'} ${entry.version ?? ''}</dd>
${order}
</dl>`
}

/** One gateway call told step by step, for someone who never read the sandbox's code (GET /sandbox/requests/:id). */
export function renderRequestPage (data: RequestPageData): SafeHtml {
  const { entry } = data
  return adminPage({ title: `Request ${entry.id}`, section: 'requests', canLogOut: data.canLogOut, clockOffsetMs: data.clockOffsetMs }, html`<p><a href="/sandbox/requests">← All requests</a></p>
<h1>Request <code>${entry.id}</code></h1>
${context(data)}
${verdict(entry)}
${hints(entry)}
${received(data)}
${steps(entry)}
${md5(entry)}
${decrypted(entry)}
${answer(entry)}`)
}
