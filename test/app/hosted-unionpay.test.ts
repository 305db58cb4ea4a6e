import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { DataObject } from '../../src/crypto/index.js'
import { activePayData, build, callGateway, cardData, envelope, MERCHANT, OTHER_MERCHANT, choose } from '../helpers/build.js'

const CARD = '5160736813962037'

/** Creates a card order through the gateway and returns the path of its hosted page. */
async function cardOrder (app: FastifyInstance, data: DataObject = cardData(), action = 'CC_PURCHASE'): Promise<string> {
  const answer = await callGateway(app, envelope(action, '2.0', data))
  if (answer.body.rsp_code !== 'SUCCESS') throw new Error(answer.body.rsp_msg)
  return new URL(answer.data!.codeUrl as string).pathname
}

t.test('the hosted page shows the order and offers pay, decline and cancel', async (t) => {
  const { app } = await build(t)
  const path = await cardOrder(app)
  t.match(path, /^\/sandbox\/pay\/unionpay\/page\d{17}$/)
  const res = await app.inject({ method: 'GET', url: path })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html; charset=utf-8/)
  t.match(res.body, /^<!doctype html>/)
  t.match(res.body, /25\.00 CAD/)
  t.match(res.body, /CARD0001/)
  t.match(res.body, /Test Tea \(QC00000001\)/)
  t.match(res.body, /\*{12}2037/)
  t.notOk(res.body.includes(CARD), 'the full card number is never shown')
  t.match(res.body, new RegExp(`<form method="post" action="${path}">`))
  const buttons = [...res.body.matchAll(/<button[^>]*type="submit" name="choice" value="([a-z]+)"/g)].map((m) => m[1])
  t.same(buttons, ['pay', 'decline', 'cancel'])
  // The one link is the sandbox's own favicon (same host).
  t.notMatch(res.body, /<script|<link(?! rel="icon" href="\/favicon\.svg")|https?:\/\/(?!merchant\.example)/, 'self-contained: no scripts or external assets')
})

t.test('a pre-authorisation page says so; an amount under a dollar is padded', async (t) => {
  const { app } = await build(t)
  const path = await cardOrder(app, cardData({ txnAmt: '5' }), 'CC_PREAUTH')
  const res = await app.inject({ method: 'GET', url: path })
  t.match(res.body, /0\.05 CAD/)
  t.match(res.body, /Pre-authorisation/)
})

t.test('the page shows the merchant\'s currency', async (t) => {
  const { app } = await build(t)
  const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData({ merchant_id: OTHER_MERCHANT.merchant_id, operator_id: '0000000005', txnAmt: '123456' }), OTHER_MERCHANT), OTHER_MERCHANT)
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  const res = await app.inject({ method: 'GET', url: new URL(answer.data!.codeUrl as string).pathname })
  t.match(res.body, /1234\.56 USD/)
})

t.test('paying moves the order to success with a Beijing finish_time and a history entry', async (t) => {
  const { app, store } = await build(t)
  const path = await cardOrder(app)
  const res = await choose(app, path, 'pay')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  t.match(res.body, /Payment completed/)
  t.match(res.body, /data-status="success"/)
  const order = store.orders.find(MERCHANT.merchant_id, 'CARD0001')!
  t.equal(order.status, 'success')
  t.equal(order.finish_time, '20260115120000')
  t.same(order.history.map((h) => h.status), ['init', 'success'])
  t.equal(order.history[1]!.at, '2026-01-15T04:00:00.000Z')
  t.match(order.history[1]!.reason, /paid by the payer on the hosted UnionPay page/)
  t.equal(order.updated_at, '2026-01-15T04:00:00.000Z')
})

t.test('finish_time follows the sandbox clock', async (t) => {
  const { app, store, clock } = await build(t)
  const path = await cardOrder(app)
  clock.advance(13 * 60 * 60 * 1000 + 61 * 1000)
  await choose(app, path, 'pay')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'CARD0001')!.finish_time, '20260116010101')
})

t.test('each choice leads to its state', async (t) => {
  const { app, store } = await build(t)
  const cases = [
    { action: 'CC_PURCHASE', choice: 'pay', status: 'success', text: /Payment completed/, paid: true },
    { action: 'CC_PREAUTH', choice: 'pay', status: 'authorised', text: /Payment completed/, paid: true },
    { action: 'CC_PURCHASE', choice: 'decline', status: 'fail', text: /Payment declined/, paid: false },
    { action: 'CC_PREAUTH', choice: 'decline', status: 'fail', text: /Payment declined/, paid: false },
    { action: 'CC_PURCHASE', choice: 'cancel', status: 'notpay', text: /Payment cancelled/, paid: false }
  ]
  for (const [i, c] of cases.entries()) {
    const orderId = `CHOICE${i}`
    const path = await cardOrder(app, cardData({ orderId }), c.action)
    const res = await choose(app, path, c.choice)
    t.test(`${c.action} ${c.choice}`, async (t) => {
      t.equal(res.statusCode, 200)
      t.match(res.body, c.text)
      const order = store.orders.find(MERCHANT.merchant_id, orderId)!
      t.equal(order.status, c.status)
      t.equal(order.finish_time !== null, c.paid, 'finish_time only when paid')
      t.same(order.history.map((h) => h.status), ['init', c.status])
    })
  }
})

t.test('a closed order cannot be paid; the page offers no buttons', async (t) => {
  const { app, store } = await build(t)
  const path = await cardOrder(app)
  t.equal((await choose(app, path, 'pay')).statusCode, 200)
  const again = await choose(app, path, 'pay')
  t.equal(again.statusCode, 409)
  t.match(again.headers['content-type'], /^text\/html/)
  t.match(again.body, /Nothing was changed/)
  t.match(again.body, /already paid/)
  const decline = await choose(app, path, 'decline')
  t.equal(decline.statusCode, 409)
  const order = store.orders.find(MERCHANT.merchant_id, 'CARD0001')!
  t.equal(order.status, 'success', 'status unchanged')
  t.equal(order.history.length, 2, 'no new history entry')
  const page = await app.inject({ method: 'GET', url: path })
  t.equal(page.statusCode, 200)
  t.notMatch(page.body, /<form/)
  t.match(page.body, /no longer awaiting payment/)
})

t.test('a declined order cannot be paid afterwards', async (t) => {
  const { app, store } = await build(t)
  const path = await cardOrder(app)
  await choose(app, path, 'decline')
  const res = await choose(app, path, 'pay')
  t.equal(res.statusCode, 409)
  t.match(res.body, /is closed \(fail\)/)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'CARD0001')!.status, 'fail')
})

t.test('an unknown token is a 404 page', async (t) => {
  const { app } = await build(t)
  for (const method of ['GET', 'POST'] as const) {
    const res = method === 'GET'
      ? await app.inject({ method, url: '/sandbox/pay/unionpay/nosuchtoken' })
      : await choose(app, '/sandbox/pay/unionpay/nosuchtoken', 'pay')
    t.equal(res.statusCode, 404, method)
    t.match(res.headers['content-type'], /^text\/html/)
    t.match(res.body, /Payment page not found/)
  }
})

t.test('an invalid choice is a 400 and changes nothing', async (t) => {
  const { app, store } = await build(t)
  const path = await cardOrder(app)
  for (const payload of ['choice=steal', 'choice=', 'nothing=here']) {
    const res = await app.inject({ method: 'POST', url: path, payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    t.equal(res.statusCode, 400, payload)
    t.match(res.headers['content-type'], /^text\/html/, 'the payer sees a page, not JSON')
    t.match(res.body, /<p role="alert">body.*choice/, 'the page names the field')
  }
  t.equal(store.orders.find(MERCHANT.merchant_id, 'CARD0001')!.status, 'init')
})

t.test('a malformed token is a 400 page', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: `/sandbox/pay/unionpay/${'x'.repeat(65)}` })
  t.equal(res.statusCode, 400)
  t.match(res.headers['content-type'], /^text\/html/)
  t.match(res.body, /Request not understood/)
  t.match(res.body, /params\/token /)
})

t.test('the result page returns to frontUrl by POSTing the result; a mobile order without one has no way back', async (t) => {
  const { app } = await build(t)
  const web = await choose(app, await cardOrder(app), 'pay')
  t.match(web.body, /<form id="return" method="post" action="https:\/\/merchant\.example\/result">/)
  t.match(web.body, /<input type="hidden" name="order_status" value="success">/)
  t.match(web.body, /<input type="hidden" name="orderId" value="CARD0001">/)
  t.match(web.body, /document\.getElementById\("return"\)\.submit\(\)/, 'it submits itself')
  const mobileData = cardData({ orderId: 'MOBILE1', cc_channelType: 'mobile' })
  delete mobileData.frontUrl
  const mobile = await choose(app, await cardOrder(app, mobileData), 'pay')
  t.equal(mobile.statusCode, 200)
  t.notMatch(mobile.body, /Return to the merchant/)
})

t.test('merchant-supplied text is HTML-escaped', async (t) => {
  const { app } = await build(t)
  const evil = 'https://merchant.example/result?x="><script>alert(1)</script>'
  const path = await cardOrder(app, cardData({ frontUrl: evil }))
  const res = await choose(app, path, 'pay')
  t.equal(res.statusCode, 200)
  t.notOk(res.body.includes('"><script>'), 'the raw markup is not rendered')
  t.match(res.body, 'action="https://merchant.example/result?x=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
})

t.test('GET /sandbox/api/orders/:order_id finds one order', async (t) => {
  const { app } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'SHARED' })))
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'SHARED', operator_id: '0000000005' }), OTHER_MERCHANT), OTHER_MERCHANT)
  await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData()))

  const unknown = await app.inject({ method: 'GET', url: '/sandbox/api/orders/NOPE' })
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { error: 'NOT_FOUND', message: 'order NOPE not found' })

  const unknownForMerchant = await app.inject({ method: 'GET', url: `/sandbox/api/orders/CARD0001?merchant_id=${OTHER_MERCHANT.merchant_id}` })
  t.equal(unknownForMerchant.statusCode, 404)

  const ambiguous = await app.inject({ method: 'GET', url: '/sandbox/api/orders/SHARED' })
  t.equal(ambiguous.statusCode, 409)
  t.equal(ambiguous.json().error, 'CONFLICT')
  t.match(ambiguous.json().message, /QC00000001, ON00000002.*\?merchant_id=/)

  const chosen = await app.inject({ method: 'GET', url: `/sandbox/api/orders/SHARED?merchant_id=${OTHER_MERCHANT.merchant_id}` })
  t.equal(chosen.statusCode, 200)
  t.equal(chosen.json().merchant_id, OTHER_MERCHANT.merchant_id)
  t.equal(chosen.json().currency, 'USD')

  const card = await app.inject({ method: 'GET', url: '/sandbox/api/orders/CARD0001' })
  t.equal(card.statusCode, 200)
  t.equal(card.json().order_id, 'CARD0001')
  t.equal(card.json().status, 'init')
  t.same(card.json().history.map((h: { status: string }) => h.status), ['init'])
  t.equal(card.json().response.rspCode, 'PROCESSING')
})

t.test('GET /sandbox/api/orders lists and filters by status and merchant_id', async (t) => {
  const { app } = await build(t)
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'A1' })))
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'B1', operator_id: '0000000005' }), OTHER_MERCHANT), OTHER_MERCHANT)
  await choose(app, await cardOrder(app, cardData({ orderId: 'C1' })), 'pay')
  await choose(app, await cardOrder(app, cardData({ orderId: 'C2' })), 'decline')

  const ids = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/sandbox/api/orders${query}` })
    t.equal(res.statusCode, 200, query)
    return (res.json().orders as Array<{ order_id: string }>).map((o) => o.order_id).sort()
  }
  t.same(await ids(''), ['A1', 'B1', 'C1', 'C2'])
  t.same(await ids(`?merchant_id=${MERCHANT.merchant_id}`), ['A1', 'C1', 'C2'])
  t.same(await ids(`?merchant_id=${OTHER_MERCHANT.merchant_id}`), ['B1'])
  t.same(await ids('?status=init'), ['A1', 'B1'])
  t.same(await ids('?status=success'), ['C1'])
  t.same(await ids('?status=fail'), ['C2'])
  t.same(await ids(`?status=init&merchant_id=${OTHER_MERCHANT.merchant_id}`), ['B1'])
  t.same(await ids('?merchant_id=NOBODY'), [])

  const bad = await app.inject({ method: 'GET', url: '/sandbox/api/orders?status=paid' })
  t.equal(bad.statusCode, 400, 'an unknown status is refused')
})

t.test('each payer page opens only its own orders: a card order is not found on the scan page, nor a wallet order here', async (t) => {
  const { app, store } = await build(t)
  await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData()))
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData()))
  const card = store.orders.find(MERCHANT.merchant_id, 'CARD0001')!
  const wallet = store.orders.find(MERCHANT.merchant_id, 'ORDER0001')!
  t.equal((await app.inject(`/sandbox/pay/unionpay/${card.page_token}`)).statusCode, 200)
  t.equal((await app.inject(`/sandbox/pay/scan/${card.page_token}`)).statusCode, 404)
  t.equal((await app.inject(`/sandbox/pay/unionpay/${wallet.page_token}`)).statusCode, 404)
  t.equal((await choose(app, `/sandbox/pay/scan/${card.page_token}`, 'pay')).statusCode, 404, 'nor can it be paid there')
  t.equal(card.status, 'init')
})

t.test('pressing Pay twice: the second answer (409) still offers the way back to frontUrl', async (t) => {
  const { app } = await build(t)
  const path = await cardOrder(app)
  t.equal((await choose(app, path, 'pay')).statusCode, 200)
  const again = await choose(app, path, 'pay')
  t.equal(again.statusCode, 409)
  t.match(again.body, '<form id="return" method="post" action="https://merchant.example/result">')
  t.notMatch(again.body, '<script>', 'but does not return on its own: nothing happened')
})
