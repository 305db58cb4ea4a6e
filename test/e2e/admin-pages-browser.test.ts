import t from 'tap'
import type { Page } from 'playwright-core'
import { activePayData, cardData, envelope, MERCHANT } from '../helpers/build.js'
import { launchBrowser } from '../helpers/browser.js'
import { startReceiver } from '../helpers/receiver.js'
import { ARTIFACTS, gateway, newPage, post, serve, WIDTHS } from '../helpers/browser-pages.js'
import type { Tap } from '../helpers/tap.js'

// Issue 16: every admin and payer page in Debian's Chromium at a desktop and a phone width: it fits without
// sideways scrolling, and a screenshot of each goes to test-artifacts/ (admin-flows-browser.test.ts drives the UI).

/** A computed style of the first element `selector` matches (strings: the tests' TypeScript has no DOM types). */
const styleOf = (page: Page, selector: string, property: string) =>
  page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).${property}`)

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
  await gateway(url, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'WIDTH-ALIPAY-0001', biz_type: 'ALIPAY', call_back_url: receiver.url })))
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
    ['payer-scan-alipay', await payerPath(url, 'WIDTH-ALIPAY-0001')],
    ['payer-unionpay', await payerPath(url, 'CARD0001')],
    ['payer-checkout', await payerPath(url, 'WIDTH-CHECKOUT-1')]
  ]
  for (const [name, path] of payer) {
    await page.goto(url + path)
    t.equal(await page.locator('h1').count() > 0, true, `${name} is a page`)
    await checkWidths(t, page, name)
  }

  // Issue 16: the scan page looks like the wallet's own confirmation: its colour, the amount, the QR code drawn inline.
  for (const [name, orderId, wallet, accent] of [['WeChat Pay', 'WIDTH-OPEN-0001', 'WeChat Pay', 'rgb(6, 122, 60)'], ['Alipay', 'WIDTH-ALIPAY-0001', 'Alipay', 'rgb(21, 89, 201)']]) {
    await page.goto(url + await payerPath(url, orderId!))
    t.equal(await page.locator('h1').textContent(), wallet, `${name}: the wallet's name`)
    t.ok(await page.locator('.qr svg[role="img"]').isVisible(), `${name}: the QR code is shown`)
    t.ok((await page.locator('.qr svg').boundingBox())!.width >= 150, `${name}: the QR code is large enough to scan`)
    t.equal(await styleOf(page, '.wallet-bar', 'backgroundColor'), accent, `${name}: the wallet's colour`)
    t.equal(await styleOf(page, 'button.pay', 'backgroundColor'), accent, `${name}: Pay in the wallet's colour`)
    t.equal(await page.locator('.status').textContent(), 'Waiting for payment', `${name}: the status in words`)
  }

  // The checkout: Pay is greyed out and refused by the browser until a method is chosen; words never break inside.
  const checkoutPath = await payerPath(url, 'WIDTH-CHECKOUT-1')
  await page.goto(url + checkoutPath)
  const pay = page.locator('button.pay')
  const payLooksEnabled = async () => await styleOf(page, 'button.pay', 'opacity') === '1'
  const formValid = () => page.evaluate<boolean>('document.querySelector("form").checkValidity()')
  t.equal(await formValid(), false, 'checkout: no method chosen, the form is not ready')
  t.equal(await payLooksEnabled(), false, 'checkout: Pay looks disabled before a method is chosen')
  await pay.click()
  await page.waitForTimeout(200)
  t.equal(new URL(page.url()).pathname, checkoutPath, 'checkout: Pay without a method does not submit')
  t.equal(await page.locator('.status').textContent(), 'Waiting for payment', 'checkout: the status in words, not init')
  await page.setViewportSize({ width: 390, height: 900 })
  t.not(await page.evaluate<string>('getComputedStyle([...document.querySelectorAll("dd")].find((d) => d.textContent.includes("Beijing time"))).wordBreak'), 'break-all', 'checkout: normal text does not break anywhere')
  // Each word of the expiry on one line: a word split across lines has more than one line box.
  const splitWords = await page.evaluate<string[]>(`(() => {
    const text = [...document.querySelectorAll('dd')].find((d) => d.textContent.includes('Beijing time')).firstChild
    return [...text.textContent.matchAll(/\\S+/g)].filter((m) => {
      const range = document.createRange()
      range.setStart(text, m.index)
      range.setEnd(text, m.index + m[0].length)
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1
    }).map((m) => m[0])
  })()`)
  t.same(splitWords, [], 'checkout at 390 px: no word of "… (Beijing time)" breaks across lines')
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.locator('label', { hasText: 'Alipay' }).click()
  t.equal(await formValid(), true, 'checkout: a method chosen, the form is ready')
  t.equal(await payLooksEnabled(), true, 'checkout: Pay looks enabled once a method is chosen')
  await checkWidths(t, page, 'payer-checkout-chosen')

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
