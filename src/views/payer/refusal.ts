import { html, type SafeHtml } from '../html.js'

/**
 * Why the payer's choice changed nothing: a sentence for the payer, and the precise reason (order ids, status
 * codes, the magic amount at work) folded away for the developer demoing the page.
 */
export function refusalNotice (problem: string | undefined, detail: string | undefined): SafeHtml | false {
  if (problem === undefined) return false
  return html`<p role="alert">Nothing was changed: ${problem}</p>${detail !== undefined && html`
<details class="dev"><summary>Details for developers</summary><p>${detail}</p></details>`}`
}
