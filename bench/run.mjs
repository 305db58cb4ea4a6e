/**
 * `npm run bench`: measures, in one run on this machine, (a) a bare node:http ceiling, (b) the sandbox creating an
 * ACTIVEPAY order per request on an empty store, (c) the same with many stored orders, (d) a burst of paid orders'
 * callbacks, and the time from process start to ready; prints the tables and writes them to BENCHMARKS.md.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { callbackBurst } from './callback-burst.mjs'
import { cyclingPool, envelopePool } from './envelopes.mjs'
import { runLoad, warmUp } from './load.mjs'
import { HELP, OptionError, readOptions } from './options.mjs'
import { killAll, runScript, startProcess, startSandbox } from './processes.mjs'
import { machine, renderFile, renderTables } from './report.mjs'

const CEILING = new URL('./ceiling-server.mjs', import.meta.url).pathname
const SEED = new URL('./seed-orders.mjs', import.meta.url).pathname
/** The most requests a phase is expected to send per second; past it the pool seals as it goes (and says so). */
const POOL_RATE = 6000

const say = (text) => process.stderr.write(`bench: ${text}\n`)

/** What the store holds, from `GET /sandbox/api/stats` when the sandbox has it: `{ orders?, segments?, retention?, pruned? }`. */
async function storeCounts (url) {
  const res = await fetch(`${url}/sandbox/api/stats`).catch(() => undefined)
  if (res?.status !== 200) return {}
  const stats = await res.json()
  const number = (value) => typeof value === 'number' ? value : undefined
  return {
    orders: number(stats.orders) ?? number(stats.orders?.total),
    segments: number(stats.segments),
    retention: number(stats.retention_orders),
    pruned: number(stats.pruned)
  }
}

/** Measures phase (b) or (c) on a running sandbox. */
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

async function main (options) {
  const dir = await mkdtemp(join(tmpdir(), 'ottpay-bench-'))
  const now = Date.now()
  const result = { machine: machine(), options }
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
    const empty = await startSandbox(join(dir, 'empty', 'sandbox.json'))
    const emptyLoad = await sandboxLoad(empty, 'BENCHB', options)
    result.empty = { ...emptyLoad, memory: empty.memory(), readyMs: emptyReady }
    await empty.stop()

    say(`seeding ${options.orders.toLocaleString('en-US')} stored orders`)
    result.seed = JSON.parse(await runScript(SEED, [join(dir, 'seeded'), String(options.orders), String(now)]))

    say(`start → ready, ${options.orders.toLocaleString('en-US')} stored orders, ${options.starts} starts`)
    const seededReady = await readyTimes(result.seed.dbFile, options.starts, false)

    say(`(c) sandbox ACTIVEPAY, ${options.orders.toLocaleString('en-US')} stored orders, ${options.duration} s`)
    const seeded = await startSandbox(result.seed.dbFile)
    const memoryIdle = seeded.memory()
    const seededLoad = await sandboxLoad(seeded, 'BENCHC', options)
    result.seeded = { ...seededLoad, memoryIdle, memoryAfter: seeded.memory(), readyMs: seededReady, stored: await storeCounts(seeded.url) }
    await seeded.stop()

    say(`(d) ${options.callbacks.toLocaleString('en-US')} orders paid at once, callbacks to a local receiver`)
    const burst = await startSandbox(join(dir, 'callbacks', 'sandbox.json'))
    const waitMs = 30_000
    result.callbacks = { ...await callbackBurst({ url: burst.url, count: options.callbacks, waitMs }), waitMs }
    await burst.stop()
  } finally {
    killAll()
    await rm(dir, { recursive: true, force: true })
  }
  return result
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
  if (options.out !== undefined) {
    const file = resolve(options.out)
    await writeFile(file, renderFile(result))
    say(`wrote ${file}`)
  }
}
