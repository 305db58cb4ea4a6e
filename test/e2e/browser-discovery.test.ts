import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { findBrowser, launchBrowser, SYSTEM_BROWSERS } from '../helpers/browser.js'

// `npm test` on a fresh machine: the browser tests find an installed Chromium or Chrome, and where there is none
// they bring one through npm (@sparticuz/chromium). Both paths are exercised here, whatever this machine has.

t.test('CHROMIUM_PATH wins; one that does not exist says so', async (t) => {
  const found = await findBrowser({ env: { CHROMIUM_PATH: process.execPath } })
  t.same(found, { executablePath: process.execPath, how: 'CHROMIUM_PATH', args: [] })
  await t.rejects(findBrowser({ env: { CHROMIUM_PATH: '/nowhere/chromium' } }), { message: /CHROMIUM_PATH=\/nowhere\/chromium does not exist/ })
})

t.test('without CHROMIUM_PATH: an installed browser, then playwright\'s cache, then the npm one', async (t) => {
  const found = await findBrowser({ env: { PLAYWRIGHT_BROWSERS_PATH: join(tmpdir(), 'no-playwright-browsers') } })
  const installed = SYSTEM_BROWSERS.find((path) => existsSync(path))
  t.equal(found.how, installed ?? '@sparticuz/chromium (npm)', `found ${found.executablePath}`)
})

t.test('with no browser on the machine, @sparticuz/chromium launches headless and renders a page', async (t) => {
  const found = await findBrowser({ env: { BROWSER_DISCOVERY_SKIP_SYSTEM: '1', CHROMIUM_PATH: '/nowhere/chromium' } })
  t.equal(found.how, '@sparticuz/chromium (npm)')
  t.notOk(found.args.includes('--disable-web-security'), 'same-origin rules stay on')
  const browser = await launchBrowser(t, found)
  const page = await browser.newPage()
  await page.setContent('<title>npm browser</title><h1 style="font: 20px sans-serif">Rendered</h1>')
  t.equal(await page.textContent('h1'), 'Rendered')
  t.equal(await page.title(), 'npm browser')
  const dir = mkdtempSync(join(tmpdir(), 'browser-shot-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const shot = await page.screenshot({ path: join(dir, 'page.png') })
  t.ok(shot.length > 1000, `a screenshot (${shot.length} bytes)`)
})
