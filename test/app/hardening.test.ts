import { Writable } from 'node:stream'
import t from 'tap'
import { LOG_REDACT, LOG_SERIALIZERS } from '../../src/app.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import { activePayData, build, callGateway, cardData, envelope, MERCHANT, offlineFetch, OTHER_MERCHANT } from '../helpers/build.js'
import { startReceiver } from '../helpers/receiver.js'

const TOKEN = 'hardening-admin-token'

/** Collects the log lines of an app built with the server's logger options. */
function capture () {
  const lines: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(chunk.toString('utf8')); done() } })
  return { lines, stream }
}

t.test('the body limit holds on every surface: gateway 413 PARAM_ERROR, control API 413 JSON, pages 413 HTML', async (t) => {
  const { app } = await build(t, { env: { BODY_LIMIT: '2048' } })
  await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'BIG1' })))
  const pagePath = new URL((await app.inject(`/sandbox/api/orders/BIG1?merchant_id=${MERCHANT.merchant_id}`)).json().payer_page_url).pathname
  const big = 'x'.repeat(3000)
  const json = { 'content-type': 'application/json' }
  const form = { 'content-type': 'application/x-www-form-urlencoded' }

  for (const path of ['/processV2', '/process', '/processV3']) {
    for (const [headers, payload] of [[json, JSON.stringify({ data: big })], [{ 'content-type': 'text/plain' }, big], [form, `data=${big}`], [{}, big]] as const) {
      const res = await app.inject({ method: 'POST', url: path, payload, headers })
      t.equal(res.statusCode, 413, `${path} ${headers['content-type' as keyof typeof headers] ?? 'no type'}`)
      t.same(res.json(), { rsp_code: 'PARAM_ERROR', rsp_msg: 'parameter format error: the body is larger than the 2048-byte limit (BODY_LIMIT)' })
    }
  }
  for (const url of ['/sandbox/api/merchants', '/sandbox/api/faults', '/sandbox/api/clock/advance', '/sandbox/api/orders/BIG1/refund']) {
    const res = await app.inject({ method: 'POST', url, payload: JSON.stringify({ name: big }), headers: json })
    t.equal(res.statusCode, 413, url)
    t.match(res.headers['content-type'], /^application\/json/, `${url}: JSON`)
    t.match(res.json(), { error: String, message: /too large/i }, `${url}: says why`)
  }
  for (const url of [pagePath, '/sandbox/login', `/sandbox/orders/${MERCHANT.merchant_id}/BIG1/pay`]) {
    const res = await app.inject({ method: 'POST', url, payload: `choice=${big}`, headers: form })
    t.equal(res.statusCode, 413, url)
    t.match(res.headers['content-type'], /^text\/html/, `${url}: an HTML page`)
  }
  t.equal((await app.inject(`/sandbox/api/orders/BIG1?merchant_id=${MERCHANT.merchant_id}`)).json().status, 'init', 'nothing was paid by an oversized form')
})

t.test('at trace level, no log line holds a sign key, a full card number, the admin token or a merCode', async (t) => {
  const { lines, stream } = capture()
  const receiver = await startReceiver(t)
  const { app } = await build(t, {
    env: { ADMIN_TOKEN: TOKEN },
    logger: { level: 'trace', stream, redact: LOG_REDACT, serializers: LOG_SERIALIZERS }
  })
  const auth = { 'x-admin-token': TOKEN }
  const cards = ['5160736813962037', '4111111111111111', '6250941006528599']
  const secrets: string[] = [TOKEN, ...cards]
  for (const m of [MERCHANT, OTHER_MERCHANT]) secrets.push(m.sign_key, m.mer_code!)

  // Card orders, accepted and rejected, with the card number in the encrypted data.
  t.equal((await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData({ orderId: 'LOGC1', cc_number: cards[0]!, backUrl: receiver.url })))).body.rsp_code, 'SUCCESS')
  t.equal((await callGateway(app, envelope('CC_PREAUTH', '2.0', cardData({ orderId: 'LOGC2', cc_number: cards[1]! })))).body.rsp_code, 'SUCCESS')
  const wrongKey = { ...envelope('CC_PURCHASE', '2.0', cardData({ orderId: 'LOGC3', cc_number: cards[2]! }), OTHER_MERCHANT), merchant_id: MERCHANT.merchant_id }
  t.equal((await callGateway(app, wrongKey)).body.rsp_code, 'PARAM_INVALID', 'sealed with another merchant\'s key: the diagnosis runs')
  t.equal((await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData({ orderId: 'LOGC4', cc_number: cards[2]!, txnAmt: 'lots' })))).body.rsp_code, 'PARAM_INVALID')

  // A runtime merchant: its key is in the 201 and in the requests sealed with it.
  const created = await app.inject({ method: 'POST', url: '/sandbox/api/merchants', headers: auth })
  t.equal(created.statusCode, 201)
  const runtime = created.json() as Merchant
  secrets.push(runtime.sign_key, runtime.mer_code!)
  t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'LOGR1', operator_id: runtime.operators[0]!, call_back_url: receiver.url }), runtime), runtime)).body.rsp_code, 'SUCCESS')
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/api/merchants', headers: auth, payload: { sign_key: 'CHOSEN-KEY-00001' } })).statusCode, 400)
  secrets.push('CHOSEN-KEY-00001')

  // Everything that shows keys or card data: the revealed listing, the merchants page, the request log, the orders.
  const revealed = await app.inject({ url: '/sandbox/api/merchants?reveal=true', headers: auth })
  t.ok(revealed.body.includes(MERCHANT.sign_key), 'the listing did reveal a key (so a leak would show)')
  t.equal((await app.inject({ url: '/sandbox/merchants', headers: auth })).statusCode, 200)
  t.equal((await app.inject({ url: '/sandbox/api/requests', headers: auth })).statusCode, 200)
  t.equal((await app.inject({ url: `/sandbox/api/orders/LOGC1?merchant_id=${MERCHANT.merchant_id}`, headers: auth })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/login', payload: `token=${TOKEN}&next=/sandbox`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode, 303)
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/login', payload: `token=${TOKEN}-wrong`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode, 401)
  t.equal((await app.inject(`/h5Pay?merCode=${MERCHANT.mer_code!}&orderId=LOGH1&amount=100&newURL=${encodeURIComponent('https://merchant.example/done')}`)).statusCode, 302)

  // Callbacks: sealed bodies go out, and their attempts are logged.
  await app.inject({ method: 'POST', url: `/sandbox/api/orders/LOGR1/pay?merchant_id=${runtime.merchant_id}`, headers: auth })
  await app.sandbox.idle()
  t.ok(receiver.received.length >= 1, 'a callback was sent')

  const log = lines.join('')
  t.ok(lines.length > 20, `${lines.length} log lines`)
  t.equal(app.log.level, 'trace', 'everything the sandbox logs was captured')
  t.match(log, '"callback attempt"')
  t.match(log, '/h5Pay?merCode=***')
  for (const secret of secrets) t.notOk(log.includes(secret), `no ${secret.slice(0, 4)}… in the log`)
})

t.test('CALLBACK_ALLOWLIST: a callback to another host is not sent; its delivery fails at once, saying why', async (t) => {
  const receiver = await startReceiver(t)
  const port = new URL(receiver.url).port
  const { lines, stream } = capture()
  const fetched: string[] = []
  const spy: typeof globalThis.fetch = async (input, init) => {
    fetched.push(String(input))
    return offlineFetch(input, init)
  }
  const { app } = await build(t, {
    env: { CALLBACK_ALLOWLIST: `127.0.0.1:${port},*.shop.example`, CALLBACK_RETRY_SCHEDULE: '1s,1s' },
    fetch: spy,
    logger: { level: 'warn', stream }
  })
  const urls: Record<string, string> = {
    ALLOWED: receiver.url,
    SUBDOMAIN: 'https://pay.shop.example/callback',
    DEEPER: 'https://eu.pay.shop.example/callback',
    DOMAIN: 'https://shop.example/callback',
    LOOKALIKE: 'https://evilshop.example/callback',
    OTHERHOST: 'https://merchant.example/callback',
    OTHERPORT: `http://127.0.0.1:${Number(port) === 1 ? 2 : 1}/callback`,
    USERINFO: `http://127.0.0.1:${port}@attacker.example/callback`
  }
  for (const [id, url] of Object.entries(urls)) {
    t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: id, call_back_url: url })))).body.rsp_code, 'SUCCESS', id)
    t.equal((await app.inject({ method: 'POST', url: `/sandbox/api/orders/${id}/pay` })).statusCode, 200, `${id} paid`)
  }
  await app.sandbox.idle()
  const allowed = new Set(['ALLOWED', 'SUBDOMAIN', 'DEEPER'])
  for (const id of Object.keys(urls)) {
    const [delivery] = (await app.inject(`/sandbox/api/orders/${id}`)).json().callbacks as Array<{ id: string, status: string, next_attempt_at: number | null, attempts: Array<{ error: string | null, status: number | null }> }>
    if (allowed.has(id)) {
      t.equal(delivery!.status, 'delivered', `${id}: delivered`)
      continue
    }
    t.equal(delivery!.status, 'failed', `${id}: failed at once`)
    t.equal(delivery!.next_attempt_at, null, `${id}: no retry`)
    t.same(delivery!.attempts.map((a) => [a.status, a.error]), [[null, `not sent: ${new URL(urls[id]!).host} is not in CALLBACK_ALLOWLIST`]], `${id}: the attempt says why`)
    const again = await app.inject({ method: 'POST', url: `/sandbox/api/callbacks/${delivery!.id}/redeliver` })
    t.equal(again.statusCode, 200)
    t.match(again.json(), { attempt: { error: /is not in CALLBACK_ALLOWLIST$/ } }, `${id}: a redelivery is refused too`)
  }
  await app.sandbox.advance(10_000)
  t.same(fetched.sort(), [urls.ALLOWED, urls.SUBDOMAIN, urls.DEEPER].sort(), 'only allowed hosts were ever fetched')
  t.equal(receiver.received.length, 1)
  const warnings = lines.map((line) => JSON.parse(line) as { msg: string, host?: string }).filter((line) => line.msg === 'callback refused: host not in CALLBACK_ALLOWLIST')
  t.ok(warnings.some((w) => w.host === 'merchant.example'), 'each refusal is logged with the host')
})

t.test('the server bounds how long a client may take to send its request', async (t) => {
  const { app } = await build(t)
  await app.ready()
  t.equal(app.server.requestTimeout, 30_000, 'a whole request within 30 s (slowloris)')
  t.ok(app.server.headersTimeout > 0 && app.server.headersTimeout <= 60_000, 'headers within a minute')
  t.ok(app.server.keepAliveTimeout > 0, 'idle keep-alive connections are closed')
})
