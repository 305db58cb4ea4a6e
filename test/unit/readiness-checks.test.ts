import { readFileSync } from 'node:fs'
import t from 'tap'
import type { Delivery } from '../../src/domain/callbacks/delivery.js'
import type { Fault } from '../../src/engine/faults/fault.js'
import { droppedAttemptError } from '../../src/engine/faults/notes.js'
import type { RequestLogEntry } from '../../src/inspector/log-entry.js'
import { JAVA_MD5_WARNING } from '../../src/protocol/gateway.js'
import { readinessChecks, SPECS } from '../../src/readiness/checks.js'
import { delivery, order } from '../helpers/store-records.js'

// The pure rules of the go-live checklist, one table row at a time (the whole flow is test/app/readiness.test.ts).

const AT = '2026-01-15T04:00:00.000Z'
let n = 0

/** A logged ACTIVEPAY (or `action`) with this data, accepted unless `rsp_code` says otherwise. */
function entry (data: Record<string, unknown>, over: Partial<RequestLogEntry> = {}): RequestLogEntry {
  n += 1
  const rsp = over.rsp_code ?? 'SUCCESS'
  return {
    id: `req_${n}`,
    at: AT,
    path: '/processV2',
    http_status: 200,
    merchant_id: 'QC00000001',
    action: 'ACTIVEPAY',
    version: '1.0',
    verdict: rsp === 'SUCCESS' ? 'accepted' : 'rejected',
    rsp_code: rsp,
    rsp_msg: '',
    failed_step: null,
    steps: [],
    order_id: typeof data.order_id === 'string' ? data.order_id : null,
    envelope: null,
    crypto: { data_length: 10, received_md5: 'A', expected_md5: 'A', md5_matches: true, plaintext: JSON.stringify(data), canonical: '' },
    data,
    warnings: [],
    hints: [],
    answer: { rsp_code: rsp, rsp_msg: '', md5: null, data: null },
    ...over
  }
}

const pay = (orderId: string, amount: unknown = '100', extra: Record<string, unknown> = {}) => ({ order_id: orderId, operator_id: '0000020156', amount, biz_type: 'WECHATPAY', ...extra })

function statusOf (entries: RequestLogEntry[], id: string): string {
  return readinessChecks({ entries, orders: [], probe: undefined, now: Date.parse(AT), pollWithinMs: 60_000 }).find((c) => c.id === id)!.status
}

t.test('sealing: an md5 failure or the Java-number fallback fails it; matched requests pass it', async (t) => {
  t.equal(statusOf([entry(pay('A1'))], 'sealing'), 'passed')
  t.equal(statusOf([entry(pay('A1')), entry(pay('A2'), { warnings: [JAVA_MD5_WARNING] })], 'sealing'), 'failed', 'the Java fallback')
  t.equal(statusOf([entry(pay('A1'), { failed_step: 'md5', rsp_code: 'PARAM_INVALID', crypto: { data_length: 1, received_md5: 'A', expected_md5: 'B', md5_matches: false, plaintext: '{}', canonical: '' } })], 'sealing'), 'failed')
  t.equal(statusOf([], 'sealing'), 'not_exercised')
})

t.test('amounts-as-strings: a JSON number anywhere in data fails it', async (t) => {
  t.equal(statusOf([entry(pay('A1'))], 'amounts-as-strings'), 'passed')
  t.equal(statusOf([entry(pay('A1', 100))], 'amounts-as-strings'), 'failed')
})

t.test('order-ids: a retry of the same request reuses its id; another order under it, or a long id, fails', async (t) => {
  t.equal(statusOf([entry(pay('A1')), entry(pay('A1'), { rsp_code: 'ORDER_USED' }), entry({ order_id: 'A1' }, { action: 'STATUS_QUERY' })], 'order-ids'), 'passed', 'the same request again, and a query')
  t.equal(statusOf([entry(pay('A1')), entry(pay('A1', '200'), { rsp_code: 'ORDER_USED' })], 'order-ids'), 'failed', 'another amount under the same id')
  t.equal(statusOf([entry(pay('A'.repeat(65)), { rsp_code: 'PARAM_INVALID' })], 'order-ids'), 'failed', 'longer than 64')
})

t.test('operator-id and actions-succeed', async (t) => {
  t.equal(statusOf([entry(pay('A1'))], 'operator-id'), 'passed')
  t.equal(statusOf([entry({ order_id: 'A1', amount: '100', biz_type: 'WECHATPAY' }, { rsp_code: 'PARAM_INVALID' })], 'operator-id'), 'failed')
  t.equal(statusOf([entry({ order_id: 'A1' }, { action: 'STATUS_QUERY' })], 'operator-id'), 'not_exercised', 'STATUS_QUERY takes none')
  t.equal(statusOf([entry(pay('A1'), { rsp_code: 'PARAM_INVALID' }), entry(pay('A2'))], 'actions-succeed'), 'passed', 'one SUCCESS per action is enough')
  t.equal(statusOf([entry(pay('A1')), entry({ order_id: 'A1' }, { action: 'STATUS_QUERY', rsp_code: 'PARAM_INVALID' })], 'actions-succeed'), 'failed')
})

t.test('retry-after-timeout and answers-verified: what the merchant did next about the spoiled request', async (t) => {
  const late = 'fault flt_1 fired: the request was processed and the answer held back 600 ms'
  const spoiled = 'fault flt_2 fired: the request was processed, then the answer was sent with a wrong md5'
  t.equal(statusOf([entry(pay('A1'), { warnings: [late] }), entry({ order_id: 'A1' }, { action: 'STATUS_QUERY' })], 'retry-after-timeout'), 'passed')
  t.equal(statusOf([entry(pay('A1'), { warnings: [late] }), entry(pay('A2'))], 'retry-after-timeout'), 'failed', 'a new order for the same amount')
  t.equal(statusOf([entry(pay('A1'), { warnings: [late] })], 'retry-after-timeout'), 'not_exercised', 'nothing after it yet')
  t.equal(statusOf([entry(pay('A1'), { warnings: [spoiled] }), entry(pay('A1'))], 'answers-verified'), 'passed')
  t.equal(statusOf([entry(pay('A1'), { warnings: [spoiled] }), entry(pay('A2'))], 'answers-verified'), 'failed')
})

t.test('polls-lost-callback: a dropped or delayed callback must be followed by a STATUS_QUERY within the window', async (t) => {
  const at = (s: number) => new Date(Date.parse(AT) + s * 1000).toISOString()
  const paid = order('QC00000001', 'A1', { status: 'success', history: [{ at: AT, status: 'init', reason: 'created' }, { at: AT, status: 'success', reason: 'paid' }] })
  const fault: Fault = { id: 'flt_3', match: { on: 'callback', merchant_id: null, action: null }, effect: { type: 'drop', when: 'before' }, times: 1, remaining: 0, fired: 1, armed_at: AT }
  const attempt = (s: number, extra: Partial<Delivery['attempts'][number]> = {}) => ({ n: 1, at: at(s), url: 'https://merchant.example/callback', status: 200, error: null, latency_ms: 3, reply: 'SUCCESS', delivered: true, ...extra })
  const dropped = delivery('QC00000001', 'A1', 'cb_1', { status: 'failed', next_attempt_at: null, attempts: [attempt(0, { status: null, error: droppedAttemptError(fault), latency_ms: 0, reply: null, delivered: false })] })
  const delayed = delivery('QC00000001', 'A1', 'cb_1', { next_attempt_at: Date.parse(AT) + 600_000 })
  const created = entry(pay('A1'))
  const polled = entry({ order_id: 'A1' }, { action: 'STATUS_QUERY', at: at(30) })
  const check = (entries: RequestLogEntry[], deliveries: Delivery[], nowS = 120) =>
    readinessChecks({ entries, orders: [{ order: paid, deliveries }], probe: undefined, now: Date.parse(at(nowS)), pollWithinMs: 60_000 }).find((c) => c.id === 'polls-lost-callback')!

  const careful = check([created, polled], [dropped])
  t.equal(careful.status, 'passed', 'dropped, and polled in time')
  t.equal(careful.evidence, 'Polled within 60 s for A1 (callback dropped by fault flt_3), whose callback had not arrived.', 'the evidence names the fault')
  t.same([careful.requests, careful.attempts], [[polled.id], ['cb_1']])

  const naive = check([created], [dropped])
  t.equal(naive.status, 'failed', 'dropped, and never polled')
  t.equal(naive.evidence, 'No STATUS_QUERY within 60 s of the payment of A1 (callback dropped by fault flt_3), whose callback had not arrived.')
  t.same(naive.attempts, ['cb_1'])

  const redeliveredLate = { ...dropped, status: 'delivered' as const, attempts: [...dropped.attempts, attempt(90, { n: 2 })] }
  t.equal(check([created], [redeliveredLate]).status, 'failed', 'a redelivery after the window does not excuse the missing poll')
  t.equal(check([created], [dropped], 50).status, 'not_exercised', 'the window is still open')

  const delayedPolled = check([created, polled], [delayed])
  t.equal(delayedPolled.status, 'passed', 'a delayed callback has not arrived either')
  t.equal(delayedPolled.evidence, 'Polled within 60 s for A1, whose callback had not arrived.', 'no fault to name for a delay')
  t.equal(check([created], [delayed]).status, 'failed')

  const onTime = check([created], [delivery('QC00000001', 'A1', 'cb_1', { status: 'delivered', attempts: [attempt(1)] })])
  t.equal(onTime.status, 'not_exercised', 'a callback that arrived needs no poll')
  t.match(onTime.evidence, /arm a callback fault \(drop, or delay\)/)
})

t.test('every check links a section that docs/go-live-checklist.md has', async (t) => {
  const page = readFileSync(new URL('../../docs/go-live-checklist.md', import.meta.url), 'utf8')
  const anchors = [...page.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-'))
  for (const spec of SPECS) t.ok(anchors.includes(spec.anchor), `${spec.id}: #${spec.anchor}`)
  for (const spec of SPECS) t.ok(page.includes(`\`${spec.id}\``), `${spec.id} is named on the page`)
})
