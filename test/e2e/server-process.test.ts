import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { open } from '../../src/crypto/index.js'
import { createStore } from '../../src/store/index.js'
import { ROOT, runToExit, SERVER, startServer, within } from '../helpers/process.js'
import { postActivePay, TEA } from '../helpers/server-calls.js'

const GOOD_MERCHANT = { merchant_id: 'QC00000001', name: 'Tea', sign_key: 'KEY0000001', currency: 'CAD', operators: ['0000020156'] }

async function get (url: string): Promise<{ status: number, body: Record<string, unknown> }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  return { status: res.status, body: await res.json() as Record<string, unknown> }
}

interface Answer {
  rsp_code: string
  rsp_msg: string
  data?: string
  md5?: string
}

/** An unknown data field the sandbox keeps with the order's request: it makes every write of the file slow. */
const PADDING = 'x'.repeat(20_000)

async function activePay (base: string, orderId: string, extra: Record<string, string> = {}): Promise<Answer> {
  return await (await postActivePay(base, orderId, extra)).json() as Answer
}

t.test('dist/server.js is built (npm test builds before tap)', async (t) => {
  t.ok(existsSync(SERVER), `${SERVER} is missing: run npm run build`)
})

t.test('starts with one log line naming the URL, the data file and the merchants; /healthz answers', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const server = await startServer(t, { DB_FILE: file })
  t.equal(server.start.level, 30, 'an info line')
  t.match(server.start.msg, /^ottpay-sandbox listening on http:\/\/127\.0\.0\.1:\d+ · data: /)
  t.ok(server.start.msg.includes(`· data: ${file} ·`), 'names the data file')
  t.match(server.start.msg, /· merchants: .*QC00005496/)
  t.match(server.start.msg, /· merchants: .*ON00000097/)
  t.not(server.url, 'http://127.0.0.1:8080', 'PORT=0 picked a free port')

  const health = await get(`${server.url}/healthz`)
  t.equal(health.status, 200)
  t.same(health.body, { status: 'ok' })
  t.equal(server.lines.filter((line) => line.includes('listening')).length, 1, 'exactly one listening line')
  t.equal(server.stderr(), '')
})

t.test('DB_FILE=:memory: says so in the start line and writes nothing', async (t) => {
  const server = await startServer(t, { DB_FILE: ':memory:' })
  t.match(server.start.msg, /· data: :memory: ·/)
  t.equal((await activePay(server.url, 'MEM1')).rsp_code, 'SUCCESS')
  t.notOk(existsSync(join(ROOT, ':memory:')), 'no file named :memory: in its working directory')
})

t.test('an acknowledged order survives SIGKILL', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const first = await startServer(t, { DB_FILE: file })
  const ids = Array.from({ length: 50 }, (_, i) => `CRASH${String(i).padStart(3, '0')}`)
  // Large orders make each (coalesced) file write take a while, so a sandbox that answered before its write
  // finished would be caught with writes still pending.
  const answers = await within(Promise.all(ids.map((id) => activePay(first.url, id, { note: PADDING }))), '50 ACTIVEPAY answers')
  first.process.kill('SIGKILL')
  const exit = await within(first.exited, 'the killed server to go')
  t.equal(exit.signal, 'SIGKILL')

  const acknowledged = ids.filter((_id, i) => answers[i]!.rsp_code === 'SUCCESS')
  t.equal(acknowledged.length, 50, 'every request was answered SUCCESS')
  for (const [i, answer] of answers.entries()) {
    if (answer.rsp_code !== 'SUCCESS') continue
    t.equal(open({ data: answer.data!, md5: answer.md5! }, TEA.sign_key).order_id, ids[i], `the answer for ${ids[i]} is sealed for the merchant`)
  }

  const second = await startServer(t, { DB_FILE: file })
  const missing: string[] = []
  for (const id of acknowledged) {
    const found = await get(`${second.url}/sandbox/api/orders/${id}?merchant_id=${TEA.merchant_id}`)
    if (found.status !== 200 || found.body.order_id !== id || found.body.merchant_id !== TEA.merchant_id) missing.push(id)
  }
  t.same(missing, [], 'no acknowledged order was lost')
  const list = await get(`${second.url}/sandbox/api/orders?merchant_id=${TEA.merchant_id}`)
  t.equal((list.body.orders as unknown[]).length, acknowledged.length, 'the list has them all')
  t.equal((await activePay(second.url, ids[0]!)).rsp_code, 'ORDER_USED', 'the restarted sandbox knows the id is taken')
})

t.test('SIGTERM finishes cleanly: exit code 0 and a valid data file', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const server = await startServer(t, { DB_FILE: file })
  t.equal((await activePay(server.url, 'TERM1')).rsp_code, 'SUCCESS')
  server.process.kill('SIGTERM')
  const exit = await within(server.exited, 'the server to stop on SIGTERM')
  t.same(exit, { code: 0, signal: null })
  t.equal(JSON.parse(readFileSync(file, 'utf8')).schema, 3, 'the snapshot is whole JSON')
  t.same((await createStore(file)).orders.page().items.map((o) => o.order_id), ['TERM1'])
  t.ok(server.lines.some((line) => line.includes('SIGTERM received')), 'says why it stops')
  t.equal(server.stderr(), '')
})

t.test('SIGINT stops it too, with exit code 0', async (t) => {
  const server = await startServer(t, { DB_FILE: join(t.testdir(), 'sandbox.json') })
  server.process.kill('SIGINT')
  t.same(await within(server.exited, 'the server to stop on SIGINT'), { code: 0, signal: null })
})

t.test('a config error stops the start with exit code 1 and names the variable', async (t) => {
  const dbFile = join(t.testdir(), 'sandbox.json')
  const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ PORT: 'abc' }, /PORT must be a whole number from 0 to 65535, got "abc"/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ PUBLIC_URL: 'nope' }, /PUBLIC_URL must be an absolute http\(s\) URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of .*got "loud"/],
    [{ BODY_LIMIT: '10' }, /BODY_LIMIT must be a whole number/]
  ]
  for (const [env, message] of cases) {
    const run = await runToExit(t, { DB_FILE: dbFile, ...env })
    const name = Object.keys(env)[0]!
    t.equal(run.code, 1, `${name}: exit code`)
    t.match(run.stderr, /^ottpay-sandbox cannot start: /, `${name}: says it cannot start`)
    t.match(run.stderr, message, `${name}: names the variable`)
    t.notMatch(run.stderr, /\n\s+at /, `${name}: no stack trace`)
    t.notOk(run.stdout.includes('listening'), `${name}: never listened`)
  }
  t.notOk(existsSync(dbFile), 'no data file was created')
})

t.test('broken fixtures stop the start with exit code 1 and a message naming merchants.json', async (t) => {
  const cases: Array<[string, string, RegExp]> = [
    ['broken JSON', '[{"merchant_id": ', /merchants\.json: is not valid JSON/],
    ['missing sign_key', JSON.stringify([{ ...GOOD_MERCHANT, sign_key: undefined }]), /merchants\.json: .*sign_key/],
    ['duplicate ids', JSON.stringify([GOOD_MERCHANT, GOOD_MERCHANT]), /merchants\.json: merchant_id QC00000001 appears twice/]
  ]
  for (const [name, text, message] of cases) {
    const dir = t.testdir({ fixtures: { 'merchants.json': text } })
    const run = await runToExit(t, { DB_FILE: join(dir, 'sandbox.json'), FIXTURES_DIR: join(dir, 'fixtures') })
    t.equal(run.code, 1, `${name}: exit code`)
    t.match(run.stderr, /^ottpay-sandbox cannot start: /, name)
    t.ok(run.stderr.includes(join(dir, 'fixtures', 'merchants.json')), `${name}: names the file`)
    t.match(run.stderr, message, name)
  }
})

t.test('a missing fixture folder stops the start and names the file it looked for', async (t) => {
  const dir = t.testdir()
  const run = await runToExit(t, { DB_FILE: join(dir, 'sandbox.json'), FIXTURES_DIR: join(dir, 'nowhere') })
  t.equal(run.code, 1)
  t.match(run.stderr, /nowhere\/merchants\.json: cannot be read/)
})

t.test('a corrupt data file stops the start with exit code 1 and names the file', async (t) => {
  const dir = t.testdir({ 'sandbox.json': '{"orders": [' })
  const file = join(dir, 'sandbox.json')
  const run = await runToExit(t, { DB_FILE: file })
  t.equal(run.code, 1)
  t.ok(run.stderr.includes(`${file}: is not valid JSON`), run.stderr)
  t.equal(readFileSync(file, 'utf8'), '{"orders": [', 'the file is left alone')
})
