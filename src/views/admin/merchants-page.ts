import type { Merchant } from '../../domain/fixtures.js'
import { maskKey } from '../../domain/merchant-keys.js'
import { html, join, raw, type SafeHtml } from '../html.js'
import { adminPage } from './layout.js'

export interface MerchantsPageData {
  merchants: Merchant[]
  /** Runtime merchants' keys were returned once, to the worker that created them: never revealed here. */
  isRuntime: (merchantId: string) => boolean
  canLogOut: boolean
}

function keyCell (merchant: Merchant, runtime: boolean): SafeHtml {
  const id = merchant.merchant_id
  if (runtime) return html`<code id="key-masked-${id}">${maskKey(merchant.sign_key)}</code> <span class="muted">(runtime merchant: the key was returned once, at creation)</span>`
  return html`<code id="key-masked-${id}">${maskKey(merchant.sign_key)}</code>
<code id="key-full-${id}" hidden>${merchant.sign_key}</code>
<button type="button" class="reveal" data-merchant="${id}" aria-pressed="false" aria-label="Reveal the sign key of ${id}" hidden>Reveal</button>`
}

function row (merchant: Merchant, runtime: boolean): SafeHtml {
  return html`<tr>
<td><code>${merchant.merchant_id}</code></td>
<td>${merchant.name}</td>
<td>${merchant.currency}</td>
<td>${join(merchant.operators.map((o) => html`<code>${o}</code>`), html`, `)}</td>
<td>${merchant.autopay_after ?? '—'}</td>
<td>${merchant.mer_code === undefined ? '—' : html`<code>${merchant.mer_code}</code>`}</td>
<td>${keyCell(merchant, runtime)}</td>
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
  return adminPage({ title: 'Merchants', section: 'merchants', canLogOut: data.canLogOut }, html`<h1>Merchants</h1>
<p>Seal your requests to <code>POST /processV2</code> with a merchant's <code>merchant_id</code> and sign key:
<code>md5</code> is the uppercase MD5 of the data values sorted by key and concatenated, and <code>data</code> is
encrypted with an AES key derived from that md5 and the sign key. <code>operator_id</code> must be one of the
merchant's operators. Press Reveal to see a sign key; the control API gives them at
<code>GET /sandbox/api/merchants?reveal=true</code>. These merchants come from the fixtures (<code>FIXTURES_DIR</code>), and from
<code>POST /sandbox/api/merchants</code> at run time; a runtime merchant's key is only in the answer that created it.</p>
<table>
<caption class="muted">${data.merchants.length} merchant${data.merchants.length === 1 ? '' : 's'}</caption>
<thead><tr><th scope="col">merchant_id</th><th scope="col">Name</th><th scope="col">Currency</th><th scope="col">Operators</th><th scope="col">Autopay after</th><th scope="col">merCode (links)</th><th scope="col">Sign key</th></tr></thead>
<tbody>
${join(data.merchants.map((m) => row(m, data.isRuntime(m.merchant_id))), html`\n`)}
</tbody>
</table>
${REVEAL_SCRIPT}`)
}
