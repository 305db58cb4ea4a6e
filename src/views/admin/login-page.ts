import { html, type SafeHtml } from '../html.js'
import { adminPage } from './layout.js'

export interface LoginPageData {
  /** Where to go after logging in (already made safe by the route). */
  next: string
  /** Why the last attempt failed. */
  error?: string
}

/** The admin token form, shown when ADMIN_TOKEN is set and the browser has no valid login cookie. */
export function renderLoginPage (data: LoginPageData): SafeHtml {
  const error = data.error !== undefined && html`<p class="error" role="alert" id="login-error">${data.error}</p>`
  return adminPage({ title: 'Log in', section: 'login', canLogOut: false }, html`<h1>Log in</h1>
<p>This sandbox has an <code>ADMIN_TOKEN</code>: enter it to use the admin pages. The gateway and the payer pages
need no token.</p>
${error}
<form class="card" method="post" action="/sandbox/login">
<input type="hidden" name="next" value="${data.next}">
<p><label for="admin-token">Admin token</label><br>
<input id="admin-token" name="token" type="password" autocomplete="current-password" required autofocus></p>
<button type="submit" class="primary">Log in</button>
</form>`)
}
