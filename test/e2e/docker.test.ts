import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { SERVE_FLAGS } from '../../src/cli/serve-flags.js'
import { ROOT, within } from '../helpers/process.js'

// No Docker daemon in CI: the Dockerfile is read as data, and the commands the image would run are run here,
// with the repo root standing in for the image's /app (it holds dist/ and fixtures/ the same way).

interface Instruction {
  keyword: string
  args: string
  /** 0 for the first FROM's stage, 1 for the next, … */
  stage: number
}

/** The Dockerfile's instructions: comments dropped, `\` continuations joined. */
function parseDockerfile (text: string): Instruction[] {
  const instructions: Instruction[] = []
  let stage = -1
  let pending = ''
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw)) continue
    const line = raw.trimEnd()
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' '
      continue
    }
    const whole = (pending + line).trim()
    pending = ''
    if (whole === '') continue
    const match = /^(\S+)\s*(.*)$/.exec(whole)!
    const keyword = match[1]!.toUpperCase()
    if (keyword === 'FROM') stage++
    instructions.push({ keyword, args: match[2]!.replace(/\s+/g, ' '), stage })
  }
  return instructions
}

/** An exec-form (JSON array) argument, as Docker requires for signals to reach node. */
function execForm (args: string, what: string): string[] {
  if (!args.startsWith('[')) throw new Error(`${what} is not in exec form: ${args}`)
  return JSON.parse(args) as string[]
}

/** `ENV A=1 B=2` lines of one stage, merged. */
function envOf (instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {}
  for (const i of instructions.filter((i) => i.keyword === 'ENV')) {
    for (const pair of i.args.split(' ')) {
      const eq = pair.indexOf('=')
      if (eq <= 0) throw new Error(`ENV ${i.args}: only the KEY=value form is read here`)
      env[pair.slice(0, eq)] = pair.slice(eq + 1)
    }
  }
  return env
}

const all = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))
const lastStage = Math.max(...all.map((i) => i.stage))
const final = all.filter((i) => i.stage === lastStage)
const one = (keyword: string) => final.filter((i) => i.keyword === keyword).at(-1)
const imageEnv = envOf(final)
const workdir = one('WORKDIR')?.args
const entrypoint = execForm(one('ENTRYPOINT')?.args ?? '[]', 'ENTRYPOINT')
const command = [...entrypoint, ...execForm(one('CMD')?.args ?? '[]', 'CMD')]
const healthcheck = one('HEALTHCHECK')?.args ?? ''
const healthcheckCommand = execForm(healthcheck.replace(/^(--\S+ )*CMD /, ''), 'HEALTHCHECK CMD')

/** Runs a command of the image here: `node` is this node; the environment is the image's plus `env`. */
function runImageCommand (argv: string[], env: NodeJS.ProcessEnv, stdio: 'pipe' | 'ignore' = 'pipe') {
  if (argv[0] !== 'node') throw new Error(`the image command should start with node: ${JSON.stringify(argv)}`)
  const base: NodeJS.ProcessEnv = { ...process.env }
  for (const f of SERVE_FLAGS) delete base[f.env]
  return spawn(process.execPath, argv.slice(1), { cwd: ROOT, env: { ...base, ...imageEnv, ...env }, stdio: ['ignore', stdio, stdio] })
}

async function healthcheckExitCode (port: string): Promise<number | null> {
  const child = runImageCommand(healthcheckCommand, { PORT: port }, 'ignore')
  return await within(new Promise<number | null>((resolve) => child.on('close', resolve)), 'the healthcheck command')
}

t.test('two stages, the final one on the current Node LTS', async (t) => {
  const froms = all.filter((i) => i.keyword === 'FROM')
  t.ok(froms.length >= 2, `a multi-stage build (${froms.length} stages)`)
  for (const from of froms) t.match(from.args, /^node:24(-[a-z]+)*\b/, `FROM ${from.args}: Node 24, the active LTS`)
  t.match(froms[0]!.args, / AS build$/i, 'the first stage is named build')
  t.ok(final.some((i) => i.keyword === 'COPY' && /^--from=build \S*dist \.\/dist$/.test(i.args)), 'the final stage takes the compiled dist/ from the build stage')
  t.ok(final.some((i) => i.keyword === 'RUN' && /npm ci .*--omit=dev/.test(i.args)), 'the final stage installs production dependencies only')
  t.ok(final.some((i) => i.keyword === 'COPY' && i.args === 'fixtures ./fixtures'), 'the fixtures ship in the image')
})

t.test('non-root, port 8080, a /data volume, HOST=0.0.0.0 and a healthcheck on /healthz', async (t) => {
  const user = one('USER')?.args
  t.ok(user !== undefined && !['root', '0'].includes(user.split(':')[0]!), `runs as ${user}, not root`)
  const userAt = final.findIndex((i) => i.keyword === 'USER')
  t.ok(userAt < final.findIndex((i) => i.keyword === 'CMD') && userAt < final.findIndex((i) => i.keyword === 'ENTRYPOINT'), 'USER comes before the command')
  t.equal(one('EXPOSE')?.args, '8080')
  t.match(one('VOLUME')?.args, /"\/data"/)
  t.equal(imageEnv.HOST, '0.0.0.0')
  t.equal(imageEnv.PORT, '8080', 'the exposed port')
  t.match(imageEnv.DB_FILE, /^\/data\/[^/]+\.json$/, 'the data file is in the volume')
  t.equal(workdir, '/app')
  t.equal(imageEnv.FIXTURES_DIR, '/app/fixtures', 'the shipped fixtures, where a mounted folder can replace them')
  t.match(healthcheck, /^--interval=\d+s --timeout=\d+s --start-period=\d+s --retries=\d+ CMD \[/)
  t.ok(healthcheckCommand.join(' ').includes('/healthz'), 'the healthcheck asks /healthz')
  t.same(command, ['node', 'dist/cli.js', 'serve'], 'the CLI is the entrypoint and serve the default command')
})

t.test('.dockerignore keeps node_modules, data and dist out, and nothing the Dockerfile copies', async (t) => {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
  for (const name of ['node_modules', 'data', 'dist']) t.ok(ignored.includes(name), `${name} is ignored`)
  const copied = all.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from')).flatMap((i) => i.args.split(' ').slice(0, -1))
  t.ok(copied.includes('src'), 'the Dockerfile copies src')
  for (const source of copied) t.notOk(ignored.includes(source), `${source} reaches the build context`)
})

/** What `docker run -e ADMIN_TOKEN=…` passes: HOST=0.0.0.0 needs one. */
const TOKEN = 'docker-admin-token'

t.test('without ADMIN_TOKEN the image\'s command refuses to start, naming HOST and ADMIN_TOKEN', async (t) => {
  const dbFile = join(t.testdir({}), 'sandbox.json')
  const server = runImageCommand(command, { PORT: '0', DB_FILE: dbFile, FIXTURES_DIR: join(ROOT, 'fixtures') })
  let output = ''
  server.stdout!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  server.stderr!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
  const code = await within(new Promise<number | null>((resolve) => server.on('close', resolve)), 'the refusing server to exit')
  t.equal(code, 1, 'exit code 1')
  t.match(output, /^ottpay-sandbox cannot start: HOST=0\.0\.0\.0 exposes the control API and the admin UI .*; set ADMIN_TOKEN/)
  t.notMatch(output, /listening/, 'it never listened')
  t.notMatch(output, /\n\s+at /, 'no stack trace')
})

t.test('the image\'s command serves with the image\'s environment; its healthcheck passes, then fails once it stops', async (t) => {
  const dbFile = join(t.testdir({}), 'sandbox.json')
  const server = runImageCommand(command, { PORT: '0', DB_FILE: dbFile, FIXTURES_DIR: join(ROOT, 'fixtures'), ADMIN_TOKEN: TOKEN })
  const exited = new Promise<number | null>((resolve) => server.on('close', resolve))
  t.teardown(async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
    await within(exited, 'the server to go').catch(() => undefined)
  })
  let output = ''
  const port = new Promise<string>((resolve, reject) => {
    server.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
      if (match !== null) resolve(match[1]!)
    })
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => { output += chunk })
    exited.then((code) => reject(new Error(`the image's command exited (${code}) before listening:\n${output}`)))
  })
  const listening = await within(port, 'the start line')
  t.match(output, new RegExp(`· data: ${dbFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ·`), 'DB_FILE from the environment')
  t.equal(await healthcheckExitCode(listening), 0, 'the healthcheck passes while it serves, with no token')
  const api = `http://127.0.0.1:${listening}/sandbox/api/orders`
  t.equal((await fetch(api, { signal: AbortSignal.timeout(5000) })).status, 401, 'the control API wants the token')
  t.equal((await fetch(api, { headers: { 'x-admin-token': TOKEN }, signal: AbortSignal.timeout(5000) })).status, 200, 'and takes it')

  server.kill('SIGTERM')
  t.equal(await within(exited, 'the server to stop on SIGTERM'), 0, 'SIGTERM (docker stop): exit code 0')
  t.not(await healthcheckExitCode(listening), 0, 'the healthcheck fails once it is gone')
})
