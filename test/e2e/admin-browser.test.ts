import { mkdirSync } from 'node:fs'
import t from 'tap'
import type { Page } from 'playwright-core'
import { md5Upper, open, canonicalString, encrypt, deriveKey } from '../../src/crypto/index.js'
import { activePayData, build, envelope, MERCHANT } from '../helpers/build.js'
import { launchBrowser } from '../helpers/browser.js'
import { startReceiver } from '../helpers/receiver.js'
import type { Tap } from '../helpers/tap.js'

// Real browser, real port: an installed Chromium or Chrome (or the npm one, test/helpers/browser.ts) through
// playwright-core against the sandbox on port 0.

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url)
mkdirSync(ARTIFACTS, { recursive: true })

/** The sandbox listening on 127.0.0.1:0 with its timer on (live refresh and callbacks run as in production). */
async function serve (t: Tap, env: NodeJS.ProcessEnv = {}) {
  const sandbox = await build(t, { env, tickIntervalMs: 50 })
  const url = await sandbox.app.listen({ port: 0, host: '127.0.0.1' })
  return { ...sandbox, url }
}

async function post (url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/processV2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return await res.json() as Record<string, unknown>
}

async function until (check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

async function newPage (t: Tap): Promise<Page> {
  const browser = await launchBrowser(t)
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  // The UI must not reach outside the sandbox: any request to another origin fails the test.
  page.on('request', (request) => {
    const { hostname } = new URL(request.url())
    if (hostname !== '127.0.0.1' && !request.url().startsWith('data:')) throw new Error(`the page requested ${request.url()}`)
  })
  return page
}

t.test('an order created through the gateway is paid with one click in /sandbox, and its callback arrives', async (t) => {
  const receiver = await startReceiver(t)
  const { url } = await serve(t)
  const answer = await post(url, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'BROWSER0001', amount: '1250', call_back_url: receiver.url })))
  t.equal(answer.rsp_code, 'SUCCESS')

  const page = await newPage(t)
  const outside: string[] = []
  page.on('requestfailed', (request) => { outside.push(request.url()) })
  await page.goto(`${url}/sandbox`)
  await page.getByRole('link', { name: 'BROWSER0001' }).click()
  await page.waitForURL(/\/sandbox\/orders\/QC00000001\/BROWSER0001/)
  t.equal(await page.locator('#order-status').getAttribute('data-status'), 'init')
  t.ok(await page.locator('svg[role="img"][aria-label^="QR code for "]').isVisible(), 'the code_url is drawn as a QR code')
  t.match(await page.locator('#code-url').textContent(), /^weixin:\/\/wxpay\/bizpayurl\?pr=/)

  await page.getByRole('button', { name: 'Pay now' }).click()
  await page.waitForURL(/done=paid/)
  t.equal(await page.locator('#order-status').getAttribute('data-status'), 'success', 'the page shows the new status')
  t.ok(await page.getByRole('button', { name: 'Pay now' }).isDisabled(), 'a paid order cannot be paid again')

  await until(() => receiver.received.length === 1, 'the callback')
  const callback = receiver.received[0]!.body
  t.equal(callback.rsp_code, 'SUCCESS')
  const data = open({ data: callback.data!, md5: callback.md5! }, MERCHANT.sign_key)
  t.equal(data.order_id, 'BROWSER0001')
  t.equal(data.amount, '1250')

  // The delivery shows on the page with its attempt once the dispatcher has recorded the merchant's answer.
  const delivery = page.locator('article[id^="callback-"]').first()
  for (let i = 0; i < 100 && !/delivered/.test(await delivery.textContent() ?? ''); i++) {
    await page.waitForTimeout(50)
    await page.reload()
  }
  t.match(await delivery.textContent(), /delivered/)
  t.match(await delivery.textContent(), /200/, 'the attempt shows the merchant\'s HTTP status')
  await page.screenshot({ path: new URL('order-page.png', ARTIFACTS).pathname, fullPage: true })
  t.same(outside, [], 'no request of the page failed or left the sandbox')
})

t.test('the orders list refreshes live: a new order appears without a reload', async (t) => {
  const { url } = await serve(t)
  const page = await newPage(t)
  await page.goto(`${url}/sandbox`)
  t.equal(await page.getByRole('link', { name: 'LIVE0001' }).count(), 0)
  t.ok(await page.locator('#live-refresh').isChecked(), 'live refresh is on by default')
  await post(url, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'LIVE0001' })))
  await page.getByRole('link', { name: 'LIVE0001' }).waitFor({ timeout: 10_000 })
  t.pass('the new order appeared in the list')
})

t.test('the inspector shows why a request failed: expected md5 next to the received one, and the likely cause', async (t) => {
  const { url } = await serve(t)
  // A classic mistake: the md5 of the JSON text instead of the sorted values; the key is derived from that md5.
  const data = activePayData({ order_id: 'BADMD5' })
  const wrongMd5 = md5Upper(JSON.stringify(data))
  const body = { action: 'ACTIVEPAY', version: '1.0', merchant_id: MERCHANT.merchant_id, md5: wrongMd5, data: encrypt(JSON.stringify(data), deriveKey(wrongMd5, MERCHANT.sign_key)) }
  const answer = await post(url, body)
  t.equal(answer.rsp_code, 'PARAM_INVALID')

  const page = await newPage(t)
  await page.goto(`${url}/sandbox/requests`)
  await page.locator('section#requests a').first().click()
  await page.waitForURL(/\/sandbox\/requests\/req_1/)
  t.equal((await page.locator('#expected-md5').textContent())?.trim(), md5Upper(canonicalString(data)))
  t.equal((await page.locator('#received-md5').textContent())?.trim(), wrongMd5)
  t.match(await page.locator('#md5-verdict').textContent(), /^Mismatch/)
  t.equal(await page.locator('#steps li[data-step="md5"]').getAttribute('data-result'), 'failed')
  t.match(await page.locator('#hints').textContent(), /md5 was computed over the (encrypted )?JSON text/)
  await page.screenshot({ path: new URL('request-inspector.png', ARTIFACTS).pathname, fullPage: true })
})

t.test('with ADMIN_TOKEN the UI asks for it once, then works; the merchants page reveals a key on demand', async (t) => {
  const { url } = await serve(t, { ADMIN_TOKEN: 'browser-test-token' })
  const page = await newPage(t)
  await page.goto(`${url}/sandbox/merchants`)
  await page.waitForURL(/\/sandbox\/login\?next=/)
  await page.getByLabel('Admin token').fill('not-the-token')
  await page.getByRole('button', { name: /log in/i }).click()
  t.match(await page.locator('#login-error').textContent(), /token/i)
  await page.getByLabel('Admin token').fill('browser-test-token')
  await page.getByRole('button', { name: /log in/i }).click()
  await page.waitForURL(`${url}/sandbox/merchants`)

  const full = page.locator(`#key-full-${MERCHANT.merchant_id}`)
  t.notOk(await full.isVisible(), 'the key is hidden at first')
  t.notOk((await page.locator('main').innerText()).includes(MERCHANT.sign_key), 'the visible text has no full key')
  await page.locator(`button.reveal[data-merchant="${MERCHANT.merchant_id}"]`).click()
  t.equal((await full.textContent())?.trim(), MERCHANT.sign_key)
  t.equal(await page.locator(`button.reveal[data-merchant="${MERCHANT.merchant_id}"]`).getAttribute('aria-pressed'), 'true')
})
