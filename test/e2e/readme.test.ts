import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ESLint } from 'eslint'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/config.js'
import { loadFixtures } from '../../src/domain/fixtures.js'
import { createStore } from '../../src/store/index.js'
import { allDocs, codeBlocks, docFile, outputAfter, ROOT, snippetAfter } from '../helpers/docs.js'

// Every js and sh example of README.md and docs/*.md, run as a reader runs it: in a folder outside the repository
// where the package is installed (node_modules/ottpay-sandbox and its bin, linked to this build), against a real
// sandbox with the shipped fixtures on port 0, its URL given as SANDBOX_URL (the docs' http://127.0.0.1:8080).

const run = promisify(execFile)
const README = docFile('README.md')

/** A project folder outside the repository with the package "installed" (the built one), removed afterwards. */
function project (t: Test, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ottpay-docs-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true })
  symlinkSync(ROOT, join(dir, 'node_modules', 'ottpay-sandbox'))
  symlinkSync(join('..', 'ottpay-sandbox', 'dist', 'cli.js'), join(dir, 'node_modules', '.bin', 'ottpay-sandbox'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

/** A real sandbox with the shipped fixtures on port 0, as `npm start` runs it (the default scheduler timer included). */
async function shippedSandbox (t: Test) {
  const config = loadConfig({ DB_FILE: ':memory:' })
  const fixtures = await loadFixtures(config.fixturesDir)
  const app = await buildApp({ config, ...fixtures, store: await createStore(':memory:'), logger: false })
  t.teardown(() => app.close())
  return { app, url: await app.listen({ port: 0, host: '127.0.0.1' }) }
}

/** Examples run below, by file and first line; the last test checks that no example was left out. */
const ran = new Set<string>()
function claim (file: string, code: string): string {
  ran.add(`${file}: ${code.split('\n')[0]!}`)
  return code
}

/** Runs a shell example in a project folder, with the sandbox's URL for the docs' port 8080. */
async function shell (t: Test, file: string, code: string, url: string): Promise<string> {
  const script = claim(file, code).replaceAll('http://127.0.0.1:8080', url)
  const { stdout } = await run('sh', ['-ec', script], { cwd: project(t), env: { ...process.env, SANDBOX_URL: url }, timeout: 30_000 })
  return stdout
}

/** Runs a js example as `name` in a project folder: `node name`, or `node --test name`. */
async function node (t: Test, file: string, code: string, name: string, url: string | undefined, files: Record<string, string> = {}): Promise<string> {
  const dir = project(t, { ...files, [name]: claim(file, code) })
  const args = name.endsWith('.test.mjs') ? ['--test', name] : [name]
  const env = { ...process.env, ...(url === undefined ? {} : { SANDBOX_URL: url }) }
  const { stdout } = await run(process.execPath, args, { cwd: dir, env, timeout: 30_000 })
  return stdout
}

t.test('the README round trip (Node) runs as written against a real sandbox with the shipped fixtures', async (t) => {
  const { app, url } = await shippedSandbox(t)
  const stdout = await node(t, README.path, snippetAfter(README, '### With Node'), 'round-trip.mjs', url)
  t.match(stdout, /^SUCCESS \{/)
  t.match(stdout, /code_url: 'weixin:\/\/wxpay\/bizpayurl\?pr=/)
  const orders = (await app.inject('/sandbox/api/orders?merchant_id=QC00005496')).json() as { orders: Array<{ order_id: string }> }
  t.equal(orders.orders.length, 1)
  t.match(orders.orders[0]!.order_id, /^DEMO\d+$/)
})

t.test('the README round trip (curl, npx seal and open) runs outside the repository', async (t) => {
  const { url } = await shippedSandbox(t)
  const lines = (await shell(t, README.path, snippetAfter(README, '### With curl', '', 'sh'), url)).trimEnd().split('\n')
  t.equal(lines.length, 2)
  t.match(JSON.parse(lines[0]!), { code_url: /^https:\/\/qr\.alipay\.com\/bax0/, bizpay_order_id: /^AP\d{16}$/ })
  const { orders } = JSON.parse(lines[1]!) as { orders: Array<{ order_id: string }> }
  t.same(orders.map((o) => o.order_id), [JSON.parse(lines[0]!).order_id])
})

t.test('docs/cli.md\'s seal | curl | open pipeline runs', async (t) => {
  const doc = docFile('docs/cli.md')
  const { url } = await shippedSandbox(t)
  const stdout = await shell(t, doc.path, snippetAfter(doc, '## `seal` and `open`, for curl users', '', 'sh'), url)
  t.match(JSON.parse(stdout), { code_url: /^https:\/\/qr\.alipay\.com\//, order_id: /\w+/ })
})

t.test('docs/protocol.md\'s curl with Node sealing the body runs', async (t) => {
  const doc = docFile('docs/protocol.md')
  const { url } = await shippedSandbox(t)
  const stdout = await shell(t, doc.path, snippetAfter(doc, '## Sealing a request without the command line', '', 'sh'), url)
  t.match(JSON.parse(stdout), { rsp_code: 'SUCCESS', rsp_msg: 'success', data: /\S/, md5: /^[0-9A-F]{32}$/ })
})

t.test('docs/protocol.md\'s crypto core example prints what the page says', async (t) => {
  const doc = docFile('docs/protocol.md')
  const heading = '## Using the crypto core in your own tests'
  t.equal(await node(t, doc.path, snippetAfter(doc, heading), 'crypto-core.mjs', undefined), outputAfter(doc, heading))
})

t.test('docs/protocol.md\'s golden-vector test passes with the sandbox\'s own crypto as "your implementation"', async (t) => {
  const doc = docFile('docs/protocol.md')
  const files = { 'ottpay-crypto.js': "export { seal, open } from 'ottpay-sandbox/crypto'\n", 'package.json': '{"type":"module"}\n' }
  const stdout = await node(t, doc.path, snippetAfter(doc, '## Unit-test your own crypto with the golden vectors'), 'crypto-vectors.test.mjs', undefined, files)
  const vectors = (JSON.parse(readFileSync(join(ROOT, 'fixtures', 'crypto-vectors.json'), 'utf8')) as { vectors: unknown[] }).vectors
  t.match(stdout, new RegExp(`# pass ${vectors.length}\\b`))
  t.match(stdout, /# fail 0/)
})

t.test('docs/ci.md\'s CI worker runs as written: own merchant and receiver, a fault, an expiry, a magic amount, clean up', async (t) => {
  const doc = docFile('docs/ci.md')
  const heading = '## A CI worker, end to end'
  const { app, url } = await shippedSandbox(t)
  const before = (await app.inject('/sandbox/api/clock')).json() as { offset_ms: number }
  t.equal(await node(t, doc.path, snippetAfter(doc, heading), 'ci-worker.mjs', url), outputAfter(doc, heading))
  t.equal(((await app.inject('/sandbox/api/clock')).json() as { offset_ms: number }).offset_ms, before.offset_ms, 'the shared clock did not move')
})

t.test('docs/client.md\'s client example runs', async (t) => {
  const doc = docFile('docs/client.md')
  const { url } = await shippedSandbox(t)
  t.match(await node(t, doc.path, snippetAfter(doc, '# Client library', 'client.mjs'), 'client.mjs', url), /^SUCCESS \{ feeType: 'CAD', rate: '\d+' \}/)
})

t.test('docs/client.md\'s merchant test (node --test with the client) passes against the sandbox', async (t) => {
  const doc = docFile('docs/client.md')
  const { url } = await shippedSandbox(t)
  const stdout = await node(t, doc.path, snippetAfter(doc, '## A merchant\'s integration test with `node --test`', 'node:test'), 'checkout.test.mjs', url)
  t.match(stdout, /# pass 2/)
  t.match(stdout, /# fail 0/)
})

t.test('docs/control-api.md\'s runtime merchant examples run', async (t) => {
  const doc = docFile('docs/control-api.md')
  const heading = '## Runtime merchants and resets: a merchant per CI worker'
  const { app, url } = await shippedSandbox(t)
  const lines = (await shell(t, doc.path, snippetAfter(doc, heading, '', 'sh'), url)).trimEnd().split(/\n|(?<=\})(?=\{)/)
  t.match(JSON.parse(lines[0]!), { merchant_id: /^RT\d{8}$/, runtime: true })
  t.match(JSON.parse(lines[1]!), { name: 'worker 3', currency: 'USD', operators: ['0000000007'] })
  t.match(JSON.parse(lines[2]!), { merchant_id: /^RT\d{8}$/, removed: { orders: 0 } })
  t.match(JSON.parse(lines[3]!), { removed: { merchants: 1 } })
  t.match(JSON.parse(lines[4]!), { merchant_id: null })
  t.same(((await app.inject('/sandbox/api/stats')).json() as { merchants: { runtime: number } }).merchants.runtime, 0, 'the full reset removed them')
  t.match(await node(t, doc.path, snippetAfter(doc, heading, 'worker-setup.mjs'), 'worker-setup.mjs', url), /^RT\d{8} 16 0000000001\n$/)
})

t.test('docs/control-api.md\'s faults examples arm, list and disarm as the comments say', async (t) => {
  const doc = docFile('docs/control-api.md')
  const { url } = await shippedSandbox(t)
  const out = await shell(t, doc.path, snippetAfter(doc, '## Faults', '', 'sh'), url)
  const answers = out.split(/(?<=\})(?=\{)|\n/).filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>)
  t.equal(answers.length, 12)
  t.match(answers[0], { id: 'flt_1', match: { on: 'gateway', merchant_id: 'QC00005496', action: null }, effect: { type: 'status', status: 503, when: 'before' }, times: 1, remaining: 1, fired: 0 })
  t.same(answers.slice(0, 9).map((a) => a.id), ['flt_1', 'flt_2', 'flt_3', 'flt_4', 'flt_5', 'flt_6', 'flt_7', 'flt_8', 'flt_9'], 'nine armed')
  t.match(answers[7], { match: { on: 'callback', merchant_id: 'QC00005496' }, effect: { type: 'drop' } }, 'a callback drop')
  t.equal((answers[9]!.faults as unknown[]).length, 9, 'listed')
  t.same(answers[10], { removed: 1 })
  t.match(answers[11], { removed: Number })
})

t.test('docs/control-api.md\'s clock example reads and advances the clock', async (t) => {
  const doc = docFile('docs/control-api.md')
  const { url } = await shippedSandbox(t)
  const [now, advanced] = (await shell(t, doc.path, snippetAfter(doc, '## Virtual clock (time travel)', '', 'sh'), url)).split(/(?<=\})(?=\{)|\n/).filter(Boolean)
  t.match(JSON.parse(now!), { offset_ms: 0 })
  t.match(JSON.parse(advanced!), { offset_ms: 21600000 })
})

/** Shell examples that start servers, install, build images or run the whole suite: the checks named here hold them. */
const CHECKED_NOT_RUN: Record<string, string> = {
  'README.md: npm ci && npm start      # installs and builds once, then starts on http://127.0.0.1:8080 (data in ./data/sandbox.json)': 'the npm scripts: test/unit/docs.test.ts; the stale-build check: test/e2e/build-if-stale.test.ts',
  'docs/go-live-checklist.md: npx ottpay-sandbox readiness --merchant "$MERCHANT_ID" --sandbox http://127.0.0.1:8080 --callback http://127.0.0.1:3000/ottpay/callback': 'the options: test/unit/docs.test.ts; the command: test/e2e/readiness-cli.test.ts',
  'README.md: # From a tarball: in a clone of this repository, then in your project': 'the tarball name: test/unit/docs.test.ts; installing it: test/e2e/package.test.ts',
  'README.md: npx ottpay-sandbox                                # starts on http://127.0.0.1:8080, with the package\'s fixture merchants': 'the options: test/unit/docs.test.ts; the start: test/e2e/cli.test.ts',
  'README.md: SANDBOX_URL=http://127.0.0.1:8080 php examples/php/activepay.php          # PHP, openssl': 'test/e2e/examples.test.ts runs each line',
  'docs/ci.md: docker build -t ottpay-sandbox .': 'ADMIN_TOKEN and the variables: test/unit/docs.test.ts; the image: test/e2e/docker.test.ts',
  'docs/cli.md: npx ottpay-sandbox                                  # start on http://127.0.0.1:8080 (same as `serve`)': 'the options: test/unit/docs.test.ts; the commands: test/e2e/cli.test.ts',
  'docs/development.md: npm run build       # tsc → dist/': 'the npm scripts: test/unit/docs.test.ts',
  'docs/performance.md: npm run bench                 # builds, runs every phase (about 2–3 minutes), prints the tables, rewrites BENCHMARKS.md': 'the npm scripts: test/unit/docs.test.ts; the bench: test/e2e/bench-smoke.test.ts',
  'docs/performance.md: npm run build': 'the files: test/unit/docs.test.ts',
  'docs/startup.md: npm run build': 'the files: test/unit/docs.test.ts'
}

t.test('every js and sh example of README.md and docs/ was run above (or is a command listed as checked elsewhere)', async (t) => {
  const examples = allDocs().flatMap(codeBlocks).filter((block) => block.lang === 'js' || block.lang === 'sh')
  const left = examples.map((block) => `${block.file}: ${block.name}`).filter((name) => !ran.has(name) && CHECKED_NOT_RUN[name] === undefined)
  t.same(left, [], 'run each new example in this file')
  t.same(Object.keys(CHECKED_NOT_RUN).filter((name) => !examples.some((block) => `${block.file}: ${block.name}` === name)), [], 'no stale entry')
  t.ok(examples.every((block) => block.lang === 'sh' || ran.has(`${block.file}: ${block.name}`)), 'every js example runs')
})

t.test('every js example is lint-clean under this repository\'s eslint config, saved where its docs say', async (t) => {
  const eslint = new ESLint({ cwd: ROOT })
  for (const block of allDocs().flatMap(codeBlocks).filter((b) => b.lang === 'js')) {
    const name = /^\/\/ ([\w.-]+\.m?js)\b/.exec(block.name)?.[1]
    t.ok(name, `${block.file}: "${block.name}" names its file in its first line`)
    const [result] = await eslint.lintText(block.code, { filePath: join(ROOT, name ?? 'example.mjs') })
    t.same(result!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`), [], `${block.file}: ${name}`)
  }
})
