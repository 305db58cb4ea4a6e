import { open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { createStore } from '../../src/store/index.js'
import { MERCHANT } from '../helpers/build.js'
import { order } from '../helpers/store-records.js'

const settle = async <T>(p: Promise<T>) => await p.then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e: e as Error }))

t.test('two concurrent inserts of one merchant id: one wins, the other is refused', async (t) => {
  const store = await createStore(join(t.testdir(), 'sandbox.json'))
  const [a, b] = await Promise.all([
    settle(store.merchants.insert({ ...MERCHANT, merchant_id: 'RT00000009', sign_key: 'KEY-OF-CALLER-A0' })),
    settle(store.merchants.insert({ ...MERCHANT, merchant_id: 'RT00000009', sign_key: 'KEY-OF-CALLER-B0' }))
  ])
  t.equal([a, b].filter((r) => r.ok).length, 1, 'one of them is refused ("exists already")')
  const winner = a.ok ? 'KEY-OF-CALLER-A0' : 'KEY-OF-CALLER-B0'
  t.equal(store.merchants.get('RT00000009')!.sign_key, winner, 'the stored key is the one acknowledged')
})

t.test('a compaction whose journal reopen fails keeps the old journal in use', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  let opens = 0
  let failOpen = false
  const openFile = async (path: string, flags: string): Promise<FileHandle> => {
    opens += 1
    if (failOpen) throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' })
    return await open(path, flags)
  }
  const warnings: string[] = []
  const store = await createStore(file, { openFile, onWarning: (m) => warnings.push(m) })
  await store.orders.insert(order('QC00000001', 'A'))
  failOpen = true
  t.notOk((await settle(store.compact())).ok, 'the compaction failed (transient EMFILE)')
  failOpen = false
  const later = await settle(store.orders.insert(order('QC00000001', 'B')))
  t.ok(later.ok, `a change after the transient failure is written: ${later.ok ? '' : later.e.message}`)
  t.ok(opens > 1)
  await store.close()
  t.same((await createStore(file)).orders.page().items.map((o) => o.order_id), ['B', 'A'], 'both are there after a restart')
})
