import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import type { Page } from 'playwright-core'
import { activePayData, envelope, MERCHANT } from '../helpers/build.js'
import { launchBrowser } from '../helpers/browser.js'
import { startReceiver } from '../helpers/receiver.js'
import { ARTIFACTS, gateway, newPage, post, serve, WIDTHS } from '../helpers/browser-pages.js'
import type { Tap } from '../helpers/tap.js'

// Issue 16: the admin UI's search, paging, live order page and control pages, driven in Debian's Chromium as a
// person would (admin-pages-browser.test.ts checks every page's width).

/** How much wider than the viewport the page is (0: it fits, no sideways scrolling). */
const overflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')

/** The page at both widths: it fits, and a full-page screenshot goes to test-artifacts/<name>-<width>.png. */
async function checkWidths (t: Tap & { equal: (a: unknown, b: unknown, m: string) => void }, page: Page, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 })
    await page.waitForTimeout(50)
    t.equal(await overflow(page), 0, `${name} fits ${width} px without sideways scrolling`)
    await page.screenshot({ path: new URL(`${name}-${width}.png`, ARTIFACTS).pathname, fullPage: true })
  }
  await page.setViewportSize({ width: 1280, height: 900 })
}

t.test('search finds an order by order id, bizpay id or request id; paging reaches the oldest; filters apply on change', { timeout: 180_000 }, async (t) => {
  const { url } = await serve(t)
  for (let i = 0; i < 205; i++) await gateway(url, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `PG${String(i).padStart(3, '0')}` })))
  const browser = await launchBrowser(t)
  const page = await newPage(browser)
  await page.goto(`${url}/sandbox`)
  t.match(await page.locator('main').innerText(), /Showing 200 of 205 orders/)
  t.equal(await page.getByRole('link', { name: 'PG000', exact: true }).count(), 0, 'the oldest is not on the first page')
  await page.getByRole('link', { name: 'Older orders →' }).click()
  await page.getByRole('link', { name: 'PG000', exact: true }).waitFor()
  t.pass('the Older link reaches the oldest orders')
  await checkWidths(t, page, 'orders-older')
  await page.getByRole('link', { name: '← Newest orders' }).click()
  await page.getByRole('link', { name: 'PG204', exact: true }).waitFor()

  const search = async (text: string) => {
    await page.goto(`${url}/sandbox`)
    await page.getByLabel('Order id, bizpay_order_id or request id').fill(text)
    await page.getByRole('button', { name: 'Find' }).click()
    await page.waitForLoadState()
  }
  await search('PG000')
  await page.waitForURL(/\/sandbox\/orders\/QC00000001\/PG000$/)
  t.pass('by order id: straight to the order')
  const bizpay = (await page.locator('#order-facts dt:text-is("bizpay_order_id") + dd').innerText()).trim()
  await search(bizpay)
  await page.waitForURL(/\/sandbox\/orders\/QC00000001\/PG000$/)
  t.pass('by bizpay_order_id')
  await search('req_7')
  await page.waitForURL(/\/sandbox\/orders\/QC00000001\/PG006$/)
  t.pass('by request id: the order the request was about')
  await search('NO-SUCH-ORDER')
  t.match(await page.locator('#search-none').innerText(), /No order has/)
  await checkWidths(t, page, 'orders-search-none')

  await page.goto(`${url}/sandbox`)
  await page.getByLabel('Status').selectOption('success')
  await page.waitForURL(/status=success/)
  t.match(await page.locator('main').innerText(), /No orders match these filters/, 'the filter applied without pressing Filter')

  await page.goto(`${url}/sandbox/requests`)
  await page.getByLabel('Order id').fill('PG010')
  await page.getByRole('button', { name: 'Filter' }).click()
  await page.waitForURL(/order_id=PG010/)
  t.equal(await page.locator('section#requests tbody tr').count(), 1, 'the requests list filters by order id')
  t.match(await page.locator('section#requests tbody tr').innerText(), /PG010[\s\S]*SUCCESS/)
})

t.test('the order page refreshes itself while something is pending: status, callback attempts and the notice', { timeout: 180_000 }, async (t) => {
  const receiver = await startReceiver(t, 500)
  const { url } = await serve(t)
  await gateway(url, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'LIVE-ORDER-1', call_back_url: receiver.url })))
  const browser = await launchBrowser(t)
  const page = await newPage(browser)
  await page.goto(`${url}/sandbox/orders/${MERCHANT.merchant_id}/LIVE-ORDER-1`)
  t.ok(await page.locator('#live-refresh').isChecked(), 'an open order refreshes itself')
  const order = await page.locator('#order-live').innerHTML()
  t.ok(order.indexOf('id="callbacks-heading"') < (await page.content()).indexOf('aria-label="request data"'), 'the callbacks come before the raw JSON')

  // Paid elsewhere (the control API): the page shows it without a reload.
  await post(`${url}/sandbox/api/orders/LIVE-ORDER-1/pay`, {})
  await page.locator('#order-status[data-status="success"]').waitFor({ timeout: 10_000 })
  await page.locator('article.callback td:text-is("500")').waitFor({ timeout: 10_000 })
  t.pass('the new status and the failed first attempt appear by themselves')
  t.match(await page.locator('article.callback .badge').innerText(), 'pending')

  // The merchant recovers; the retry falls due when the clock moves.
  receiver.respond = 200
  await post(`${url}/sandbox/api/clock/advance`, { ms: 60_000 })
  await page.locator('article.callback .badge[data-status="delivered"]').waitFor({ timeout: 10_000 })
  await page.locator('article.callback td:text-is("200")').waitFor({ timeout: 10_000 })
  t.pass('the delivered retry appears without a reload')
  await page.locator('#order-live[data-settled]').waitFor({ timeout: 10_000 })
  t.notOk(await page.locator('#live-refresh-control').isVisible(), 'with nothing pending, the page stops refreshing')
  await checkWidths(t, page, 'order-live')

  // The notice after "Pay now" says the callback is on its way only while it is.
  await gateway(url, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'LIVE-ORDER-2', call_back_url: receiver.url })))
  receiver.respond = 500
  await page.goto(`${url}/sandbox/orders/${MERCHANT.merchant_id}/LIVE-ORDER-2`)
  await page.getByRole('button', { name: 'Pay now' }).click()
  await page.waitForURL(/done=paid/)
  t.match(await page.locator('p.notice').innerText(), /on its way/)
  receiver.respond = 200
  await post(`${url}/sandbox/api/clock/advance`, { ms: 60_000 })
  await page.locator('p.notice:has-text("no longer pending")').waitFor({ timeout: 10_000 })
  t.pass('once delivered, the notice says so')
})

t.test('the control pages: arm and disarm a fault, advance the clock, create, reset and delete a merchant, create a test order', { timeout: 180_000 }, async (t) => {
  const { url, store } = await serve(t)
  const browser = await launchBrowser(t)
  const page = await newPage(browser)
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])

  // Faults
  await page.goto(`${url}/sandbox/faults`)
  t.ok(await page.locator('#no-faults').isVisible())
  await page.getByLabel('Effect').selectOption('status')
  await page.getByLabel('HTTP status (status)').fill('502')
  await page.getByLabel('Merchant').selectOption(MERCHANT.merchant_id)
  await page.getByLabel('Times').fill('2')
  await page.getByRole('button', { name: 'Arm' }).click()
  await page.waitForURL(/done=armed/)
  t.match(await page.locator('#faults').innerText(), /answer HTTP 502/)
  const res = await fetch(`${url}/processV2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'FAULTED' }))) })
  t.equal(res.status, 502, 'the armed fault fires on the gateway')
  await page.reload()
  t.match(await page.locator('#faults').innerText(), /1 \/ 2/, 'the page counts the firing')
  await checkWidths(t, page, 'faults-armed')
  await page.getByRole('button', { name: /^Disarm flt_/ }).click()
  await page.waitForURL(/done=disarmed/)
  t.ok(await page.locator('#no-faults').isVisible(), 'disarmed')
  await page.getByLabel('Effect').selectOption('delay')
  await page.getByLabel('HTTP status (status)').fill('')
  await page.getByLabel('Milliseconds (delay, out_of_order)').fill('999999')
  await page.getByRole('button', { name: 'Arm' }).click()
  await page.waitForURL(/error=/)
  t.match(await page.locator('p.error').innerText(), /120000/, 'the API\'s own message for a gateway delay too long')

  // Clock
  await page.goto(`${url}/sandbox/clock`)
  t.equal(await page.locator('#clock-banner').count(), 0, 'no banner while the clock is real')
  await page.getByLabel('By').fill('2')
  await page.getByLabel('Unit').selectOption('h')
  await page.getByRole('button', { name: 'Advance' }).click()
  await page.waitForURL(/done=advanced/)
  t.match(await page.locator('#clock-offset').innerText(), /^2 h$/)
  await page.goto(`${url}/sandbox/requests`)
  t.match(await page.locator('#clock-banner').innerText(), /2 h/, 'every page says the clock runs ahead')

  // Merchants
  await page.goto(`${url}/sandbox/merchants`)
  await page.getByLabel('Name (optional)').fill('Browser shop')
  await page.getByRole('button', { name: 'Create merchant' }).click()
  const created = (await page.locator('#created-merchant-id').innerText()).trim()
  const key = (await page.locator('#created-sign-key').innerText()).trim()
  t.match(created, /^RT\d{8}$/)
  t.match(key, /^[A-Za-z0-9]{16}$/, 'the key is shown once')
  await checkWidths(t, page, 'merchants-created')
  await page.goto(`${url}/sandbox/merchants`)
  t.notOk((await page.content()).includes(key), 'and never again')
  await page.getByRole('button', { name: `Delete ${created}` }).click()
  await page.waitForURL(/done=deleted/)
  t.notOk((await page.locator('main').innerText()).includes(created), 'deleted')

  // New test order, through the gateway, sealed with the merchant's key
  await page.goto(`${url}/sandbox/new-order`)
  await page.getByLabel('order_id').fill('FROM-THE-FORM')
  await page.getByLabel('Amount in cents').fill('4321')
  await page.getByRole('button', { name: 'Create order' }).click()
  await page.waitForURL(/\/sandbox\/orders\/QC00000001\/FROM-THE-FORM$/)
  t.equal(await page.locator('#order-status').getAttribute('data-status'), 'init')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'FROM-THE-FORM')?.amount, '4321')
  const requestLink = page.locator('section[aria-labelledby="requests-heading"] a').first()
  await requestLink.click()
  await page.waitForURL(/\/sandbox\/requests\/req_\d+$/)
  t.match(await page.locator('#request-verdict').innerText(), 'accepted', 'the form\'s call is in the request log like any other')
  t.match(await page.locator('#envelope').innerText(), /"action": "ACTIVEPAY"/, 'the envelope as received')
  await page.getByRole('button', { name: 'Copy as curl' }).click()
  await page.locator('#copy-status:has-text("Copied")').waitFor()
  const curl = await page.evaluate<string>('navigator.clipboard.readText()')
  t.match(curl, /^curl -sS -X POST 'http:\/\/127\.0\.0\.1:\d+\/processV2'/)
  const again = JSON.parse((await promisify(execFile)('sh', ['-c', curl])).stdout) as { rsp_code: string }
  t.equal(again.rsp_code, 'ORDER_USED', 'the copied command replays the call (the order id is taken now)')
  t.equal((await page.locator('#request-id').innerText()).trim(), page.url().split('/').pop())

  await page.goto(`${url}/sandbox/new-order`)
  await page.getByLabel('order_id').fill('FROM-THE-FORM')
  await page.getByRole('button', { name: 'Create order' }).click()
  t.match(await page.locator('p.error').innerText(), /ORDER_USED/, 'a refused order says why')
  await page.locator('#refused-request').click()
  await page.waitForURL(/\/sandbox\/requests\/req_\d+$/)
  t.equal(await page.locator('#request-verdict').getAttribute('data-verdict'), 'rejected')

  // Reset one merchant
  await page.goto(`${url}/sandbox/merchants`)
  await page.getByRole('button', { name: `Reset ${MERCHANT.merchant_id}` }).click()
  await page.waitForURL(/done=reset/)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'FROM-THE-FORM'), undefined, 'the merchant\'s orders are gone')
})
