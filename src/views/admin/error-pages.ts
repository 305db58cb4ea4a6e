import { html, type SafeHtml } from '../html.js'
import { adminPage, type AdminSection } from './layout.js'

const ELSEWHERE = html`<p><a href="/sandbox">All orders</a> · <a href="/sandbox/requests">All requests</a></p>`

/** The admin UI's 404: says what was not found and where to look instead. */
export function notFoundPage (message: string, canLogOut: boolean, section: AdminSection): SafeHtml {
  return adminPage({ title: 'Not found', section, canLogOut }, html`<h1>Not found</h1>
<p role="alert" class="error">${message}</p>
${ELSEWHERE}`)
}

/** An admin page's error that no route rendered itself (bad query or form values): what was wrong, in words. */
export function adminErrorPage (message: string): SafeHtml {
  return adminPage({ title: 'Request not understood', section: 'none', canLogOut: false }, html`<h1>Request not understood</h1>
<p role="alert" class="error">${message}</p>
${ELSEWHERE}`)
}
