import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { StoreError } from '../../src/domain/errors.js'
import { createStore } from '../../src/store/index.js'
import { order } from '../helpers/store-records.js'

t.test('a change after close() is refused, never acknowledged', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const store = await createStore(file)
  await store.orders.insert(order('QC00000001', 'BEFORE'))
  await store.close()
  await t.rejects(store.orders.insert(order('QC00000001', 'AFTER')), { name: 'StoreError', message: /the store is closed/ })
  const again = await createStore(file)
  t.ok(again.orders.find('QC00000001', 'BEFORE'))
  t.equal(again.orders.find('QC00000001', 'AFTER'), undefined)
})

t.test('a hand-edited snapshot with a bad "seq" or "pruned" refuses the start and stays as it is', async (t) => {
  for (const [field, value] of [['seq', 'x'], ['seq', -1], ['pruned', 'lots']] as const) {
    const dir = t.testdir()
    const file = join(dir, 'sandbox.json')
    const first = await createStore(file)
    await first.orders.insert(order('QC00000001', 'A'))
    await first.compact()
    await first.close()
    const snap = JSON.parse(readFileSync(file, 'utf8'))
    snap[field] = value
    const text = JSON.stringify(snap, null, 2)
    writeFileSync(file, text)
    const before = readdirSync(dir).sort()
    const err = await createStore(file).then(() => undefined, (e: unknown) => e)
    t.type(err, StoreError, `${field} ${JSON.stringify(value)}`)
    t.match((err as Error).message, /has no valid "seq" and "pruned"/)
    t.equal(readFileSync(file, 'utf8'), text, 'the file is left as it was')
    t.same(readdirSync(dir).sort(), before, 'no file added or removed')
  }
})
