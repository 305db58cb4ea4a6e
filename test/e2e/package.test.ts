import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { childEnv, ROOT, within } from '../helpers/process.js'

// The package as a merchant gets it: packed, installed in an empty folder outside the repo, run through npx.
// npm test has built dist/ already; packing with --ignore-scripts does not rebuild it under other test files.
t.setTimeout(600_000)
const NPM_MS = 170_000
const SLOW = { timeout: 180_000 }

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string, version: string }
const APPENDIX_A = (JSON.parse(readFileSync(join(ROOT, 'fixtures', 'crypto-vectors.json'), 'utf8')) as {
  vectors: Array<{ name: string, sign_key: string, data: Record<string, unknown>, md5: string, encrypted: string }>
}).vectors.find((v) => v.name === 'appendix-a')!

const work = mkdtempSync(join(tmpdir(), 'ottpay-package-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
const packDir = join(work, 'pack')
const project = join(work, 'merchant-project')

/** This environment without the sandbox's variables nor those of an enclosing npm script. */
function npmEnv (): NodeJS.ProcessEnv {
  const env = childEnv({ npm_config_update_notifier: 'false' })
  for (const name of Object.keys(env)) if (/^npm_(package|lifecycle)_/.test(name) || name === 'INIT_CWD') delete env[name]
  return env
}

interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

async function run (cmd: string, args: string[], cwd: string, input = '', ms = NPM_MS): Promise<Ran> {
  const child = spawn(cmd, args, { cwd, env: npmEnv(), stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  child.stdin.end(input)
  const code = await within(new Promise<number | null>((resolve) => child.on('close', resolve)), `${cmd} ${args.join(' ')}`, ms)
  return { code, stdout, stderr }
}

/** Fails the test with the command's output when it did not exit 0. */
async function ok (t: Test, cmd: string, args: string[], cwd: string, input?: string): Promise<string> {
  const ran = await run(cmd, args, cwd, input)
  t.equal(ran.code, 0, `${cmd} ${args.join(' ')}: exit code 0`, { stderr: ran.stderr })
  return ran.stdout
}

const npx = (args: string[], input?: string) => run('npx', [PKG.name, ...args], project, input, 30_000)
let tarball: string | undefined
let installed = false

t.test('npm pack ships dist/ and fixtures/, not src/ or test/', SLOW, async (t) => {
  mkdirSync(packDir)
  const out = await ok(t, 'npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], ROOT)
  const [packed] = JSON.parse(out) as Array<{ filename: string, files: Array<{ path: string }> }>
  tarball = join(packDir, packed!.filename)
  t.ok(existsSync(tarball), `${packed!.filename} written`)
  const paths = packed!.files.map((f) => f.path)
  for (const path of ['package.json', 'dist/cli.js', 'dist/server.js', 'dist/client/index.js', 'dist/crypto/index.js', 'fixtures/crypto-vectors.json', 'fixtures/merchants.json']) {
    t.ok(paths.includes(path), `has ${path}`)
  }
  t.same(paths.filter((p) => /^(src|test|\.tap|data|node_modules)\//.test(p)), [], 'no sources, tests or local state')
  t.same(paths.filter((p) => p.endsWith('.map')), [], 'no source maps (they point at src/, which is not shipped)')
  t.ok(paths.includes('dist/client/index.d.ts'), 'types ship with the code')
})

t.test('installs in an empty project with its dependencies only', SLOW, async (t) => {
  if (tarball === undefined) throw new Error('no tarball: npm pack failed above')
  mkdirSync(project)
  await ok(t, 'npm', ['init', '-y'], project)
  await ok(t, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project)
  const cli = join(project, 'node_modules', PKG.name, 'dist', 'cli.js')
  t.equal(readFileSync(cli, 'utf8').split('\n')[0], '#!/usr/bin/env node', 'the bin starts with a node shebang')
  t.ok(existsSync(join(project, 'node_modules', 'fastify')), 'its dependencies came along')
  t.notOk(existsSync(join(project, 'node_modules', 'typescript')), 'no dev dependency: what the image\'s npm ci --omit=dev installs')
  installed = true
})

t.test('npx ottpay-sandbox: --help, --version, seal and open', SLOW, async (t) => {
  if (!installed) throw new Error('not installed: npm install failed above')
  const help = await npx(['--help'])
  t.equal(help.code, 0, help.stderr)
  t.match(help.stdout, /^ottpay-sandbox \S+: /)
  t.match(help.stdout, /\n {2}seal /)
  t.equal((await npx(['--version'])).stdout, `${PKG.version}\n`)

  const sealed = await npx(['seal', '--key', APPENDIX_A.sign_key], JSON.stringify(APPENDIX_A.data))
  t.same(JSON.parse(sealed.stdout), { data: APPENDIX_A.encrypted, md5: APPENDIX_A.md5 }, 'the Appendix A example, sealed')
  const opened = await npx(['open', '--key', APPENDIX_A.sign_key], sealed.stdout)
  t.same(JSON.parse(opened.stdout), APPENDIX_A.data, 'and opened')
  const refused = await npx(['frobnicate'])
  t.equal(refused.code, 2, 'a bad command exits 2 through npx too')
})

t.test('the installed exports: client, crypto and the golden vectors', SLOW, async (t) => {
  if (!installed) throw new Error('not installed: npm install failed above')
  const script = `
    import { createRequire } from 'node:module'
    import { seal, open, CryptoError } from 'ottpay-sandbox/crypto'
    import { createClient, verifyCallback, ClientError } from 'ottpay-sandbox/client'
    const require = createRequire(import.meta.url)
    const { vectors } = require('ottpay-sandbox/crypto-vectors.json')
    const merchants = require('ottpay-sandbox/fixtures/merchants.json')
    const a = vectors.find((v) => v.name === 'appendix-a')
    console.log(JSON.stringify({
      sealed: seal(a.data, a.sign_key),
      opened: open({ data: a.encrypted, md5: a.md5 }, a.sign_key),
      kinds: [typeof createClient, typeof verifyCallback, typeof ClientError, typeof CryptoError],
      vectorsFile: require.resolve('ottpay-sandbox/crypto-vectors.json'),
      merchants: merchants.length
    }))`
  const out = JSON.parse(await ok(t, process.execPath, ['--input-type=module', '-e', script], project)) as Record<string, unknown>
  t.same(out.sealed, { data: APPENDIX_A.encrypted, md5: APPENDIX_A.md5 })
  t.same(out.opened, APPENDIX_A.data)
  t.same(out.kinds, ['function', 'function', 'function', 'function'])
  t.equal(out.vectorsFile, join(project, 'node_modules', PKG.name, 'fixtures', 'crypto-vectors.json'), 'crypto-vectors.json is the installed file')
  t.ok((out.merchants as number) >= 2, 'fixtures/* is exported')
})

t.test('npx ottpay-sandbox serve starts in the empty project, answers /healthz and the client', SLOW, async (t) => {
  if (!installed) throw new Error('not installed: npm install failed above')
  // Its own process group, so npx and the node it starts are stopped together.
  const child = spawn('npx', [PKG.name, 'serve', '--port', '0', '--db-file', ':memory:'], {
    cwd: project, env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true
  })
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()))
  const signal = (name: NodeJS.Signals) => { try { process.kill(-child.pid!, name) } catch { /* already gone */ } }
  t.teardown(async () => {
    signal('SIGKILL')
    await within(exited, 'npx to go').catch(() => undefined)
  })
  let output = ''
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match !== null) resolve(match[1]!)
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
    exited.then(() => reject(new Error(`npx ottpay-sandbox serve ended before listening:\n${output}`)))
  })
  const base = await within(url, 'the start line', 60_000)
  t.match(output, /merchants: QC00005496/, 'the fixtures shipped in the package')

  const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) })
  t.equal(health.status, 200)
  t.same(await health.json(), { status: 'ok' })

  const script = `
    import { createClient } from 'ottpay-sandbox/client'
    const client = createClient({ baseUrl: process.argv[1], merchantId: 'QC00005496', signKey: 'SANDBOXKEY000001' })
    const answer = await client.activePay({ order_id: 'PKG1', operator_id: '0000020156', amount: '100', biz_type: 'ALIPAY', call_back_url: 'http://127.0.0.1:9/cb' })
    console.log(JSON.stringify(answer))`
  const answer = JSON.parse(await ok(t, process.execPath, ['--input-type=module', '-e', script, base], project)) as { rsp_code: string, data: { order_id: string } }
  t.equal(answer.rsp_code, 'SUCCESS', 'the installed client talks to the installed server')
  t.equal(answer.data.order_id, 'PKG1')

  signal('SIGTERM')
  await within(exited, 'npx ottpay-sandbox to stop on SIGTERM')
  t.ok(output.includes('SIGTERM received'), 'the server itself got SIGTERM and shut down cleanly')
  t.notOk(existsSync(join(project, 'data')), ':memory: wrote no data folder')
})
