import { spawn } from 'node:child_process'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import type { Merchant } from '../../src/domain/fixtures.js'
import { driveFlow, EXPECTED_FAILURES, httpAccess, startFakeMerchant, type FakeKind, type Fakes, type SandboxAccess } from '../helpers/fake-merchants.js'
import { ROOT, startServer, within } from '../helpers/process.js'
import { SPECS } from '../../src/readiness/checks.js'

// The readiness command as a merchant's CI runs it: the built bin against dist/server.js on port 0, with the three
// fake merchants driven through the whole flow first.
t.setTimeout(120_000)
const CLI = join(ROOT, 'dist', 'cli.js')

interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

async function cli (args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const base: NodeJS.ProcessEnv = { ...process.env }
  delete base.SANDBOX_URL
  delete base.ADMIN_TOKEN
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const code = await within(new Promise<number | null>((resolve) => child.on('close', resolve)), `ottpay-sandbox ${args.join(' ')}`, 30_000)
  return { code, stdout, stderr }
}

async function runtimeMerchant (access: SandboxAccess, name: string): Promise<Merchant> {
  const res = await access.api('POST', '/sandbox/api/merchants', { name, operators: ['0000020156'] })
  if (res.status !== 201) throw new Error(`merchant: ${res.status}`)
  return res.body as Merchant
}

async function fakesOn (t: Test, access: SandboxAccess): Promise<Fakes> {
  const start = async (kind: FakeKind) => startFakeMerchant(t, kind, access, await runtimeMerchant(access, kind))
  return { careful: await start('careful'), naive: await start('naive'), broken: await start('broken-md5') }
}

t.test('readiness exits 0 for the careful merchant and 1 for the naive and the broken-md5 ones, naming what failed', async (t) => {
  const server = await startServer(t, { DB_FILE: ':memory:' })
  const access = httpAccess(server.url)
  const fakes = await fakesOn(t, access)
  await driveFlow(access, fakes)

  for (const fake of [fakes.careful, fakes.naive, fakes.broken]) {
    const run = await cli(['readiness', '--merchant', fake.merchant.merchant_id, '--sandbox', server.url, '--callback', fake.url, '--poll-within', '60s', '--settle', '50'])
    const expected = EXPECTED_FAILURES[fake.kind]
    t.equal(run.code, expected.length === 0 ? 0 : 1, `${fake.kind}: exit code`)
    t.match(run.stdout, new RegExp(`^Go-live readiness of ${fake.merchant.merchant_id}: ${expected.length === 0 ? 'READY' : 'NOT READY'} \\(`), `${fake.kind}: the verdict first`)
    t.equal((run.stdout.match(/\[FAIL\]/g) ?? []).length, expected.length, `${fake.kind}: one FAIL line per failed check`)
    for (const id of expected) {
      const spec = SPECS.find((s) => s.id === id)!
      t.ok(run.stdout.includes(`[FAIL] ${spec.title}`), `${fake.kind}: ${id} is a FAIL line`)
      t.ok(run.stdout.includes(`fix: ${spec.fix}\n         see docs/go-live-checklist.md#${spec.anchor}`), `${fake.kind}: ${id} says the fix and its docs section`)
    }
    t.equal(run.stderr, '', `${fake.kind}: nothing on stderr`)
  }

  // Without --callback: the URL the merchant used last. --format json: the API's report.
  const json = await cli(['readiness', '--merchant', fakes.careful.merchant.merchant_id, '--format', 'json', '--settle', '0'], { SANDBOX_URL: server.url })
  t.equal(json.code, 0)
  const report = JSON.parse(json.stdout) as { ready: boolean, probe: { url: string } }
  t.equal(report.probe.url, fakes.careful.url)
  t.equal(report.ready, true)
})

t.test('readiness: a bad command line exits 2, an unreachable sandbox 1', async (t) => {
  const usage = await cli(['readiness'])
  t.equal(usage.code, 2)
  t.match(usage.stderr, /^ottpay-sandbox readiness: --merchant is required\n/)
  const help = await cli(['readiness', '--help'])
  t.equal(help.code, 0)
  t.match(help.stdout, /^Usage: ottpay-sandbox readiness --merchant ID/)
  const down = await cli(['readiness', '--merchant', 'QC00005496', '--sandbox', 'http://127.0.0.1:9'])
  t.equal(down.code, 1)
  t.match(down.stderr, /cannot reach the sandbox at http:\/\/127\.0\.0\.1:9/)
})

t.test('readiness with ADMIN_TOKEN: the token from --token or the environment', async (t) => {
  const server = await startServer(t, { DB_FILE: ':memory:', ADMIN_TOKEN: 'cli-readiness-token' })
  const refused = await cli(['readiness', '--merchant', 'QC00005496', '--sandbox', server.url])
  t.equal(refused.code, 1)
  t.match(refused.stderr, /HTTP 401: UNAUTHORIZED/)
  // No order, no callback URL: the probe cannot run, the report comes anyway (nothing failed).
  const open = await cli(['readiness', '--merchant', 'QC00005496', '--sandbox', server.url], { ADMIN_TOKEN: 'cli-readiness-token' })
  t.equal(open.code, 0)
  t.match(open.stderr, /the callback probe did not run: merchant QC00005496 has sent no callback URL yet/)
  t.match(open.stdout, /: READY \(0 passed, 0 failed, 14 not yet exercised\)/)
})
