import fc from 'fast-check'
import t from 'tap'
import { FairQueue, originOf } from '../../src/engine/callbacks/fair-queue.js'

interface Item {
  id: string
  url: string
}

const item = (id: string, url: string): Item => ({ id, url })
const A = 'http://a.test:8080/callback'
const B = 'https://b.test/notify'
const C = 'http://c.test/x'

/** Takes until the queue hands out nothing more. */
function drainSlots (queue: FairQueue<Item>): Item[] {
  const taken: Item[] = []
  for (let next = queue.take(); next !== undefined; next = queue.take()) taken.push(next)
  return taken
}

t.test('originOf: scheme, host and port; a URL without an origin is its own receiver', async (t) => {
  t.equal(originOf('http://Merchant.Example:80/a?b=c'), 'http://merchant.example')
  t.equal(originOf('http://merchant.example/other'), 'http://merchant.example', 'paths share the origin')
  t.equal(originOf('http://merchant.example:8080/a'), 'http://merchant.example:8080', 'another port is another receiver')
  t.equal(originOf('https://merchant.example/a'), 'https://merchant.example', 'another scheme is another receiver')
  t.equal(originOf('not a url'), 'malformed:not a url')
  t.not(originOf('not a url'), originOf('also not a url'), 'each malformed URL has its own key')
  t.equal(originOf('mailto:x@y.z'), 'opaque:mailto:x@y.z', 'an opaque origin ("null") is not shared')
  t.not(originOf('foo://a/1'), originOf('foo://a/2'))
})

t.test('limits are checked', async (t) => {
  t.throws(() => new FairQueue({ perOrigin: 0, total: 1 }), RangeError)
  t.throws(() => new FairQueue({ perOrigin: 1, total: 1.5 }), RangeError)
})

t.test('per-origin FIFO, per-origin limit, total limit, round robin', async (t) => {
  const queue = new FairQueue<Item>({ perOrigin: 2, total: 5 })
  for (let i = 1; i <= 4; i++) queue.push(item(`a${i}`, A))
  for (let i = 1; i <= 2; i++) queue.push(item(`b${i}`, B))
  queue.push(item('c1', C))
  t.equal(queue.queued, 7)
  t.same(drainSlots(queue).map((i) => i.id), ['a1', 'b1', 'c1', 'a2', 'b2'], 'one per origin in turn, in order within each')
  t.equal(queue.inFlight, 5)
  t.equal(queue.inFlightAt(originOf(A)), 2)
  t.equal(queue.take(), undefined, 'the total limit')
  t.ok(queue.release('c1'))
  t.equal(queue.take(), undefined, 'a free slot, but a has its two in flight and nothing else is queued')
  t.ok(queue.release('b1'))
  t.equal(queue.take(), undefined)
  t.ok(queue.release('a1'))
  t.equal(queue.take()?.id, 'a3', 'a has a slot again')
  t.notOk(queue.release('a1'), 'released twice')
  t.notOk(queue.release('nope'))
})

t.test('no duplicates: an id queued or in flight is refused', async (t) => {
  const queue = new FairQueue<Item>({ perOrigin: 1, total: 10 })
  t.ok(queue.push(item('x', A)))
  t.notOk(queue.push(item('x', A)), 'queued')
  t.notOk(queue.push(item('x', B)), 'queued, even for another URL')
  t.equal(queue.take()?.id, 'x')
  t.ok(queue.has('x'))
  t.notOk(queue.push(item('x', A)), 'in flight')
  queue.release('x')
  t.notOk(queue.has('x'))
  t.ok(queue.push(item('x', A)), 'again once released')
  t.equal(queue.queued, 1)
})

t.test('a saturated origin goes to the back of the line when a slot frees', async (t) => {
  const queue = new FairQueue<Item>({ perOrigin: 1, total: 10 })
  queue.push(item('a1', A))
  queue.push(item('a2', A))
  t.same(drainSlots(queue).map((i) => i.id), ['a1'])
  queue.push(item('b1', B))
  queue.push(item('b2', B))
  queue.release('a1')
  // a is ready again, behind b which was waiting already: b1 first, then a2; b2 once b1 is released.
  t.same(drainSlots(queue).map((i) => i.id), ['b1', 'a2'])
  queue.release('b1')
  t.same(drainSlots(queue).map((i) => i.id), ['b2'])
})

t.test('clear drops what is queued and keeps what is in flight', async (t) => {
  const queue = new FairQueue<Item>({ perOrigin: 1, total: 10 })
  for (const id of ['a1', 'a2', 'a3']) queue.push(item(id, A))
  queue.push(item('b1', B))
  t.equal(queue.take()?.id, 'a1')
  t.same(queue.clear().map((i) => i.id).sort(), ['a2', 'a3', 'b1'])
  t.equal(queue.queued, 0)
  t.equal(queue.inFlight, 1)
  t.equal(queue.take(), undefined)
  t.notOk(queue.has('a2'))
  t.ok(queue.release('a1'))
  queue.push(item('a4', A))
  t.equal(queue.take()?.id, 'a4')
})

t.test('a long FIFO stays in order across compactions', async (t) => {
  const queue = new FairQueue<Item>({ perOrigin: 3, total: 3 })
  const n = 5000
  for (let i = 0; i < n; i++) queue.push(item(String(i), A))
  const order: string[] = []
  for (let next = queue.take(); next !== undefined; next = queue.take()) {
    order.push(next.id)
    queue.release(next.id)
    if (order.length % 7 === 0) queue.push(item(`late${order.length}`, A))
  }
  const numbers = order.filter((id) => !id.startsWith('late'))
  t.same(numbers, Array.from({ length: n }, (_, i) => String(i)))
  t.equal(queue.queued + queue.inFlight, 0)
})

// ---- Property tests: random operations against a plain model. ----

type Op =
  | { kind: 'push', id: number, origin: number }
  | { kind: 'take' }
  | { kind: 'release', pick: number }

const ORIGINS = ['http://o0.test', 'http://o1.test', 'https://o2.test:444', 'http://o3.test', 'not a url']

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), id: fc.nat({ max: 40 }), origin: fc.nat({ max: ORIGINS.length - 1 }) }),
  fc.record({ kind: fc.constant('take' as const) }),
  fc.record({ kind: fc.constant('release' as const), pick: fc.nat() })
)

const limitsArb = fc.record({ perOrigin: fc.integer({ min: 1, max: 4 }), total: fc.integer({ min: 1, max: 8 }) })

interface Model {
  queued: Map<string, string[]>
  active: Map<string, number>
  flying: Map<string, string>
  /** Takes given to other origins while this one was ready, since it last became ready. */
  waited: Map<string, number>
}

const urlOf = (origin: number, id: number) => `${ORIGINS[origin]}${ORIGINS[origin] === 'not a url' ? '' : `/cb/${id}`}`

/** Runs the operations; throws (so fast-check shrinks) as soon as the queue and the model disagree. */
function check (limits: { perOrigin: number, total: number }, ops: Op[]): void {
  const queue = new FairQueue<Item>(limits)
  const model: Model = { queued: new Map(), active: new Map(), flying: new Map(), waited: new Map() }
  const distinct = new Set(ORIGINS.map((_, i) => originOf(urlOf(i, 0))))
  const ready = (origin: string) => (model.queued.get(origin)?.length ?? 0) > 0 && (model.active.get(origin) ?? 0) < limits.perOrigin
  const fail = (message: string) => { throw new Error(message) }

  for (const op of ops) {
    const readyBefore = new Set([...model.queued.keys()].filter(ready))
    if (op.kind === 'push') {
      const id = `d${op.id}`
      const url = urlOf(op.origin, op.id)
      const origin = originOf(url)
      const known = model.flying.has(id) || [...model.queued.values()].some((ids) => ids.includes(id))
      const accepted = queue.push(item(id, url))
      if (accepted === known) fail(`push ${id}: accepted=${accepted}, but it was ${known ? '' : 'not '}queued or in flight`)
      if (accepted) model.queued.set(origin, [...(model.queued.get(origin) ?? []), id])
    } else if (op.kind === 'take') {
      const taken = queue.take()
      if (taken === undefined) {
        if (model.flying.size < limits.total && readyBefore.size > 0) fail(`take: nothing, though a slot is free and ${[...readyBefore].join(', ')} ready`)
      } else {
        const origin = originOf(taken.url)
        if (!readyBefore.has(origin)) fail(`take: ${taken.id} from ${origin}, which was not ready`)
        const fifo = model.queued.get(origin)!
        if (fifo[0] !== taken.id) fail(`take: ${taken.id} from ${origin}, but ${fifo[0]} was queued first`)
        fifo.shift()
        model.flying.set(taken.id, origin)
        model.active.set(origin, (model.active.get(origin) ?? 0) + 1)
        if (model.flying.size > limits.total) fail(`${model.flying.size} in flight, total limit ${limits.total}`)
        if (model.active.get(origin)! > limits.perOrigin) fail(`${model.active.get(origin)} in flight at ${origin}, limit ${limits.perOrigin}`)
        // Round robin: a ready origin is served before any other origin is served twice.
        for (const other of readyBefore) {
          if (other === origin) continue
          const waited = (model.waited.get(other) ?? 0) + 1
          model.waited.set(other, waited)
          if (waited > distinct.size - 1) fail(`${other} waited ${waited} takes while ready (${distinct.size} origins)`)
        }
        model.waited.set(origin, 0)
      }
    } else {
      const flying = [...model.flying.keys()]
      if (flying.length === 0) {
        if (queue.release('nothing')) fail('released an id never taken')
        continue
      }
      const id = flying[op.pick % flying.length]!
      if (!queue.release(id)) fail(`release ${id}: refused`)
      const origin = model.flying.get(id)!
      model.flying.delete(id)
      model.active.set(origin, model.active.get(origin)! - 1)
    }
    // An origin that stopped being ready starts counting afresh when it is ready again.
    for (const origin of model.queued.keys()) if (!ready(origin)) model.waited.set(origin, 0)
    const queuedCount = [...model.queued.values()].reduce((n, ids) => n + ids.length, 0)
    if (queue.queued !== queuedCount || queue.inFlight !== model.flying.size) fail(`counts: ${queue.queued}/${queue.inFlight}, model ${queuedCount}/${model.flying.size}`)
  }

  // Eventually: taking and releasing until nothing is left hands out every queued item once, in order per origin.
  const expected = new Map([...model.queued].map(([origin, ids]) => [origin, [...ids]]))
  for (const id of [...model.flying.keys()]) queue.release(id)
  const seen = new Map<string, string[]>()
  for (let round = 0; queue.queued > 0; round++) {
    if (round > 10_000) fail('the queue never drained')
    const taken = drainSlots(queue)
    if (taken.length === 0) fail(`${queue.queued} queued, nothing in flight, nothing taken`)
    for (const it of taken) {
      const origin = originOf(it.url)
      seen.set(origin, [...(seen.get(origin) ?? []), it.id])
      queue.release(it.id)
    }
  }
  for (const [origin, ids] of expected) {
    const got = seen.get(origin) ?? []
    if (JSON.stringify(got) !== JSON.stringify(ids)) fail(`${origin}: drained ${got.join(',')}, queued ${ids.join(',')}`)
  }
  if (queue.inFlight !== 0) fail(`${queue.inFlight} still in flight`)
}

t.test('property: limits, no duplicates, FIFO per origin, bounded round robin, everything eventually taken', async (t) => {
  fc.assert(fc.property(limitsArb, fc.array(opArb, { maxLength: 300 }), check), { numRuns: 500 })
  t.pass('500 random runs')
})

t.test('property: with free slots, takes go round-robin in the order origins first had work', async (t) => {
  const pushesArb = fc.array(fc.nat({ max: ORIGINS.length - 1 }), { maxLength: 60 })
  fc.assert(fc.property(pushesArb, (origins) => {
    const queue = new FairQueue<Item>({ perOrigin: 1000, total: 1000 })
    const fifos = new Map<string, string[]>()
    origins.forEach((o, i) => {
      const url = urlOf(o, i)
      queue.push(item(`d${i}`, url))
      const key = originOf(url)
      fifos.set(key, [...(fifos.get(key) ?? []), `d${i}`])
    })
    // The reference: rounds over the origins in order of their first item, one from each that has any left.
    const expected: string[] = []
    while ([...fifos.values()].some((ids) => ids.length > 0)) {
      for (const ids of fifos.values()) if (ids.length > 0) expected.push(ids.shift()!)
    }
    const got = drainSlots(queue).map((i) => i.id)
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`took ${got.join(',')}, expected ${expected.join(',')}`)
  }), { numRuns: 300 })
  t.pass('300 random runs')
})
