import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/config.js'
import { loadFixtures } from '../../src/domain/fixtures.js'
import { createStore } from '../../src/store/index.js'

const run = promisify(execFile)
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

/** The first ```js block after a heading (that contains `marker`, when given). */
function snippetAfter (heading: string, marker = ''): string {
  const section = readme.slice(readme.indexOf(heading))
  for (const match of section.matchAll(/```js\n([\s\S]*?)```/g)) if (match[1]!.includes(marker)) return match[1]!
  throw new Error(`no js block after ${heading}`)
}

/** The first plain ``` block after a heading: what the README says a snippet prints. */
function outputAfter (heading: string): string {
  const section = readme.slice(readme.indexOf(heading))
  const match = /It prints:\n\n```\n([\s\S]*?)```/.exec(section)
  if (match === null) throw new Error(`no output block after ${heading}`)
  return match[1]!
}

/** A real sandbox with the shipped fixtures on port 0, as `npm start` runs it (the default scheduler timer included). */
async function shippedSandbox (t: Test): Promise<string> {
  const config = loadConfig({ DB_FILE: ':memory:' })
  const fixtures = await loadFixtures(config.fixturesDir)
  const app = await buildApp({ config, ...fixtures, store: await createStore(':memory:'), logger: false })
  t.teardown(() => app.close())
  return app.listen({ port: 0, host: '127.0.0.1' })
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

t.test('the README\'s CI worker runs as written: own merchant, a fault, time travel, clean up', async (t) => {
  const url = await shippedSandbox(t)
  const file = join(t.testdir({}), 'ci-worker.mjs')
  writeFileSync(file, snippetAfter('### A CI worker, end to end'))
  const { stdout } = await run(process.execPath, [file], { env: { ...process.env, SANDBOX_URL: url }, timeout: 30_000 })
  t.equal(stdout, outputAfter('### A CI worker, end to end'))
})

t.test('the README\'s merchant test (node --test with the client) passes against the sandbox', async (t) => {
  const url = await shippedSandbox(t)
  const file = join(t.testdir({}), 'checkout.test.mjs')
  writeFileSync(file, snippetAfter('### Client library', 'node:test'))
  const { stdout } = await run(process.execPath, ['--test', file], { env: { ...process.env, SANDBOX_URL: url }, timeout: 30_000 })
  t.match(stdout, /# pass 2/)
  t.match(stdout, /# fail 0/)
})

t.test('the README\'s golden-vector test passes with the sandbox\'s own crypto as "your implementation"', async (t) => {
  const dir = t.testdir({ 'ottpay-crypto.js': "export { seal, open } from 'ottpay-sandbox/crypto'\n" })
  const file = join(dir, 'crypto-vectors.test.mjs')
  writeFileSync(file, snippetAfter('#### Unit-test your own crypto with the golden vectors'))
  const { stdout } = await run(process.execPath, ['--test', file], { timeout: 30_000 })
  const vectors = (JSON.parse(readFileSync(new URL('../../fixtures/crypto-vectors.json', import.meta.url), 'utf8')) as { vectors: unknown[] }).vectors
  t.match(stdout, new RegExp(`# pass ${vectors.length}\\b`))
  t.match(stdout, /# fail 0/)
})
