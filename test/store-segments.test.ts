import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { Delivery } from '../src/callbacks/delivery.js'
import { StoreError } from '../src/errors.js'
import type { Order } from '../src/orders/order.js'
import { createGroupCommit } from '../src/store/group-commit.js'
import { createStore } from '../src/store/index.js'

import { AT, delivery as storedDelivery, order as storedOrder } from './helpers/store-records.js'

/** Every order here belongs to one merchant. */
const order = (orderId: string, extra: Partial<Order> = {}): Order => storedOrder('QC00000001', orderId, extra)

const delivery = (orderId: string, id: string, extra: Partial<Delivery> = {}): Delivery => storedDelivery('QC00000001', orderId, id, extra)

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`)
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'))
const segmentsOf = (file: string) => readdirSync(`${file}.d`).sort()

/** Inserts one after the other, as separate writes. */
async function insertAll (store: Awaited<ReturnType<typeof createStore>>, orderIds: string[], extra: Partial<Order> = {}) {
  for (const id of orderIds) await store.orders.insert(order(id, extra))
}

t.test('a full head becomes a segment file; the data file keeps only the newest orders and lists the segments', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file, { segmentOrders: 3 })
  await insertAll(store, ids('S', 7))
  await store.close()
  const main = readJson(file)
  t.equal(main.schema, 2)
  t.same(main.segments, ['segment-000001.json', 'segment-000002.json'])
  t.same(main.orders.map((o: Order) => o.order_id), ['S6'], 'only the head is in the data file')
  t.same(segmentsOf(file), ['segment-000001.json', 'segment-000002.json'])
  t.same(readJson(join(`${file}.d`, 'segment-000001.json')).orders.map((o: Order) => o.order_id), ['S0', 'S1', 'S2'])
  t.same(readJson(join(`${file}.d`, 'segment-000002.json')).orders.map((o: Order) => o.order_id), ['S3', 'S4', 'S5'])
  t.match(readFileSync(join(`${file}.d`, 'segment-000001.json'), 'utf8'), /^\{\n"schema":2,\n"orders":\[\n\{"merchant_id"/, 'one order per line: readable, greppable JSON')

  const again = await createStore(file, { segmentOrders: 3 })
  t.equal(again.orders.count(), 7)
  t.same(again.orders.list().map((o) => o.order_id), ids('S', 7).reverse(), 'newest first across files')
  t.equal(again.orders.find('QC00000001', 'S1')?.order_id, 'S1')
  t.equal(again.orders.findByPageToken('page-QC00000001-S4')?.order_id, 'S4')
  t.same(again.orders.listOpen().length, 7)
  t.equal(again.stats().segments, 2)
})

t.test('a change to an old order, with its new callback, rewrites only that order\'s segment', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file, { segmentOrders: 2 })
  await insertAll(store, ids('W', 7))
  await store.close()
  const dir = `${file}.d`
  const stamp = () => Object.fromEntries([file, ...segmentsOf(file).map((n) => join(dir, n))].map((f) => [f, statSync(f).mtimeMs]))
  const before = stamp()
  await new Promise((resolve) => setTimeout(resolve, 20))

  const old = store.orders.find('QC00000001', 'W2')!
  old.status = 'success'
  await store.callbacks.insert([delivery('W2', 'cb_W2')])
  const after = stamp()
  const changed = Object.keys(after).filter((f) => after[f] !== before[f])
  t.same(changed, [join(dir, 'segment-000002.json')], 'one file written: the segment holding W2')
  const segment = readJson(join(dir, 'segment-000002.json'))
  t.equal(segment.orders.find((o: Order) => o.order_id === 'W2').status, 'success', 'the order and its callback in one write')
  t.same(segment.callbacks.map((d: Delivery) => d.id), ['cb_W2'])

  const again = await createStore(file, { segmentOrders: 2 })
  t.equal(again.callbacks.get('cb_W2')?.order_id, 'W2')
  t.same(again.callbacks.forOrder('QC00000001', 'W2').map((d) => d.id), ['cb_W2'])
  t.same(again.callbacks.due(Number.MAX_SAFE_INTEGER).map((d) => d.id), ['cb_W2'], 'a pending callback of an old order is still sent after a restart')
})

t.test('concurrent inserts share writes (group commit), and each resolves with its order on disk', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const store = await createStore(file, { segmentOrders: 1000 })
  const watched = new Set<string>()
  const results = await Promise.all(ids('G', 200).map(async (id) => {
    await store.orders.insert(order(id))
    // At the moment this insert resolves, a file written by a finished write holds the order.
    const onDisk = readJson(file).orders.some((o: Order) => o.order_id === id)
    watched.add(readFileSync(file, 'utf8'))
    return onDisk
  }))
  t.ok(results.every(Boolean), 'every insert resolved after a write that carried it')
  t.ok(watched.size < 200, `fewer writes than inserts (${watched.size} distinct file versions seen for 200 inserts)`)
  t.equal(readJson(file).orders.length, 200)
})

t.test('group commit: each caller is answered by the write that carried its change; a failure undoes only its own', async (t) => {
  const state: string[] = []
  const written: string[][] = []
  const gates: Array<() => void> = []
  let fail = false
  const group = createGroupCommit('test.json', async () => {
    const snapshot = [...state]
    await new Promise<void>((resolve) => gates.push(resolve))
    if (fail) throw new Error('disk full')
    written.push(snapshot)
  })
  const change = (item: string) => {
    state.push(item)
    return group.commit(() => state.splice(state.indexOf(item), 1))
  }
  const log: string[] = []
  const watch = (item: string, p: Promise<void>) => p.then(() => log.push(`${item} ok`), (e: Error) => log.push(`${item} ${e.message}`))

  const a = watch('a', change('a'))
  await new Promise((resolve) => setImmediate(resolve))
  const b = watch('b', change('b'))
  const c = watch('c', change('c'))
  t.equal(gates.length, 1, 'one write in flight; b and c wait for the next')
  gates.shift()!()
  await a
  t.same(log, ['a ok'], 'the first caller is answered as soon as its write is done, not when the queue drains')
  t.same(written, [['a']])

  fail = true
  await new Promise((resolve) => setImmediate(resolve))
  const d = watch('d', change('d'))
  t.equal(gates.length, 1, 'b and c travel together in one write')
  gates.shift()!()
  await Promise.all([b, c])
  t.same(log, ['a ok', 'b cannot write test.json: disk full', 'c cannot write test.json: disk full'])
  t.same(state, ['a', 'd'], 'the failed changes were undone before the next write took its snapshot')

  fail = false
  await new Promise((resolve) => setImmediate(resolve))
  t.equal(gates.length, 1)
  gates.shift()!()
  await d
  t.same(written, [['a'], ['a', 'd']], 'd was written without b and c')
  t.same(log.at(-1), 'd ok')
  await group.idle()
})

t.test('through the store: a failed write rejects with StoreError and the next write carries none of its orders', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const store = await createStore(file)
  await store.orders.insert(order('F1'))
  const tmp = join(dir, '.sandbox.json.tmp')
  mkdirSync(tmp)
  const failed = await Promise.allSettled([store.orders.insert(order('F2')), store.orders.insert(order('F3'))])
  t.same(failed.map((r) => r.status), ['rejected', 'rejected'])
  t.type((failed[0] as PromiseRejectedResult).reason, StoreError)
  t.same(store.orders.list().map((o) => o.order_id), ['F1'], 'the failed orders are out of memory')
  t.notOk(store.orders.idTaken('QC00000001', 'F2'))
  rmSync(tmp, { recursive: true })
  await store.orders.insert(order('F4'))
  t.same(readJson(file).orders.map((o: Order) => o.order_id), ['F1', 'F4'], 'the next snapshot never carries a refused order')
})

t.test('a failed segment write rejects the change and leaves the order as acknowledged; other files are unaffected', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file, { segmentOrders: 2 })
  await insertAll(store, ids('B', 5))
  await store.close()
  const blocked = join(`${file}.d`, '.segment-000001.json.tmp')
  mkdirSync(blocked)
  const old = store.orders.find('QC00000001', 'B0')!
  await t.rejects(store.callbacks.insert([delivery('B0', 'cb_B0')]), StoreError)
  t.equal(store.callbacks.get('cb_B0'), undefined, 'a callback that is not on disk is never sent')
  await store.orders.insert(order('B5'))
  t.ok(store.orders.find('QC00000001', 'B5'), 'inserts go on: they write another file')
  rmSync(blocked, { recursive: true })
  old.status = 'notpay'
  await store.orders.save(old)
  t.equal((await createStore(file, { segmentOrders: 2 })).orders.find('QC00000001', 'B0')?.status, 'notpay')
})

t.test('a data file of the previous version (one file, schema 1) is migrated into segments on load, losing nothing', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const orders = ids('L', 10).map((id, i) => order(id, i % 2 === 0 ? { status: 'success', refunds: [{ refund_id: `R${id}`, amount: '10', bizpay_order_id: 'WX1', at: AT, finish_time: '20260115120000', reason: 'test' }] } : {}))
  const callbacks = [delivery('L1', 'cb_L1'), delivery('L8', 'cb_L8', { status: 'delivered', next_attempt_at: null })]
  writeFileSync(file, JSON.stringify({ schema: 1, orders, callbacks, merchants: [] }, null, 2))

  const store = await createStore(file, { segmentOrders: 4 })
  const main = readJson(file)
  t.equal(main.schema, 2, 'rewritten in the new schema at once')
  t.same(main.segments, ['segment-000001.json', 'segment-000002.json'])
  t.same(main.orders.map((o: Order) => o.order_id), ['L6', 'L7', 'L8', 'L9'], 'the newest orders stay in the data file')
  t.same(main.callbacks.map((d: Delivery) => d.id), ['cb_L8'], 'callbacks move with their order')
  t.same(readJson(join(`${file}.d`, 'segment-000001.json')).callbacks.map((d: Delivery) => d.id), ['cb_L1'])

  for (const s of [store, await createStore(file, { segmentOrders: 4 })]) {
    t.same(s.orders.list().map((o) => o.order_id), ids('L', 10).reverse())
    t.ok(s.orders.idTaken('QC00000001', 'RL0'), 'refund ids still taken')
    t.equal(s.orders.findRefund('QC00000001', 'RL4')?.order.order_id, 'L4')
    t.same(s.callbacks.due(Number.MAX_SAFE_INTEGER).map((d) => d.id), ['cb_L1'])
  }
})

t.test('a small data file of the previous version loads as it is and is rewritten by the next write', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  writeFileSync(file, JSON.stringify({ schema: 1, orders: [order('OLD1')], callbacks: [], merchants: [] }))
  const store = await createStore(file)
  t.equal(readJson(file).schema, 1, 'nothing to split: not rewritten on load')
  await store.orders.insert(order('NEW1'))
  t.same(readJson(file), { ...readJson(file), schema: 2, segments: [] })
  t.same(readJson(file).orders.map((o: Order) => o.order_id), ['OLD1', 'NEW1'])
})

t.test('a missing or corrupt segment file is refused with a StoreError naming it; a stray one is removed', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const store = await createStore(file, { segmentOrders: 2 })
  await insertAll(store, ids('C', 5))
  await store.close()
  const segment = join(`${file}.d`, 'segment-000001.json')
  writeFileSync(join(`${file}.d`, 'segment-000099.json'), '{"half": ')

  const text = readFileSync(segment, 'utf8')
  writeFileSync(segment, text.slice(0, 40))
  const corrupt = await createStore(file).then(() => undefined, (e: unknown) => e)
  t.type(corrupt, StoreError)
  t.match((corrupt as Error).message, `${segment}: cannot be loaded`)

  writeFileSync(segment, '{"orders": 1}')
  t.match(await createStore(file).then(() => '', (e: Error) => e.message), `${segment}: is not a sandbox segment file`)

  rmSync(segment)
  const missing = await createStore(file).then(() => undefined, (e: unknown) => e)
  t.type(missing, StoreError)
  t.match((missing as Error).message, `${segment}: is listed in the data file but missing`)

  writeFileSync(segment, text)
  const fine = await createStore(file, { segmentOrders: 2 })
  t.equal(fine.orders.count(), 5)
  t.notOk(existsSync(join(`${file}.d`, 'segment-000099.json')), 'a segment file the data file does not list is removed')

  writeFileSync(file, JSON.stringify({ ...readJson(file), segments: ['../../etc/passwd'] }))
  t.match(await createStore(file).then(() => '', (e: Error) => e.message), `${file}: "segments" lists "../../etc/passwd", which is not a segment file name`)
})

t.test('reset removes emptied segment files after the data file stops listing them', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file, { segmentOrders: 2 })
  await insertAll(store, ids('A', 3))
  await store.orders.insert(order('Z1', { merchant_id: 'ON00000002', page_token: 'page-Z1' }))
  await insertAll(store, ids('B', 3))
  await store.close()
  t.same(segmentsOf(file), ['segment-000001.json', 'segment-000002.json', 'segment-000003.json'])
  t.same(await store.reset('QC00000001'), { orders: 6, refunds: 0, callbacks: 0 })
  t.same(segmentsOf(file), ['segment-000002.json'], 'only the segment still holding an order stays')
  t.same(readJson(file).segments, ['segment-000002.json'])
  t.same((await createStore(file)).orders.list().map((o) => o.order_id), ['Z1'])
  await store.reset()
  t.same(segmentsOf(file), [])
  t.equal((await createStore(file)).orders.count(), 0)
})

t.test('RETENTION_ORDERS: the oldest closed orders are pruned with their callbacks; open ones and pending callbacks stay', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file, { segmentOrders: 2, retentionOrders: 4 })
  await store.orders.insert(order('OPEN0'))
  await store.orders.insert(order('PAID0', { status: 'success' }))
  await store.orders.insert(order('WAIT0', { status: 'success' }))
  await store.callbacks.insert([delivery('WAIT0', 'cb_wait'), delivery('PAID0', 'cb_done', { status: 'delivered', next_attempt_at: null })])
  await insertAll(store, ['P1', 'P2', 'P3', 'P4'], { status: 'notpay' })
  await store.close()

  t.same(store.orders.list().map((o) => o.order_id).sort(), ['OPEN0', 'P3', 'P4', 'WAIT0'].sort(), 'oldest closed orders went first')
  t.equal(store.callbacks.get('cb_done'), undefined, 'a pruned order\'s callbacks go with it')
  t.ok(store.callbacks.get('cb_wait'), 'an order with a pending callback is kept')
  t.notOk(store.orders.idTaken('QC00000001', 'PAID0'))
  t.equal(store.stats().pruned, 3)
  const again = await createStore(file, { segmentOrders: 2, retentionOrders: 4 })
  t.same(again.orders.list().map((o) => o.order_id).sort(), ['OPEN0', 'P3', 'P4', 'WAIT0'].sort(), 'pruned on disk too')
  t.equal(again.stats().pruned, 3, 'the count survives a restart')
  t.ok(segmentsOf(file).length <= 3, 'emptied segment files are deleted')
})

t.test('with RETENTION_ORDERS 0 every order is kept', async (t) => {
  const store = await createStore(':memory:', { segmentOrders: 2, retentionOrders: 0 })
  await insertAll(store, ids('K', 9), { status: 'notpay' })
  await store.close()
  t.equal(store.orders.count(), 9)
  t.same(store.stats(), { ...store.stats(), pruned: 0, retention_orders: null, segments: 4 })
})

/** Waits (a few ms at a time) for a background write to reach the disk. */
async function until (done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 2))
  if (!done()) throw new Error('timed out')
}

t.test('a refused change to an order in a segment the data file does not list yet never comes back after a restart', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const segment = join(`${file}.d`, 'segment-000001.json')
  const store = await createStore(file, { segmentOrders: 2 })
  await insertAll(store, ['A0', 'A1'])
  const tmp = join(dir, '.sandbox.json.tmp')
  mkdirSync(tmp)
  // A2 fills the head: A0 and A1 move to segment 1, whose file is written but cannot be listed by the data file.
  await t.rejects(store.orders.insert(order('A2')), StoreError)
  await until(() => existsSync(segment))
  await new Promise((resolve) => setTimeout(resolve, 20))

  store.orders.find('QC00000001', 'A0')!.status = 'success'
  await t.rejects(store.callbacks.insert([delivery('A0', 'cb_A0')]), StoreError)
  store.orders.find('QC00000001', 'A0')!.status = 'init'
  t.equal(store.callbacks.get('cb_A0'), undefined, 'refused: out of memory')
  t.notOk(readFileSync(segment, 'utf8').includes('cb_A0'), 'and never written to the unlisted segment file')

  rmSync(tmp, { recursive: true })
  await store.orders.insert(order('A3'))
  await store.close()
  t.same(readJson(file).segments, ['segment-000001.json'], 'the segment is listed once the data file can be written')
  const again = await createStore(file, { segmentOrders: 2 })
  t.equal(again.callbacks.get('cb_A0'), undefined, 'a callback answered with an error is not sent after a restart')
  t.equal(again.orders.find('QC00000001', 'A0')?.status, 'init')
  t.same(again.orders.list().map((o) => o.order_id), ['A3', 'A1', 'A0'])
})

t.test('a change to an unlisted segment that the data file accepted is kept, and the segment file catches up', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const store = await createStore(file, { segmentOrders: 2 })
  await insertAll(store, ['U0', 'U1'])
  const tmp = join(dir, '.sandbox.json.tmp')
  mkdirSync(tmp)
  await t.rejects(store.orders.insert(order('U2')), StoreError)
  rmSync(tmp, { recursive: true })
  await store.callbacks.insert([delivery('U0', 'cb_U0')])
  t.ok(store.callbacks.get('cb_U0'))
  await store.close()
  t.same(readJson(file).segments, ['segment-000001.json'])
  t.same(readJson(join(`${file}.d`, 'segment-000001.json')).callbacks.map((d: Delivery) => d.id), ['cb_U0'])
  t.same(readJson(file).orders, [], 'the data file no longer carries the segment\'s orders')
  t.equal((await createStore(file, { segmentOrders: 2 })).callbacks.get('cb_U0')?.order_id, 'U0')
})

t.test('an insert still being written when the head becomes a segment stays out of it; refused, it never loads', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const store = await createStore(file, { segmentOrders: 2 })
  await store.orders.insert(order('A0'))
  const tmp = join(dir, '.sandbox.json.tmp')
  mkdirSync(tmp)
  // A2 finds the head full while A1 is being written.
  const refused = await Promise.allSettled([store.orders.insert(order('A1')), store.orders.insert(order('A2'))])
  t.same(refused.map((r) => r.status), ['rejected', 'rejected'])
  t.notOk(store.orders.idTaken('QC00000001', 'A1'))
  await new Promise((resolve) => setTimeout(resolve, 20))
  rmSync(tmp, { recursive: true })
  await store.orders.insert(order('A3'))
  await store.orders.insert(order('A1'))
  await store.close()

  const segmentFiles = segmentsOf(file).map((n) => readFileSync(join(`${file}.d`, n), 'utf8'))
  t.equal([readFileSync(file, 'utf8'), ...segmentFiles].join('').split('"order_id":"A1"').length - 1, 1, 'the retried A1 is on disk once')
  const again = await createStore(file, { segmentOrders: 2 })
  t.same(again.orders.list().map((o) => o.order_id).sort(), ['A0', 'A1', 'A3'], 'the refused A2 is gone; A1 is there once')
  t.equal(again.orders.count(), 3)
})
