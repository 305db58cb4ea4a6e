import type { Order } from '../../domain/orders/order.js'
import type { ReturnTarget } from '../../domain/orders/return-to-merchant.js'
import { formatAmount } from '../amount.js'
import { html, raw, type SafeHtml } from '../html.js'
import { cardSummary } from './card-page.js'
import { page } from './layout.js'
import { returnToMerchant } from './return-to-merchant.js'

/** The 3-D Secure code the sandbox's challenge step accepts; the page says it, any other code declines. */
export const CHALLENGE_CODE = '123456'

// Constant CSS for the card fields (`raw`: CSS is not HTML text). Fields fill the width, so the page fits 390px.
const FIELDS_STYLE = raw(`<style>
.fields{display:grid;gap:.75rem;margin:1rem 0}
.fields label{display:grid;gap:.25rem;color:#374151;font-size:.9rem}
.fields input{font:inherit;width:100%;box-sizing:border-box;padding:.55rem .65rem;border:1px solid #d1d5db;border-radius:.5rem}
.fields .pair{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}
.fields .check{display:flex;gap:.5rem;align-items:center}
.fields .check input{width:auto}
.note{color:#6b7280;font-size:.85rem}
.brand{color:#0b4f8a;letter-spacing:.02em}
</style>`)

// Constant script: the card fields have no `name`, so a browser never sends them; only the last four digits go,
// through the hidden `card_last4` field, so the sandbox never receives (or keeps) a card number.
const LAST4_SCRIPT = raw(`<script>
document.getElementById("card-form").addEventListener("submit", function () {
  var digits = document.getElementById("card-number").value.replace(/\\D/g, "");
  document.getElementById("card-last4").value = digits.length >= 4 ? digits.slice(-4) : "";
});
</script>`)

/** What the Converge pages show: the order, where the form posts, and after a choice what happened or why not. */
export interface ConvergeView {
  order: Order
  merchantName: string
  /** Where the forms post (the page's own URL). */
  formAction: string
}

// The card row only once the payer has entered a card here.
const summary = (order: Order, merchantName: string): SafeHtml =>
  cardSummary(order, merchantName, order.card_masked !== null && html`<dt>Card</dt><dd>${order.card_masked}</dd>`)

const heading = (text: string) => html`<h1><span class="brand">Elavon Converge</span> — ${text}</h1>`

/**
 * The hosted Converge card page that `codeUrl` points at: amount, merchant, card fields that are never sent, an
 * optional 3-D Secure step, and Pay / Decline / Cancel.
 */
export function renderConvergePage (view: ConvergeView, problem?: string): SafeHtml {
  const { order, merchantName, formAction } = view
  const open = order.status === 'init'
  const form = open
    ? html`<form id="card-form" method="post" action="${formAction}" autocomplete="off">
<div class="fields">
<label>Card number <input id="card-number" inputmode="numeric" autocomplete="off" maxlength="23" placeholder="4111 1111 1111 1111"></label>
<div class="pair">
<label>Expiry <input id="card-expiry" inputmode="numeric" autocomplete="off" maxlength="5" placeholder="MM/YY"></label>
<label>CVV <input id="card-cvv" type="password" inputmode="numeric" autocomplete="off" maxlength="4"></label>
</div>
<input type="hidden" id="card-last4" name="card_last4" value="">
<label class="check"><input type="checkbox" name="challenge" value="1"> Ask for a 3-D Secure code</label>
</div>
<button class="pay" type="submit" name="choice" value="pay">Pay</button>
<button type="submit" name="choice" value="decline">Decline</button>
<button type="submit" name="choice" value="cancel">Cancel</button>
</form>
<p class="note">Sandbox: the card fields never leave this page; only the last four digits are sent. Any card is accepted.</p>
${LAST4_SCRIPT}`
    : html`<p>This order is no longer awaiting payment.</p>`
  return page(`Elavon Converge — ${order.order_id}`, html`${FIELDS_STYLE}${heading('card payment')}
${problem !== undefined && html`<p role="alert">${problem}</p>`}
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
${summary(order, merchantName)}
${form}`)
}

/** The 3-D Secure-style step: the payer's bank asks for a code; the right one pays, a wrong one declines. */
export function renderConvergeChallenge (view: ConvergeView, last4: string | undefined): SafeHtml {
  const { order, merchantName, formAction } = view
  return page(`3-D Secure — ${order.order_id}`, html`${FIELDS_STYLE}${heading('3-D Secure check')}
<p>The card issuer asks the payer to confirm this payment with a one-time code.</p>
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
${summary(order, merchantName)}
<p class="note">Sandbox: the code is <strong>${CHALLENGE_CODE}</strong>; any other code declines the payment.</p>
<form method="post" action="${formAction}" autocomplete="off">
<div class="fields">
<input type="hidden" name="card_last4" value="${last4 ?? ''}">
<label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="12" required></label>
</div>
<button class="pay" type="submit" name="choice" value="pay">Confirm</button>
<button type="submit" name="choice" value="cancel" formnovalidate>Cancel</button>
</form>`)
}

/** What the payer sees after the choice (or why nothing changed); with somewhere to return to, it returns on its own. */
export function renderConvergeResult (view: ConvergeView, outcome: string, problem?: string, back?: ReturnTarget): SafeHtml {
  const { order, merchantName } = view
  const title = problem === undefined ? outcome : 'Nothing was changed'
  return page(`${title} — ${order.order_id}`, html`${FIELDS_STYLE}${heading(title)}
${problem !== undefined && html`<p role="alert">${problem}</p>`}
<p class="amount">${formatAmount(order.amount, order.currency)}</p>
${summary(order, merchantName)}
${returnToMerchant(back, problem === undefined)}`)
}
