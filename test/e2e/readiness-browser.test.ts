import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { build } from '../helpers/build.js'
import { launchBrowser } from '../helpers/browser.js'
import { driveFlow, EXPECTED_FAILURES, FAKE_MERCHANTS, httpAccess, startFakeMerchant, type Fakes } from '../helpers/fake-merchants.js'

// The go-live checklist page in a real browser: the three fake merchants driven through the whole flow first.
t.setTimeout(120_000)

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url)
mkdirSync(ARTIFACTS, { recursive: true })

t.test('the readiness page lists each merchant\'s checks, runs the probe from its button, and fits 1280 and 390 px', async (t) => {
  const sandbox = await build(t, { merchants: Object.values(FAKE_MERCHANTS), tickIntervalMs: 50 })
  const url = await sandbox.app.listen({ port: 0, host: '127.0.0.1' })
  const access = httpAccess(url)
  const fakes: Fakes = {
    careful: await startFakeMerchant(t, 'careful', access),
    naive: await startFakeMerchant(t, 'naive', access),
    broken: await startFakeMerchant(t, 'broken-md5', access)
  }
  await driveFlow(access, fakes)
  const browser = await launchBrowser(t)

  for (const width of [1280, 390]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } })
    page.on('request', (request) => {
      if (new URL(request.url()).hostname !== '127.0.0.1') throw new Error(`the page requested ${request.url()}`)
    })
    for (const fake of [fakes.careful, fakes.broken, fakes.naive]) {
      await page.goto(`${url}/sandbox`)
      await page.getByRole('link', { name: 'Go-live' }).click()
      await page.getByLabel('Merchant').selectOption(fake.merchant.merchant_id)
      await page.getByLabel('Poll STATUS_QUERY within').fill('60s')
      await page.getByRole('button', { name: 'Show' }).click()
      await page.waitForURL(/\/sandbox\/readiness\?merchant_id=/)
      const failed = await page.locator('li[data-check][data-status="failed"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-check')))
      t.same(failed.sort(), EXPECTED_FAILURES[fake.kind], `${width}px, ${fake.kind}: the failed checks`)
      t.equal(await page.locator('#verdict').getAttribute('data-ready'), String(EXPECTED_FAILURES[fake.kind].length === 0))
    }

    // The button runs the probe again (the naive merchant's page is open, last): the page comes back with the news.
    await page.getByLabel('Callback URL').fill(fakes.naive.url)
    await page.getByRole('button', { name: 'Run callback probe' }).click()
    await page.waitForURL(/done=probed/)
    t.match(await page.getByRole('status').textContent(), /The callback probe ran/)
    t.match(await page.locator('#probe-last').textContent(), new RegExp(`against ${fakes.naive.url.replace(/[./]/g, '\\$&')}`))
    t.equal(await page.locator('li[data-check="callback-duplicate"]').getAttribute('data-status'), 'failed')
    t.equal(await page.locator('li[data-check="polls-lost-callback"]').getAttribute('data-status'), 'failed', 'poll_within is kept through the probe')
    t.ok(await page.getByRole('link', { name: 'Go-live' }).getAttribute('aria-current'), 'the nav marks the page')

    const wide = await page.locator('html').evaluate((root) => ({ scroll: root.scrollWidth, client: root.clientWidth }))
    t.ok(wide.scroll <= wide.client, `${width}px: the page is not wider than the viewport (${wide.scroll} <= ${wide.client})`)
    await page.screenshot({ path: fileURLToPath(new URL(`readiness-${width}.png`, ARTIFACTS)), fullPage: true })
    await page.close()
  }
})
