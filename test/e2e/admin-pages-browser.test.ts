import { mkdirSync } from 'node:fs'
import t from 'tap'
import type { Browser, Page } from 'playwright-core'
import { activePayData, build, cardData, envelope, MERCHANT } from '../helpers/build.js'
import { launchBrowser } from '../helpers/browser.js'
import { startReceiver } from '../helpers/receiver.js'

// Issue 16: every admin and payer page in Debian's Chromium at a desktop and a phone width: it fits without
// sideways scrolling, and a screenshot of each goes to test-artifacts/ (admin-flows-browser.test.ts drives the UI).

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url)
mkdirSync(ARTIFACTS, { recursive: true })
const WIDTHS = [1280, 390] as const

interface Tap {
  teardown(fn: () => unknown): void
}

async function serve (t: Tap, env: NodeJS.ProcessEnv = {}) {
  const sandbox = await build(t, { env, tickIntervalMs: 50 })
  const url = await sandbox.app.listen({ port: 0, host: '127.0.0.1' })
  return { ...sandbox, url }
}

async function post (url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return await res.json() as Record<string, unknown>
}

const gateway = (url: string, body: unknown) => post(`${url}/processV2`, body)

async function newPage (browser: Browser, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } })
  const page = await context.newPage()
  // The UI must not reach outside the sandbox.
  page.on('request', (request) => {
    const { hostname } = new URL(request.url())
    if (hostname !== '127.0.0.1' && !request.url().startsWith('data:')) throw new Error(`the page requested ${request.url()}`)
  })
  return page
}

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

t.test('every admin page and payer page fits 1280 px and 390 px', { timeout: 180_000 }, async (t) => {
  const receiver = await startReceiver(t)
  const { url } = await serve(t)
  await gateway(url, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'WIDTH-PAID-0001', amount: '123456', call_back_url: receiver.url })))
  await post(`${url}/sandbox/api/orders/WIDTH-PAID-0001/pay`, {})
  await gateway(url, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'WIDTH-OPEN-0001', call_back_url: receiver.url })))
  const card = await gateway(url, envelope('CC_PURCHASE', '2.0', cardData()))
  t.equal(card.rsp_code, 'SUCCESS')
  const checkout = await gateway(url, envelope('PREPAY_INIT', '2.0', {
    merchant_id: MERCHANT.merchant_id,
    shop_id: 'QC00000001002',
    operator_id: '0000020156',
    prepay_order_id: 'WIDTH-CHECKOUT-1',
    sale_num: 'INV-1',
    currency_type: 'CAD',
    biz_type: 'PREPAY',
    redirect_url: 'https://merchant.example/done',
    call_back_url: receiver.url,
    duration: '600',
    amount: '1250'
  }))
  t.equal(checkout.rsp_code, 'SUCCESS')
  // A rejected call, so the inspector has a failure to show.
  await gateway(url, { ...envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'WIDTH-BAD' })), md5: '0'.repeat(32) })
  await post(`${url}/sandbox/api/faults`, { match: { merchant_id: MERCHANT.merchant_id, action: 'ACTIVEPAY' }, effect: { type: 'status', status: 503 }, times: 3 })
  await post(`${url}/sandbox/api/merchants`, { name: 'A runtime merchant with a rather long name for a phone' })

  const browser = await launchBrowser(t)
  const page = await newPage(browser)
  // The payer pages while their orders are open; then the clock moves a day, so every admin page shows its banner.
  const payer: Array<[string, string]> = [
    ['payer-scan', await payerPath(url, 'WIDTH-OPEN-0001')],
    ['payer-unionpay', await payerPath(url, 'CARD0001')],
    ['payer-checkout', await payerPath(url, 'WIDTH-CHECKOUT-1')]
  ]
  for (const [name, path] of payer) {
    await page.goto(url + path)
    t.equal(await page.locator('h1').count() > 0, true, `${name} is a page`)
    await checkWidths(t, page, name)
  }

  await post(`${url}/sandbox/api/clock/advance`, { ms: 90_061_000 })
  const admin: Array<[string, string]> = [
    ['orders', '/sandbox'],
    ['order', `/sandbox/orders/${MERCHANT.merchant_id}/WIDTH-PAID-0001`],
    ['order-open', `/sandbox/orders/${MERCHANT.merchant_id}/WIDTH-OPEN-0001`],
    ['requests', '/sandbox/requests'],
    ['request', '/sandbox/requests/req_1'],
    ['request-rejected', '/sandbox/requests/req_5'],
    ['merchants', '/sandbox/merchants'],
    ['faults', '/sandbox/faults'],
    ['clock', '/sandbox/clock'],
    ['new-order', '/sandbox/new-order']
  ]
  for (const [name, path] of admin) {
    await page.goto(url + path)
    t.ok(await page.locator('#clock-banner').isVisible(), `${name}: the clock banner says the clock runs ahead`)
    await checkWidths(t, page, name)
  }
  await page.goto(`${url}/docs`)
  await page.locator('.swagger-ui .info').waitFor()
  t.equal(await page.locator('meta[name="viewport"]').count(), 1, '/docs has a viewport tag')
  await page.locator('.sandbox-back a').click()
  await page.waitForURL(`${url}/sandbox`)
  t.pass('/docs links back to /sandbox')
  await page.goto(`${url}/docs`)
  await page.locator('.swagger-ui .info').waitFor()
  await checkWidths(t, page, 'docs')

  const icon = await fetch(`${url}/favicon.ico`)
  t.equal(icon.headers.get('content-type'), 'image/svg+xml', 'a favicon')
})

/** The hosted payer page of an order (the scan, UnionPay or checkout page), as the control API gives it. */
async function payerPath (url: string, orderId: string): Promise<string> {
  const res = await fetch(`${url}/sandbox/api/orders/${orderId}?merchant_id=${MERCHANT.merchant_id}`)
  return new URL((await res.json() as { payer_page_url: string }).payer_page_url).pathname
}

t.test('the login page fits both widths', { timeout: 180_000 }, async (t) => {
  const { url } = await serve(t, { ADMIN_TOKEN: 'browser-test-token' })
  const browser = await launchBrowser(t)
  const page = await newPage(browser)
  await page.goto(`${url}/sandbox`)
  await page.waitForURL(/\/sandbox\/login/)
  await checkWidths(t, page, 'login')
})
