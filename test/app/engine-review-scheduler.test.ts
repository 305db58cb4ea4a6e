import { join } from 'node:path'
import t from 'tap'
import { createStore } from '../../src/store/index.js'
import { activePayData, build, callGateway, envelope, MERCHANT } from '../helpers/build.js'
import { flakyDisk } from '../helpers/flaky-disk.js'

t.test('an expiry whose write failed is tried again a second later', async (t) => {
  const disk = flakyDisk()
  const store = await createStore(join(t.testdir(), 'sandbox.json'), { openFile: disk.openFile })
  const { app } = await build(t, { store, env: { ORDER_EXPIRY: '60s' } })
  const created = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'E1' })))
  t.equal(created.body.rsp_code, 'SUCCESS')
  disk.broken = true
  // The clock reaches the expiry; its write fails (logged, retry scheduled at now + 1 s).
  await app.sandbox.advance(61_000)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'E1')!.status, 'init', 'expiry failed while the disk was broken')
  disk.broken = false
  // Plenty of time for the retry (advance runs every due moment on the way, as the timer would).
  await app.sandbox.advance(60_000)
  await app.sandbox.tick()
  t.equal(store.orders.find(MERCHANT.merchant_id, 'E1')!.status, 'notpay', 'the expiry ran again once the disk was back')
})

t.test('a callback attempt whose record cannot be written is tried again a second later', async (t) => {
  const { payNow } = await import('../helpers/gateway-calls.js')
  const disk = flakyDisk()
  const store = await createStore(join(t.testdir(), 'sandbox.json'), { openFile: disk.openFile })
  let calls = 0
  const fetch: typeof globalThis.fetch = async () => {
    calls += 1
    disk.broken = calls === 2 // the first retry's record fails to write
    return new Response(null, { status: 500 })
  }
  const { app } = await build(t, { store, fetch })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'CB1' })))
  await payNow(app, 'CB1')
  await app.sandbox.idle()
  await app.sandbox.tick()
  await app.sandbox.idle()
  t.equal(calls, 1)
  await app.sandbox.advance(60_000) // the first retry falls due: its record fails to write
  await app.sandbox.idle()
  disk.broken = false
  // The attempt whose record failed is tried again a second later (within the same advance), and recorded.
  t.ok(calls > 2, `the pending callback was sent again (fetch called ${calls} times)`)
  const [cb] = store.callbacks.forOrder(MERCHANT.merchant_id, 'CB1')
  t.equal(cb!.status, 'pending')
  t.equal(cb!.attempts.length, calls - 1, 'every recorded attempt is in the log; the unrecorded one left nothing')
  t.equal(cb!.attempts[1]!.at, new Date(Date.parse(cb!.created_at) + 16_000).toISOString(), 'the retry went out a second after the unrecorded attempt (that one was due at +15 s)')
})
