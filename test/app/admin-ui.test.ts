import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { LightMyRequestResponse } from 'fastify'
import { canonicalString, deriveKey, encrypt, md5Upper } from '../../src/crypto/index.js'
import { maskKey } from '../../src/domain/merchant-keys.js'
import { escapeHtml } from '../../src/views/html.js'
import { activePayData, build, callGateway, cardData, envelope, MERCHANT } from '../helpers/build.js'
import { walletOrder } from '../helpers/gateway-calls.js'
import { openapiOf } from '../helpers/openapi.js'
import { startReceiver } from '../helpers/receiver.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const orderPath = (orderId = 'ORDER0001') => `/sandbox/orders/${MERCHANT.merchant_id}/${orderId}`

/** Every admin page a test fetched, for the offline check at the end. */
const pages: Array<{ url: string, body: string }> = []

async function get (app: FastifyInstance, url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const res = await app.inject({ method: 'GET', url, headers })
  if (res.headers['content-type']?.toString().startsWith('text/html') === true) pages.push({ url, body: res.body })
  return res
}

/** A browser submitting a form: url-encoded fields (an empty body for a bare button). */
function submit (app: FastifyInstance, url: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { ...FORM, ...headers } })
}

/** The text a person sees: no scripts, no hidden elements, no tags. */
function visibleText (html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<(\w+)[^>]*\shidden[\s>][\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
}

const buttonTag = (html: string, label: string) => html.match(new RegExp(`<button[^>]*>${label}</button>`))?.[0] ?? ''

t.test('the orders list links each order, and the order page shows its QR code, facts and buttons', async (t) => {
  const { app } = await build(t)
  const empty = await get(app, '/sandbox')
  t.equal(empty.statusCode, 200)
  t.match(empty.headers['content-type'], /^text\/html; charset=utf-8/)
  t.match(empty.body, /No orders yet/)

  await walletOrder(app)
  const list = await get(app, '/sandbox')
  t.match(list.body, `<a href="${orderPath()}">ORDER0001</a>`, 'links the order page')
  t.match(list.body, '1.00 CAD')
  t.match(list.body, 'data-status="init">init</span>', 'status as a text badge')
  t.match(list.body, /<section id="orders" aria-live="polite"/)
  t.match(list.body, /id="live-refresh" checked> Live refresh/)
  t.match(list.body, /<nav aria-label="Sandbox">/)
  t.notMatch(list.body, 'Log out', 'no log out without ADMIN_TOKEN')

  const filtered = await get(app, '/sandbox?merchant_id=&status=success&action=')
  t.equal(filtered.statusCode, 200, 'an "any" filter sends empty values, which are accepted')
  t.notMatch(filtered.body, 'ORDER0001')
  t.match(filtered.body, /No orders match these filters/)
  t.match((await get(app, '/sandbox?merchant_id=&status=&action=ACTIVEPAY')).body, 'ORDER0001')
  t.notMatch((await get(app, '/sandbox?action=CC_PURCHASE')).body, 'ORDER0001')

  const page = await get(app, orderPath())
  t.equal(page.statusCode, 200)
  const codeUrl = (await app.inject({ url: `/sandbox/api/orders/ORDER0001?merchant_id=${MERCHANT.merchant_id}` })).json<{ code_url: string }>().code_url
  t.match(page.body, /<svg role="img" aria-label="QR code for weixin:\/\/wxpay\/bizpayurl\?pr=[^"]+"/, 'an inline, labelled SVG QR code')
  t.match(page.body, `<code id="code-url">${escapeHtml(codeUrl)}</code>`)
  t.match(page.body, '<span class="badge" id="order-status" data-status="init">init</span>')
  t.match(page.body, '/sandbox/pay/scan/', 'links the payer page')
  t.notMatch(buttonTag(page.body, 'Pay now'), 'disabled', 'Pay now applies to an init order')
  t.match(buttonTag(page.body, 'Refund'), 'disabled', 'Refund does not')
  t.match(page.body, /<a href="\/sandbox\/requests\/req_1">req_1<\/a>/, 'lists the request that created it')
  t.match(page.body, '&quot;call_back_url&quot;: &quot;https://merchant.example/callback&quot;', 'request data as escaped JSON')
})

t.test('Pay now pays through the payments service, then the page shows the callback; paying twice is an error', async (t) => {
  const { app, store } = await build(t)
  const receiver = await startReceiver(t)
  await walletOrder(app, { call_back_url: receiver.url })

  const paid = await submit(app, `${orderPath()}/pay`)
  t.equal(paid.statusCode, 303)
  t.equal(paid.headers.location, `${orderPath()}?done=paid`)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'ORDER0001')?.status, 'success')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1, 'the callback was sent')

  const page = await get(app, paid.headers.location!)
  t.match(page.body, /<p class="notice" role="status">Paid/)
  t.match(page.body, 'id="order-status" data-status="success"')
  const [delivery] = store.callbacks.forOrder(MERCHANT.merchant_id, 'ORDER0001')
  t.ok(delivery)
  t.match(page.body, `Callback <code>${delivery!.id}</code> <span class="badge" data-status="delivered">delivered</span>`)
  t.match(page.body, /<td class="num">1<\/td><td><time[^>]*>[^<]+<\/time><\/td><td>200<\/td>/, 'the attempt with its HTTP status')
  t.match(page.body, '<code>SUCCESS</code>', 'the first bytes of the reply')
  t.match(page.body, `action="/sandbox/callbacks/${delivery!.id}/redeliver"><button type="submit">Redeliver</button>`)
  t.match(buttonTag(page.body, 'Pay now'), 'disabled')
  t.notMatch(buttonTag(page.body, 'Refund'), 'disabled')
  t.match((await get(app, '/sandbox')).body, '1 delivered', 'the list sums up the callbacks')

  const again = await submit(app, `${orderPath()}/pay`)
  t.equal(again.statusCode, 303)
  t.match(again.headers.location, `${orderPath()}?error=`)
  const errorPage = await get(app, again.headers.location!)
  t.match(errorPage.body, /<p class="error" role="alert">order ORDER0001 is already paid \(success\)<\/p>/)
  t.equal(receiver.received.length, 1, 'no second callback')

  const redelivered = await submit(app, `/sandbox/callbacks/${delivery!.id}/redeliver`)
  t.equal(redelivered.statusCode, 303)
  t.equal(redelivered.headers.location, `${orderPath()}?done=redelivered#callback-${delivery!.id}`)
  t.equal(receiver.received.length, 2, 'sent once more')
  t.equal(store.callbacks.get(delivery!.id)?.attempts.length, 2)
  const after = await get(app, `${orderPath()}?done=redelivered`)
  t.match(after.body, /role="status">Redelivered/)
  t.match(after.body, /<td class="num">2<\/td>/, 'the new attempt is listed')
})

t.test('Decline and Expire close fresh orders', async (t) => {
  const { app, store } = await build(t)
  const receiver = await startReceiver(t)
  await walletOrder(app, { order_id: 'DECLINE1', call_back_url: receiver.url })
  await walletOrder(app, { order_id: 'EXPIRE1', call_back_url: receiver.url })

  const declined = await submit(app, `${orderPath('DECLINE1')}/fail`)
  t.equal(declined.headers.location, `${orderPath('DECLINE1')}?done=declined`)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'DECLINE1')?.status, 'fail')
  t.same(store.callbacks.forOrder(MERCHANT.merchant_id, 'DECLINE1').map((d) => d.kind), ['declined'])
  await app.sandbox.idle()

  const expired = await submit(app, `${orderPath('EXPIRE1')}/expire`)
  t.equal(expired.headers.location, `${orderPath('EXPIRE1')}?done=expired`)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'EXPIRE1')?.status, 'notpay')
  t.same(store.callbacks.forOrder(MERCHANT.merchant_id, 'EXPIRE1'), [], 'no callback for expiry')

  const page = await get(app, expired.headers.location!)
  t.match(page.body, 'data-status="notpay"')
  t.match(page.body, /role="status">Expired/)
  for (const label of ['Pay now', 'Decline', 'Expire', 'Refund']) t.match(buttonTag(page.body, label), 'disabled', `${label} is disabled`)
  t.match(page.body, /<ol aria-labelledby="timeline-heading"><li>.*data-status="init".*\n<li>.*data-status="notpay">notpay<\/span> expired from the admin UI<\/li><\/ol>/, 'the timeline')
})

t.test('Refund in part, then the rest; bad amounts are explained', async (t) => {
  const { app, store } = await build(t)
  const receiver = await startReceiver(t)
  await walletOrder(app, { call_back_url: receiver.url })
  await submit(app, `${orderPath()}/pay`)
  await app.sandbox.idle()

  const partial = await submit(app, `${orderPath()}/refund`, { amount: '40' })
  t.equal(partial.headers.location, `${orderPath()}?done=refunded`)
  const order = store.orders.find(MERCHANT.merchant_id, 'ORDER0001')!
  t.equal(order.status, 'partial_refunded')
  t.equal(order.refund_amount, '40')
  t.match((await get(app, orderPath())).body, '<dt>Refunded</dt><dd>0.40 CAD</dd>')

  const bad = await submit(app, `${orderPath()}/refund`, { amount: '1.00' })
  t.match(decodeURIComponent(bad.headers.location!), 'the refund amount must be whole cents')
  const tooMuch = await submit(app, `${orderPath()}/refund`, { amount: '61' })
  t.match(decodeURIComponent(tooMuch.headers.location!), 'exceeds the 60 cents left')

  const rest = await submit(app, `${orderPath()}/refund`, { amount: '' })
  t.equal(rest.headers.location, `${orderPath()}?done=refunded`)
  const refunded = store.orders.find(MERCHANT.merchant_id, 'ORDER0001')!
  t.equal(refunded.status, 'refunded')
  t.equal(refunded.refund_amount, '100')
  const page = await get(app, orderPath())
  t.match(page.body, '<dt>Refunded</dt><dd>1.00 CAD</dd>')
  t.match(buttonTag(page.body, 'Refund'), 'disabled')
  t.equal(receiver.received.length, 1, 'refunds send no callback')
  const table = page.body.match(/<table id="refunds">[\s\S]*?<\/table>/)?.[0] ?? ''
  t.equal(table.match(/<tr><td><code>SBX\d+<\/code><\/td>/g)?.length, 2, 'the refunds table lists both refunds under their ids')
  t.match(table, '0.40 CAD')
  t.match(table, '0.60 CAD')
})

t.test('a REFUND through the gateway shows on the order page, and its request is listed with the order', async (t) => {
  const { app } = await build(t)
  await walletOrder(app, { amount: '900' })
  await submit(app, `${orderPath()}/pay`)
  const answer = await callGateway(app, envelope('REFUND', '1.0', { ori_order_id: 'ORDER0001', refund_amt: '250', order_id: 'REF-1' }))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  const query = await callGateway(app, envelope('STATUS_QUERY', '1.0', { order_id: 'REF-1' }))
  t.equal(query.body.rsp_code, 'SUCCESS')
  const page = await get(app, orderPath())
  t.match(page.body, /<table id="refunds">[\s\S]*<code>REF-1<\/code>[\s\S]*2\.50 CAD[\s\S]*refunded by REFUND 1\.0/)
  const requests = page.body.match(/<section aria-labelledby="requests-heading">[\s\S]*?<\/section>/)?.[0] ?? ''
  t.match(requests, 'REFUND', 'the REFUND call is listed with the order it refunded')
  t.match(requests, 'STATUS_QUERY', 'and so is the query of the refund\'s id')
  t.notMatch(page.body, 'id="order-details"', 'an ACTIVEPAY order has no flow details')
})

t.test('unknown orders, callbacks and requests are 404 HTML pages', async (t) => {
  const { app } = await build(t)
  for (const res of [
    await get(app, orderPath('NOPE')),
    await submit(app, `${orderPath('NOPE')}/pay`),
    await submit(app, '/sandbox/callbacks/cb_nope/redeliver'),
    await get(app, '/sandbox/requests/req_999')
  ]) {
    t.equal(res.statusCode, 404)
    t.match(res.headers['content-type'], /^text\/html/)
    t.match(res.body, /<h1>Not found<\/h1>/)
  }
})

t.test('the request inspector lists calls and tells the story of a rejected md5', async (t) => {
  const { app } = await build(t)
  await walletOrder(app)
  const data = activePayData({ order_id: 'BADMD5' })
  const expected = md5Upper(canonicalString(data))
  const wrong = md5Upper('something else')
  // Encrypted under the key of the wrong md5, so it decrypts and only the md5 check fails.
  const body = { action: 'ACTIVEPAY', version: '1.0', merchant_id: MERCHANT.merchant_id, data: encrypt(JSON.stringify(data), deriveKey(wrong, MERCHANT.sign_key)), md5: wrong }
  t.equal((await callGateway(app, body)).body.rsp_code, 'PARAM_INVALID')

  const list = await get(app, '/sandbox/requests')
  t.match(list.body, /<section id="requests" aria-live="polite"/)
  t.match(list.body, 'REQUEST_LOG_SIZE')
  t.match(list.body, /in memory/)
  t.match(list.body, /data-verdict="rejected">rejected<\/span><\/td>\n<td><code>PARAM_INVALID<\/code><\/td>\n<td>md5<\/td>/)
  t.match(list.body, 'href="/sandbox/requests/req_2"')
  t.ok(list.body.indexOf('req_2') < list.body.indexOf('req_1'), 'newest first')
  t.notMatch((await get(app, '/sandbox/requests?verdict=accepted&merchant_id=')).body, 'req_2')

  const detail = await get(app, '/sandbox/requests/req_2')
  t.equal(detail.statusCode, 200)
  t.match(detail.body, `<code id="expected-md5">${expected}</code>`)
  t.match(detail.body, `<code id="received-md5">${wrong}</code>`)
  t.match(detail.body, /id="md5-verdict"[^>]*>Mismatch/)
  t.match(detail.body, /<h2 id="hints-heading">Likely cause<\/h2>\n<ul id="hints"><li><strong>[^<]+/)
  t.match(detail.body, /<strong>✓ passed<\/strong>: data decrypts/)
  t.match(detail.body, /<strong>✗ failed<\/strong>: md5 is the digest/)
  t.match(detail.body, /<strong>— not reached<\/strong>: the fields of data/)
  t.match(detail.body, `<pre id="canonical"><code>${escapeHtml(canonicalString(data))}</code></pre>`)
  t.match(detail.body, 'values of the decrypted data, sorted by key and concatenated')
  t.match(detail.body, '<code id="rsp-code">PARAM_INVALID</code>')

  const accepted = await get(app, '/sandbox/requests/req_1')
  t.match(accepted.body, `<a id="order-link" href="${orderPath()}">ORDER0001</a>`)
  t.match(accepted.body, /id="md5-verdict"[^>]*>The md5 values match/)
})

t.test('the merchants page masks sign keys until Reveal', async (t) => {
  const { app } = await build(t)
  const res = await get(app, '/sandbox/merchants')
  t.equal(res.statusCode, 200)
  t.match(res.body, `<code id="key-masked-${MERCHANT.merchant_id}">${maskKey(MERCHANT.sign_key)}</code>`)
  t.match(res.body, `<code id="key-full-${MERCHANT.merchant_id}" hidden>${MERCHANT.sign_key}</code>`)
  t.notMatch(visibleText(res.body), MERCHANT.sign_key, 'the full key is not visible')
  t.match(visibleText(res.body), maskKey(MERCHANT.sign_key))
  t.match(res.body, /aria-pressed="false"/)
  t.match(res.body, MERCHANT.operators[0]!)
})

t.test('a card order page shows the masked card and its hosted UnionPay page', async (t) => {
  const { app } = await build(t)
  const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData()))
  t.equal(answer.body.rsp_code, 'SUCCESS')
  const page = await get(app, orderPath('CARD0001'))
  t.match(page.body, '<dt>Card</dt><dd><code>************2037</code></dd>')
  t.notMatch(page.body, '5160736813962037')
  t.match(page.body, /<a href="\/sandbox\/pay\/unionpay\/[^"]+">http:\/\/localhost[^<]*<\/a>/, 'a same-site link, the full URL as text')
  t.match(page.body, '<svg role="img"')
})

t.test('with ADMIN_TOKEN the pages need a login; the gateway and payer pages do not', async (t) => {
  const token = 'let-me-in-42'
  const { app } = await build(t, { env: { ADMIN_TOKEN: token } })

  const gated = await app.inject({ method: 'GET', url: '/sandbox?status=init' })
  t.equal(gated.statusCode, 303)
  t.equal(gated.headers.location, `/sandbox/login?next=${encodeURIComponent('/sandbox?status=init')}`)
  t.equal((await submit(app, `${orderPath()}/pay`)).statusCode, 303, 'forms are gated too')

  const form = await get(app, gated.headers.location!)
  t.equal(form.statusCode, 200)
  t.match(form.body, /<label for="admin-token">Admin token<\/label>/)
  t.match(form.body, /<input id="admin-token" name="token" type="password"/)
  t.match(form.body, '<input type="hidden" name="next" value="/sandbox?status=init">')

  const wrong = await submit(app, '/sandbox/login', { token: 'nope-nope', next: '/sandbox?status=init' })
  t.equal(wrong.statusCode, 401)
  t.match(wrong.body, /role="alert"/)
  t.notOk(wrong.headers['set-cookie'])

  const right = await submit(app, '/sandbox/login', { token, next: '/sandbox?status=init' })
  t.equal(right.statusCode, 303)
  t.equal(right.headers.location, '/sandbox?status=init')
  const cookie = String(right.headers['set-cookie']).split(';')[0]!
  t.match(right.headers['set-cookie'], /HttpOnly; SameSite=Strict/)

  const offsite = await submit(app, '/sandbox/login', { token, next: '//evil.example/' })
  t.equal(offsite.headers.location, '/sandbox', 'never sends the browser to another site')

  const inside = await get(app, '/sandbox', { cookie })
  t.equal(inside.statusCode, 200)
  t.match(inside.body, '<form method="post" action="/sandbox/logout"><button type="submit">Log out</button></form>')

  await walletOrder(app)
  const order = await app.inject({ url: `/sandbox/api/orders/ORDER0001?merchant_id=${MERCHANT.merchant_id}`, headers: { 'x-admin-token': token } })
  const payerPage = new URL(order.json<{ payer_page_url: string }>().payer_page_url).pathname
  t.equal((await app.inject({ url: payerPage })).statusCode, 200, 'the payer page needs no token')

  const out = await submit(app, '/sandbox/logout', {}, { cookie })
  t.equal(out.statusCode, 303)
  t.equal(out.headers.location, '/sandbox/login')
  t.match(out.headers['set-cookie'], /Max-Age=0/)
})

t.test('without ADMIN_TOKEN the login page sends you to the orders', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ url: '/sandbox/login' })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/sandbox')
})

t.test('the admin routes are documented in the OpenAPI document', async (t) => {
  const { app } = await build(t)
  const doc = await openapiOf(app)
  for (const [path, method] of [['/sandbox', 'get'], ['/sandbox/orders/{merchant_id}/{order_id}', 'get'], ['/sandbox/orders/{merchant_id}/{order_id}/refund', 'post'], ['/sandbox/requests/{id}', 'get'], ['/sandbox/login', 'post'], ['/sandbox/logout', 'post']] as const) {
    t.same(doc.paths[path]?.[method]?.tags, ['admin UI'], `${method} ${path}`)
  }
})

// Last: every page fetched above, checked for anything a browser would load or follow off this host.
t.test('no admin page points to another host (the sandbox works offline)', async (t) => {
  t.ok(pages.length >= 10, `${pages.length} pages checked`)
  for (const { url, body } of pages) {
    t.notMatch(body, /\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?\/\//i, `${url} has no external src/href/action`)
    t.notMatch(body, /https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/]|merchant\.example\/)/, `${url} names no other host`)
  }
})

t.test('the order forms refuse a post from another site, and accept one from the sandbox\'s own pages', async (t) => {
  const { app, store } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'CSRF0001' })))
  const url = `/sandbox/orders/${MERCHANT.merchant_id}/CSRF0001/pay`
  const foreign = await app.inject({ method: 'POST', url, headers: { origin: 'https://evil.example', host: 'localhost:8080' } })
  t.equal(foreign.statusCode, 403)
  t.match(foreign.headers['content-type'], /text\/html/)
  t.match(foreign.body, /only accepts changes from its own pages, not from https:\/\/evil\.example/)
  t.match(foreign.body, /aria-label="Sandbox"/, 'the error keeps the admin shell')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'CSRF0001')?.status, 'init', 'nothing was paid')

  const own = await app.inject({ method: 'POST', url, headers: { origin: 'http://localhost:8080', host: 'localhost:8080' } })
  t.equal(own.statusCode, 303)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'CSRF0001')?.status, 'success')
})

t.test('a bad filter value gets an admin error page naming the field, not the payer page', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ url: '/sandbox?status=bogus' })
  t.equal(res.statusCode, 400)
  t.match(res.body, /status/)
  t.match(res.body, /aria-label="Sandbox"/)
  t.notMatch(res.body, /plays the payer/)
})
