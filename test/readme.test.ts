import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { loadFixtures } from '../src/fixtures.js'
import { createStore } from '../src/store/index.js'

const run = promisify(execFile)
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** The first ```js block after a heading. */
function snippetAfter (heading: string): string {
  const section = readme.slice(readme.indexOf(heading))
  const match = /```js\n([\s\S]*?)```/.exec(section)
  if (match === null) throw new Error(`no js block after ${heading}`)
  return match[1]!
}

t.test('the README round trip runs as written against a real sandbox with the shipped fixtures', async (t) => {
  const config = loadConfig({ DB_FILE: ':memory:' })
  const fixtures = await loadFixtures(config.fixturesDir)
  const app = await buildApp({ config, merchants: fixtures.merchants, store: await createStore(':memory:'), logger: false })
  t.teardown(() => app.close())
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  // Inside the package folder, so the snippet's `ottpay-sandbox/crypto` import resolves as the README says.
  const dir = t.testdir({})
  const file = join(dir, 'round-trip.mjs')
  writeFileSync(file, snippetAfter('## A full ACTIVEPAY round trip'))
  const { stdout } = await run(process.execPath, [file], { env: { ...process.env, SANDBOX_URL: url }, timeout: 10_000 })
  t.match(stdout, /^SUCCESS \{/)
  t.match(stdout, /code_url: 'weixin:\/\/wxpay\/bizpayurl\?pr=/)
  const orders = (await app.inject('/sandbox/api/orders?merchant_id=QC00005496')).json() as { orders: Array<{ order_id: string }> }
  t.equal(orders.orders.length, 1)
  t.match(orders.orders[0]!.order_id, /^DEMO\d+$/)
})
