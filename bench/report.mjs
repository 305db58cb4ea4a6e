import { cpus, loadavg, platform, release, totalmem } from 'node:os'

/** The targets of issue 13, checked against what this run measured. */
export const TARGETS = {
  emptyVsCeiling: 0.20,
  emptyVsCeilingStretch: 0.30,
  openVsEmpty: 0.90,
  rssMb: 300,
  readyEmptyMs: 300,
  readyStoredMs: 1500,
  otherCallbackMs: 1000,
  callbacksMs: 1000,
  orders: 100_000,
  open: 50_000,
  callbacks: 1000,
  hanging: 300
}
/** Issue 7's target for (c), still reported beside the others. */
const SEEDED_VS_EMPTY = 0.80

const HEADER = `# Benchmarks

Measured by \`npm run bench\` (bench/run.mjs), which rewrites this file after each full run. Everything runs on one
machine in one run: the load generator ([autocannon](https://github.com/mcollina/autocannon)), the servers it
drives, and the callback receiver share its CPUs, so compare the ratios rather than the absolute numbers.

- **(a) ceiling**: a bare \`node:http\` server (bench/ceiling-server.mjs) that reads each request and answers one canned
  sealed envelope: no server on this machine answers faster.
- **(b) sandbox, empty store**: \`node dist/server.js\` on a fresh data file (\`LOG_LEVEL=warn\`), answering ACTIVEPAY
  with a new order per request: parse, decrypt, verify the md5, validate, write the order to disk, seal the answer.
  Every request carries a new \`order_id\`; the bodies are sealed before the load starts so that the load generator's
  own crypto does not limit the measure. Only \`SUCCESS\` answers count.
- **(c) sandbox, stored orders**: the same on a data location already holding the stored orders (ACTIVEPAY orders
  over 30 days — paid, declined, expired, refunded, a few open — with their delivered callbacks), seeded through the
  store's own interface (\`createStore\` → \`orders.insert\`) before the server starts.
- **(e) sandbox, stored orders, half of them open**: the same again on as many stored orders of which half are open
  (\`init\`, created within the hour before the run, so with the default \`ORDER_EXPIRY\` of 2 h and no
  \`AUTOPAY_AFTER\` none expires or is paid while it runs: each one waits in the scheduler's queue), seeded the same
  way. This is what a contract-test history that never pays its orders looks like.
- **(d) callbacks**: that many orders paid at once (\`POST /sandbox/api/orders/:id/pay\`, all in flight together), each
  firing its sealed callback to a local \`node:http\` receiver; the time runs from the first pay request to the last
  callback received (each one opened with the merchant's key).
- **(f) one receiver hanging**: one merchant's receiver (a local \`node:http\` server on its own port) accepts every
  callback and never answers; that merchant's orders are paid at once, and once their callbacks are in flight (its
  receiver quiet for 300 ms) another merchant's orders are paid one every 100 ms, their callbacks going to a healthy
  receiver on another port. Measured: for each of those pays, the time from the pay request to its callback
  arriving. The sandbox runs with its defaults (\`CALLBACK_TIMEOUT\` 10 s; the concurrency is in the table).
- **start → ready**: from spawning \`node dist/server.js\` to the first \`GET /healthz\` 200 (Node's own start included),
  the median of several starts.
- **RSS**: the sandbox process's resident memory (\`VmRSS\`), and its peak (\`VmHWM\`), from \`/proc\`.

The targets are issue 13's; a missed one says why below, from CPU profiles of the phases under this bench's load
(\`npm run bench -- --cpu-prof <dir>\` runs every sandbox under \`node --cpu-prof\` and prints each profile's top
self-time functions).
`

/**
 * Why a target is missed, from CPU profiles of the phases (`npm run bench -- --cpu-prof <dir>`, 2026-12-03, this
 * machine with other work on it): only the causes of the targets the run missed are written into the file.
 */
const GAPS_INTRO = `## Why the missed targets are missed

The causes come from CPU profiles of the sandbox processes under this bench's own load (\`npm run bench -- --cpu-prof
<dir>\`, which runs each phase's \`node dist/server.js\` under \`node --cpu-prof\` and prints its top self-time
functions; and \`node --cpu-prof dist/server.js\` stopped once ready, for the start). Percentages are shares of the
process's sampled time, weighted by time. The machine was shared (load average about 4 on 2 CPUs), so the native
write calls and \`(idle)\` also hold time the process waited for a CPU. None of this is hidden by the tests: the
targets live here, not in \`npm test\`.
`

const CAUSES = {
  emptyVsCeiling: `- **(b)/(a) ≥ 0.20.** The ceiling reads a request and writes a canned answer; the sandbox parses, decrypts,
  checks the md5, validates, creates the order, appends it to the journal and waits for that write **before**
  answering (an answered order survives a crash), then seals the answer and records it in the request inspector.
  Profile of (b): 27 % \`(idle)\` (waiting on its journal write and on the CPU the load generator holds), 17 % in the
  native \`writeString\` of the journal append (\`FileHandle.write\` of each group commit, store/journal.js) and 8 % in
  \`writev\` answering on the sockets, 5 % garbage collection; the JavaScript is spread thin: AES 2.4 %, TypeBox error
  collection on valid data 2.5 % (errors.mjs \`FromObject\`/\`Visit\`), fastify 2.1 %, md5 1.5 %, ajv 1.5 %, the
  journal's \`encode\` 1.4 %, the inspector entry 1.1 %, building the order 1.0 %, no other function above 1 %.
  So a durable write and two syscall round trips per request, against none in the ceiling, is the gap (the profile
  predates the hot-path work of issue 13 item 6, which removed the TypeBox and inspector costs; docs/performance.md).
  Closing the rest would take answering from more than one core (cluster) or fewer syscalls per request (larger
  group commits), not a faster function.`,
  openVsEmpty: `- **(e)/(b) ≥ 0.90.** The drop comes with the 100,000 stored orders, not with the open ones: (c), on a
  history of closed orders, drops too (see (c)/(b) above). In the profile of (e)'s load (its last 12.5 s), the
  scheduler's timer queue costs 0.9 % (\`push\`, timer-queue.js; filling it at the start, a \`page\` over every
  order, is done before ready). What (b) does not have: the compaction that rewrites the whole snapshot when the
  journal passes \`JOURNAL_LIMIT_MB\` (32 MB; the seeded journal starts near it): about 150 MB at 100,000 orders,
  3.6 % of the main thread (\`capture\`, \`lines\`, snapshot-file.js \`write\`) plus the disk writes, with the
  retention pruning at the same moment; and garbage collection on a heap three times larger (6.4 % against 4.8 %).
  The phases also run one after another on a shared machine, so part of a small gap is noise between them. Closing
  it would take a compaction that does not rewrite every stored order (or a larger journal limit).`,
  rss: `- **RSS peak ≤ 300 MB at 100,000 orders.** Loaded, the 100,000-order processes hold about 205–215 MB: the store
  keeps each order's indexed fields and, for every order unchanged since the snapshot, only its place in the file
  (store/state.js, read again on demand); \`createStore\` alone on the seeded history peaks at about 200 MB with an
  empty journal. The peak comes under the 10 s of load: the empty-store process (b) itself grows to about 250 MB
  there (garbage of 4,000 requests a second that V8 keeps until it needs the room), and the 100,000-order phases add
  a compaction (the new orders pass \`JOURNAL_LIMIT_MB\`: every stored line is read back from the old snapshot and
  written to the new one, 1,000 at a time) and the retention pruning. Closing it would take a smaller young
  generation (\`--max-semi-space-size\`) for the server, or a compaction that copies byte ranges of the old snapshot
  without decoding them.`,
  ready: `- **start → ready ≤ 0.3 s empty / ≤ 1.5 s at 100,000 orders.** Empty store: Node's own start (about 70 ms) and
  loading fastify and TypeBox (about 180 ms) are most of it; schemas, the docs, the admin pages and the QR code are
  loaded on first use (docs/startup.md has the breakdown). 100,000 orders (profile of \`createStore\` alone, 3.2 s
  sampled on a loaded machine): \`JSON.parse\` of each stored line 26 % (\`parseLine\`, store/load.js: every order
  is checked before the start, so a broken one stops it naming its line), garbage collection 15 %, indexing 14 %
  (\`putOrder\`/\`putDelivery\`, store/state.js), the checks 7 % (store/check.js), reading the file 4 %. A graceful
  stop writes a last snapshot, so a start replays no journal. Closing the rest would take indexing the snapshot
  without parsing every stored order at each start (an index section with a checksum, say).`,
  otherCallback: `- **(f) other merchant's callback ≤ 1 s.** The callbacks to the hanging receiver hold their slots until
  \`CALLBACK_TIMEOUT\`; when they can take every slot (\`CALLBACK_CONCURRENCY\` without a per-receiver limit), another
  merchant's callback waits behind them for one timeout or more. A per-receiver limit
  (\`CALLBACK_CONCURRENCY_PER_HOST\`, issue 13 item 5) below the total keeps slots free for everyone else.`,
  callbacks: `- **1,000 simultaneous callbacks ≤ 1 s.** The 1,000 pays themselves take most of it (see "pay requests all
  answered"): each pay is an order update and its callback in one journal line, then the callbacks go to the one
  receiver at most \`CALLBACK_CONCURRENCY_PER_HOST\` (8) at a time. A profile of the sandbox through the same burst
  (1,000 pays at once from one Node process) shows it idle 29 % of the time, garbage collection 5 %, socket writes
  4.5 %, \`fetch\` sending the callbacks 8 %, no function of its own above 1.5 %: the bench process, which sends
  the 1,000 requests and receives and opens the 1,000 callbacks on the same two CPUs, sets much of the pace.
  Closing the rest would take sending callbacks with \`node:http\` and a keep-alive agent instead of \`fetch\`.`
}

const int = (n) => Math.round(n).toLocaleString('en-US')
const ms = (n) => n === undefined ? '—' : int(n)
/** autocannon records latencies in whole milliseconds: 0 means under one. */
const latency = (n) => n < 1 ? '< 1' : int(n)
const verdict = (ok) => ok ? '**met**' : '**missed**'
/** A ratio of two rates; a phase that served nothing has none. */
const ratio = (a, b) => b > 0 ? a / b : NaN
const ratioText = (n) => Number.isNaN(n) ? '— (nothing served)' : n.toFixed(2)

export function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export function machine () {
  const list = cpus()
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    node: process.version,
    cpu: `${list[0]?.model?.trim() ?? 'unknown CPU'} × ${list.length}`,
    memory: `${int(totalmem() / 2 ** 30)} GiB`,
    os: `${platform()} ${release()}`,
    // Other work on the machine takes CPU from both sides of the measure: the reader should know it was there.
    load: loadavg()[0].toFixed(1)
  }
}

function loadRow (name, load, memory) {
  const notOk = load.answered - load.succeeded + load.errors
  // With no answer at all, autocannon's percentiles are zeros, not latencies.
  const p = (n) => load.answered === 0 ? '—' : latency(n)
  return `| ${name} | ${int(load.reqPerSec)} | ${p(load.p50)} | ${p(load.p99)} | ${int(load.succeeded)}` +
    ` | ${notOk === 0 ? '0' : `${int(load.failed)} not SUCCESS, ${int(load.errors)} errors (${int(load.timeouts)} timeouts)`}` +
    ` | ${memory === undefined ? '—' : `${int(memory.rssMb)} (peak ${int(memory.peakMb)})`} |`
}

function readyText (starts) {
  return `${ms(median(starts))} ms (median of ${starts.length}: ${ms(Math.min(...starts))}–${ms(Math.max(...starts))})`
}

function storedText ({ orders, open, compactions, retention, pruned }) {
  if (orders === undefined) return ''
  const facts = []
  if (open !== undefined) facts.push(`${int(open)} open`)
  if (compactions !== undefined) facts.push(`${int(compactions)} compactions`)
  // At the default RETENTION_ORDERS the store prunes while the load adds orders: that work is part of the measure.
  if (retention !== undefined && retention !== null && retention > 0) facts.push(`RETENTION_ORDERS ${int(retention)}, ${int(pruned ?? 0)} oldest closed orders pruned`)
  return `${int(orders)} orders (${facts.join('; ')})`
}

function seedText (seed) {
  return `seeded in ${(seed.ms / 1000).toFixed(1)} s ` + (seed.via === 'store-api'
    ? 'through the Store interface (createStore → orders.insert with its callbacks, 500 in flight at a time)'
    : `as one data file in the single-file layout, then opened and closed once with createStore: the Store interface would have taken about ${int(seed.projectedApiMs / 1000)} s`)
}

/** Phase (f): each of the other merchant's pays, pay request → its callback at its receiver. */
function otherCallbackText (f, settings) {
  const arrived = f.delays.filter((d) => d !== undefined)
  const late = f.delays.length - arrived.length
  const delays = arrived.length === 0
    ? 'none arrived'
    : `max ${ms(Math.max(...arrived))} ms, median ${ms(median(arrived))} ms over ${int(arrived.length)} pays`
  const limits = [`CALLBACK_CONCURRENCY ${settings.concurrency}`]
  if (settings.perHost !== undefined) limits.push(`CALLBACK_CONCURRENCY_PER_HOST ${settings.perHost}`)
  limits.push(`CALLBACK_TIMEOUT ${int(settings.timeoutMs / 1000)} s`)
  return `${delays}${late > 0 ? `; ${int(late)} of ${int(f.others)} not arrived ${int(f.waitMs / 1000)} s after the last pay` : ''}` +
    ` (${int(f.hanging)} callbacks to the hanging receiver, ${int(f.atHangingReceiver)} held open by it; ${limits.join(', ')})`
}

/** The measures the targets are about, and which targets the run met. */
function evaluate (r) {
  const ratioA = ratio(r.empty.load.reqPerSec, r.ceiling.load.reqPerSec)
  const ratioE = ratio(r.open.load.reqPerSec, r.empty.load.reqPerSec)
  const peak = Math.max(r.seeded.memoryAfter.peakMb, r.open.memoryAfter.peakMb)
  const readyOk = [median(r.empty.readyMs) <= TARGETS.readyEmptyMs, median(r.seeded.readyMs) <= TARGETS.readyStoredMs]
  const fArrived = r.fairness.delays.every((d) => d !== undefined)
  const cb = r.callbacks
  return {
    ratioA,
    ratioE,
    readyOk,
    met: {
      emptyVsCeiling: ratioA >= TARGETS.emptyVsCeiling,
      openVsEmpty: ratioE >= TARGETS.openVsEmpty,
      rss: peak <= TARGETS.rssMb,
      ready: readyOk[0] && readyOk[1],
      otherCallback: fArrived && Math.max(...r.fairness.delays) <= TARGETS.otherCallbackMs,
      callbacks: cb.allDeliveredMs !== undefined && cb.allDeliveredMs <= TARGETS.callbacksMs
    }
  }
}

/** The run as Markdown: what was measured, then each target with met or missed. */
export function renderTables (r) {
  const stored = int(r.options.orders)
  const open = int(r.options.open)
  const { ratioA, ratioE, readyOk, met } = evaluate(r)
  const ratioC = ratio(r.seeded.load.reqPerSec, r.empty.load.reqPerSec)
  const memoryText = (p) => `${int(p.memoryAfter.peakMb)} MB peak (${int(p.memoryIdle.rssMb)} once loaded)`
  const cb = r.callbacks
  const cbText = cb.allDeliveredMs === undefined
    ? `only ${int(cb.delivered)} of ${int(cb.count)} delivered within ${int(cb.waitMs / 1000)} s`
    : `${ms(cb.allDeliveredMs)} ms (pay requests all answered after ${ms(cb.paysAnsweredMs)} ms)`
  const f = r.fairness
  const settings = r.callbackSettings
  const lines = [
    `Run of ${r.machine.date} · Node ${r.machine.node} · ${r.machine.cpu} · ${r.machine.memory} RAM · ${r.machine.os} · load average ${r.machine.load} at the start` +
      (r.elapsedMs === undefined ? '' : ` · the whole run took ${int(r.elapsedMs / 1000)} s`),
    '',
    `autocannon: ${r.options.connections} connections, ${r.options.duration} s per phase after ${r.options.warmup} s of warm-up` +
      (r.options.quick ? ' · **quick run** (`--quick`): not the reference' : '') +
      (r.options.cpuProf !== undefined ? ' · **profiled run** (`--cpu-prof`): not the reference' : ''),
    '',
    '| phase | req/s | p50 ms | p99 ms | SUCCESS answers | failures | RSS after, MB |',
    '|---|---:|---:|---:|---:|---|---|',
    loadRow('(a) ceiling: bare node:http, canned envelope', r.ceiling.load, r.ceiling.memory),
    loadRow('(b) sandbox ACTIVEPAY, empty store', r.empty.load, r.empty.memory),
    loadRow(`(c) sandbox ACTIVEPAY, ${stored} stored orders`, r.seeded.load, r.seeded.memoryAfter),
    loadRow(`(e) sandbox ACTIVEPAY, ${stored} stored orders, ${open} open`, r.open.load, r.open.memoryAfter),
    '',
    '| target (issue 13) | measured | verdict |',
    '|---|---|---|',
    `| (b)/(a) ≥ ${TARGETS.emptyVsCeiling.toFixed(2)} (stretch ${TARGETS.emptyVsCeilingStretch.toFixed(2)}) | ${ratioText(ratioA)} | ${verdict(met.emptyVsCeiling)}${ratioA >= TARGETS.emptyVsCeilingStretch ? ' (stretch met too)' : ''} |`,
    `| (e)/(b) ≥ ${TARGETS.openVsEmpty.toFixed(2)}, ${stored} stored orders of which ${open} open | ${ratioText(ratioE)} | ${verdict(met.openVsEmpty)} |`,
    `| RSS peak ≤ ${TARGETS.rssMb} MB at ${stored} orders (the (c) and (e) processes) | (c) ${memoryText(r.seeded)}; (e) ${memoryText(r.open)} | ${verdict(met.rss)} |`,
    `| start → ready ≤ ${TARGETS.readyEmptyMs / 1000} s empty / ≤ ${TARGETS.readyStoredMs / 1000} s at ${stored} orders | empty: ${readyText(r.empty.readyMs)}; ${stored} orders: ${readyText(r.seeded.readyMs)} | ${verdict(met.ready)}${readyOk[0] === readyOk[1] ? '' : ` (empty ${readyOk[0] ? 'met' : 'missed'}, ${stored} orders ${readyOk[1] ? 'met' : 'missed'})`} |`,
    `| (f) other merchant's callback ≤ ${TARGETS.otherCallbackMs / 1000} s with one receiver hanging | ${otherCallbackText(f, settings)} | ${verdict(met.otherCallback)} |`,
    `| (d) ${int(cb.count)} simultaneous callbacks delivered ≤ ${TARGETS.callbacksMs / 1000} s | ${cbText} | ${verdict(met.callbacks)} |`,
    '',
    `(c)/(b) = ${ratioText(ratioC)} (issue 7's target, ≥ ${SEEDED_VS_EMPTY.toFixed(2)}: ${ratioC >= SEEDED_VS_EMPTY ? 'met' : 'missed'}).`,
    '',
    `Stored orders for (c): ${stored}, ${seedText(r.seed)}; after (c), \`GET /sandbox/api/stats\` counted ${storedText(r.seeded.stored)}.`,
    `Stored orders for (e): ${stored} of which ${int(r.openSeed.open)} open, ${seedText(r.openSeed)}; the (e) process was ready in ${ms(r.open.readyMs)} ms, and after (e) counted ${storedText(r.open.stored)}.`
  ]
  if (f.paysRefused + f.unverifiable + cb.paysRefused + cb.unverifiable > 0) {
    lines.push('', `Refused pays: ${int(cb.paysRefused)} in (d), ${int(f.paysRefused)} in (f); callbacks that did not open with the merchant's key: ${int(cb.unverifiable)} in (d), ${int(f.unverifiable)} in (f).`)
  }
  if (r.options.orders !== TARGETS.orders || r.options.open !== TARGETS.open || cb.count !== TARGETS.callbacks || f.hanging !== TARGETS.hanging) {
    lines.push('', `The targets are set at ${int(TARGETS.orders)} stored orders (${int(TARGETS.open)} open), ${int(TARGETS.callbacks)} callbacks and ${int(TARGETS.hanging)} hanging ones; this run used other sizes.`)
  }
  const sealedLive = r.empty.sealedLive + r.seeded.sealedLive + r.open.sealedLive
  if (sealedLive > 0) {
    lines.push('', `The pre-sealed request pool ran out: ${int(sealedLive)} bodies were sealed during the load.`)
  }
  return lines.join('\n')
}

/** The causes of the targets this run missed (every cause when it missed none: there is nothing to say then). */
function gaps (r) {
  const { met } = evaluate(r)
  const missed = Object.keys(CAUSES).filter((target) => !met[target])
  const body = missed.length === 0
    ? 'This run met every target.'
    : missed.map((target) => CAUSES[target]).join('\n')
  return `${GAPS_INTRO}\n${body}\n`
}

export function renderFile (r) {
  return `${HEADER}\n## Latest run\n\n${renderTables(r)}\n\n${gaps(r)}`
}
