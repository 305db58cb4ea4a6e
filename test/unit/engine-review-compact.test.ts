import { open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createStore } from '../../src/store/index.js'
import { order } from '../helpers/store-records.js'

const ids = (orders: Array<{ order_id: string }>) => orders.map((o) => o.order_id).sort()

/** A journal whose writes wait while `held` is set. */
function slowDisk () {
  const disk = {
    held: undefined as Promise<void> | undefined,
    openFile: async (path: string, flags: string): Promise<FileHandle> => {
      const handle = await open(path, flags)
      const write = handle.write.bind(handle) as (...args: unknown[]) => Promise<unknown>
      return Object.assign(handle, { write: async (...args: unknown[]) => { await disk.held; return await write(...args) } })
    }
  }
  return disk
}

t.test('compactions never overlap: a compact() during another compaction loses no acknowledged write', async (t) => {
  const file = join(t.testdir(), 'sandbox.json')
  const disk = slowDisk()
  const store = await createStore(file, { openFile: disk.openFile })
  for (let i = 0; i < 300; i++) await store.orders.insert(order('QC00000001', `BASE${i}`))
  const c1 = store.compact()
  await sleep(0) // c1 has captured its snapshot and offset
  let release!: () => void
  disk.held = new Promise((resolve) => { release = resolve })
  const w1 = store.orders.insert(order('QC00000001', 'W1')) // its write waits
  await sleep(0)
  const c2 = store.compact() // its capture waits behind W1
  await sleep(300) // c1 writes its snapshot, queues its journal cut behind c2's capture
  disk.held = undefined
  release()
  await w1
  await sleep(0)
  await store.orders.insert(order('QC00000001', 'W2')) // after c2's capture
  await Promise.all([c1, c2])
  const mem = ids(store.orders.page({ limit: 1000 }).items)
  await store.close()
  const again = await createStore(file)
  const disk2 = ids(again.orders.page({ limit: 1000 }).items)
  t.same(mem.filter((id) => !disk2.includes(id)), [], 'nothing acknowledged is missing after a restart')
})
