// Start-up time (issue 13, docs/startup.md): `node bench/startup.mjs [runs]` after `npm run build`.
//
// 1. start → ready: spawns `node dist/server.js` on an empty store `runs` times (default 5) and times the spawn
//    until the first GET /healthz answers 200 (polled every 2 ms).
// 2. phases: as many fresh `node bench/startup.mjs --phases` children, each timing server.js's steps in process:
//    node's own start, the imports (by module group, in the order server.js loads them), config + fixtures + store,
//    buildApp, ready and listen, and the CPU time used until listening. Each figure is the median over the runs.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

async function phases () {
  const marks = [['node start (to the first line of this script)', performance.now()]]
  const step = async (name, load) => {
    const value = await load()
    marks.push([name, performance.now()])
    return value
  }
  // The groups server.js imports, heaviest shared dependencies first (each later group reuses what is loaded).
  await step('import fastify', () => import('fastify'))
  await step('import @sinclair/typebox', () => import('@sinclair/typebox'))
  const { buildApp, LOG_REDACT, LOG_SERIALIZERS } = await step('import dist/app.js (routes, protocol, the rest)', () => import('../dist/app.js'))
  const { loadConfig } = await import('../dist/config/config.js')
  const { loadFixtures } = await import('../dist/domain/fixtures.js')
  const { createStore } = await step('import config, fixtures, store', () => import('../dist/store/index.js'))
  const dir = mkdtempSync(join(tmpdir(), 'startup-'))
  const config = loadConfig({ DB_FILE: join(dir, 'sandbox.json'), LOG_LEVEL: 'warn', PORT: '0' })
  const fixtures = await loadFixtures(join(ROOT, 'fixtures'))
  const store = await step('config, fixtures, empty store', () => createStore(config.dbFile, { segmentOrders: config.segmentOrders, retentionOrders: config.retentionOrders }))
  const app = await step('buildApp', () => buildApp({ config, merchants: fixtures.merchants, outcomes: fixtures.outcomes, rates: fixtures.rates, store, logger: { level: config.logLevel, redact: LOG_REDACT, serializers: LOG_SERIALIZERS } }))
  await step('ready', () => app.ready())
  await step('listen', () => app.listen({ port: 0, host: '127.0.0.1' }))
  const out = {}
  let previous = 0
  for (const [name, at] of marks) {
    out[name] = at - previous
    previous = at
  }
  out['total to listening'] = previous
  // Less swayed than the wall clock by other processes on a busy machine (but it leaves out the time spent waiting on the disk).
  const cpu = process.cpuUsage()
  out['CPU time to listening (user + system)'] = (cpu.user + cpu.system) / 1000
  await app.close()
  await store.close()
  rmSync(dir, { recursive: true, force: true })
  process.stdout.write(JSON.stringify(out))
}

async function startToReady () {
  const dir = mkdtempSync(join(tmpdir(), 'startup-'))
  const port = 20000 + Math.floor(Math.random() * 40000)
  const started = performance.now()
  const child = spawn(process.execPath, [join(ROOT, 'dist/server.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DB_FILE: join(dir, 'sandbox.json'), LOG_LEVEL: 'warn' },
    stdio: 'ignore'
  })
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`)
        if (res.status === 200) return performance.now() - started
      } catch {}
      if (child.exitCode !== null) throw new Error(`dist/server.js exited with ${child.exitCode}`)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
  } finally {
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv.includes('--phases')) {
  await phases()
} else {
  const runs = Number(process.argv[2] ?? 5)
  // One throw-away start: the first one after a build also pays for a cold disk cache.
  await startToReady()
  const starts = []
  for (let i = 0; i < runs; i++) starts.push(await startToReady())
  console.log(`start → first GET /healthz 200, ${runs} starts (ms): ${starts.map((ms) => ms.toFixed(0)).join(' ')}; median ${median(starts).toFixed(0)}`)
  const samples = []
  for (let i = 0; i < runs; i++) samples.push(JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--phases'], { cwd: ROOT, encoding: 'utf8' })))
  console.log(`\nphases in process, median of ${runs} (ms):`)
  for (const name of Object.keys(samples[0])) console.log(`  ${name.padEnd(50)} ${median(samples.map((s) => s[name])).toFixed(0).padStart(5)}`)
}
