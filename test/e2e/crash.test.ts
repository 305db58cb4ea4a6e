import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { envelope } from '../helpers/build.js'
import { startServer, within } from '../helpers/process.js'
import { postActivePay, SHOP, TEA } from '../helpers/server-calls.js'

// A sandbox SIGKILLed under concurrent load must come back with every order it answered SUCCESS for, and a store
// that loads. Bounded: a fixed number of requests, every wait has a timeout, no timing assertions.

// Shipped fixture merchants: TEA takes the load, SHOP is reset in the middle of it.

const REQUESTS = 600
const IN_FLIGHT = 20
/** The kill comes once this many answers are in: well inside the load, with requests still in flight. */
const KILL_AFTER = 250
/** A small journal limit: the load crosses several compactions (a snapshot written while changes go on). */
const ENV = { JOURNAL_LIMIT_MB: '1' }

t.setTimeout(90_000)

async function post (url: string, body: unknown): Promise<{ status: number, json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000)
  })
  return { status: res.status, json: await res.json() as Record<string, unknown> }
}

const gateway = async (base: string, action: string, data: Record<string, string>, merchant = TEA) =>
  String((await post(`${base}/processV2`, envelope(action, '1.0', data, merchant))).json.rsp_code)

const activePay = async (base: string, orderId: string, merchant = TEA) =>
  String((await (await postActivePay(base, orderId, { note: 'n'.repeat(2000) }, merchant)).json() as { rsp_code: unknown }).rsp_code)

async function getJson (url: string): Promise<any> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  return await res.json()
}

/** Every order of a merchant, through the paged list. */
async function allOrders (base: string, merchantId: string): Promise<Map<string, { status: string, refunds?: Array<{ refund_id: string }> }>> {
  const found = new Map()
  let url: string | null = `/sandbox/api/orders?merchant_id=${merchantId}&limit=1000`
  while (url !== null) {
    const page = await getJson(base + url)
    for (const order of page.orders) found.set(order.order_id, order)
    url = page.next_url
  }
  return found
}

t.test('SIGKILL under concurrent creates, pays, refunds and a reset: every acknowledged change is there after a restart', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const first = await startServer(t, { ...ENV, DB_FILE: file })
  // SHOP's orders, acknowledged before its reset: none may come back.
  for (let i = 0; i < 20; i++) t.equal(await activePay(first.url, `S${i}`, SHOP), 'SUCCESS')
  const created: string[] = []
  const paid: string[] = []
  const refunded: string[] = []
  let resetDone = false
  // The next order to pay and the next paid order to refund (whether or not that request gets an answer).
  let toPay = 0
  let toRefund = 0
  let answered = 0
  let next = 0
  let killed = false
  const note = (ok: boolean) => {
    if (killed) return
    if (++answered === KILL_AFTER) {
      killed = true
      first.process.kill('SIGKILL')
    }
    return ok
  }
  const worker = async () => {
    // eslint-disable-next-line no-unmodified-loop-condition -- another worker kills the server
    while (!killed && next < REQUESTS) {
      const n = next++
      // A request cut by the kill has no answer: it was never acknowledged, so it may or may not be stored.
      try {
        if (n === 100) {
          const res = await post(`${first.url}/sandbox/api/reset?merchant_id=${SHOP.merchant_id}`, {})
          if (note(res.status === 200) === true) resetDone = true
        } else if (n % 4 === 1 && created.length > toPay) {
          const id = created[toPay++]!
          const res = await post(`${first.url}/sandbox/api/orders/${id}/pay?merchant_id=${TEA.merchant_id}`, {})
          if (note(res.status === 200) === true) paid.push(id)
        } else if (n % 4 === 2 && paid.length > toRefund + 5) {
          const id = paid[toRefund++]!
          const code = await gateway(first.url, 'REFUND', { ori_order_id: id, order_id: `R${id}`, refund_amt: '40' })
          if (note(code === 'SUCCESS') === true) refunded.push(id)
        } else {
          const id = `K${String(n).padStart(4, '0')}`
          if (note(await activePay(first.url, id) === 'SUCCESS') === true) created.push(id)
        }
      } catch {}
    }
  }
  await within(Promise.all(Array.from({ length: IN_FLIGHT }, worker)), 'the load and the kill', 45_000)
  t.same(await within(first.exited, 'the killed server to go'), { code: null, signal: 'SIGKILL' }, 'killed mid-load')
  t.ok(created.length >= 100, `many creates acknowledged (${created.length}), with ${paid.length} pays and ${refunded.length} refunds`)
  t.ok(resetDone, 'the reset was acknowledged before the kill')

  const second = await startServer(t, { ...ENV, DB_FILE: file })
  const stored = await allOrders(second.url, TEA.merchant_id)
  t.same(created.filter((id) => !stored.has(id)), [], 'no acknowledged order was lost')
  t.same(paid.filter((id) => stored.get(id)?.status === 'init'), [], 'no acknowledged payment was lost')
  t.same(refunded.filter((id) => !stored.get(id)?.refunds?.some((r) => r.refund_id === `R${id}`)), [], 'no acknowledged refund was lost')
  t.equal((await allOrders(second.url, SHOP.merchant_id)).size, 0, 'the acknowledged reset holds')
  for (const id of created.slice(0, 5)) t.equal(await activePay(second.url, id), 'ORDER_USED', `${id} is known after the restart`)
  const stats = await getJson(`${second.url}/sandbox/api/stats`)
  t.equal(stats.orders.total, stored.size, 'stats count what was loaded')
  // The snapshot is whole JSON (written to a temporary file, then renamed); the journal ends with whole lines.
  t.doesNotThrow(() => JSON.parse(readFileSync(file, 'utf8')), `${file} is valid JSON`)
  t.ok(existsSync(`${file}.journal`))
})
