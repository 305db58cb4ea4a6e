import type { Merchant } from '../../domain/fixtures.js'
import { maskKey } from '../../domain/merchant-keys.js'
import { html, join, raw, type SafeHtml } from '../html.js'
import { adminPage, flash } from './layout.js'

/** What a form post on the merchants page did, as `?done=` names it. */
export const MERCHANTS_DONE = {
  reset: 'Reset: the merchant\'s orders, refunds, callbacks, logged requests and faults are gone; the merchant stays.',
  deleted: 'Deleted: the merchant and everything it had are gone.'
} as const

export interface MerchantsPageData {
  merchants: Merchant[]
  /** Runtime merchants' keys were returned once, to the worker that created them: never revealed here. */
  isRuntime: (merchantId: string) => boolean
  /** A merchant just created from this page: its key is shown this once. */
  created?: Merchant | undefined
  done?: keyof typeof MERCHANTS_DONE | undefined
  error?: string | undefined
  canLogOut: boolean
  clockOffsetMs?: number | undefined
}

const CURRENCIES = ['CAD', 'USD', 'CNY'] as const

function keyCell (merchant: Merchant, runtime: boolean): SafeHtml {
  const id = merchant.merchant_id
  if (runtime) return html`<code id="key-masked-${id}">${maskKey(merchant.sign_key)}</code> <span class="muted">(runtime merchant: the key was returned once, at creation)</span>`
  return html`<code id="key-masked-${id}">${maskKey(merchant.sign_key)}</code>
<code id="key-full-${id}" hidden>${merchant.sign_key}</code>
<button type="button" class="reveal" data-merchant="${id}" aria-pressed="false" aria-label="Reveal the sign key of ${id}" hidden>Reveal</button>`
}

/** Reset throws away the merchant's orders, callbacks, logged requests and faults; Delete also the (runtime) merchant. */
function manage (merchant: Merchant, runtime: boolean): SafeHtml {
  const base = `/sandbox/merchants/${encodeURIComponent(merchant.merchant_id)}`
  return html`<form class="inline" method="post" action="${`${base}/reset`}"><button type="submit" aria-label="Reset ${merchant.merchant_id}">Reset</button></form>${runtime && html`<form class="inline" method="post" action="${`${base}/delete`}"><button type="submit" aria-label="Delete ${merchant.merchant_id}">Delete</button></form>`}`
}

function createdCard (merchant: Merchant): SafeHtml {
  return html`<section class="secret" id="created-merchant" role="status" aria-labelledby="created-heading">
<h2 id="created-heading">Merchant <code>${merchant.merchant_id}</code> created</h2>
<p><strong>Copy its sign key now: it is shown only this once.</strong></p>
<dl>
<dt>merchant_id</dt><dd><code id="created-merchant-id">${merchant.merchant_id}</code></dd>
<dt>sign key</dt><dd><code id="created-sign-key">${merchant.sign_key}</code></dd>
<dt>operator_id</dt><dd><code>${merchant.operators.join(', ')}</code></dd>
<dt>merCode</dt><dd><code>${merchant.mer_code ?? '—'}</code></dd>
</dl>
</section>`
}

const CREATE_FORM = html`<form class="card stacked" method="post" action="/sandbox/merchants" aria-labelledby="create-heading">
<h2 id="create-heading">Create a merchant</h2>
<p class="muted">The sandbox picks its merchant_id, sign key and merCode. Its key is shown once, after creating it.</p>
<label for="merchant-name">Name (optional)</label>
<input id="merchant-name" name="name" maxlength="100" size="30">
<label for="merchant-currency">Currency</label>
<select id="merchant-currency" name="currency">${CURRENCIES.map((c) => html`<option value="${c}">${c}</option>`)}</select>
<p><button type="submit" class="primary">Create merchant</button></p>
</form>`

function row (merchant: Merchant, runtime: boolean): SafeHtml {
  return html`<tr>
<td><code>${merchant.merchant_id}</code></td>
<td>${merchant.name}</td>
<td>${merchant.currency}</td>
<td>${join(merchant.operators.map((o) => html`<code>${o}</code>`), html`, `)}</td>
<td>${merchant.autopay_after ?? '—'}</td>
<td>${merchant.mer_code === undefined ? '—' : html`<code>${merchant.mer_code}</code>`}</td>
<td>${keyCell(merchant, runtime)}</td>
<td>${manage(merchant, runtime)}</td>
</tr>`
}

// The Reveal buttons stay hidden without JavaScript, where they could not work; the keys then stay masked.
// A constant script: `raw`, since escaping would break its quotes.
const REVEAL_SCRIPT = raw(`<script>
(function () {
  document.querySelectorAll('button.reveal').forEach(function (button) {
    var id = button.getAttribute('data-merchant')
    var masked = document.getElementById('key-masked-' + id)
    var full = document.getElementById('key-full-' + id)
    if (!masked || !full) return
    button.hidden = false
    button.addEventListener('click', function () {
      var show = button.getAttribute('aria-pressed') !== 'true'
      button.setAttribute('aria-pressed', String(show))
      masked.hidden = show
      full.hidden = !show
    })
  })
})()
</script>`)

/** The merchants the gateway knows (GET /sandbox/merchants). */
export function renderMerchantsPage (data: MerchantsPageData): SafeHtml {
  return adminPage({ title: 'Merchants', section: 'merchants', canLogOut: data.canLogOut, clockOffsetMs: data.clockOffsetMs }, html`<h1>Merchants</h1>
${flash(data.done === undefined ? undefined : MERCHANTS_DONE[data.done], data.error)}
${data.created !== undefined && createdCard(data.created)}
<p>Seal your requests to <code>POST /processV2</code> with a merchant's <code>merchant_id</code> and sign key:
<code>md5</code> is the uppercase MD5 of the data values sorted by key and concatenated, and <code>data</code> is
encrypted with an AES key derived from that md5 and the sign key. <code>operator_id</code> must be one of the
merchant's operators. Press Reveal to see a sign key; the control API gives them at
<code>GET /sandbox/api/merchants?reveal=true</code>. These merchants come from the fixtures (<code>FIXTURES_DIR</code>), and from
<code>POST /sandbox/api/merchants</code> at run time; a runtime merchant's key is only in the answer that created it.</p>
<table>
<caption class="muted">${data.merchants.length} merchant${data.merchants.length === 1 ? '' : 's'}</caption>
<thead><tr><th scope="col">merchant_id</th><th scope="col">Name</th><th scope="col">Currency</th><th scope="col">Operators</th><th scope="col">Autopay after</th><th scope="col">merCode (links)</th><th scope="col">Sign key</th><th scope="col">Manage</th></tr></thead>
<tbody>
${join(data.merchants.map((m) => row(m, data.isRuntime(m.merchant_id))), html`\n`)}
</tbody>
</table>
<p class="muted">Reset throws away a merchant's orders, refunds, callbacks, logged requests and faults and keeps the
merchant; Delete (runtime merchants only) removes the merchant too.</p>
${CREATE_FORM}
${REVEAL_SCRIPT}`)
}
