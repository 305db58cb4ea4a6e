import t, { type Test } from 'tap'
import { readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Delivery } from '../../src/domain/callbacks/delivery.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import type { RequestLogEntry } from '../../src/inspector/log-entry.js'
import type { Order } from '../../src/domain/orders/order.js'
import type { ReturnTarget } from '../../src/domain/orders/return-to-merchant.js'
import type { Fault } from '../../src/engine/faults/fault.js'
import type { Check, ReadinessReport } from '../../src/readiness/report.js'
import { htmlDocument } from '../../src/views/document.js'
import { renderClockPage } from '../../src/views/admin/clock-page.js'
import { renderFaultsPage } from '../../src/views/admin/faults-page.js'
import { renderNewOrderPage } from '../../src/views/admin/new-order-page.js'
import { adminErrorPage, notFoundPage } from '../../src/views/admin/error-pages.js'
import { adminPage, filterSelect, flash, jsonBlock, statusBadge, timeTag } from '../../src/views/admin/layout.js'
import { liveRefresh } from '../../src/views/admin/live-refresh.js'
import { renderLoginPage } from '../../src/views/admin/login-page.js'
import { renderMerchantsPage } from '../../src/views/admin/merchants-page.js'
import { renderOrderPage } from '../../src/views/admin/order-page.js'
import { renderOrdersPage } from '../../src/views/admin/orders-page.js'
import { renderReadinessPage } from '../../src/views/admin/readiness-page.js'
import { qrSvg } from '../../src/views/admin/qr.js'
import { renderRequestPage } from '../../src/views/admin/request-page.js'
import { renderRequestsPage, verdictBadge } from '../../src/views/admin/requests-page.js'
import { html, type SafeHtml } from '../../src/views/html.js'
import { renderCheckoutPage } from '../../src/views/payer/checkout-page.js'
import { renderNotFound, renderPageError } from '../../src/views/payer/error-pages.js'
import { page } from '../../src/views/payer/layout.js'
import { renderLinkForm } from '../../src/views/payer/link-pages.js'
import { returnToMerchant } from '../../src/views/payer/return-to-merchant.js'
import { renderScanPage } from '../../src/views/payer/scan-page.js'
import { refusalNotice } from '../../src/views/payer/refusal.js'
import { renderUnionPayPage, renderUnionPayResult } from '../../src/views/payer/unionpay-page.js'
import { renderConvergeChallenge, renderConvergePage, renderConvergeResult } from '../../src/views/payer/converge-page.js'
import { renderPorticoPage, renderPorticoResult } from '../../src/views/payer/portico-page.js'
import { cardSummary, renderCardChoicePage, renderCardChoiceResult } from '../../src/views/payer/card-page.js'

// Every view rendered with every string field hostile, then read back as a browser would tokenize it: a value that
// broke out of its text or attribute would add a tag, an attribute or a `javascript:` link.

const MARKUP = '<script>alert(1)</script>"><img src=x onerror=alert(1)>\' onmouseover=\'alert(1)'
const SCRIPT_URL = 'javascript:alert(1)'
/** The same pages with plain text everywhere: what their structure must be. */
const BENIGN = 'x'

const AT = '2026-01-15T04:00:00.000Z'

// `Required<…>`: a field added to these types must be added here, so that it is rendered hostile too.
const ORDER: Required<Order> = {
  merchant_id: 'QC00005496',
  order_id: 'ORDER0001',
  action: 'ACTIVEPAY',
  version: '1.0',
  method: 'WECHATPAY',
  amount: '100',
  tip: '5',
  currency: 'CAD',
  operator_id: '0000020156',
  notify_url: 'https://merchant.example/callback',
  return_url: 'https://merchant.example/return',
  return_style: 'plain',
  payer_page: 'scan',
  expires_at: AT,
  pay_at: AT,
  sale_num: 'S-1',
  // Record keys are rendered too (the details' names); the mapping below keeps keys, so this one is hostile as written.
  details: { fee: '5', [MARKUP]: 'value' },
  card_masked: '************2037',
  channel: 'web',
  bizpay_order_id: 'WX0000000000000001',
  code_url: 'weixin://wxpay/bizpayurl?pr=abc',
  page_token: 'token',
  status: 'success',
  created_at: AT,
  updated_at: AT,
  finish_time: '20260115120000',
  refund_amount: '10',
  refunds: [{ refund_id: 'RF-1', amount: '10', bizpay_order_id: 'WXRF1', at: AT, finish_time: '20260115120000', reason: 'REFUND' }],
  history: [{ at: AT, status: 'init', reason: 'created' }, { at: AT, status: 'success', reason: 'paid' }],
  request: { order_id: 'ORDER0001', [MARKUP]: 'value' },
  response: { rsp_code: 'SUCCESS' }
}

const DELIVERY: Required<Delivery> = {
  id: 'cb_1',
  merchant_id: 'QC00005496',
  order_id: 'ORDER0001',
  kind: 'payment',
  url: 'https://merchant.example/callback',
  body: { order_id: 'ORDER0001' },
  status: 'delivered',
  created_at: AT,
  next_attempt_at: Date.parse(AT),
  attempts: [{ n: 1, at: AT, url: 'https://merchant.example/callback', status: 200, error: 'timeout', latency_ms: 12, reply: 'SUCCESS', delivered: true }],
  simulate_timeouts: 0,
  duplicate_of: 'cb_0'
}

const ENTRY: Required<RequestLogEntry> = {
  id: 'req_1',
  at: AT,
  path: '/processV2',
  http_status: 200,
  merchant_id: 'QC00005496',
  action: 'ACTIVEPAY',
  version: '1.0',
  verdict: 'rejected',
  rsp_code: 'MD5_ERROR',
  rsp_msg: 'md5 mismatch',
  failed_step: 'md5',
  steps: [{ step: 'md5', label: 'md5 is the digest', result: 'failed' }],
  order_id: 'ORDER0001',
  envelope: '{"action":"ACTIVEPAY","data":"abc"}',
  crypto: { data_length: 24, received_md5: 'abc', expected_md5: 'ABC', md5_matches: false, plaintext: '{"a":"b"}', canonical: 'b' },
  data: { order_id: 'ORDER0001' },
  warnings: ['a warning'],
  hints: [{ code: 'MD5_LOWERCASE', message: 'send it uppercase' }],
  answer: { rsp_code: 'MD5_ERROR', rsp_msg: 'md5 mismatch', md5: 'DEF', data: { a: 'b' } }
}

const FAULT: Required<Fault> = {
  id: 'flt_1',
  match: { on: 'gateway', merchant_id: 'QC00005496', action: 'ACTIVEPAY' },
  effect: { type: 'status', status: 503, when: 'before' },
  times: 2,
  remaining: 1,
  fired: 1,
  armed_at: AT
}

const MERCHANT: Required<Merchant> = {
  merchant_id: 'QC00005496',
  name: 'Demo shop',
  sign_key: '0123456789ABCDEF',
  currency: 'CAD',
  operators: ['0000020156'],
  mer_code: 'MERCODE000000001',
  convenience_fee: '5',
  autopay_after: '5s'
}

const CHECK: Required<Check> = {
  id: 'sealing',
  group: 'requests',
  title: 'Requests are sealed',
  required: true,
  status: 'failed',
  evidence: '2 requests did not open',
  requests: ['req_1', 'req_2'],
  attempts: ['probe:valid'],
  fix: 'Seal with your key.',
  docs: 'docs/go-live-checklist.md#sealing-and-md5'
}

const REPORT: Required<ReadinessReport> = {
  merchant_id: 'QC00005496',
  generated_at: AT,
  ready: false,
  summary: { passed: 1, failed: 1, not_exercised: 1 },
  poll_within_ms: 60_000,
  probe: {
    ran_at: AT,
    url: 'https://merchant.example/callback',
    ack: 'status',
    timeout_ms: 10_000,
    order_id: 'ORDER0001',
    cases: [{ case: 'valid', expect: 'ack', notification_id: 'probe_1_payment', order_id: 'ORDER0001', status: 200, reply: 'SUCCESS', error: null, latency_ms: 3, acknowledged: true, requests_after: ['req_3'], actions_after: ['STATUS_QUERY'] }]
  },
  checks: [CHECK]
}

/** The report with every string `text`, but its enumerations (status, group, ack) as they were: they pick the markup. */
function reportWithText (text: string, ack: 'status' | 'body'): ReadinessReport {
  const report = withText(REPORT, text)
  const statuses = ['failed', 'passed', 'not_exercised'] as const
  const groups = ['requests', 'callback', 'resilience'] as const
  const checks = statuses.flatMap((status) => groups.map((group, i) => ({ ...withText(CHECK, text), status, group, required: i !== 1 })))
  return { ...report, probe: { ...report.probe!, ack }, checks }
}

/** A copy of `value` with every string in it (not the record keys) replaced by `text`; numbers and booleans stay. */
function withText<T> (value: T, text: string): T {
  if (typeof value === 'string') return text as T
  if (Array.isArray(value)) return value.map((v) => withText(v, text)) as T
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withText(v, text)])) as T
  return value
}

/** Every view with every string `text`: the orders in both the open (`init`) and the closed state, both ways back. */
function views (text: string): Record<string, () => SafeHtml | Promise<SafeHtml>> {
  const order = withText(ORDER, text)
  const open: Order = { ...order, status: 'init' }
  const refundable: Order = { ...order, status: 'success' }
  const delivery = withText(DELIVERY, text)
  const pending: Delivery = { ...delivery, next_attempt_at: null, duplicate_of: null, attempts: [] }
  const entry = withText(ENTRY, text)
  const merchant = withText(MERCHANT, text)
  const get: ReturnTarget = { method: 'GET', url: text, fields: {} }
  const post: ReturnTarget = { method: 'POST', url: text, fields: { [text]: text, order_id: text } }
  const option = { value: text, label: text }
  const fault = withText(FAULT, text)
  const faults: Fault[] = [fault, { ...FAULT, id: text, effect: { type: 'delay', ms: 1500 } }, { ...FAULT, id: text, effect: { type: 'out_of_order', ms: 60_000 } },
    { ...FAULT, id: text, effect: { type: 'drop', when: 'after' } }, { ...FAULT, id: text, effect: { type: 'corrupt', target: 'md5' } }, { ...FAULT, id: text, effect: { type: 'duplicate' } }]
  const orderPage = async (o: Order) => renderOrderPage({
    order: o,
    merchantName: text,
    payerPagePath: text,
    payerPageUrl: text,
    callbacks: [delivery, pending],
    requests: [entry],
    qrSvg: await qrSvg(text, text),
    done: 'paid',
    error: text,
    canLogOut: true
  })
  return {
    // admin
    'admin orders list': () => renderOrdersPage({ rows: [{ order, callbacks: [delivery] }], total: 2, merchants: [option], actions: [text], filter: { merchant_id: text, status: text, action: text }, older: text, canLogOut: true }),
    'admin orders list, empty': () => renderOrdersPage({ rows: [], total: 0, merchants: [option], actions: [text], filter: { merchant_id: text }, canLogOut: false }),
    'admin orders list, a later page': () => renderOrdersPage({ rows: [{ order, callbacks: [] }], total: 2, merchants: [option], actions: [text], filter: {}, older: text, newest: text, canLogOut: true, clockOffsetMs: 90_061_000 }),
    'admin orders search': () => renderOrdersPage({ rows: [{ order, callbacks: [delivery] }, { order: open, callbacks: [] }], total: 2, merchants: [], actions: [], filter: {}, search: text, canLogOut: true }),
    'admin orders search, nothing found': () => renderOrdersPage({ rows: [], total: 0, merchants: [], actions: [], filter: {}, search: text, canLogOut: true }),
    'admin order page': () => orderPage(order),
    'admin order page, open': () => orderPage(open),
    'admin order page, refundable': () => orderPage(refundable),
    'admin requests list': () => renderRequestsPage({ entries: [entry, { ...entry, merchant_id: null }, { ...entry, order_id: null }], size: 10, merchants: [option], actions: [text], filter: { merchant_id: text, action: text, order_id: text }, older: text, canLogOut: true }),
    'admin requests list, empty': () => renderRequestsPage({ entries: [], size: 0, merchants: [option], filter: {}, canLogOut: true }),
    'admin request page': () => renderRequestPage({ entry, orderExists: true, baseUrl: text, canLogOut: true }),
    'admin request page, no order': () => renderRequestPage({ entry: { ...entry, envelope: null, crypto: { ...entry.crypto, expected_md5: null, plaintext: null, canonical: null } }, orderExists: false, baseUrl: text, canLogOut: true }),
    'admin merchants': () => renderMerchantsPage({ merchants: [merchant, { ...merchant, merchant_id: `${text}2` }], isRuntime: (id) => id.endsWith('2'), canLogOut: true }),
    'admin merchants, one just created': () => renderMerchantsPage({ merchants: [merchant], isRuntime: () => true, created: merchant, done: 'reset', error: text, canLogOut: true, clockOffsetMs: 1000 }),
    'admin faults': () => renderFaultsPage({ faults, merchants: [option], actions: [text], done: 'armed', error: text, canLogOut: true, clockOffsetMs: 5000 }),
    'admin faults, none': () => renderFaultsPage({ faults: [], merchants: [option], actions: [text], error: text, canLogOut: false }),
    'admin clock': () => renderClockPage({ nowMs: Date.parse(AT), offsetMs: 3_600_000, done: 'advanced', error: text, canLogOut: true }),
    'admin new order': () => renderNewOrderPage({ merchants: [option], form: { merchant_id: text, biz_type: text, amount: text, order_id: text, call_back_url: text }, error: text, requestPath: text, canLogOut: true, clockOffsetMs: 1 }),
    'admin login': () => renderLoginPage({ next: text, error: text }),
    'admin readiness': () => renderReadinessPage({ merchants: [option], merchantId: text, report: reportWithText(text, 'status'), lastCallbackUrl: text, pollWithin: text, done: text, error: undefined, canLogOut: true }),
    'admin readiness, probe never run': () => renderReadinessPage({ merchants: [option], merchantId: text, report: { ...reportWithText(text, 'body'), probe: null, ready: true }, lastCallbackUrl: undefined, pollWithin: text, done: undefined, error: text, canLogOut: false }),
    'admin readiness, no merchant chosen': () => renderReadinessPage({ merchants: [option], merchantId: undefined, report: undefined, lastCallbackUrl: undefined, pollWithin: '', done: undefined, error: text, canLogOut: true }),
    'admin not found': () => notFoundPage(text, true, 'orders'),
    'admin error page': () => adminErrorPage(text),
    'admin layout': () => adminPage({ title: text, section: 'none', canLogOut: true }, html`<p>${text}</p>`),
    'admin parts': () => html`${statusBadge(text, text)}${verdictBadge(text, text)}${flash(text, undefined)}${flash(undefined, text)}${jsonBlock({ [text]: text }, text)}${filterSelect(text, text, [option], text)}${timeTag(text)}${liveRefresh(text)}`,
    'QR code': () => qrSvg(text, text),
    'QR code of a text too long to encode': () => qrSvg(text.repeat(3000), text),
    // payer
    'checkout page': () => renderCheckoutPage({ order: open, merchantName: text, formAction: text, selected: 'ALIPAY' }),
    'checkout page, refused': () => renderCheckoutPage({ order: open, merchantName: text, formAction: text, problem: text, detail: text }),
    'checkout page, done, GET back': () => renderCheckoutPage({ order, merchantName: text, formAction: text, outcome: text, back: get }),
    'checkout page, done, POST back': () => renderCheckoutPage({ order: { ...order, method: 'CHECKOUT' }, merchantName: text, formAction: text, outcome: text, back: post }),
    'link form': () => renderLinkForm(order, text, text),
    'scan page': async () => renderScanPage({ order: open, merchantName: text, formAction: text, qr: await qrSvg(text, text) }),
    'scan page, result': () => renderScanPage({ order, merchantName: text, formAction: text, outcome: text, back: get }),
    'scan page, refused': () => renderScanPage({ order: open, merchantName: text, formAction: text, problem: text, detail: text, back: get }),
    'payer refusal notice': () => html`${refusalNotice(text, text)}${refusalNotice(text, undefined)}${refusalNotice(undefined, text)}`,
    'unionpay page': () => renderUnionPayPage(open, text, text),
    'unionpay page, closed': () => renderUnionPayPage(order, text, text),
    'unionpay result': () => renderUnionPayResult(order, text, 'pay', undefined, post),
    'unionpay result, refused': () => renderUnionPayResult(order, text, 'decline', text, get),
    'converge page': () => renderConvergePage({ order: open, merchantName: text, formAction: text }),
    'converge page, refused': () => renderConvergePage({ order: open, merchantName: text, formAction: text }, text),
    'converge page, closed': () => renderConvergePage({ order, merchantName: text, formAction: text }),
    'converge challenge': () => renderConvergeChallenge({ order: open, merchantName: text, formAction: text }, text),
    'converge result': () => renderConvergeResult({ order, merchantName: text, formAction: text }, text, undefined, post),
    'converge result, refused': () => renderConvergeResult({ order, merchantName: text, formAction: text }, text, text, get),
    'portico page': () => renderPorticoPage(open, text, text),
    'portico page, closed': () => renderPorticoPage(order, text, text),
    'portico result': () => renderPorticoResult(order, text, 'pay', undefined, post),
    'portico result, refused': () => renderPorticoResult(order, text, 'decline', text, get),
    'card summary': () => cardSummary(order, text, html`<dt>Card</dt><dd>${text}</dd>`),
    'card choice page': () => renderCardChoicePage({ name: text, intro: text, payLabel: text, awaiting: text, cardRows: () => html`<dt>Card</dt><dd>${text}</dd>` }, open, text, text),
    'card choice page, closed': () => renderCardChoicePage({ name: text, payLabel: text, awaiting: text, cardRows: () => html`<dt>Card</dt><dd>${text}</dd>` }, order, text, text),
    'card choice result': () => renderCardChoiceResult({ name: text, payLabel: text, awaiting: text, cardRows: () => html`<dt>Card</dt><dd>${text}</dd>` }, order, text, 'cancel', text, post),
    'payer error page': () => renderPageError(text),
    'payer not found': () => renderNotFound(),
    'payer layout': () => page(text, html`<p>${text}</p>`),
    'payer layout, phone': () => page(text, html`<p>${text}</p>`, 'phone'),
    'return to merchant': () => html`${returnToMerchant(get, true)}${returnToMerchant(post, true)}${returnToMerchant(undefined, true)}`,
    document: () => htmlDocument(text, html``, html`<p>${text}</p>`)
  }
}

/** Which view functions the table above calls: a new one fails the census below until it is rendered here. */
const RENDERED = new Set([
  'renderOrdersPage', 'renderOrderPage', 'renderRequestsPage', 'renderRequestPage', 'renderMerchantsPage', 'renderLoginPage', 'renderReadinessPage',
  'notFoundPage', 'adminErrorPage', 'adminPage', 'statusBadge', 'verdictBadge', 'flash', 'jsonBlock', 'filterSelect', 'timeTag',
  'liveRefresh', 'qrSvg', 'renderCheckoutPage', 'renderLinkForm', 'renderScanPage', 'renderUnionPayPage', 'renderUnionPayResult',
  'renderConvergePage', 'renderConvergeChallenge', 'renderConvergeResult', 'renderPorticoPage', 'renderPorticoResult', 'cardSummary', 'renderCardChoicePage', 'renderCardChoiceResult',
  'renderPageError', 'renderNotFound', 'page', 'returnToMerchant', 'htmlDocument', 'refusalNotice',
  'renderFaultsPage', 'renderClockPage', 'renderNewOrderPage'
])
/** Exported functions of the view layer that return text, not markup, or are the escaping itself (tested apart). */
const NOT_VIEWS = new Set([
  'html', 'raw', 'join', 'escapeHtml', 'isSafeHtml', 'isSafeUrl', 'sendHtml',
  'formatAmount', 'orderPagePath', 'requestPagePath', 'callbackSummary', 'choiceOutcome', 'statusOutcome', 'statusLabel', 'refusalText',
  'durationText', 'effectText', 'beijingText', 'shellQuote', 'curlCommand', 'orderPending'
])

interface Tag { name: string, attributes: Array<[string, string]> }

const TAG = /<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g

/** The start tags and their attributes as a browser reads them (enough of it: our markup quotes every value). */
function tags (markup: string): Tag[] {
  return [...markup.matchAll(TAG)].map((m) => ({
    name: m[1]!.toLowerCase(),
    attributes: [...m[2]!.matchAll(ATTRIBUTE)].map((a): [string, string] => [a[1]!.toLowerCase(), a[2] ?? a[3] ?? a[4] ?? ''])
  }))
}

const structure = (markup: string) => tags(markup).map((tag) => `${tag.name}(${tag.attributes.map(([name]) => name).join(' ')})`)
const decode = (value: string) => value.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
const scripts = (markup: string) => [...markup.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!)

function checkPage (t: Test, name: string, markup: string, benign: string): void {
  t.same(structure(markup), structure(benign), `${name}: the same tags and attributes as with plain text`)
  // Only raw markup holds these (escaped, the text reads `&lt;img`, `&#39; onmouseover=`); the tags below catch the rest.
  for (const bad of ['<script>alert', '<img', '"><img', "' onmouseover='"]) {
    t.notOk(markup.includes(bad), `${name}: no ${bad}`)
  }
  const all = tags(markup)
  t.notOk(all.some((tag) => tag.name === 'img'), `${name}: no <img>`)
  t.same(all.flatMap((tag) => tag.attributes.filter(([attr]) => attr.startsWith('on'))), [], `${name}: no event handler attribute`)
  const urls = all.flatMap((tag) => tag.attributes.filter(([attr]) => ['href', 'src', 'action', 'formaction'].includes(attr)).map(([, value]) => decode(value)))
  t.same(urls.filter((url) => /^\s*(javascript|data|vbscript):/i.test(url)), [], `${name}: no link to a script`)
  t.same(scripts(markup).filter((script) => script.includes('alert')), [], `${name}: every script is the page's own`)
}

for (const text of [MARKUP, SCRIPT_URL]) {
  t.test(`every view, every string field ${JSON.stringify(text)}: no markup and no link comes from the data`, async (t) => {
    const hostile = views(text)
    const benign = views(BENIGN)
    for (const [name, render] of Object.entries(hostile)) {
      const markup = (await render()).toString()
      checkPage(t, name, markup, (await benign[name]!()).toString())
    }
    if (text === MARKUP) {
      // Not vacuous: the hostile text did reach the pages, escaped.
      const seen = await Promise.all(Object.entries(hostile).map(async ([name, render]) => [name, (await render()).toString().includes('&lt;script&gt;alert(1)&lt;/script&gt;')] as const))
      const dataless = ['payer not found', 'QR code of a text too long to encode']
      t.same(seen.filter(([name, shown]) => !shown && !dataless.includes(name)).map(([name]) => name), [], 'every view with data shows it as text')
    }
  })
}

t.test('the structure check would see a value that broke out', async (t) => {
  const broken = (value: string) => `<p title="${value}">${value}</p>`
  t.notSame(structure(broken(MARKUP)), structure(broken(BENIGN)), 'unescaped markup adds tags and attributes')
  t.same(tags('<a href="javascript:alert(1)" onclick=x>'), [{ name: 'a', attributes: [['href', 'javascript:alert(1)'], ['onclick', 'x']] }])
})

t.test('census: every function the view layer exports is rendered above, or is no view', async (t) => {
  const root = fileURLToPath(new URL('../../src/views/', import.meta.url))
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  const unknown: string[] = []
  for (const file of files) {
    const exports = await import(pathToFileURL(join(root, file)).href) as Record<string, unknown>
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value === 'function' && !RENDERED.has(name) && !NOT_VIEWS.has(name)) unknown.push(`${relative(root, join(root, file))}: ${name}`)
    }
  }
  t.same(unknown, [], 'render a new view in views() above with hostile values (or list it in NOT_VIEWS if it returns no markup)')
  t.ok(files.length >= 20, `the census read the view layer (${files.length} files)`)
})
