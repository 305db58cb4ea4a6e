import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createStore } from '../../src/store/index.js'
import { order } from '../helpers/store-records.js'

// A stress test on the real disk, timed by real waits: ten rounds of a large snapshot being written while a reset
// and a second compaction arrive at a different moment each time. Slow (30,000 journaled writes), so not in the
// fast tier; test/unit/engine-review-compact.test.ts has the quick check of the same rule.

t.test('compactions never overlap: the snapshot left behind is always whole', async (t) => {
  let failures = 0
  for (let round = 0; round < 10; round++) {
    const file = join(t.testdir(), `sandbox-${round}.json`)
    const store = await createStore(file)
    for (let i = 0; i < 3000; i++) await store.orders.insert(order('QC00000001', `BASE${i}`, { request: { pad: 'x'.repeat(200) } }))
    const c1 = store.compact().catch((e: Error) => e.message)
    await sleep(round) // c1 is writing its (large) snapshot
    await store.reset()
    const c2 = store.compact().catch((e: Error) => e.message)
    const r = await Promise.all([c1, c2])
    await store.close()
    const again = await createStore(file).then((s) => `loaded ${s.orders.count()} orders`, (e: Error) => `refused: ${e.message.slice(0, 160)}`)
    if (again !== 'loaded 0 orders') failures += 1
    t.comment(`round ${round}: ${JSON.stringify(r.map((x) => typeof x === 'string' ? x.slice(0, 60) : 'ok'))} → ${again}`)
  }
  t.equal(failures, 0, 'a restart always finds memory (0 orders after the reset)')
})
