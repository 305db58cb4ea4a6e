import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { open } from '../../src/crypto/index.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import { base64Url, readAlipayLink } from '../../src/domain/orders/link-params.js'
import type { Store } from '../../src/store/index.js'
import { activePayData, build, callGateway, choose, envelope, MERCHANT, OTHER_MERCHANT } from '../helpers/build.js'
import { startReceiver } from '../helpers/receiver.js'

const RETURN = 'https://merchant.example/result?from=link'
const NOTIFY = 'https://merchant.example/callback'
const NEW_URL = 'https://merchant.example/wx/done?shop=1'
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

type Query = Record<string, string | undefined>
type Kind = 'webPay' | 'wapPay' | 'h5Pay'

/** The documented parameters of each link, for MERCHANT, with `extra` added (undefined leaves one out). */
function queryOf (kind: Kind, extra: Query = {}): Query {
  const base: Query = kind === 'h5Pay'
    ? { merCode: MERCHANT.mer_code, orderId: 'LINK0001', operId: '0000020156', amount: '100', newURL: NEW_URL, notifyURL: b64(NOTIFY) }
    : { merCode: MERCHANT.mer_code, merchantId: MERCHANT.merchant_id, orderId: 'LINK0001', operId: '0000020156', amount: '100', returnURL: b64(RETURN), notifyURL: b64(NOTIFY) }
  return { ...base, ...extra }
}

function linkUrl (kind: Kind, query: Query): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value)
  return `/${kind}?${params.toString()}`
}

const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url })

/** Opens a link that must redirect; returns the payer page path. */
async function openLink (app: FastifyInstance, kind: Kind, extra: Query = {}): Promise<string> {
  const res = await get(app, linkUrl(kind, queryOf(kind, extra)))
  if (res.statusCode !== 302) throw new Error(`${kind} answered ${res.statusCode}: ${res.body}`)
  return new URL(String(res.headers.location)).pathname
}

/** The "Return to the merchant" link of a result page, as a URL. */
function returnLink (html: string): URL {
  const href = /<a id="return" href="([^"]*)"/.exec(html)?.[1]
  if (href === undefined) throw new Error('no return link on the page')
  return new URL(href.replace(/&amp;/g, '&'))
}

/** The decrypted callbacks queued for an order. */
function callbacksOf (store: Store, orderId: string, merchant: Merchant = MERCHANT) {
  return store.callbacks.forOrder(merchant.merchant_id, orderId).map((delivery) => ({
    url: delivery.url,
    rsp_code: delivery.body.rsp_code,
    data: open({ data: delivery.body.data!, md5: delivery.body.md5! }, merchant.sign_key)
  }))
}

const pageText = (html: string) => /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1]?.replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&amp;/g, '&')

t.test('/webPay and /wapPay: the link, the payer page, Pay or Decline, the callback and the return to returnURL', async (t) => {
  const cases = [
    { kind: 'webPay', choice: 'pay', status: 'success', code: 'SUCCESS', trade: 'Trade_Finished' },
    { kind: 'webPay', choice: 'decline', status: 'fail', code: 'FAIL', trade: 'Trade_Closed' },
    { kind: 'wapPay', choice: 'pay', status: 'success', code: 'SUCCESS', trade: 'Trade_Finished' },
    { kind: 'wapPay', choice: 'decline', status: 'fail', code: 'FAIL', trade: 'Trade_Closed' }
  ] as const
  for (const c of cases) {
    t.test(`${c.kind} ${c.choice}`, async (t) => {
      const { app, store } = await build(t)
      const res = await get(app, linkUrl(c.kind, queryOf(c.kind, { remarks: 'table 4' })))
      t.equal(res.statusCode, 302)
      const location = String(res.headers.location)
      t.match(location, /^http:\/\/localhost(:80)?\/sandbox\/pay\/scan\/page\d{17}$/, 'an absolute URL of the scan payer page')
      const order = store.orders.find(MERCHANT.merchant_id, 'LINK0001')!
      t.match(order, {
        action: c.kind,
        version: 'link',
        method: 'ALIPAY',
        amount: '100',
        currency: 'CAD',
        operator_id: '0000020156',
        notify_url: NOTIFY,
        return_url: RETURN,
        return_style: 'alipay',
        payer_page: 'scan',
        status: 'init',
        code_url: location
      })
      t.match(order.bizpay_order_id, /^AP\d{16}$/)
      t.equal(order.details?.remarks, 'table 4')
      t.equal(order.details?.submit_type, c.kind === 'webPay' ? 'scan' : undefined, 'submit_type only on webPay, scan by default')
      t.notOk('merCode' in order.request, 'the payment code is not kept with the order')
      t.equal(order.request.orderId, 'LINK0001')

      const path = new URL(location).pathname
      const payerPage = await get(app, path)
      t.equal(payerPage.statusCode, 200)
      t.match(payerPage.body, /<h1>Alipay<\/h1>/)
      t.match(payerPage.body, /1\.00 CAD/)

      const result = await choose(app, path, c.choice)
      t.equal(result.statusCode, 200)
      t.equal(store.orders.find(MERCHANT.merchant_id, 'LINK0001')!.status, c.status)
      const callbacks = callbacksOf(store, 'LINK0001')
      t.equal(callbacks.length, 1)
      t.match(callbacks[0], { url: NOTIFY, rsp_code: c.code, data: { order_id: 'LINK0001', amount: '100', merchant_id: MERCHANT.merchant_id, bizpay_order_id: order.bizpay_order_id } })

      const back = returnLink(result.body)
      t.equal(back.origin + back.pathname, 'https://merchant.example/result')
      t.same(Object.fromEntries(back.searchParams), {
        from: 'link',
        total_fee: '100',
        trade_no: order.bizpay_order_id,
        out_trade_no: 'LINK0001',
        trade_status: c.trade
      })
    })
  }
})

t.test('/h5Pay: the link, the WeChat payer page, Pay or Decline, the callback and the return to newURL', async (t) => {
  for (const [choice, status, code] of [['pay', 'success', 'SUCCESS'], ['decline', 'fail', 'FAIL']] as const) {
    t.test(choice, async (t) => {
      const { app, store } = await build(t)
      const path = await openLink(app, 'h5Pay', { amount: '5' })
      t.match(path, /^\/sandbox\/pay\/scan\/page\d{17}$/)
      const order = store.orders.find(MERCHANT.merchant_id, 'LINK0001')!
      t.match(order, { action: 'h5Pay', version: 'link', method: 'WECHATPAY', amount: '5', notify_url: NOTIFY, return_url: NEW_URL, return_style: 'h5pay', payer_page: 'scan', operator_id: '0000020156' })
      t.match(order.bizpay_order_id, /^WX\d{16}$/)
      const payerPage = await get(app, path)
      t.match(payerPage.body, /<h1>WeChat Pay<\/h1>/)
      t.match(payerPage.body, /0\.05 CAD/)

      const result = await choose(app, path, choice)
      t.equal(result.statusCode, 200)
      const callbacks = callbacksOf(store, 'LINK0001')
      t.equal(callbacks.length, 1)
      t.match(callbacks[0], { url: NOTIFY, rsp_code: code, data: { order_id: 'LINK0001', amount: '5' } })
      const back = returnLink(result.body)
      t.equal(back.origin + back.pathname, 'https://merchant.example/wx/done')
      t.same(Object.fromEntries(back.searchParams), { shop: '1', amount: '0.05', orderID: 'LINK0001', tranID: order.bizpay_order_id, status })
    })
  }
})

t.test('/h5Pay without notifyURL sends no callback, and without operId has no operator', async (t) => {
  const { app, store } = await build(t)
  const path = await openLink(app, 'h5Pay', { notifyURL: undefined, operId: undefined })
  const order = store.orders.find(MERCHANT.merchant_id, 'LINK0001')!
  t.equal(order.notify_url, '')
  t.equal(order.operator_id, null)
  t.match(order.details?.callback, /no notifyURL/)
  t.equal((await choose(app, path, 'pay')).statusCode, 200)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'LINK0001')!.status, 'success')
  t.same(store.callbacks.forOrder(MERCHANT.merchant_id, 'LINK0001'), [], 'no callback')
})

t.test('/h5Pay: merCode alone names the merchant; orderld (the docs\' spelling) is accepted', async (t) => {
  const { app, store } = await build(t)
  await openLink(app, 'h5Pay', { merCode: OTHER_MERCHANT.mer_code, operId: '0000000005', orderId: undefined, orderld: 'LD0001' })
  const order = store.orders.find(OTHER_MERCHANT.merchant_id, 'LD0001')!
  t.equal(order.currency, 'USD')
  t.equal(order.operator_id, '0000000005')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'LD0001'), undefined)
  await openLink(app, 'h5Pay', { orderId: 'SAME1', orderld: 'SAME1' })
  t.ok(store.orders.find(MERCHANT.merchant_id, 'SAME1'), 'both spellings with one value')
  const differ = await get(app, linkUrl('h5Pay', queryOf('h5Pay', { orderId: 'A1', orderld: 'B1' })))
  t.equal(differ.statusCode, 400)
  t.match(pageText(differ.body), /^invalid parameter: orderId and orderld .* differ/)
  const bad = await get(app, linkUrl('h5Pay', queryOf('h5Pay', { orderId: undefined, orderld: 'no spaces' })))
  t.equal(bad.statusCode, 400)
  t.match(pageText(bad.body), /^invalid parameter: orderld must be 1 to 64 letters/)
  const merchantId = await get(app, linkUrl('h5Pay', queryOf('h5Pay', { merchantId: OTHER_MERCHANT.merchant_id })))
  t.equal(merchantId.statusCode, 400, 'an undocumented merchantId must agree with merCode')
  t.match(pageText(merchantId.body), /merCode is not the payment code of merchant ON00000002/)
})

t.test('/webPay submit_type=form answers a form that leads to the payer page', async (t) => {
  const { app, store } = await build(t)
  const res = await get(app, linkUrl('webPay', queryOf('webPay', { submit_type: 'form' })))
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html; charset=utf-8/)
  const action = /<form id="alipaysubmit" name="alipaysubmit" method="get" action="([^"]+)">/.exec(res.body)?.[1]
  t.match(action, /^http:\/\/localhost(:80)?\/sandbox\/pay\/scan\/page\d{17}$/, 'an absolute action: the form is served from the merchant\'s page')
  t.match(res.body, /1\.00 CAD/)
  t.match(res.body, /document\.getElementById\("alipaysubmit"\)\.submit\(\)/, 'it submits itself, as Alipay\'s form does')
  const order = store.orders.find(MERCHANT.merchant_id, 'LINK0001')!
  t.equal(order.details?.submit_type, 'form')
  const path = new URL(action!).pathname
  t.equal((await get(app, path)).statusCode, 200)
  const result = await choose(app, path, 'pay')
  t.equal(returnLink(result.body).searchParams.get('trade_status'), 'Trade_Finished')
  t.equal(callbacksOf(store, 'LINK0001')[0]?.rsp_code, 'SUCCESS')
})

t.test('submit_type: scan redirects, anything else is refused; /wapPay has none and always redirects', async (t) => {
  const { app } = await build(t)
  const scan = await get(app, linkUrl('webPay', queryOf('webPay', { submit_type: 'scan' })))
  t.equal(scan.statusCode, 302)
  const bad = await get(app, linkUrl('webPay', queryOf('webPay', { orderId: 'X2', submit_type: 'iframe' })))
  t.equal(bad.statusCode, 400)
  t.equal(pageText(bad.body), 'invalid parameter: submit_type must be "scan" or "form", got "iframe"')
  const wap = await get(app, linkUrl('wapPay', queryOf('wapPay', { orderId: 'X3', submit_type: 'form' })))
  t.equal(wap.statusCode, 302)
})

t.test('a real callback reaches the decoded notifyURL', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store } = await build(t)
  const path = await openLink(app, 'wapPay', { notifyURL: b64(receiver.url) })
  await choose(app, path, 'pay')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1)
  const { body } = receiver.received[0]!
  t.equal(body.rsp_code, 'SUCCESS')
  t.equal(body.merchant_id, MERCHANT.merchant_id)
  const inner = open({ data: body.data!, md5: body.md5! }, MERCHANT.sign_key)
  t.match(inner, { order_id: 'LINK0001', amount: '100', tip: '0', finish_time: '20260115120000' })
  t.equal(store.callbacks.forOrder(MERCHANT.merchant_id, 'LINK0001')[0]!.status, 'delivered')
})

t.test('each missing parameter is a 400 page that names it, and creates nothing', async (t) => {
  const { app, store } = await build(t)
  const required: Record<Kind, string[]> = {
    webPay: ['merCode', 'merchantId', 'orderId', 'operId', 'amount', 'returnURL', 'notifyURL'],
    wapPay: ['merCode', 'merchantId', 'orderId', 'operId', 'amount', 'returnURL', 'notifyURL'],
    h5Pay: ['merCode', 'orderId', 'amount', 'newURL']
  }
  for (const [kind, names] of Object.entries(required) as Array<[Kind, string[]]>) {
    for (const name of names) {
      for (const value of [undefined, '']) {
        const res = await get(app, linkUrl(kind, queryOf(kind, { [name]: value })))
        t.equal(res.statusCode, 400, `${kind} without ${name}`)
        t.match(res.headers['content-type'], /^text\/html/)
        t.match(pageText(res.body), new RegExp(`^invalid parameter: ${name} is required`), `${kind} names ${name}`)
      }
    }
  }
  t.equal(store.orders.count(), 0)
})

t.test('returnURL and notifyURL are Base64: standard or URL-safe, padded or not, "+" arriving as a space', async (t) => {
  const url = 'https://merchant.example/back?q=0~~>?'
  const standard = 'aHR0cHM6Ly9tZXJjaGFudC5leGFtcGxlL2JhY2s/cT0wfn4+Pw=='
  t.equal(b64(url), standard, 'a value with "+", "/" and padding')
  const expected = new URL(url).toString()
  for (const variant of [standard, standard.replace(/=+$/, ''), standard.replace(/\+/g, '-').replace(/\//g, '_'), standard.replace(/\+/g, ' ')]) {
    t.equal(base64Url('returnURL', variant), expected, variant)
  }
  const { app, store } = await build(t)
  // The "+" not percent-encoded in the link: the query parser reads it as a space.
  const res = await get(app, `/wapPay?merCode=${MERCHANT.mer_code}&merchantId=${MERCHANT.merchant_id}&orderId=PLUS1&operId=0000020156&amount=100&returnURL=${standard}&notifyURL=${b64(NOTIFY)}`)
  t.equal(res.statusCode, 302)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'PLUS1')!.return_url, expected)
})

t.test('a bad Base64 or a decoded URL that is not absolute http(s) is a 400 naming the parameter', async (t) => {
  const { app, store } = await build(t)
  const cases = [
    { name: 'returnURL', value: 'not base64!', text: /^invalid parameter: returnURL must be the Base64 of an absolute http\(s\) URL, e\.g\. aHR0cHM6/ },
    { name: 'notifyURL', value: NOTIFY, text: /^invalid parameter: notifyURL must be the Base64 .*\(this is a plain URL: Base64-encode it\)$/ },
    { name: 'notifyURL', value: 'aHR0c', text: /^invalid parameter: notifyURL must be the Base64/ },
    { name: 'returnURL', value: b64('ftp://merchant.example/result'), text: /^invalid parameter: returnURL must be the Base64 of an absolute http\(s\) URL; it decodes to "ftp:\/\/merchant\.example\/result"$/ },
    { name: 'notifyURL', value: b64('/callback'), text: /^invalid parameter: notifyURL .* decodes to "\/callback"$/ },
    { name: 'returnURL', value: Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), text: /^invalid parameter: returnURL must be the Base64/ }
  ]
  for (const kind of ['webPay', 'wapPay'] as const) {
    for (const c of cases) {
      const res = await get(app, linkUrl(kind, queryOf(kind, { [c.name]: c.value })))
      t.equal(res.statusCode, 400, `${kind} ${c.name}=${c.value}`)
      t.match(pageText(res.body), c.text)
    }
  }
  const h5Notify = await get(app, linkUrl('h5Pay', queryOf('h5Pay', { notifyURL: NOTIFY })))
  t.equal(h5Notify.statusCode, 400)
  t.match(pageText(h5Notify.body), /^invalid parameter: notifyURL must be the Base64/)
  t.equal(store.orders.count(), 0)
})

t.test('/h5Pay newURL is a plain absolute http(s) URL', async (t) => {
  const { app } = await build(t)
  const cases = [
    { value: 'ftp://merchant.example/done', text: /^invalid parameter: newURL must be an absolute http\(s\) URL, got "ftp:\/\/merchant\.example\/done"$/ },
    { value: '/wx/done', text: /^invalid parameter: newURL must be an absolute http\(s\) URL, got "\/wx\/done"$/ },
    { value: b64(NEW_URL), text: /\(this looks like Base64: h5Pay takes the URL itself, URL-encoded\)$/ }
  ]
  for (const c of cases) {
    const res = await get(app, linkUrl('h5Pay', queryOf('h5Pay', { newURL: c.value })))
    t.equal(res.statusCode, 400, c.value)
    t.match(pageText(res.body), c.text)
  }
})

t.test('a wrong or unknown merCode is refused without telling whose it is', async (t) => {
  const { app, store } = await build(t)
  const cases = [
    { kind: 'webPay', extra: { merCode: OTHER_MERCHANT.mer_code }, text: 'invalid parameter: merCode is not the payment code of merchant QC00000001 (its mer_code in the fixtures)' },
    { kind: 'wapPay', extra: { merCode: 'NOSUCHCODE000000' }, text: 'invalid parameter: merCode is not the payment code of merchant QC00000001 (its mer_code in the fixtures)' },
    { kind: 'webPay', extra: { merchantId: 'QC99999999' }, text: 'invalid parameter: merchantId "QC99999999" is not a sandbox merchant' },
    { kind: 'h5Pay', extra: { merCode: 'NOSUCHCODE000000' }, text: 'invalid parameter: merCode is not the payment code of any sandbox merchant (mer_code in the fixtures)' }
  ] as const
  for (const c of cases) {
    const res = await get(app, linkUrl(c.kind, queryOf(c.kind, c.extra)))
    t.equal(res.statusCode, 400, `${c.kind} ${JSON.stringify(c.extra)}`)
    t.equal(pageText(res.body), c.text)
    t.notOk(res.body.includes(MERCHANT.mer_code!) || res.body.includes(OTHER_MERCHANT.mer_code!), 'no payment code on the page')
  }
  t.equal(store.orders.count(), 0)
})

t.test('a merchant without mer_code cannot take links', async (t) => {
  const { mer_code: _unused, ...noCode } = OTHER_MERCHANT
  const { app } = await build(t, { merchants: [MERCHANT, noCode] })
  const res = await get(app, linkUrl('wapPay', queryOf('wapPay', { merchantId: noCode.merchant_id, operId: '0000000005' })))
  t.equal(res.statusCode, 400)
  t.equal(pageText(res.body), 'invalid parameter: merchant ON00000002 has no mer_code in the fixtures, so it cannot take payment links')
})

t.test('an unknown operator is refused, naming operId', async (t) => {
  const { app, store } = await build(t)
  for (const kind of ['webPay', 'wapPay', 'h5Pay'] as const) {
    const res = await get(app, linkUrl(kind, queryOf(kind, { operId: '0000000005' })))
    t.equal(res.statusCode, 400, kind)
    t.equal(pageText(res.body), 'invalid parameter: operId "0000000005" is not an operator of merchant QC00000001 (known: 0000020156)')
  }
  t.equal(store.orders.count(), 0)
})

t.test('amounts are whole cents; order ids follow the OrderId rules', async (t) => {
  const { app } = await build(t)
  for (const kind of ['webPay', 'wapPay', 'h5Pay'] as const) {
    for (const amount of ['1.00', '0', '-5', '1e3', '1234567890123']) {
      const res = await get(app, linkUrl(kind, queryOf(kind, { amount })))
      t.equal(res.statusCode, 400, `${kind} amount ${amount}`)
      // A quoted value of 12 or more digits could be a card number: it is masked to its last four (docs/protocol.md).
      const quoted = amount.length >= 12 && /^\d+$/.test(amount) ? `${'*'.repeat(amount.length - 4)}${amount.slice(-4)}` : amount
      t.equal(pageText(res.body), `invalid parameter: amount must be a whole number of cents greater than 0 ("100" for 1.00), got "${quoted}"`)
    }
    const id = await get(app, linkUrl(kind, queryOf(kind, { orderId: 'has space' })))
    t.equal(id.statusCode, 400)
    t.equal(pageText(id.body), 'invalid parameter: orderId must be 1 to 64 letters, digits, "-" or "_", got "has space"')
  }
})

t.test('opening the same link again reuses its order; another amount or flow is 409 order number duplicated', async (t) => {
  const { app, store } = await build(t)
  const first = await get(app, linkUrl('webPay', queryOf('webPay')))
  const again = await get(app, linkUrl('webPay', queryOf('webPay')))
  t.equal(again.statusCode, 302)
  t.equal(again.headers.location, first.headers.location, 'same payer page')
  t.equal(store.orders.count(), 1)
  const asForm = await get(app, linkUrl('webPay', queryOf('webPay', { submit_type: 'form' })))
  t.equal(asForm.statusCode, 200, 'the same order, answered as a form')
  t.ok(asForm.body.includes(`action="${String(first.headers.location)}"`))

  // After paying, the page reopens and says so instead of failing.
  await choose(app, new URL(String(first.headers.location)).pathname, 'pay')
  const paid = await get(app, linkUrl('webPay', queryOf('webPay')))
  t.equal(paid.statusCode, 302)
  const page = await get(app, new URL(String(paid.headers.location)).pathname)
  t.match(page.body, /no longer awaiting payment/)

  const cases = [
    { kind: 'webPay', extra: { amount: '200' }, text: 'order number duplicated: orderId LINK0001 was already used by merchant QC00000001 for a webPay link of 100 cents; opening a link again reuses its order only with the same amount' },
    { kind: 'wapPay', extra: {}, text: 'order number duplicated: orderId LINK0001 was already used by merchant QC00000001 for another flow (webPay); opening a link again reuses its order only with the same amount' },
    { kind: 'h5Pay', extra: {}, text: 'order number duplicated: orderId LINK0001 was already used by merchant QC00000001 for another flow (webPay); opening a link again reuses its order only with the same amount' }
  ] as const
  for (const c of cases) {
    const res = await get(app, linkUrl(c.kind, queryOf(c.kind, c.extra)))
    t.equal(res.statusCode, 409, `${c.kind} ${JSON.stringify(c.extra)}`)
    t.match(res.headers['content-type'], /^text\/html/)
    t.equal(pageText(res.body), c.text)
  }
  t.equal(store.orders.count(), 1)
})

t.test('an order id used through processV2 is duplicated for a link', async (t) => {
  const { app } = await build(t)
  const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'LINK0001' })))
  t.equal(answer.body.rsp_code, 'SUCCESS')
  const res = await get(app, linkUrl('wapPay', queryOf('wapPay')))
  t.equal(res.statusCode, 409)
  t.match(pageText(res.body), /^order number duplicated: orderId LINK0001 was already used by merchant QC00000001 for another flow \(ACTIVEPAY\)/)
})

t.test('a repeated parameter is refused as a page naming it', async (t) => {
  const { app, store } = await build(t)
  const res = await get(app, linkUrl('wapPay', queryOf('wapPay')) + '&amount=200')
  t.equal(res.statusCode, 400)
  t.match(res.headers['content-type'], /^text\/html/)
  t.match(pageText(res.body), /amount/)
  t.equal(store.orders.count(), 0)
})

t.test('the parsed query keeps remarks and defaults submit_type to scan', async (t) => {
  const link = readAlipayLink(queryOf('webPay', { remarks: 'r' }), 'webPay')
  t.same(link, {
    merCode: MERCHANT.mer_code,
    merchantId: MERCHANT.merchant_id,
    orderId: 'LINK0001',
    operId: '0000020156',
    amount: '100',
    returnUrl: RETURN,
    notifyUrl: NOTIFY,
    remarks: 'r',
    submitType: 'scan'
  })
})

t.test('the links are documented in /docs/json with every parameter described', async (t) => {
  const { app } = await build(t)
  const doc = (await get(app, '/docs/json')).json() as { paths: Record<string, { get?: { summary?: string, tags?: string[], parameters?: Array<{ name: string, in: string, description?: string }> } }> }
  const expected: Record<Kind, string[]> = {
    webPay: ['merCode', 'merchantId', 'orderId', 'operId', 'amount', 'returnURL', 'notifyURL', 'remarks', 'submit_type'],
    wapPay: ['merCode', 'merchantId', 'orderId', 'operId', 'amount', 'returnURL', 'notifyURL', 'remarks'],
    h5Pay: ['merCode', 'orderId', 'orderld', 'amount', 'newURL', 'operId', 'notifyURL', 'merchantId']
  }
  for (const [kind, names] of Object.entries(expected)) {
    const operation = doc.paths[`/${kind}`]?.get
    t.ok(operation?.summary, `${kind} has a summary`)
    t.same(operation?.tags, ['payment links'])
    const parameters = (operation?.parameters ?? []).filter((p) => p.in === 'query')
    t.same(parameters.map((p) => p.name), names, `${kind} lists its parameters`)
    for (const p of parameters) t.ok(p.description, `${kind} ${p.name} is described`)
  }
})
