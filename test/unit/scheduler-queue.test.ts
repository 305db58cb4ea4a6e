import fc from 'fast-check'
import type { FastifyBaseLogger } from 'fastify'
import t from 'tap'
import type { Dispatcher } from '../../src/engine/callbacks/dispatcher.js'
import { createManualClock } from '../../src/platform/clock.js'
import { createMerchantDirectory } from '../../src/engine/merchants.js'
import type { OrderStatus } from '../../src/domain/orders/order.js'
import type { Payments } from '../../src/engine/orders/payments.js'
import { createPlanner, createScheduler } from '../../src/engine/scheduler.js'
import { createStore } from '../../src/store/index.js'
import { TimerQueue } from '../../src/platform/timer-queue.js'
import { MERCHANT, OTHER_MERCHANT, OUTCOMES, T0 } from '../helpers/build.js'
import { delivery, order } from '../helpers/store-records.js'

t.test('the timer queue pops in time order and queues a (time, key) once', async (t) => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.constantFrom('a', 'b', 'c'))), (pushes) => {
    const queue = new TimerQueue()
    for (const [at, key] of pushes) queue.push(at, key)
    const popped: Array<[number, string]> = []
    for (let entry = queue.pop(); entry !== undefined; entry = queue.pop()) popped.push([entry.at, entry.key])
    const expected = [...new Set(pushes.map(([at, key]) => `${at}|${key}`))].map((s) => s.split('|')).map(([at, key]) => [Number(at), key!] as [number, string])
    return popped.length === expected.length &&
      popped.every(([at], i) => i === 0 || popped[i - 1]![0] <= at) &&
      expected.every(([at, key]) => popped.some(([a, k]) => a === at && k === key))
  }), { numRuns: 300 })
})

const silentLog = { error () {}, warn () {}, info () {}, debug () {}, trace () {}, fatal () {}, child: () => silentLog, level: 'silent' } as unknown as FastifyBaseLogger
const noDispatcher: Dispatcher = { enqueue () {}, redeliver: async () => { throw new Error('not used') }, idle: async () => {} }
const noPayments = {} as Payments

const MINUTE = 60_000
const iso = (ms: number) => new Date(ms).toISOString()
const STATUSES: OrderStatus[] = ['init', 'success', 'notpay', 'fail']

type Step =
  | { op: 'order', id: number, merchant: 0 | 1, created: number, payAt: number | null, expiresAt: number | null, amount: string }
  | { op: 'status', id: number, status: OrderStatus }
  | { op: 'callback', id: number, cb: number, next: number | null, status: 'pending' | 'delivered' | 'failed' }
  | { op: 'reset', merchant: 0 | 1 | null }
  | { op: 'time', ms: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('order' as const),
    id: fc.integer({ min: 0, max: 12 }),
    merchant: fc.constantFrom(0 as const, 1 as const),
    created: fc.integer({ min: -180, max: 60 }),
    payAt: fc.option(fc.integer({ min: -10, max: 200 })),
    expiresAt: fc.option(fc.integer({ min: -10, max: 200 })),
    // The shipped outcomes: 03 pays automatically, 07 never pays; others follow AUTOPAY_AFTER.
    amount: fc.constantFrom('100', '203', '207', '500')
  }),
  fc.record({ op: fc.constant('status' as const), id: fc.integer({ min: 0, max: 12 }), status: fc.constantFrom(...STATUSES) }),
  fc.record({ op: fc.constant('callback' as const), id: fc.integer({ min: 0, max: 12 }), cb: fc.integer({ min: 0, max: 5 }), next: fc.option(fc.integer({ min: -10, max: 300 })), status: fc.constantFrom('pending' as const, 'delivered' as const, 'failed' as const) }),
  fc.record({ op: fc.constant('reset' as const), merchant: fc.constantFrom(0 as const, 1 as const, null) }),
  fc.record({ op: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 90 * MINUTE }) })
)

t.test('the scheduler\'s queue agrees with a scan of every open order and pending callback, on random histories', async (t) => {
  await fc.assert(fc.asyncProperty(fc.array(step, { maxLength: 40 }), fc.boolean(), async (steps, autopay) => {
    const store = await createStore(':memory:')
    const clock = createManualClock(T0)
    const merchants = createMerchantDirectory([MERCHANT, OTHER_MERCHANT], store)
    const options = { store, clock, merchants, outcomes: OUTCOMES, payments: noPayments, dispatcher: noDispatcher, log: silentLog, autopayAfterMs: autopay ? 30 * MINUTE : undefined, orderExpiryMs: 120 * MINUTE }
    const scheduler = createScheduler(options)
    const planner = createPlanner(options)
    const merchantId = (m: 0 | 1) => [MERCHANT, OTHER_MERCHANT][m]!.merchant_id

    /** The brute force: every stored open order's moments and every pending callback's next attempt after `now`. */
    function scan (now: number): number | undefined {
      const times: number[] = []
      for (let page = store.orders.page({ limit: 1000 }); ; page = store.orders.page({ limit: 1000, cursor: page.next })) {
        for (const o of page.items) {
          times.push(...planner.momentsOf(o))
          for (const d of store.callbacks.forOrder(o.merchant_id, o.order_id)) if (d.status === 'pending' && d.next_attempt_at !== null) times.push(d.next_attempt_at)
        }
        if (page.next === null) break
      }
      const later = times.filter((at) => at > now)
      return later.length === 0 ? undefined : Math.min(...later)
    }

    for (const s of steps) {
      const now = clock.now()
      if (s.op === 'order') {
        const fields = {
          created_at: iso(now + s.created * MINUTE),
          amount: s.amount,
          ...(s.payAt === null ? {} : { pay_at: iso(now + s.payAt * MINUTE) }),
          ...(s.expiresAt === null ? {} : { expires_at: iso(now + s.expiresAt * MINUTE) })
        }
        const existing = store.orders.find(merchantId(s.merchant), `O${s.id}`)
        if (existing === undefined) await store.orders.insert(order(merchantId(s.merchant), `O${s.id}`, fields))
        else await store.orders.update(existing.merchant_id, existing.order_id, (o) => ({ order: { ...o, ...fields } }))
      } else if (s.op === 'status') {
        const found = store.orders.findById(`O${s.id}`)[0]
        if (found !== undefined) await store.orders.update(found.merchant_id, found.order_id, (o) => ({ order: { ...o, status: s.status } }))
      } else if (s.op === 'callback') {
        const found = store.orders.findById(`O${s.id}`)[0]
        const id = `cb_${s.id}_${s.cb}`
        const next = s.next === null ? null : now + s.next * 1000
        if (store.callbacks.get(id) !== undefined) {
          await store.callbacks.update(id, (d) => ({ ...d, status: s.status, next_attempt_at: next }))
        } else if (found !== undefined) {
          await store.orders.update(found.merchant_id, found.order_id, (o) => ({ order: o, callbacks: [delivery(o.merchant_id, o.order_id, id, { status: s.status, next_attempt_at: next })] }))
        }
      } else if (s.op === 'reset') {
        await store.reset(s.merchant === null ? undefined : merchantId(s.merchant))
      } else {
        clock.advance(s.ms)
      }
      const expected = scan(clock.now())
      const got = scheduler.nextDue(clock.now())
      if (got !== expected) throw new Error(`after ${JSON.stringify(s)}: the queue says ${got}, the scan ${expected}`)
    }
  }), { numRuns: 150 })
  t.pass('150 random histories agree')
})
