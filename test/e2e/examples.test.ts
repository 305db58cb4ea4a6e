import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { ROOT, startServer, within } from '../helpers/process.js'

// The reference clients in examples/, each in its own language, against a real sandbox process. A missing
// runtime fails (naming the Debian package, which .ci/run installs): these clients are the documentation.
t.setTimeout(120_000)

interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

interface Example {
  name: string
  /** The client's source, which names its line in the README's command block. */
  file: string
  /** The Debian package that provides the runtime (`apt-get install …`). */
  apt: string
  /** Exits 0 when the runtime is usable. */
  probe: [string, string[]]
  /** Compiles into `dir` when the language needs it. */
  compile?: (dir: string) => [string, string[]]
  run: (dir: string) => [string, string[]]
}

const EXAMPLES: Example[] = [
  {
    name: 'php',
    file: 'examples/php/activepay.php',
    apt: 'php-cli',
    probe: ['php', ['-r', 'exit(extension_loaded("openssl") ? 0 : 1);']],
    run: () => ['php', ['examples/php/activepay.php']]
  },
  {
    name: 'python',
    file: 'examples/python/activepay.py',
    apt: 'python3-cryptography',
    probe: ['python3', ['-c', 'import cryptography']],
    run: () => ['python3', ['examples/python/activepay.py']]
  },
  {
    name: 'java',
    file: 'examples/java/ActivePay.java',
    apt: 'default-jdk-headless',
    probe: ['javac', ['-version']],
    compile: (dir) => ['javac', ['-Xlint:all', '-Werror', '-d', dir, 'examples/java/ActivePay.java']],
    run: (dir) => ['java', ['-cp', dir, 'ActivePay']]
  },
  {
    name: 'csharp',
    file: 'examples/csharp/ActivePay.cs',
    apt: 'mono-mcs',
    probe: ['mcs', ['--version']],
    compile: (dir) => ['mcs', ['-warnaserror+', `-out:${join(dir, 'ActivePay.exe')}`, 'examples/csharp/ActivePay.cs']],
    run: (dir) => ['mono', [join(dir, 'ActivePay.exe')]]
  },
  {
    name: 'node',
    file: 'examples/node/activepay.mjs',
    apt: 'nodejs',
    probe: [process.execPath, ['--version']],
    run: () => [process.execPath, ['examples/node/activepay.mjs']]
  }
]

/** The five one-line commands of the README's "Reference clients" section, which examples/README.md repeats. */
const README_COMMANDS = /## Reference clients\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))?.[1] ?? ''
const EXAMPLES_README = readFileSync(join(ROOT, 'examples', 'README.md'), 'utf8')

/** The README's command for `file`, without its comment. */
function readmeCommand (file: string): string {
  const line = README_COMMANDS.split('\n').find((candidate) => candidate.includes(file)) ?? ''
  return line.replace(/\s+#.*$/, '')
}

/** What every client prints, in this order (then the decrypted answer on the same line). */
const STEPS = [
  /^Appendix A example: md5, AES key and ciphertext match the docs$/,
  /^ACTIVEPAY: SUCCESS, md5 verified: \{.*"code_url":"weixin:\/\/wxpay\/bizpayurl\?pr=/,
  /^pay: order \S+ paid through the sandbox control API$/,
  /^callback: SUCCESS, md5 verified: \{.*"amount":"1250"/,
  /^STATUS_QUERY: SUCCESS, md5 verified: \{.*"order_status":"success"/,
  /^REFUND: SUCCESS, md5 verified: \{.*"refund_amt":"250"/,
  /^all steps passed$/
]

/** The variables the clients read: only what a test sets reaches them. */
const CLIENT_VARIABLES = ['SANDBOX_URL', 'MERCHANT_ID', 'SIGN_KEY', 'OPERATOR_ID', 'ADMIN_TOKEN']

async function run ([command, args]: [string, string[]], env: NodeJS.ProcessEnv = {}, ms = 30_000): Promise<Ran> {
  const base = { ...process.env }
  for (const name of CLIENT_VARIABLES) delete base[name]
  const child = spawn(command, args, { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const code = await within(new Promise<number | null>((resolve) => {
    child.on('error', (err) => { stderr += err.message; resolve(null) })
    child.on('close', resolve)
  }), `${command} ${args.join(' ')}`, ms).catch((err: Error) => {
    child.kill('SIGKILL')
    throw err
  })
  return { code, stdout, stderr }
}

async function api (method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000)
  })
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${await res.text()}`)
  return res.json()
}

const server = await startServer(t, { DB_FILE: ':memory:' })

for (const example of EXAMPLES) {
  t.test(example.name, async (t: Test) => {
    const probe = spawnSync(example.probe[0], example.probe[1], { stdio: 'ignore' })
    if (probe.status !== 0) {
      t.fail(`${example.name}: \`${example.probe[0]}\` is missing or unusable: apt-get install ${example.apt} (.ci/run does)`)
      return
    }
    const dir = t.testdir()
    if (example.compile !== undefined) {
      const compiled = await run(example.compile(dir))
      t.equal(compiled.code, 0, `compiles without warnings\n${compiled.stdout}${compiled.stderr}`)
      if (compiled.code !== 0) return
    }

    // A merchant of its own, so that its requests and orders are easy to find (and the env variables are read).
    const merchant = await api('POST', `${server.url}/sandbox/api/merchants`, { name: `example ${example.name}` })
    const env = { SANDBOX_URL: server.url, MERCHANT_ID: merchant.merchant_id, SIGN_KEY: merchant.sign_key, OPERATOR_ID: merchant.operators[0] }

    // The README's command, as a user types it (on this sandbox's port, the C# build in the test's folder).
    const command = readmeCommand(example.file)
    t.match(command, /^(mcs .* && )?SANDBOX_URL=http:\/\/127\.0\.0\.1:8080 \S+ /, 'the README has a one-line command')
    t.ok(EXAMPLES_README.includes(`\`${command}\``), 'examples/README.md gives the same command')
    const ran = await run(['sh', ['-c', command.replaceAll('http://127.0.0.1:8080', server.url).replaceAll('/tmp/ActivePay.exe', join(dir, 'ActivePay.exe'))]], env)
    t.equal(ran.code, 0, `exits 0\nstdout:\n${ran.stdout}\nstderr:\n${ran.stderr}`)
    t.notMatch(ran.stderr, /FAILED/)
    const lines = ran.stdout.trimEnd().split('\n')
    t.equal(lines.length, STEPS.length, 'one line per step')
    STEPS.forEach((step, i) => t.match(lines[i] ?? '', step, `step ${i + 1}`))
    const orderId = /^pay: order (\S+) /.exec(lines[2] ?? '')?.[1] ?? ''

    // The sandbox saw the three calls, each accepted, with the documented plaintext ("/" not escaped as "\/").
    const log = await api('GET', `${server.url}/sandbox/api/requests?merchant_id=${merchant.merchant_id}`)
    t.same(log.requests.map((r: any) => [r.action, r.verdict, r.rsp_code, r.crypto.md5_matches]), [
      ['REFUND', 'accepted', 'SUCCESS', true],
      ['STATUS_QUERY', 'accepted', 'SUCCESS', true],
      ['ACTIVEPAY', 'accepted', 'SUCCESS', true]
    ], 'ACTIVEPAY, STATUS_QUERY and REFUND answered SUCCESS')
    const activePay = log.requests.at(-1).crypto.plaintext as string
    // The log masks a digit run that could be a card number, and a timestamp-based order id sometimes passes Luhn:
    // the id is compared with its last four digits, the rest must be exactly as the client sealed it.
    const shownId = new RegExp(`^\\{"order_id":"${orderId.replace(/\d(?=\d{4})/g, '[\\d*]')}","operator_id":"${merchant.operators[0]}","amount":"1250"`)
    t.match(activePay, shownId, 'fields in order, compact JSON')
    t.match(activePay, /"call_back_url":"http:\/\/127\.0\.0\.1:\d+\/ottpay\/callback/, 'compact JSON, slashes not escaped')

    // The client's listener received the callback, verified it and acknowledged it with a 2xx.
    // (The sandbox records the attempt once it has read the reply, which can be just after the client moved on.)
    const orderUrl = `${server.url}/sandbox/api/orders/${orderId}?merchant_id=${merchant.merchant_id}`
    let order = await api('GET', orderUrl)
    for (let i = 0; i < 40 && order.callbacks[0]?.attempts.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      order = await api('GET', orderUrl)
    }
    t.equal(order.status, 'partial_refunded')
    t.same(order.callbacks.map((c: any) => [c.status, c.attempts.map((a: any) => a.status)]), [['delivered', [200]]])

    // An answer whose md5 is not the digest of its data is refused: the client exits non-zero and says why.
    // (This run uses the warning-free build above.)
    await api('POST', `${server.url}/sandbox/api/faults`, {
      match: { merchant_id: merchant.merchant_id, action: 'STATUS_QUERY' },
      effect: { type: 'corrupt', target: 'md5' }
    })
    const refused = await run(example.run(dir), env)
    t.not(refused.code, 0, 'a wrong md5 in an answer fails the run')
    t.match(refused.stderr, /^FAILED: md5 mismatch/m)
    t.notMatch(refused.stdout, /STATUS_QUERY: SUCCESS|all steps passed/)
  })
}
