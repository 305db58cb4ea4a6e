/**
 * `npm run bench`: measures, in one run on this machine, (a) a bare node:http ceiling, (b) the sandbox creating an
 * ACTIVEPAY order per request on an empty store, (c) the same with many stored orders (a CI history, nearly all
 * closed), (e) the same with as many stored orders of which half are open, (d) a burst of paid orders' callbacks,
 * (f) another merchant's callbacks while one merchant's receiver hangs, and the time from process start to ready;
 * prints the tables and writes them to BENCHMARKS.md.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { loadConfig } from '../dist/config/config.js'
import { callbackBurst } from './callback-burst.mjs'
import { describe } from './cpu-profile.mjs'
import { cyclingPool, envelopePool } from './envelopes.mjs'
import { hangingReceiver } from './hanging-receiver.mjs'
import { runLoad, warmUp } from './load.mjs'
import { HELP, OptionError, readOptions } from './options.mjs'
import { killAll, ROOT, runScript, startProcess, startSandbox } from './processes.mjs'
import { machine, renderFile, renderTables } from './report.mjs'

const CEILING = new URL('./ceiling-server.mjs', import.meta.url).pathname
const SEED = new URL('./seed-orders.mjs', import.meta.url).pathname
/** The most requests a phase is expected to send per second; past it the pool seals as it goes (and says so). */
const POOL_RATE = 6000

const say = (text) => process.stderr.write(`bench: ${text}\n`)

/** What the store holds, from `GET /sandbox/api/stats`: `{ orders?, open?, compactions?, retention?, pruned? }`. */
async function storeCounts (url) {
  const res = await fetch(`${url}/sandbox/api/stats`).catch(() => undefined)
  if (res?.status !== 200) return {}
  const stats = await res.json()
  const number = (value) => typeof value === 'number' ? value : undefined
  return {
    orders: number(stats.orders?.total),
    open: number(stats.orders?.by_status?.init),
    compactions: number(stats.compactions),
    retention: number(stats.retention_orders),
    pruned: number(stats.pruned)
  }
}

/** Measures phase (b), (c) or (e) on a running sandbox. */
async function sandboxLoad (sandbox, prefix, options) {
  const pool = envelopePool(prefix, (options.warmup + options.duration) * POOL_RATE)
  await warmUp({ url: sandbox.url, pool, connections: options.connections, seconds: options.warmup })
  const load = await runLoad({ url: sandbox.url, pool, connections: options.connections, duration: options.duration })
  return { load, sealedLive: pool.sealedLive }
}

/** Starts and stops a sandbox `starts` times on `dbFile` (a fresh file each time when `fresh`); the ready times. */
async function readyTimes (dbFile, starts, fresh) {
  const times = []
  for (let n = 0; n < starts; n++) {
    const file = fresh ? `${dbFile}.${n}.json` : dbFile
    const sandbox = await startSandbox(file)
    times.push(sandbox.readyMs)
    await sandbox.stop()
  }
  return times
}

/** The callback settings the sandbox runs with in (d) and (f): its defaults, as the built config reads them. */
function callbackSettings () {
  const config = loadConfig({}, ROOT)
  return { concurrency: config.callbackConcurrency, perHost: config.callbackConcurrencyPerHost, timeoutMs: config.callbackTimeoutMs }
}

async function main (options) {
  const dir = await mkdtemp(join(tmpdir(), 'ottpay-bench-'))
  const t0 = performance.now()
  const now = Date.now()
  const result = { machine: machine(), options, callbackSettings: callbackSettings() }
  if (options.cpuProf !== undefined) await mkdir(options.cpuProf, { recursive: true })
  /** Under --cpu-prof, the sandbox of `phase` writes `<dir>/<phase>.cpuprofile` as it exits. */
  const profiled = (phase) => options.cpuProf === undefined
    ? {}
    : { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`, `--cpu-prof-name=${phase}.cpuprofile`] }
  const stored = options.orders.toLocaleString('en-US')
  try {
    say(`(a) ceiling: bare node:http, ${options.duration} s`)
    const ceiling = await startProcess(CEILING)
    const ceilingPool = cyclingPool(1000)
    await warmUp({ url: ceiling.url, pool: ceilingPool, connections: options.connections, seconds: options.warmup })
    result.ceiling = { load: await runLoad({ url: ceiling.url, pool: ceilingPool, connections: options.connections, duration: options.duration }), memory: ceiling.memory() }
    await ceiling.stop()

    say(`start → ready, empty store, ${options.starts} starts`)
    const emptyReady = await readyTimes(join(dir, 'ready-empty'), options.starts, true)

    say(`(b) sandbox ACTIVEPAY, empty store, ${options.duration} s`)
    const empty = await startSandbox(join(dir, 'empty', 'sandbox.json'), {}, profiled('b'))
    const emptyLoad = await sandboxLoad(empty, 'BENCHB', options)
    result.empty = { ...emptyLoad, memory: empty.memory(), readyMs: emptyReady }
    await empty.stop()

    say(`seeding ${stored} stored orders`)
    result.seed = JSON.parse(await runScript(SEED, [join(dir, 'seeded'), String(options.orders), String(now)]))

    say(`start → ready, ${stored} stored orders, ${options.starts} starts`)
    const seededReady = await readyTimes(result.seed.dbFile, options.starts, false)

    say(`(c) sandbox ACTIVEPAY, ${stored} stored orders, ${options.duration} s`)
    const seeded = await startSandbox(result.seed.dbFile, {}, profiled('c'))
    const memoryIdle = seeded.memory()
    const seededLoad = await sandboxLoad(seeded, 'BENCHC', options)
    result.seeded = { ...seededLoad, memoryIdle, memoryAfter: seeded.memory(), readyMs: seededReady, stored: await storeCounts(seeded.url) }
    await seeded.stop()

    say(`seeding ${stored} stored orders, ${options.open.toLocaleString('en-US')} of them open`)
    const share = options.orders === 0 ? 0 : options.open / options.orders
    result.openSeed = JSON.parse(await runScript(SEED, [join(dir, 'open'), String(options.orders), String(now), String(share)]))

    say(`(e) sandbox ACTIVEPAY, ${stored} stored orders, ${options.open.toLocaleString('en-US')} open, ${options.duration} s`)
    const open = await startSandbox(result.openSeed.dbFile, {}, profiled('e'))
    const openIdle = open.memory()
    const openLoad = await sandboxLoad(open, 'BENCHE', options)
    result.open = { ...openLoad, memoryIdle: openIdle, memoryAfter: open.memory(), readyMs: open.readyMs, stored: await storeCounts(open.url) }
    await open.stop()

    say(`(d) ${options.callbacks.toLocaleString('en-US')} orders paid at once, callbacks to a local receiver`)
    const burst = await startSandbox(join(dir, 'callbacks', 'sandbox.json'), {}, profiled('d'))
    const waitMs = 30_000
    result.callbacks = { ...await callbackBurst({ url: burst.url, count: options.callbacks, waitMs }), waitMs }
    await burst.stop()

    say(`(f) ${options.hanging.toLocaleString('en-US')} callbacks hanging at one receiver, ${options.others} of another merchant's orders paid`)
    const fairness = await startSandbox(join(dir, 'fairness', 'sandbox.json'), {}, profiled('f'))
    result.fairness = await hangingReceiver({ url: fairness.url, hanging: options.hanging, others: options.others })
    await fairness.stop()
  } finally {
    killAll()
    await rm(dir, { recursive: true, force: true })
  }
  result.elapsedMs = performance.now() - t0
  return result
}

/** Under --cpu-prof: each phase's profile, summarised. */
async function printProfiles (dir) {
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    say(`profile ${join(dir, file)}\n${describe(JSON.parse(await readFile(join(dir, file), 'utf8')))}\n`)
  }
}

let options
try {
  options = readOptions(process.argv.slice(2))
} catch (err) {
  if (!(err instanceof OptionError)) throw err
  console.error(`bench: ${err.message}`)
  process.exit(2)
}
process.once('SIGINT', () => {
  killAll()
  process.exit(130)
})
if (options.help) {
  console.log(HELP)
} else {
  const result = await main(options).catch((err) => {
    console.error(`bench: failed: ${err.stack ?? err}`)
    process.exit(1)
  })
  console.log(renderTables(result))
  if (options.cpuProf !== undefined) await printProfiles(options.cpuProf)
  if (options.out !== undefined) {
    const file = resolve(options.out)
    await writeFile(file, renderFile(result))
    say(`wrote ${file}`)
  }
}
