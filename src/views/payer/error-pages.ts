import { html, type SafeHtml } from '../html.js'
import { page } from './layout.js'

/** A payer page's error: what went wrong, in words, never a stack trace. */
export function renderPageError (message: string): SafeHtml {
  return page('Request not understood', html`<h1>Request not understood</h1>
<p role="alert">${message}</p>`)
}

/** A payer page whose token the sandbox does not know. */
export function renderNotFound (): SafeHtml {
  return page('Payment page not found', html`<h1>Payment page not found</h1><p>This payment link is unknown to the sandbox (or its data was reset).</p>`)
}
