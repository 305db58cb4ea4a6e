import { cpus, loadavg, platform, release, totalmem } from 'node:os'

/** The targets of issue 7, checked against what this run measured. */
export const TARGETS = { emptyVsCeiling: 0.30, seededVsEmpty: 0.80, rssMb: 300, readyMs: 300, callbacksMs: 2000, orders: 100_000, callbacks: 1000 }

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
  store's own interface before the server starts.
- **(d) callbacks**: that many orders paid at once (\`POST /sandbox/api/orders/:id/pay\`, all in flight together), each
  firing its sealed callback to a local \`node:http\` receiver; the time runs from the first pay request to the last
  callback received (each one opened with the merchant's key).
- **start → ready**: from spawning \`node dist/server.js\` to the first \`GET /healthz\` 200 (Node's own start included),
  the median of several starts.
- **RSS**: the sandbox process's resident memory (\`VmRSS\`), and its peak (\`VmHWM\`), from \`/proc\`.
`

/** The causes of the misses, from profiles: kept with every regenerated file. */
const GAPS = `## Why the missed targets are missed

The numbers above are what this machine measured; these are the causes, from profiles taken while building the
bench, and what would close each gap. None is hidden by the tests: the targets live here, not in \`npm test\`.

- **(b)/(a) ≥ 0.30.** Each sandbox request does everything the ceiling skips: it parses and decrypts the envelope,
  checks the md5, validates the data, creates the order, writes it to disk **before** answering (the rule that an
  answered order survives a crash), seals the answer and records it in the request inspector. A CPU profile of (b)
  shows about 16 % in serialising the data file's head (up to \`SEGMENT_ORDERS\` orders, rewritten by each group
  commit), about 30 % waiting on the file writes and 7 % in garbage collection. 0.30 of this ceiling would be over
  10,000 durable order writes a second on 2 CPUs. Closing it would take an append-only journal instead of
  rewriting the head on each commit; that is not done.
- **RSS ≤ 300 MB at 100,000 orders.** The whole history is parsed and kept in memory (the indexes point at full
  orders with their requests, answers, histories and callbacks): about 340 MB once 100,000 realistic orders are
  loaded, more while new segments are sealed under load. Closing it would take lazy segments (a small index in
  memory, segment files read on demand). Until then \`RETENTION_ORDERS\` bounds memory: fewer kept orders, less RSS.
- **start → ready ≤ 300 ms.** On an empty store about 70 ms is Node's own start, about 240 ms loading modules
  (fastify, TypeBox, the QR library), about 100 ms building the app and about 180 ms until fastify is ready
  (compiling every route's schemas, the OpenAPI document). With 100,000 orders, reading and indexing the segment
  files adds the rest. Closing it would take loading the docs, admin pages and QR code on first use, and lazy
  segments.
`

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

function storedText ({ orders, segments, retention, pruned }) {
  if (orders === undefined) return ''
  const facts = []
  if (segments !== undefined) facts.push(`${int(segments)} segment files`)
  // At the default RETENTION_ORDERS the store prunes while (c) adds orders: that work is part of what (c) measured.
  if (retention !== undefined && retention > 0) facts.push(`RETENTION_ORDERS ${int(retention)}, ${int(pruned ?? 0)} oldest closed orders pruned`)
  return ` After (c), \`GET /sandbox/api/stats\` counted ${int(orders)} orders${facts.length > 0 ? ` (${facts.join('; ')})` : ''}.`
}

/** The run as Markdown: what was measured, then each target with met or missed. */
export function renderTables (r) {
  const stored = int(r.options.orders)
  const ratioA = ratio(r.empty.load.reqPerSec, r.ceiling.load.reqPerSec)
  const ratioC = ratio(r.seeded.load.reqPerSec, r.empty.load.reqPerSec)
  const peak = r.seeded.memoryAfter.peakMb
  const cb = r.callbacks
  const cbText = cb.allDeliveredMs === undefined
    ? `only ${int(cb.delivered)} of ${int(cb.count)} delivered within ${int(cb.waitMs / 1000)} s`
    : `${ms(cb.allDeliveredMs)} ms (pay requests all answered after ${ms(cb.paysAnsweredMs)} ms)`
  const lines = [
    `Run of ${r.machine.date} · Node ${r.machine.node} · ${r.machine.cpu} · ${r.machine.memory} RAM · ${r.machine.os} · load average ${r.machine.load} at the start`,
    '',
    `autocannon: ${r.options.connections} connections, ${r.options.duration} s per phase after ${r.options.warmup} s of warm-up` +
      (r.options.quick ? ' · **quick run** (`--quick`): not the reference' : ''),
    '',
    '| phase | req/s | p50 ms | p99 ms | SUCCESS answers | failures | RSS after, MB |',
    '|---|---:|---:|---:|---:|---|---|',
    loadRow('(a) ceiling: bare node:http, canned envelope', r.ceiling.load, r.ceiling.memory),
    loadRow('(b) sandbox ACTIVEPAY, empty store', r.empty.load, r.empty.memory),
    loadRow(`(c) sandbox ACTIVEPAY, ${stored} stored orders`, r.seeded.load, r.seeded.memoryAfter),
    '',
    '| target | measured | verdict |',
    '|---|---|---|',
    `| (b)/(a) ≥ ${TARGETS.emptyVsCeiling.toFixed(2)} | ${ratioText(ratioA)} | ${verdict(ratioA >= TARGETS.emptyVsCeiling)} |`,
    `| (c)/(b) ≥ ${TARGETS.seededVsEmpty.toFixed(2)} | ${ratioText(ratioC)} | ${verdict(ratioC >= TARGETS.seededVsEmpty)} |`,
    `| RSS ≤ ${TARGETS.rssMb} MB at ${stored} orders (peak of the (c) process) | ${int(peak)} MB peak; ${int(r.seeded.memoryIdle.rssMb)} MB once loaded, ${int(r.seeded.memoryAfter.rssMb)} MB after (c) | ${verdict(peak <= TARGETS.rssMb)} |`,
    `| start → ready ≤ ${TARGETS.readyMs} ms, empty store | ${readyText(r.empty.readyMs)} | ${verdict(median(r.empty.readyMs) <= TARGETS.readyMs)} |`,
    `| start → ready ≤ ${TARGETS.readyMs} ms, ${stored} stored orders | ${readyText(r.seeded.readyMs)} | ${verdict(median(r.seeded.readyMs) <= TARGETS.readyMs)} |`,
    `| ${int(cb.count)} orders paid at once: every callback delivered ≤ ${TARGETS.callbacksMs / 1000} s | ${cbText} | ${verdict(cb.allDeliveredMs !== undefined && cb.allDeliveredMs <= TARGETS.callbacksMs)} |`,
    '',
    `Stored orders for (c): ${stored}, seeded in ${(r.seed.ms / 1000).toFixed(1)} s ` +
      (r.seed.via === 'store-api'
        ? 'through the Store interface (createStore → orders.insert / callbacks.insert, 500 in flight at a time).'
        : `as one data file in the single-file layout, then opened and closed once with createStore: the Store interface would have taken about ${int(r.seed.projectedApiMs / 1000)} s (every write rewrites all the data).`) +
      storedText(r.seeded.stored)
  ]
  if (r.options.orders !== TARGETS.orders || cb.count !== TARGETS.callbacks) {
    lines.push('', `The targets are set at ${int(TARGETS.orders)} stored orders and ${int(TARGETS.callbacks)} callbacks; this run used other sizes.`)
  }
  if (r.empty.sealedLive + r.seeded.sealedLive > 0) {
    lines.push('', `The pre-sealed request pool ran out: ${int(r.empty.sealedLive + r.seeded.sealedLive)} bodies were sealed during the load.`)
  }
  return lines.join('\n')
}

export function renderFile (r) {
  return `${HEADER}\n## Latest run\n\n${renderTables(r)}\n\n${GAPS}`
}
