import type { ReturnTarget } from '../../domain/orders/return-to-merchant.js'
import { html, join, raw, type SafeHtml } from '../html.js'

// Constant scripts (`raw`: escaping would break their quotes) that follow the way back after a moment.
const FOLLOW_LINK = raw('\n<script>setTimeout(function () { location.href = document.getElementById("return").href }, 1500)</script>')
const SUBMIT_FORM = raw('\n<script>setTimeout(function () { document.getElementById("return").submit() }, 1500)</script>')

/**
 * The way back to the merchant after a hosted page: a link (GET) or a form POSTing the result, and, when `auto`,
 * a script that follows it after a moment as the real pages do. Nothing when there is nowhere to return to.
 */
export function returnToMerchant (target: ReturnTarget | undefined, auto: boolean): SafeHtml | false {
  if (target === undefined) return false
  if (target.method === 'GET') {
    return html`<p><a id="return" href="${target.url}">Return to the merchant</a></p>${auto && FOLLOW_LINK}`
  }
  const inputs = Object.entries(target.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)
  return html`<form id="return" method="post" action="${target.url}">
${join(inputs, html`\n`)}
<button type="submit">Return to the merchant</button>
</form>${auto && SUBMIT_FORM}`
}
