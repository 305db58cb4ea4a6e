import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { activePayData, build, callGateway, envelope, MERCHANT, OTHER_MERCHANT } from '../helpers/build.js'

/** Follows `next_url` from `first` to the last page; every page's items, and how many pages. */
async function follow (app: FastifyInstance, first: string, key: 'orders' | 'requests'): Promise<{ ids: string[], pages: number }> {
  const ids: string[] = []
  let pages = 0
  for (let url: string | null = first; url !== null;) {
    const res = await app.inject(url)
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    const body = res.json() as Record<string, unknown>
    const items = body[key] as Array<{ order_id?: string, id?: string }>
    ids.push(...items.map((item) => item.order_id ?? item.id!))
    pages += 1
    url = body.next_url as string | null
    if (url !== null) t.equal(body.next, new URL(url, 'http://x').searchParams.get('cursor'), 'next_url carries next as the cursor')
  }
  return { ids, pages }
}

t.test('GET /sandbox/api/orders pages newest first with a cursor, keeping the filters', async (t) => {
  const { app } = await build(t)
  for (let i = 0; i < 25; i++) {
    const merchant = i % 5 === 0 ? OTHER_MERCHANT : MERCHANT
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `PG${String(i).padStart(2, '0')}`, operator_id: merchant.operators[0]! }), merchant), merchant)
    t.equal(answer.body.rsp_code, 'SUCCESS')
  }
  const first = (await app.inject('/sandbox/api/orders')).json()
  t.equal(first.orders.length, 25, 'the default page (100) holds them all')
  t.equal(first.total, 25)
  t.equal(first.next, null)
  t.equal(first.next_url, null)

  const all = await follow(app, '/sandbox/api/orders?limit=10', 'orders')
  t.equal(all.pages, 3)
  t.same(all.ids, Array.from({ length: 25 }, (_, i) => `PG${String(24 - i).padStart(2, '0')}`))

  const mine = await follow(app, `/sandbox/api/orders?limit=7&merchant_id=${MERCHANT.merchant_id}`, 'orders')
  t.equal(mine.ids.length, 20)
  t.ok(mine.ids.every((id) => Number(id.slice(2)) % 5 !== 0), 'the filter holds on every page')
  t.equal((await app.inject(`/sandbox/api/orders?limit=7&merchant_id=${MERCHANT.merchant_id}`)).json().total, 20)

  for (const bad of ['limit=0', 'limit=1001', 'limit=abc', 'cursor=abc']) {
    const res = await app.inject(`/sandbox/api/orders?${bad}`)
    t.equal(res.statusCode, 400, bad)
  }
})

t.test('GET /sandbox/api/requests pages the request log the same way', async (t) => {
  const { app } = await build(t)
  for (let i = 0; i < 12; i++) await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `RQ${i}` })))
  const all = await follow(app, '/sandbox/api/requests?limit=5', 'requests')
  t.equal(all.pages, 3)
  t.equal(all.ids.length, 12)
  t.equal(new Set(all.ids).size, 12, 'no entry twice')
  t.same(all.ids, [...all.ids].sort((a, b) => Number(b.slice(4)) - Number(a.slice(4))), 'newest first')
  t.equal((await app.inject('/sandbox/api/requests')).json().requests.length, 12, 'the default page (100) holds them all')
  t.equal((await app.inject('/sandbox/api/requests?limit=1001')).statusCode, 400)
})

t.test('the admin UI lists link to the older page with the same filters', async (t) => {
  const { app } = await build(t)
  for (let i = 0; i < 205; i++) await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `UI${String(i).padStart(3, '0')}` })))
  const page = await app.inject(`/sandbox?merchant_id=${MERCHANT.merchant_id}`)
  t.match(page.body, 'Showing 200 of 205 orders')
  const older = /<a href="([^"]+)" rel="next">Older orders →<\/a>/.exec(page.body)?.[1]?.replace(/&amp;/g, '&')
  t.ok(older, 'an Older link')
  t.match(older, `merchant_id=${MERCHANT.merchant_id}`)
  const second = await app.inject(older!)
  t.equal(second.statusCode, 200)
  t.match(second.body, 'UI004')
  t.notMatch(second.body, 'UI005', 'only what the first page did not show')
  t.notMatch(second.body, 'rel="next"', 'the last page has no Older link')

  const requests = await app.inject('/sandbox/requests')
  const olderRequests = /<a href="([^"]+)" rel="next">Older requests →<\/a>/.exec(requests.body)?.[1]?.replace(/&amp;/g, '&')
  t.ok(olderRequests, 'the request inspector pages too')
  t.equal((await app.inject(olderRequests!)).statusCode, 200)
})
