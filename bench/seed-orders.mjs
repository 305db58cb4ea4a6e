/**
 * Fills a fresh data location with realistic orders before phase (c) or (e), in its own process so that the bench's
 * load generator never carries 100k orders in its heap.
 *
 *   node bench/seed-orders.mjs <dir> <count> <now-ms> [<open-share>]
 *
 * With `<open-share>` (phase (e)), that share of the orders is open (`init`, created within the last hour, in the
 * scheduler's queue) and the rest closed; see seededOrder in order-shapes.mjs.
 *
 * Prints one JSON line: `{ dbFile, via, ms, open, projectedApiMs? }` (`open`: the orders seeded `init`).
 *
 * It goes through the Store interface (createStore → orders.insert / callbacks.insert → close), many inserts in
 * flight at once, as the app writes. A store that rewrites all its data on every write (one lowdb file) would take
 * hours for 100k orders that way; when the projected time exceeds the budget, the seed writes a single data file
 * in the one-file layout instead — the layout every store version loads (or migrates) — and opens and closes it
 * once with createStore, so the sandbox starts from the store's own layout.
 */
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { createStore } from '../dist/store/index.js'
import { seededOrder } from './order-shapes.mjs'

const [dir, countArg, nowArg, openArg] = process.argv.slice(2)
const count = Number(countArg)
const now = Number(nowArg)
const shape = { openShare: openArg === undefined ? undefined : Number(openArg) }
const CHUNK = 500
/** Orders seeded `init`, counted as they are made. */
let open = 0

function orderAt (i) {
  const item = seededOrder(i, count, now, shape)
  if (item.order.status === 'init') open += 1
  return item
}
const BUDGET_MS = 90_000

async function throughApi (dbFile) {
  const t0 = performance.now()
  const store = await createStore(dbFile)
  for (let start = 0; start < count; start += CHUNK) {
    const chunkStart = performance.now()
    const items = []
    for (let i = start; i < Math.min(start + CHUNK, count); i++) items.push(orderAt(i))
    await Promise.all(items.map(({ order, delivery }) => store.orders.insert(order, delivery === undefined ? [] : [delivery])))
    const perOrder = (performance.now() - chunkStart) / items.length
    const projected = performance.now() - t0 + perOrder * (count - start - items.length)
    if (projected > BUDGET_MS) {
      // The store's own close() would write everything once more: not needed, this location is abandoned.
      return { done: false, projectedApiMs: Math.round(projected) }
    }
  }
  await store.close()
  return { done: true, ms: performance.now() - t0 }
}

/** The one-file layout (src/store/data.ts: `{schema, orders, callbacks, merchants}`), written as a stream. */
function writeDataFile (dbFile) {
  const fd = openSync(dbFile, 'w')
  const deliveries = []
  try {
    writeSync(fd, '{"schema":1,"orders":[')
    let batch = []
    for (let i = 0; i < count; i++) {
      const { order, delivery } = orderAt(i)
      if (delivery !== undefined) deliveries.push(JSON.stringify(delivery))
      batch.push(JSON.stringify(order))
      if (batch.length === 1000 || i === count - 1) {
        writeSync(fd, (i + 1 > batch.length ? ',' : '') + batch.join(','))
        batch = []
      }
    }
    writeSync(fd, '],"callbacks":[')
    for (let at = 0; at < deliveries.length; at += 1000) {
      writeSync(fd, (at > 0 ? ',' : '') + deliveries.slice(at, at + 1000).join(','))
    }
    writeSync(fd, '],"merchants":[]}\n')
  } finally {
    closeSync(fd)
  }
}

async function throughFile (dbFile) {
  const t0 = performance.now()
  writeDataFile(dbFile)
  const store = await createStore(dbFile)
  await store.close()
  return performance.now() - t0
}

const apiFile = join(dir, 'api', 'sandbox.json')
mkdirSync(join(dir, 'api'), { recursive: true })
const api = await throughApi(apiFile)
if (api.done) {
  console.log(JSON.stringify({ dbFile: apiFile, via: 'store-api', ms: Math.round(api.ms), open }))
} else {
  rmSync(join(dir, 'api'), { recursive: true, force: true })
  open = 0
  const fileDir = join(dir, 'file')
  mkdirSync(fileDir, { recursive: true })
  const dbFile = join(fileDir, 'sandbox.json')
  const ms = await throughFile(dbFile)
  console.log(JSON.stringify({ dbFile, via: 'data-file', ms: Math.round(ms), open, projectedApiMs: api.projectedApiMs }))
}
