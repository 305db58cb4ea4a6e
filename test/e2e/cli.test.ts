import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { SERVE_FLAGS } from '../../src/cli/serve-flags.js'
import { loadConfig } from '../../src/config/config.js'
import { deriveKey, encrypt, MAX_DATA_DEPTH, md5Upper, seal } from '../../src/crypto/index.js'
import { childEnv, ROOT, within } from '../helpers/process.js'
import { TEA } from '../helpers/server-calls.js'
import { VECTORS } from '../helpers/vectors.js'

// Some fifty runs of the built bin, as users run it (npm test builds before tap): more than the default file timeout
// allows on a busy machine.
t.setTimeout(180_000)
const CLI = join(ROOT, 'dist', 'cli.js')
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }

interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the bin to its end with `input` on stdin. */
async function cli (args: string[], input = '', env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  child.stdin.end(input)
  const code = await within(new Promise<number | null>((resolve) => child.on('close', resolve)), `ottpay-sandbox ${args.join(' ')}`)
  return { code, stdout, stderr }
}

interface Served {
  url: string
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

/** Starts `ottpay-sandbox <args>` in `cwd` and waits for the start line; killed at teardown if still running. */
async function serve (t: Test, args: string[], cwd: string): Promise<Served> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await within(exited, 'the server to go').catch(() => undefined)
  })
  const url = new Promise<string>((resolve, reject) => {
    const look = (chunk: string) => {
      output += chunk
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match !== null) resolve(match[1]!)
    }
    child.stdout.setEncoding('utf8').on('data', look)
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
    exited.then((code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)))
  })
  return { url: await within(url, 'the start line'), child, output: () => output, exited }
}

t.test('dist/cli.js is built (npm test builds before tap)', async (t) => {
  t.ok(existsSync(CLI), `${CLI} is missing: run npm run build`)
})

t.test('--help and -h print the commands and exit 0', async (t) => {
  for (const flag of ['--help', '-h']) {
    const run = await cli([flag])
    t.equal(run.code, 0, flag)
    t.match(run.stdout, new RegExp(`^ottpay-sandbox ${PKG.version.replace(/\./g, '\\.')}: `), `${flag}: names itself and its version`)
    for (const command of ['serve', 'seal', 'open']) t.match(run.stdout, new RegExp(`\\n {2}${command} `), `${flag}: lists ${command}`)
    t.equal(run.stderr, '')
  }
})

t.test('every command has its own --help, which wins over other options', async (t) => {
  const serveHelp = await cli(['serve', '--help'])
  t.equal(serveHelp.code, 0)
  for (const f of SERVE_FLAGS) {
    t.ok(serveHelp.stdout.includes(`--${f.flag} ${f.value}\n      ${f.env}: `), `serve --help shows --${f.flag} and ${f.env}`)
  }
  const sealHelp = await cli(['seal', '-h'])
  t.equal(sealHelp.code, 0)
  for (const flag of ['--key KEY', '--action ACTION', '--merchant ID', '--version V']) t.ok(sealHelp.stdout.includes(flag), `seal --help shows ${flag}`)
  const openHelp = await cli(['open', '--bogus', '--help'])
  t.equal(openHelp.code, 0, 'help despite an unknown option')
  t.match(openHelp.stdout, /^Usage: ottpay-sandbox open --key KEY/)
  t.equal(openHelp.stderr, '')
  t.equal((await cli(['--port', '0', '--help'])).stdout, serveHelp.stdout, 'options without a command are serve\'s')
})

t.test('--version prints the package version', async (t) => {
  const run = await cli(['--version'])
  t.same(run, { code: 0, stdout: `${PKG.version}\n`, stderr: '' })
})

t.test('seal then open gives back the data, in its key order, one JSON line each', async (t) => {
  const data = { order_id: 'CLI1', amount: '100', note: 'thé & 张三', nested: { a: 1 }, empty: '' }
  const sealed = await cli(['seal', '--key', 'CLI-TEST-KEY-001'], JSON.stringify(data))
  t.equal(sealed.code, 0, sealed.stderr)
  t.match(sealed.stdout, /^\{"data":"[A-Za-z0-9+/=]+","md5":"[0-9A-F]{32}"\}\n$/)
  const opened = await cli(['open', '--key', 'CLI-TEST-KEY-001'], sealed.stdout)
  t.same(opened, { code: 0, stdout: `${JSON.stringify(data)}\n`, stderr: '' })
})

t.test('seal of each golden vector gives its md5 and ciphertext; open gives its data', async (t) => {
  t.ok(VECTORS.some((v) => v.name === 'appendix-a'), 'the Appendix A example is among them')
  for (const v of VECTORS) {
    const sealed = await cli(['seal', '--key', v.sign_key], JSON.stringify(v.data))
    t.same(JSON.parse(sealed.stdout), { data: v.encrypted, md5: v.md5 }, `${v.name}: seal`)
    const opened = await cli(['open', '--key', v.sign_key], JSON.stringify({ data: v.encrypted, md5: v.md5 }))
    t.same(JSON.parse(opened.stdout), v.data, `${v.name}: open`)
  }
})

t.test('seal --action --merchant prints a whole request, with the action\'s documented version by default', async (t) => {
  const data = JSON.stringify({ amount: '1' })
  const cases: Array<[string[], string]> = [
    [['--action', 'ACTIVEPAY'], '1.0'],
    [['--action', 'H5PAY'], '2.0'],
    [['--action', 'MAPPPAY', '--version', '1.0'], '1.0'],
    [['--action', 'NOT_AN_ACTION', '--version', '9.9'], '9.9']
  ]
  for (const [args, version] of cases) {
    const run = await cli(['seal', '--key', 'K1', '--merchant', 'M1', ...args], data)
    t.equal(run.code, 0, run.stderr)
    const body = JSON.parse(run.stdout) as Record<string, string>
    t.same(Object.keys(body), ['action', 'version', 'merchant_id', 'data', 'md5'], `${args[1]}: envelope fields in order`)
    t.same({ action: body.action, version: body.version, merchant_id: body.merchant_id }, { action: args[1], version, merchant_id: 'M1' })
    t.same({ data: body.data, md5: body.md5 }, seal({ amount: '1' }, 'K1'))
  }
})

t.test('serve in an empty folder: the shipped fixtures, a request sealed by the CLI, its answer opened by the CLI', async (t) => {
  const cwd = t.testdir({})
  const server = await serve(t, ['serve', '--port', '0', '--db-file', ':memory:'], cwd)
  t.match(server.output(), /· data: :memory: · merchants: .*QC00005496/, 'the package\'s own merchants')

  const data = { order_id: 'CLIPIPE1', operator_id: TEA.operators[0]!, amount: '250', biz_type: 'WECHATPAY', call_back_url: 'http://127.0.0.1:9/cb' }
  const request = await cli(['seal', '--key', TEA.sign_key, '--action', 'ACTIVEPAY', '--merchant', TEA.merchant_id], JSON.stringify(data))
  t.equal(request.code, 0, request.stderr)
  const res = await fetch(`${server.url}/processV2`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: request.stdout,
    signal: AbortSignal.timeout(10_000)
  })
  const answer = await res.text()
  t.match(JSON.parse(answer), { rsp_code: 'SUCCESS' })
  const opened = await cli(['open', '--key', TEA.sign_key], answer)
  t.equal(opened.code, 0, opened.stderr)
  t.match(JSON.parse(opened.stdout), { order_id: 'CLIPIPE1', code_url: /^weixin:\/\/wxpay\/bizpayurl\?pr=/ })
  const orders = await (await fetch(`${server.url}/sandbox/api/orders?merchant_id=${TEA.merchant_id}`)).json() as { orders: Array<{ order_id: string }> }
  t.same(orders.orders.map((o) => o.order_id), ['CLIPIPE1'])

  server.child.kill('SIGTERM')
  t.equal(await within(server.exited, 'the server to stop on SIGTERM'), 0, 'SIGTERM: exit code 0')
  t.same(readdirSync(cwd), [], 'nothing written to the working folder')
})

t.test('serve\'s options set the variables; options without a command start the server', async (t) => {
  const dir = t.testdir({})
  const dbFile = join(dir, 'sandbox.json')
  const server = await serve(t, ['--port', '0', '--db-file', dbFile, '--admin-token', 'cli-token-123'], dir)
  t.ok(server.output().includes(`· data: ${dbFile} ·`), '--db-file')
  const locked = await fetch(`${server.url}/sandbox/api/orders`)
  t.equal(locked.status, 401, '--admin-token locks the control API')
  const open = await fetch(`${server.url}/sandbox/api/orders`, { headers: { 'x-admin-token': 'cli-token-123' } })
  t.equal(open.status, 200, 'and the token opens it')
})

t.test('a bad option value stops the start with exit code 1, naming the variable it sets', async (t) => {
  const run = await cli(['serve', '--port', 'abc', '--db-file', ':memory:'])
  t.equal(run.code, 1)
  t.match(run.stderr, /^ottpay-sandbox cannot start: PORT must be a whole number from 0 to 65535, got "abc"/)
})

t.test('open says why it cannot open, on stderr, with exit code 1', async (t) => {
  const data = { order_id: 'A1', amount: '100' }
  const sealed = seal(data, 'RIGHT-KEY-00001')
  // Encrypted with a key derived from another md5 than the one sent: decrypts, but the digest does not match.
  const otherMd5 = md5Upper('something else')
  const mismatched = { data: encrypt(JSON.stringify(data), deriveKey(otherMd5, 'RIGHT-KEY-00001')), md5: otherMd5 }
  const cases: Array<[string, unknown, RegExp]> = [
    ['wrong key', sealed, /cannot open \(DECRYPT_FAILED\): data could not be decrypted[^\n]*\n {2}hint: /],
    ['md5 mismatch', mismatched, new RegExp(`cannot open \\(MD5_MISMATCH\\): md5 does not match[^\\n]*\\n {2}decrypted text: \\{"order_id":"A1","amount":"100"\\}\\n {2}canonical string: 100A1\\n {2}md5 of that: ${md5Upper('100A1')}, received: ${otherMd5}`)],
    ['bad Base64', { data: 'not base64!', md5: sealed.md5 }, /cannot open \(BAD_BASE64\): data is not valid Base64/],
    ['a rejected answer', { rsp_code: 'PARAM_INVALID', rsp_msg: 'invalid parameter: amount is required' }, /the answer carries no data to open: rsp_code PARAM_INVALID, rsp_msg invalid parameter: amount is required/],
    ['no data field', { md5: sealed.md5 }, /stdin must have the string fields data and md5/],
    ['an array', [sealed], /stdin must be a JSON object \(the sealed data\), got an array/]
  ]
  for (const [name, input, message] of cases) {
    const key = name === 'wrong key' ? 'WRONG-KEY-00001' : 'RIGHT-KEY-00001'
    const run = await cli(['open', '--key', key], JSON.stringify(input))
    t.equal(run.code, 1, `${name}: exit code`)
    t.match(run.stderr, /^ottpay-sandbox open: /, `${name}: names the command`)
    t.match(run.stderr, message, name)
    t.equal(run.stdout, '', `${name}: nothing on stdout`)
  }
  const notJson = await cli(['open', '--key', 'K'], '{"data": ')
  t.equal(notJson.code, 1)
  t.match(notJson.stderr, /stdin is not JSON \(.+\): expected the sealed data as a JSON object/)
  const empty = await cli(['seal', '--key', 'K'], '')
  t.equal(empty.code, 1)
  t.match(empty.stderr, /stdin is empty: expected the data to seal as a JSON object/)
})

t.test('seal and open refuse data nested deeper than MAX_DATA_DEPTH: one line on stderr, exit 1, no stack trace', async (t) => {
  const key = 'DEPTH-CLI-KEY-01'
  /** `{"order_id":"D1","extra":…}` nested `depth` levels in all, as text (JSON.stringify could not build 100,000). */
  const nested = (depth: number): string => `{"order_id":"D1","extra":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`
  const oneLine = (t: Test, run: Ran, command: string, message: RegExp): void => {
    t.equal(run.code, 1, 'exit code 1')
    t.equal(run.stdout, '', 'nothing on stdout')
    t.match(run.stderr, new RegExp(`^ottpay-sandbox ${command}: `), 'names the command')
    t.match(run.stderr, message)
    t.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr.slice(0, 300)}`)
    t.notMatch(run.stderr, /RangeError|Maximum call stack/, 'no stack trace')
  }

  const within = await cli(['seal', '--key', key], nested(MAX_DATA_DEPTH))
  t.equal(within.code, 0, `${MAX_DATA_DEPTH} levels seal: ${within.stderr}`)
  t.same(JSON.parse(within.stdout), seal(JSON.parse(nested(MAX_DATA_DEPTH)) as Record<string, unknown>, key))

  for (const depth of [MAX_DATA_DEPTH + 1, 100_000]) {
    t.test(`seal, ${depth} levels`, async (t) => {
      oneLine(t, await cli(['seal', '--key', key], nested(depth)), 'seal',
        new RegExp(`stdin is nested too deeply: ${depth} levels of objects and arrays, the limit is ${MAX_DATA_DEPTH} \\(level 33 starts at \\$\\.extra(\\[0\\]){31}\\)`))
    })
    t.test(`open, ${depth} levels`, async (t) => {
      // Sealed by hand: the md5 is not the digest, and the depth must be refused before that is found out.
      const md5 = md5Upper('not the digest')
      const sealed = { data: encrypt(nested(depth), deriveKey(md5, key)), md5 }
      oneLine(t, await cli(['open', '--key', key], JSON.stringify(sealed)), 'open',
        new RegExp(`cannot open \\(JSON_TOO_DEEP\\): data decrypted, but its JSON is nested too deeply: ${depth} levels of objects and arrays, the limit is ${MAX_DATA_DEPTH}`))
    })
  }
})

t.test('a bad command line exits 2 with the message and the usage on stderr', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /^ottpay-sandbox: unknown command "frobnicate"; the commands are serve, seal, open, readiness\n\nUsage:\n/],
    [['seal', '--key', 'K', '--bogus', 'x'], /^ottpay-sandbox seal: .*'--bogus'[\s\S]*\nUsage: ottpay-sandbox seal /],
    [['--bogus'], /^ottpay-sandbox serve: .*'--bogus'[\s\S]*\nUsage: ottpay-sandbox \[serve\] /],
    [['seal'], /^ottpay-sandbox seal: --key is required\n/],
    [['open', '--key', ' '], /^ottpay-sandbox open: --key must not be empty\n/],
    [['seal', '--key', 'K', '--merchant', 'M'], /--merchant and --version build a whole request: give --action too/],
    [['seal', '--key', 'K', '--action', 'ACTIVEPAY'], /--merchant is required/],
    [['seal', '--key', 'K', '--action', 'NOPE', '--merchant', 'M'], /unknown action NOPE: give --version, or use one of STATUS_QUERY, .*ACTIVEPAY/],
    [['serve', 'extra'], /^ottpay-sandbox serve: .*'extra'/],
    [['serve', '--port'], /^ottpay-sandbox serve: .*'--port.*missing/]
  ]
  for (const [args, message] of cases) {
    const run = await cli(args, '{}')
    t.equal(run.code, 2, `${args.join(' ')}: exit code`)
    t.match(run.stderr, message, args.join(' '))
    t.match(run.stderr, /\nRun `ottpay-sandbox( \w+)? --help` for details\.\n$/, `${args.join(' ')}: points to --help`)
    t.equal(run.stdout, '', `${args.join(' ')}: nothing on stdout`)
  }
})

t.test('serve has one option for every variable loadConfig reads', async (t) => {
  const read = new Set<string>()
  const spy = new Proxy({}, { get: (_target, name) => { if (typeof name === 'string') read.add(name) } })
  loadConfig(spy as NodeJS.ProcessEnv)
  t.ok(read.size >= 14, `it reads ${read.size} variables`)
  t.same([...read].sort(), SERVE_FLAGS.map((f) => f.env).sort())
  for (const f of SERVE_FLAGS) t.equal(f.flag, f.env.toLowerCase().replace(/_/g, '-'), `--${f.flag} is ${f.env} spelled as an option`)
})

t.test('the defaults serve --help shows are the ones config.ts applies', async (t) => {
  const defaults = loadConfig({}, ROOT)
  for (const f of SERVE_FLAGS) {
    if (f.fallback === undefined) continue
    t.same(loadConfig({ [f.env]: f.fallback }, ROOT), defaults, `${f.env}=${f.fallback}`)
  }
})
