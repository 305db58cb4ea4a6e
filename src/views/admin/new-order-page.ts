import { html, type SafeHtml } from '../html.js'
import { adminPage, flash, type SelectOption } from './layout.js'

export interface NewOrderForm {
  merchant_id: string
  biz_type: string
  amount: string
  order_id: string
  call_back_url: string
}

export interface NewOrderPageData {
  merchants: SelectOption[]
  /** The form's values: the defaults, or what was sent when the gateway refused it. */
  form: NewOrderForm
  error?: string | undefined
  /** The refused call in the request inspector. */
  requestPath?: string | undefined
  canLogOut: boolean
  clockOffsetMs?: number | undefined
}

export const WALLETS = ['WECHATPAY', 'ALIPAY', 'UNIONPAY'] as const

function select (id: string, name: string, list: readonly SelectOption[], selected: string): SafeHtml {
  return html`<select id="${id}" name="${name}">${list.map((o) => html`<option value="${o.value}"${o.value === selected && html` selected`}>${o.label}</option>`)}</select>`
}

/**
 * "New test order" (GET /sandbox/new-order): an ACTIVEPAY (a QR code order) created through the real gateway, sealed
 * with the merchant's key, so a person can try a flow without writing code.
 */
export function renderNewOrderPage (data: NewOrderPageData): SafeHtml {
  const { form } = data
  const refused = data.requestPath !== undefined && html`<p><a id="refused-request" href="${data.requestPath}">See the refused call in the request inspector</a></p>`
  return adminPage({ title: 'New test order', section: 'new-order', canLogOut: data.canLogOut, clockOffsetMs: data.clockOffsetMs }, html`<h1>New test order</h1>
<p>Creates an <code>ACTIVEPAY</code> order (a QR code to scan) by calling <code>POST /processV2</code> as a merchant
would: the data is sealed with the merchant's sign key, and the call shows in the request inspector like any other.
Then pay, decline or expire it from the order page, or open its payer page.</p>
${flash(undefined, data.error)}
${refused}
<form class="card stacked" method="post" action="/sandbox/new-order" aria-label="New test order">
<label for="new-merchant">Merchant</label>
${select('new-merchant', 'merchant_id', data.merchants, form.merchant_id)}
<label for="new-wallet">Wallet (biz_type)</label>
${select('new-wallet', 'biz_type', WALLETS.map((w) => ({ value: w, label: w })), form.biz_type)}
<label for="new-amount">Amount in cents</label>
<input id="new-amount" name="amount" inputmode="numeric" pattern="[0-9]*" maxlength="12" size="12" value="${form.amount}" required>
<p class="hint">Magic amounts (see <code>OUTCOMES_FILE</code>) decide what the payer does.</p>
<label for="new-order-id">order_id</label>
<input id="new-order-id" name="order_id" maxlength="64" size="30" value="${form.order_id}" required spellcheck="false">
<label for="new-callback">call_back_url</label>
<input id="new-callback" name="call_back_url" type="url" maxlength="500" size="40" value="${form.call_back_url}" required spellcheck="false">
<p class="hint">Where the payment callback is sent; its attempts show on the order page.</p>
<p><button type="submit" class="primary">Create order</button></p>
</form>`)
}
