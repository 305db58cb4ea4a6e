import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { StoreError } from '../../src/domain/errors.js'
import type { Refund } from '../../src/domain/orders/order.js'
import { createStore, GoneError, IdTakenError } from '../../src/store/index.js'
import { activePayData, build, callGateway, envelope, MERCHANT } from '../helpers/build.js'
import { flakyDisk } from '../helpers/flaky-disk.js'
import { AT, delivery, order } from '../helpers/store-records.js'

const refund = (refundId: string): Refund => ({ refund_id: refundId, amount: '50', bizpay_order_id: 'WX0000000000000009', at: AT, finish_time: '20260115120000', reason: 'test' })
const ids = (orders: Array<{ order_id: string }>) => orders.map((o) => o.order_id)
const errorOf = async (promise: Promise<unknown>) => await promise.then(() => undefined, (e: unknown) => e as Error)

t.test('an inserted order is durable: a new store on the same file finds it every way', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'nested', 'sandbox.json')
  const first = await createStore(file)
  t.equal(first.location, file)
  await first.orders.insert(order('QC00000001', 'A1'))
  await first.orders.insert(order('QC00000001', 'A2', { status: 'success' }))
  await first.orders.insert(order('ON00000002', 'A1', { currency: 'USD' }))
  t.ok(existsSync(file), 'the missing folder was created and the snapshot written')
  t.equal(readFileSync(`${file}.journal`, 'utf8').trim().split('\n').length, 3, 'one journal line per change')

  const again = await createStore(file)
  t.equal(again.orders.count(), 3)
  t.equal(again.orders.find('QC00000001', 'A2')?.status, 'success')
  t.equal(again.orders.find('ON00000002', 'A1')?.currency, 'USD')
  t.equal(again.orders.find('ON00000002', 'A2'), undefined, 'order ids are per merchant')
  t.equal(again.orders.findByPageToken('page-QC00000001-A2')?.order_id, 'A2')
  t.same(again.orders.findById('A1').map((o) => o.merchant_id), ['QC00000001', 'ON00000002'])
  t.same(again.orders.page().items.map((o) => `${o.merchant_id}/${o.order_id}`), ['ON00000002/A1', 'QC00000001/A2', 'QC00000001/A1'], 'newest first')
  t.same(ids(again.orders.page({ merchant_id: 'QC00000001' }).items), ['A2', 'A1'])
  t.same(ids(again.orders.page({ status: 'success' }).items), ['A2'])
  t.equal(again.orders.countMatching({ merchant_id: 'QC00000001' }), 2)
})

t.test('reads are copies: changing one changes nothing stored', async (t) => {
  const store = await createStore(':memory:')
  await store.orders.insert(order('QC00000001', 'C1'))
  const copy = store.orders.find('QC00000001', 'C1')!
  copy.status = 'success'
  copy.history.push({ at: AT, status: 'success', reason: 'mutated by a caller' })
  t.equal(store.orders.find('QC00000001', 'C1')!.status, 'init')
  t.equal(store.orders.find('QC00000001', 'C1')!.history.length, 1)
})

t.test('pages: newest first, a cursor to the next page, null on the last', async (t) => {
  const store = await createStore(':memory:')
  for (let i = 0; i < 25; i++) await store.orders.insert(order(i % 2 === 0 ? 'QC00000001' : 'ON00000002', `P${String(i).padStart(2, '0')}`))
  const seen: string[] = []
  let page = store.orders.page({ limit: 10 })
  for (;;) {
    seen.push(...ids(page.items))
    if (page.next === null) break
    page = store.orders.page({ limit: 10, cursor: page.next })
  }
  t.same(seen, Array.from({ length: 25 }, (_, i) => `P${String(24 - i).padStart(2, '0')}`))
  const evens = store.orders.page({ merchant_id: 'QC00000001', limit: 13 })
  t.equal(evens.items.length, 13)
  t.equal(evens.next, null, 'no next page when nothing more matches')
  await store.reset('ON00000002')
  t.same(ids(store.orders.page({ limit: 3, cursor: store.orders.page({ limit: 3 }).next }).items), ['P18', 'P16', 'P14'], 'a reset leaves the cursors usable')
  t.equal(store.orders.page({ limit: 5000 }).items.length, 13, 'the limit is capped at 1,000, and the rest follow')
})

t.test('update validates, persists, then applies; a refused change touches nothing', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file)
  await store.orders.insert(order('QC00000001', 'U1'))
  const updated = await store.orders.update('QC00000001', 'U1', (o) => ({ order: { ...o, status: 'success' }, callbacks: [delivery('QC00000001', 'U1', 'cb_U1')] }))
  t.equal(updated.status, 'success')
  await t.rejects(store.orders.update('QC00000001', 'U1', () => { throw new Error('refused by the domain') }), /refused by the domain/)
  await t.rejects(store.orders.update('QC00000001', 'NOPE', (o) => ({ order: o })), GoneError)
  await store.orders.update('QC00000001', 'U1', (o) => ({ order: { ...o, status: 'partial_refunded', refunds: [refund('R1')] } }))
  await t.rejects(store.orders.insert(order('QC00000001', 'R1')), IdTakenError, 'a refund id is taken like an order id')
  await t.rejects(store.orders.update('QC00000001', 'U1', (o) => ({ order: { ...o, refunds: [refund('R1'), refund('U1')] } })), IdTakenError)
  const again = await createStore(file)
  t.equal(again.orders.find('QC00000001', 'U1')!.status, 'partial_refunded')
  t.same(again.orders.find('QC00000001', 'U1')!.refunds?.map((r) => r.refund_id), ['R1'])
  t.equal(again.callbacks.get('cb_U1')?.order_id, 'U1')
  t.equal(again.orders.findRefund('QC00000001', 'R1')?.order.order_id, 'U1')
})

t.test('concurrent changes of one order run one after another; concurrent inserts of one id: one wins', async (t) => {
  const store = await createStore(join(t.testdir(), 'sandbox.json'))
  await store.orders.insert(order('QC00000001', 'N1', { tip: '0' }))
  await Promise.all(Array.from({ length: 20 }, () => store.orders.update('QC00000001', 'N1', (o) => ({ order: { ...o, tip: String(Number(o.tip) + 1) } }))))
  t.equal(store.orders.find('QC00000001', 'N1')!.tip, '20', 'no lost update')
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => store.orders.insert(order('QC00000001', 'SAME'))))
  t.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
  t.ok(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof IdTakenError))
})

t.test('close() writes a last snapshot: the next start replays nothing', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file)
  await store.orders.insert(order('QC00000001', 'L1'))
  t.ok(readFileSync(`${file}.journal`).length > 0)
  await store.close()
  t.equal(readFileSync(`${file}.journal`).length, 0, 'the journal is empty')
  t.same(JSON.parse(readFileSync(file, 'utf8')).orders.map((o: { order_id: string }) => o.order_id), ['L1'], 'the snapshot holds the order')
})

t.test(':memory: keeps everything in memory and writes no file', async (t) => {
  const dir = t.testdir()
  const cwd = process.cwd()
  process.chdir(dir)
  t.teardown(() => process.chdir(cwd))
  const store = await createStore(':memory:')
  await store.orders.insert(order('QC00000001', 'M1'))
  await store.close()
  t.equal(store.orders.count(), 1)
  t.same(readdirSync(dir), [], 'nothing was written, not even a file named :memory:')
  t.equal((await createStore(':memory:')).orders.count(), 0, 'every memory store starts empty')
})

t.test('a failed journal write refuses the change and leaves nothing in memory or on disk', async (t) => {
  const disk = flakyDisk()
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file, { openFile: disk.openFile })
  await store.orders.insert(order('QC00000001', 'OK1'))
  disk.broken = true
  const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => store.orders.insert(order('QC00000001', `X${i}`))))
  t.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof StoreError))
  t.match((results[0] as PromiseRejectedResult).reason.message, `cannot write ${file}.journal`)
  await t.rejects(store.orders.update('QC00000001', 'OK1', (o) => ({ order: { ...o, status: 'success' } })), StoreError)
  await t.rejects(store.merchants.insert({ ...MERCHANT, merchant_id: 'RT00000001' }), StoreError)
  await t.rejects(store.reset(), StoreError)
  t.equal(store.orders.count(), 1)
  t.equal(store.orders.find('QC00000001', 'OK1')!.status, 'init')
  t.notOk(store.orders.idTaken('QC00000001', 'X0'), 'a refused id is free')
  t.same(store.merchants.list(), [])
  disk.broken = false
  await store.orders.insert(order('QC00000001', 'X0'))
  const again = await createStore(file)
  t.same(ids(again.orders.page().items), ['X0', 'OK1'], 'the file holds exactly what was acknowledged')
})

t.test('through the app: a failed write answers DB_ERROR, creates no order, and the id is free once the disk is back', async (t) => {
  const disk = flakyDisk()
  const store = await createStore(join(t.testdir(), 'sandbox.json'), { openFile: disk.openFile })
  const { app } = await build(t, { store })
  disk.broken = true
  const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'BAD1' })))
  t.equal(answer.body.rsp_code, 'DB_ERROR')
  t.equal(answer.body.data, undefined)
  t.equal((await app.inject(`/sandbox/api/orders/BAD1?merchant_id=${MERCHANT.merchant_id}`)).statusCode, 404)
  disk.broken = false
  t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'BAD1' })))).body.rsp_code, 'SUCCESS')
})

t.test('reset forgets a merchant\'s orders, refunds and callbacks everywhere, durably', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file)
  for (const m of ['QC00000001', 'ON00000002']) {
    await store.orders.insert(order(m, 'OPEN1'))
    await store.orders.insert(order(m, 'PAID1', { status: 'partial_refunded', refunds: [refund('R1')] }), [delivery(m, 'PAID1', `cb_${m}`)])
  }
  await store.merchants.insert({ ...MERCHANT, merchant_id: 'RT00000001' })
  t.same(await store.reset('QC00000001'), { orders: 2, refunds: 1, callbacks: 1 })
  for (const [s, label] of [[store, 'memory'], [await createStore(file), 'file']] as const) {
    t.equal(s.orders.find('QC00000001', 'OPEN1'), undefined, label)
    t.notOk(s.orders.idTaken('QC00000001', 'R1'), `${label}: the refund id is free`)
    t.equal(s.orders.findByPageToken('page-QC00000001-OPEN1'), undefined, label)
    t.equal(s.callbacks.get('cb_QC00000001'), undefined, label)
    t.same(s.callbacks.pending().map((d) => d.id), ['cb_ON00000002'], label)
    t.ok(s.orders.findRefund('ON00000002', 'R1'), `${label}: the other merchant's refund`)
  }
  t.same(await store.reset('QC00000001'), { orders: 0, refunds: 0, callbacks: 0 })
  t.same(await store.reset(), { orders: 2, refunds: 1, callbacks: 1 })
  t.same((await createStore(file)).merchants.list().map((m) => m.merchant_id), ['RT00000001'], 'merchants stay')
})

t.test('a change that waited for a reset validates against what the reset left', async (t) => {
  const store = await createStore(':memory:')
  await store.orders.insert(order('QC00000001', 'R1'))
  const reset = store.reset()
  const late = store.orders.update('QC00000001', 'R1', (o) => ({ order: { ...o, status: 'success' }, callbacks: [delivery('QC00000001', 'R1', 'cb_late')] }))
  await reset
  await t.rejects(late, GoneError, 'the order is gone: it is not brought back')
  t.equal(store.orders.count(), 0)
  t.equal(store.callbacks.get('cb_late'), undefined)
})

t.test('runtime merchants are journaled, removed and cleared', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file)
  await store.merchants.insert({ ...MERCHANT, merchant_id: 'RT00000001', mer_code: 'RTMERCODE0000001' })
  await store.merchants.insert({ ...MERCHANT, merchant_id: 'RT00000002', mer_code: 'RTMERCODE0000002' })
  await t.rejects(store.merchants.insert({ ...MERCHANT, merchant_id: 'RT00000003', mer_code: 'RTMERCODE0000002' }), /exists already/, 'a mer_code is one merchant\'s')
  t.same((await createStore(file)).merchants.list().map((m) => m.merchant_id), ['RT00000001', 'RT00000002'])
  t.equal(await store.merchants.remove('RT00000001'), true)
  t.equal(await store.merchants.remove('RT00000001'), false)
  t.same((await createStore(file)).merchants.list().map((m) => m.merchant_id), ['RT00000002'])
  t.equal(await store.merchants.clear(), 1)
  t.same((await createStore(file)).merchants.list(), [])
})

t.test('compaction writes a snapshot, starts the journal anew, and prunes the oldest closed orders', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file, { journalLimitBytes: 4096, retentionOrders: 10 })
  await store.orders.insert(order('QC00000001', 'OPEN0'))
  for (let i = 1; i < 40; i++) await store.orders.insert(order('QC00000001', `C${i}`, { status: 'notpay' }))
  await store.orders.insert(order('QC00000001', 'PEND'), [delivery('QC00000001', 'PEND', 'cb_pend')])
  // The journal passed its limit several times; the last compaction may have begun before the last inserts.
  await store.compact()
  const stats = store.stats()
  t.ok(stats.compactions >= 1, `${stats.compactions} compactions`)
  t.ok(stats.pruned > 0)
  t.ok(store.orders.find('QC00000001', 'OPEN0'), 'an open order is never pruned')
  t.ok(store.orders.find('QC00000001', 'PEND'), 'nor one with a callback pending')
  t.equal(store.orders.find('QC00000001', 'C1'), undefined, 'the oldest closed order went first')
  const first = readFileSync(`${file}.journal`, 'utf8').split('\n')[0]!
  t.ok(first === '' || JSON.parse(first).seq > 1, 'the journal was started anew: its first lines are in the snapshot')
  const again = await createStore(file)
  t.same(ids(again.orders.page({ limit: 1000 }).items), ids(store.orders.page({ limit: 1000 }).items), 'snapshot + journal = memory')
  t.same(again.orders.page({ limit: 1000 }).items, store.orders.page({ limit: 1000 }).items, 'every field read back from the new snapshot')
  await store.close()
  t.throws(() => store.orders.find('QC00000001', 'OPEN0'), StoreError, 'a closed store says so')
  t.equal(again.stats().pruned, stats.pruned)
  const snapshot = JSON.parse(readFileSync(file, 'utf8'))
  t.equal(snapshot.schema, 3)
  t.type(snapshot.seq, 'number')
})

t.test('the snapshot is JSON a person can read: one item per line, ASCII only', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file, { journalLimitBytes: 1 })
  await store.orders.insert(order('QC00000001', 'U1', { request: { body: '奶茶 ☕' } }))
  await store.close()
  const text = readFileSync(file, 'utf8')
  t.match(text, /^\{"schema":3,"seq":1,"pruned":0,\n"merchants":\[\n\],\n"orders":\[\n\{[^\n]*\}\n\],\n"callbacks":\[\n\]\}\n$/)
  t.ok([...text].every((c) => c.charCodeAt(0) < 128), 'non-ASCII is escaped')
  t.same((await createStore(file)).orders.find('QC00000001', 'U1')!.request, { body: '奶茶 ☕' })
  // A snapshot reformatted by hand still loads.
  writeFileSync(file, JSON.stringify(JSON.parse(text), null, 2))
  t.equal((await createStore(file)).orders.find('QC00000001', 'U1')!.request.body, '奶茶 ☕')
})

t.test('a journal cut at every byte offset of its last line loads, dropping only that line, with a warning', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'sandbox.json')
  const store = await createStore(file)
  await store.orders.insert(order('QC00000001', 'K1'))
  await store.orders.insert(order('QC00000001', 'K2'))
  // Not closed: a close writes a last snapshot, and this test reads the journal as a crash leaves it.
  const journal = readFileSync(`${file}.journal`)
  const lastStart = journal.subarray(0, -1).lastIndexOf(10) + 1
  const snapshot = readFileSync(file)
  for (let cut = lastStart; cut < journal.length; cut++) {
    const copy = join(dir, `cut-${cut}`)
    mkdirSync(copy)
    writeFileSync(join(copy, 'sandbox.json'), snapshot)
    writeFileSync(join(copy, 'sandbox.json.journal'), journal.subarray(0, cut))
    const warnings: string[] = []
    const loaded = await createStore(join(copy, 'sandbox.json'), { onWarning: (m) => warnings.push(m) })
    t.same(ids(loaded.orders.page().items), ['K1'], `cut at ${cut}`)
    t.equal(warnings.length, cut === lastStart ? 0 : 1, `cut at ${cut}: warned`)
    await loaded.orders.insert(order('QC00000001', 'K3'))
    t.match(readFileSync(join(copy, 'sandbox.json.journal'), 'utf8'), /"order_id":"K3"/, 'the append follows the cut')
    t.same(ids((await createStore(join(copy, 'sandbox.json'))).orders.page().items), ['K3', 'K1'], `cut at ${cut}: appends after it load`)
  }
})

/** Starts a store on files laid out by hand; resolves with the error, and checks that every file stayed as it was. */
async function refused (t: Test, files: Record<string, string>, main = 'sandbox.json') {
  // `a/b` keys become folders.
  const tree: Record<string, unknown> = {}
  for (const [name, text] of Object.entries(files)) {
    const [head, ...rest] = name.split('/')
    if (rest.length === 0) tree[head!] = text
    else tree[head!] = { ...(tree[head!] as object), [rest.join('/')]: text }
  }
  const dir = t.testdir(tree as never)
  const before = Object.fromEntries(Object.keys(files).map((name) => [name, readFileSync(join(dir, name), 'utf8')]))
  const err = await errorOf(createStore(join(dir, main)))
  t.type(err, StoreError)
  for (const [name, text] of Object.entries(before)) t.equal(readFileSync(join(dir, name), 'utf8'), text, `${name} is left as it was`)
  t.same(readdirSync(dir).sort(), Object.keys(files).map((name) => name.split('/')[0]).filter((n, i, all) => all.indexOf(n) === i).sort(), 'no file added or removed')
  return { err: err!, dir }
}

const line = (value: unknown) => JSON.stringify(value)
const snapshotText = (orders: unknown[], seq = 0) => `{"schema":3,"seq":${seq},"pruned":0,\n"merchants":[\n],\n"orders":[\n${orders.map(line).join(',\n')}\n],\n"callbacks":[\n]}\n`

t.test('a broken data file or journal refuses the start, naming the file and line, and leaves every file in place', async (t) => {
  const good = order('QC00000001', 'G1')
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['null', { 'sandbox.json': 'null' }, /sandbox\.json: holds null/],
    ['not JSON', { 'sandbox.json': '{"schema":3,"orders":[' }, /sandbox\.json: is not valid JSON/],
    ['a newer schema', { 'sandbox.json': JSON.stringify({ schema: 4, orders: [] }) }, /newer ottpay-sandbox \(schema 4/],
    ['a null order', { 'sandbox.json': snapshotText([good, null]) }, /sandbox\.json: line 6: an order is not an order object/],
    ['an order without amount', { 'sandbox.json': snapshotText([{ ...good, amount: undefined }]) }, /sandbox\.json: line 5: an order "amount" is missing/],
    ['an order twice', { 'sandbox.json': snapshotText([good, good]) }, /line 6: order G1 of merchant QC00000001 is stored twice/],
    ['a journal without its data file', { 'sandbox.json.journal': `{"seq":1,"op":"put","orders":[${line(good)}],"callbacks":[]}\n` }, /sandbox\.json: is missing, but its journal/],
    ['a bad journal line in the middle', {
      'sandbox.json': snapshotText([]),
      'sandbox.json.journal': `{"seq":1,"op":"put","orders":[${line(good)}],"callbacks":[]}\nnot json\n{"seq":3,"op":"merchants","put":[],"remove":[]}\n`
    }, /sandbox\.json\.journal: line 2 is not valid JSON/],
    ['a journal line with a broken order', {
      'sandbox.json': snapshotText([]),
      'sandbox.json.journal': `{"seq":1,"op":"put","orders":[${line({ ...good, status: 'weird' })}],"callbacks":[]}\n`
    }, /journal: line 1: an order "status" is invalid/],
    ['segment files without their data file', { 'sandbox.json.d/segment-000001.json': '{"schema":2,"orders":[],"callbacks":[]}' }, /sandbox\.json: is missing, but .*sandbox\.json\.d holds 1 files/],
    ['a schema 2 file listing a missing segment', { 'sandbox.json': JSON.stringify({ schema: 2, segments: ['segment-000001.json'], orders: [], callbacks: [], merchants: [] }) }, /segment-000001\.json: is listed in .* but cannot be read/],
    ['a schema 2 file listing a segment twice', {
      'sandbox.json': JSON.stringify({ schema: 2, segments: ['segment-000001.json', 'segment-000001.json'], orders: [], callbacks: [], merchants: [] }),
      'sandbox.json.d/segment-000001.json': JSON.stringify({ schema: 2, orders: [good], callbacks: [] })
    }, /lists segment-000001\.json twice/]
  ]
  for (const [name, files, message] of cases) {
    t.test(name, async (t) => {
      const { err } = await refused(t, files)
      t.match(err.message, message)
    })
  }
})

t.test('a schema 2 data file with segments is migrated on the first start, keeping the old files', async (t) => {
  const old = (i: number) => order('QC00000001', `OLD${i}`, { status: 'success' })
  const dir = t.testdir({
    'sandbox.json': `{\n"schema":2,\n"segments":["segment-000001.json"],\n"next_segment":3,\n"pruned":7,\n"merchants":[${line({ ...MERCHANT, merchant_id: 'RT00000001' })}],\n"orders":[\n${line(old(3))}\n],\n"callbacks":[\n${line(delivery('QC00000001', 'OLD3', 'cb_3', { status: 'pending' }))}\n]\n}\n`,
    'sandbox.json.d': {
      'segment-000001.json': JSON.stringify({ schema: 2, orders: [old(1), old(2)], callbacks: [delivery('QC00000001', 'OLD1', 'cb_1', { status: 'delivered' })] }),
      'segment-000002.json': JSON.stringify({ schema: 2, orders: [order('QC00000001', 'STRAY')], callbacks: [] })
    }
  })
  const file = join(dir, 'sandbox.json')
  const original = readFileSync(file, 'utf8')
  const warnings: string[] = []
  const store = await createStore(file, { onWarning: (m) => warnings.push(m) })
  t.same(ids(store.orders.page().items), ['OLD3', 'OLD2', 'OLD1'], 'segments first, then the head: the history in order')
  t.equal(store.orders.find('QC00000001', 'STRAY'), undefined, 'an unlisted segment is not read')
  t.same(store.callbacks.pending().map((d) => d.id), ['cb_3'])
  t.equal(store.callbacks.get('cb_1')?.status, 'delivered')
  t.same(store.merchants.list().map((m) => m.merchant_id), ['RT00000001'])
  t.equal(store.stats().pruned, 7)
  t.match(warnings.join('\n'), /schema 2 was moved to the journal store .* kept as .*sandbox\.json\.schema-2\.bak/)
  t.equal(readFileSync(`${file}.schema-2.bak`, 'utf8'), original, 'the old data file is kept')
  t.ok(existsSync(join(dir, 'sandbox.json.d', 'segment-000002.json')), 'no segment file is deleted, listed or not')
  t.equal(JSON.parse(readFileSync(file, 'utf8')).schema, 3)
  await store.orders.insert(order('QC00000001', 'NEW1'))
  const again = await createStore(file)
  t.same(ids(again.orders.page().items), ['NEW1', 'OLD3', 'OLD2', 'OLD1'], 'the second start reads the new layout')
})

t.test('a schema 1 data file (every order in one file) is migrated too', async (t) => {
  const dir = t.testdir({ 'sandbox.json': JSON.stringify({ schema: 1, orders: [order('QC00000001', 'H1')] }) })
  const store = await createStore(join(dir, 'sandbox.json'), { onWarning: () => {} })
  t.equal(store.orders.find('QC00000001', 'H1')?.page_token, 'page-QC00000001-H1')
  t.same(store.merchants.list(), [])
  t.ok(existsSync(join(dir, 'sandbox.json.schema-1.bak')))
  // Another schema 1 file at the same place later: the first copy is kept, the second gets a name of its own.
  await store.close()
  writeFileSync(join(dir, 'sandbox.json'), JSON.stringify({ schema: 1, orders: [order('QC00000001', 'H2')] }))
  writeFileSync(join(dir, 'sandbox.json.journal'), '')
  await createStore(join(dir, 'sandbox.json'), { onWarning: () => {} })
  t.match(readFileSync(join(dir, 'sandbox.json.schema-1.bak'), 'utf8'), '"H1"')
  t.match(readFileSync(join(dir, 'sandbox.json.schema-1.bak.1'), 'utf8'), '"H2"')
})
