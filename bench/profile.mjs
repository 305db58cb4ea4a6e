/**
 * `node bench/profile.mjs [--duration s] [--warmup s] [--connections n] [--top n] [--dir d] [--summarise f]`: where the sandbox's
 * time goes on the hot path. In one session on this machine it measures (1) the bare node:http ceiling
 * (bench/ceiling-server.mjs), (2) the sandbox answering ACTIVEPAY with a new order per request on `DB_FILE=:memory:`,
 * then (3) runs the same load once more under `node --cpu-prof` and prints the top self-time functions of that
 * profile, and the self time by source file. Run `npm run build` first. See docs/performance.md.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { cyclingPool, envelopePool } from './envelopes.mjs'
import { runLoad, warmUp } from './load.mjs'
import { killAll, ROOT, startProcess, startSandbox } from './processes.mjs'

const CEILING = new URL('./ceiling-server.mjs', import.meta.url).pathname
const say = (text) => process.stderr.write(`profile: ${text}\n`)

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '20' },
    top: { type: 'string', default: '25' },
    // Functions whose total time (themselves and what they call) is reported too.
    inclusive: { type: 'string', default: 'processEnvelope,openDetailed,seal,problem,normalizeData,handle,record,buildEntry,parseReply,run,serialize' },
    dir: { type: 'string' },
    // Only summarise this .cpuprofile, measuring nothing.
    summarise: { type: 'string' }
  }
})
const duration = Number(values.duration)
const warmup = Number(values.warmup)
const connections = Number(values.connections)
const POOL_RATE = 12_000

async function sandboxRun (prefix, nodeArgs = []) {
  const sandbox = await startSandbox(':memory:', {}, { nodeArgs })
  const pool = envelopePool(prefix, (warmup + duration) * POOL_RATE)
  await warmUp({ url: sandbox.url, pool, connections, seconds: warmup })
  const load = await runLoad({ url: sandbox.url, pool, connections, duration })
  await sandbox.stop()
  return load
}

/** Self time per function (name, file, line) and per file, in % of all samples. */
function summarise (profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const fns = new Map()
  const files = new Map()
  for (const [id, time] of self) {
    const { callFrame: f } = byId.get(id)
    const file = f.url === '' ? '(native)' : f.url.replace(`file://${ROOT}`, '').replace(/^.*node_modules\//, 'node_modules/')
    const key = `${f.functionName || '(anonymous)'}  ${file}${f.url === '' ? '' : `:${f.lineNumber + 1}`}`
    fns.set(key, (fns.get(key) ?? 0) + time)
    const group = file.startsWith('node_modules/') ? file.split('/').slice(0, file.startsWith('node_modules/@') ? 3 : 2).join('/') : file
    files.set(group, (files.get(group) ?? 0) + time)
  }
  // Total time: each sample counts once for every listed function on its stack.
  const parent = new Map()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const wanted = new Set(values.inclusive.split(','))
  const inclusive = new Map()
  for (const [id, time] of self) {
    const seen = new Set()
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at).callFrame.functionName
      if (wanted.has(name) && !seen.has(name)) {
        seen.add(name)
        inclusive.set(name, (inclusive.get(name) ?? 0) + time)
      }
    }
  }
  const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, t]) => `${(100 * t / total).toFixed(1).padStart(5)} %  ${k}`)
  return { functions: top(fns, Number(values.top)), files: top(files, Number(values.top)), inclusive: top(inclusive, wanted.size) }
}

function print (summary) {
  console.log(`\ntop self time, by function:\n${summary.functions.join('\n')}`)
  console.log(`\nself time, by file:\n${summary.files.join('\n')}`)
  console.log(`\ntotal time (self and callees) of named functions:\n${summary.inclusive.join('\n')}`)
}

async function main () {
  if (values.summarise !== undefined) return print(summarise(JSON.parse(await readFile(values.summarise, 'utf8'))))
  const dir = values.dir ?? await mkdtemp(join(tmpdir(), 'ottpay-profile-'))
  say(`ceiling: bare node:http, ${duration} s`)
  const ceiling = await startProcess(CEILING)
  const ceilingPool = cyclingPool(1000)
  await warmUp({ url: ceiling.url, pool: ceilingPool, connections, seconds: warmup })
  const top = await runLoad({ url: ceiling.url, pool: ceilingPool, connections, duration })
  await ceiling.stop()

  say(`sandbox ACTIVEPAY, DB_FILE=:memory:, ${duration} s`)
  const plain = await sandboxRun('PROFA')
  say(`the same under --cpu-prof (profile in ${dir})`)
  const profiled = await sandboxRun('PROFB', ['--cpu-prof', `--cpu-prof-dir=${dir}`])

  const file = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort().at(-1)
  const summary = summarise(JSON.parse(await readFile(join(dir, file), 'utf8')))
  const rate = (r) => `${Math.round(r.reqPerSec).toLocaleString('en-US')} req/s (p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.failed} failed)`
  console.log(`ceiling            ${rate(top)}`)
  console.log(`sandbox :memory:   ${rate(plain)}  = ${(plain.reqPerSec / top.reqPerSec).toFixed(3)} of the ceiling`)
  console.log(`under --cpu-prof   ${rate(profiled)}`)
  console.log(`\nprofile ${join(dir, file)}`)
  print(summary)
}

main().catch((err) => {
  killAll()
  console.error(err)
  process.exit(1)
})
