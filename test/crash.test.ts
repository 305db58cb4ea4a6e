import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { Merchant } from '../src/fixtures.js'
import { activePayData, envelope } from './helpers/build.js'
import { startServer, within } from './helpers/process.js'

// A sandbox SIGKILLed under concurrent load must come back with every order it answered SUCCESS for, and a store
// that loads. Bounded: a fixed number of requests, every wait has a timeout, no timing assertions.

/** The shipped fixture merchant (fixtures/merchants.json). */
const TEA: Merchant = { merchant_id: 'QC00005496', name: 'Tea', sign_key: 'SANDBOXKEY000001', currency: 'CAD', operators: ['0000020156'] }

const REQUESTS = 600
const IN_FLIGHT = 20
/** The kill comes once this many answers are in: well inside the load, with requests still in flight. */
const KILL_AFTER = 250
/** Small segments (once the server passes SEGMENT_ORDERS to the store): the load crosses several segment seals. */
const ENV = { SEGMENT_ORDERS: '10' }

t.setTimeout(60_000)

async function activePay (base: string, orderId: string): Promise<string> {
  const res = await fetch(`${base}/processV2`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope('ACTIVEPAY', '1.0', activePayData({ order_id: orderId, note: 'n'.repeat(2000) }), TEA)),
    signal: AbortSignal.timeout(10_000)
  })
  return ((await res.json()) as { rsp_code: string }).rsp_code
}

t.test('SIGKILL under concurrent ACTIVEPAY load: every acknowledged order is there after a restart', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const first = await startServer(t, { ...ENV, DB_FILE: file })
  const acknowledged: string[] = []
  let answered = 0
  let next = 0
  let killed = false
  const worker = async () => {
    while (!killed && next < REQUESTS) {
      const id = `K${String(next++).padStart(4, '0')}`
      // A request cut by the kill has no answer: it was never acknowledged, so it may or may not be stored.
      const code = await activePay(first.url, id).catch(() => 'NO_ANSWER')
      if (killed) continue
      if (code === 'SUCCESS') acknowledged.push(id)
      if (++answered === KILL_AFTER) {
        killed = true
        first.process.kill('SIGKILL')
      }
    }
  }
  await within(Promise.all(Array.from({ length: IN_FLIGHT }, worker)), 'the load and the kill', 30_000)
  t.same(await within(first.exited, 'the killed server to go'), { code: null, signal: 'SIGKILL' }, 'killed mid-load')
  t.ok(acknowledged.length >= KILL_AFTER - IN_FLIGHT, `most answers before the kill were SUCCESS (${acknowledged.length})`)

  const second = await startServer(t, { ...ENV, DB_FILE: file })
  const res = await fetch(`${second.url}/sandbox/api/orders?merchant_id=${TEA.merchant_id}`, { signal: AbortSignal.timeout(10_000) })
  t.equal(res.status, 200, 'the store loads after the crash')
  const stored = new Set(((await res.json()) as { orders: Array<{ order_id: string }> }).orders.map((o) => o.order_id))
  t.same(acknowledged.filter((id) => !stored.has(id)), [], 'no acknowledged order was lost')
  for (const id of acknowledged.slice(0, 5)) t.equal(await activePay(second.url, id), 'ORDER_USED', `${id} is known after the restart`)

  const stats = await (await fetch(`${second.url}/sandbox/api/stats`, { signal: AbortSignal.timeout(10_000) })).json() as { orders: { total: number } }
  t.equal(stats.orders.total, stored.size, 'stats count what was loaded')
  // Every file of the store is whole JSON: atomic writes leave no half-written file behind, only stray temp files.
  const dir = `${file}.d`
  const segments = existsSync(dir) ? readdirSync(dir).filter((name) => !name.startsWith('.')).map((name) => join(dir, name)) : []
  const files = [file, ...segments]
  for (const f of files) t.doesNotThrow(() => JSON.parse(readFileSync(f, 'utf8')), `${f} is valid JSON`)
})
