import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { open, type DataObject } from '../../src/crypto/index.js'
import { loadFixtures } from '../../src/domain/fixtures.js'
import { checkOutcomesFile, outcomeProblem, type OutcomesFile } from '../../src/domain/outcomes.js'
import { findAction } from '../../src/protocol/registry.js'
import { build, callGateway, envelope, MERCHANT, OUTCOMES, passivePayData, WECHAT_CODE } from '../helpers/build.js'
import { callAction, payNow, statusQuery } from '../helpers/gateway-calls.js'
import { startReceiver, type Receiver } from '../helpers/receiver.js'

const passivePay = (app: FastifyInstance, data: DataObject) => callAction(app, 'PASSIVEPAY', '1.0', data)

/** The callbacks the receiver got once deliveries settle, opened. */
type Asserts = Pick<typeof t, 'equal'>

/** The one callback the receiver got, opened; asserts there was exactly one. */
async function onlyCallback (t: Asserts, app: FastifyInstance, receiver: Receiver): Promise<{ rsp_code: string, inner: DataObject }> {
  await app.sandbox.idle()
  const callbacks = receiver.received.map(({ body }) => ({ rsp_code: body.rsp_code!, inner: open({ data: body.data!, md5: body.md5! }, MERCHANT.sign_key) }))
  t.equal(callbacks.length, 1, 'one callback')
  return callbacks[0]!
}

t.test('a scanned WeChat code pays at once: SUCCESS with the order data and a SUCCESS callback', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store } = await build(t)
  const answer = await passivePay(app, passivePayData({ tip: '300', sale_num: 'TILL3-0042', call_back_url: receiver.url }))
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.body.rsp_msg, 'success')
  t.equal(answer.schemaProblem, undefined, 'the answer fits PassivePayAnswer')
  t.same(answer.data, {
    order_status: 'success',
    trade_time: '20260115120000',
    order_id: 'POS0001',
    buyer_login_id: '139****6789',
    total_amount: '2500',
    receipt_amount: '2500',
    tip: '300',
    bizpay_order_id: answer.data!.bizpay_order_id,
    sale_num: 'TILL3-0042'
  })
  t.match(answer.data!.bizpay_order_id, /^WX\d{16}$/)
  const order = store.orders.find(MERCHANT.merchant_id, 'POS0001')!
  t.equal(order.status, 'success')
  t.equal(order.method, 'WECHATPAY')
  t.equal(order.sale_num, 'TILL3-0042')
  t.same(order.response, answer.data, 'the stored answer is the one sent')
  t.same(order.details, { auth_code: WECHAT_CODE, buyer_login_id: '139****6789' })
  const callback = await onlyCallback(t, app, receiver)
  t.equal(callback.rsp_code, 'SUCCESS')
  t.equal(callback.inner.order_id, 'POS0001')
  t.equal(callback.inner.amount, '2500')
  t.equal(callback.inner.tip, '300')
  t.equal(callback.inner.sale_num, 'TILL3-0042')
})

t.test('each wallet takes its own codes and gets its acquirer id', async (t) => {
  const { app } = await build(t)
  const cases = [
    { biz_type: 'ALIPAY', auth_code: '286543210987654321', id: /^AP\d{16}$/ },
    { biz_type: 'ALIPAY', auth_code: '3012345678901234', id: /^AP\d{16}$/ },
    { biz_type: 'UNIONPAY', auth_code: '6226012345678901234', id: /^UP\d{16}$/ },
    { biz_type: 'WECHATPAY', auth_code: '101234567890123456', id: /^WX\d{16}$/ }
  ]
  for (const [i, c] of cases.entries()) {
    const answer = await passivePay(app, passivePayData({ order_id: `W${i}`, biz_type: c.biz_type, auth_code: c.auth_code }))
    t.equal(answer.body.rsp_code, 'SUCCESS', `${c.biz_type} ${c.auth_code}: ${answer.body.rsp_msg}`)
    t.match(answer.data!.bizpay_order_id, c.id)
    t.equal(answer.schemaProblem, undefined)
  }
})

t.test('without call_back_url the order is paid and no callback is sent', async (t) => {
  const { app, store } = await build(t)
  const answer = await passivePay(app, passivePayData())
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.notOk('sale_num' in answer.data!, 'no sale_num sent, none answered')
  const order = store.orders.find(MERCHANT.merchant_id, 'POS0001')!
  t.equal(order.notify_url, '')
  t.equal(order.details!.callback, 'none: the request has no call_back_url')
  t.same(store.callbacks.forOrder(MERCHANT.merchant_id, 'POS0001'), [])
})

t.test('the level-1 terminal_no and operator_id are checked and recorded', async (t) => {
  const { app, store } = await build(t)
  const body = { ...envelope('PASSIVEPAY', '1.0', passivePayData()), terminal_no: 'T-0007', operator_id: '0000020156' }
  const answer = await callGateway(app, body)
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(findAction('PASSIVEPAY')!.answer.problem(answer.data), undefined)
  const details = store.orders.find(MERCHANT.merchant_id, 'POS0001')!.details!
  t.equal(details.terminal_no, 'T-0007')
  t.equal(details.level1_operator_id, '0000020156')

  const numeric = await callGateway(app, { ...envelope('PASSIVEPAY', '1.0', passivePayData({ order_id: 'POS0002' })), terminal_no: 7 })
  t.equal(numeric.body.rsp_code, 'PARAM_ERROR')
  t.equal(numeric.body.rsp_msg, 'parameter format error: terminal_no (level 1, beside data) must be a string, got number')
  const objectOperator = await callGateway(app, { ...envelope('PASSIVEPAY', '1.0', passivePayData({ order_id: 'POS0003' })), operator_id: { id: 1 } })
  t.equal(objectOperator.body.rsp_code, 'PARAM_ERROR')
  t.match(objectOperator.body.rsp_msg, /operator_id \(level 1, beside data\) must be a string, got object/)
  const stranger = await callGateway(app, { ...envelope('PASSIVEPAY', '1.0', passivePayData({ order_id: 'POS0004' })), operator_id: '0000000005' })
  t.equal(stranger.body.rsp_code, 'PARAM_INVALID')
  t.match(stranger.body.rsp_msg, /^invalid parameter: operator_id 0000000005 \(level 1, beside data\) is not an operator of merchant QC00000001/)
  t.equal(store.orders.count(), 1, 'the rejected requests created no order')
})

t.test('a magic amount ending in 01 declines: FAIL with the data, order fail, FAIL callback', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store } = await build(t)
  const answer = await passivePay(app, passivePayData({ amount: '2501', call_back_url: receiver.url }))
  t.equal(answer.body.rsp_code, 'FAIL')
  t.match(answer.body.rsp_msg, /^failure\. the wallet declined order POS0001 \(magic amount ending in 01\)$/)
  t.equal(answer.schemaProblem, undefined)
  t.equal(answer.data!.order_status, 'fail')
  t.equal(answer.data!.receipt_amount, '0')
  t.equal(answer.data!.total_amount, '2501')
  t.notOk('trade_time' in answer.data!, 'never paid, no trade_time')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'POS0001')!.status, 'fail')
  const callback = await onlyCallback(t, app, receiver)
  t.equal(callback.rsp_code, 'FAIL')
  t.equal(callback.inner.order_id, 'POS0001')
  t.equal(callback.inner.amount, '2501')
})

t.test('magic auth codes of outcomes.json: decline, processing, password, for every wallet', async (t) => {
  const { app, store } = await build(t)
  const wallets = [['WECHATPAY', '13'], ['ALIPAY', '28'], ['UNIONPAY', '62']] as const
  for (const [wallet, prefix] of wallets) {
    const expected = [['1', 'FAIL', 'fail'], ['2', 'PROCESSING', 'init'], ['3', 'PWD_INCORRECT', 'init']] as const
    for (const [last, code, status] of expected) {
      const authCode = `${prefix}000000000000000${last}`
      const orderId = `${wallet}-${last}`
      const answer = await passivePay(app, passivePayData({ order_id: orderId, biz_type: wallet, auth_code: authCode }))
      t.equal(answer.body.rsp_code, code, `${wallet} ${authCode}`)
      t.equal(answer.data!.order_status, status, `${wallet} ${authCode}`)
      t.equal(answer.schemaProblem, undefined)
      t.equal(store.orders.find(MERCHANT.merchant_id, orderId)!.status, status)
    }
  }
})

t.test('a declining auth code: FAIL with a reason and a FAIL callback', async (t) => {
  const receiver = await startReceiver(t)
  const { app } = await build(t)
  const answer = await passivePay(app, passivePayData({ auth_code: '130000000000000001', call_back_url: receiver.url }))
  t.equal(answer.body.rsp_code, 'FAIL')
  t.equal(answer.body.rsp_msg, 'failure. the wallet declined auth_code 130000000000000001 (a magic code of outcomes.json)')
  const callback = await onlyCallback(t, app, receiver)
  t.equal(callback.rsp_code, 'FAIL')
  t.equal(callback.inner.order_id, 'POS0001')
  t.equal(callback.inner.amount, '2500')
})

t.test('a processing auth code: PROCESSING, then the scheduler pays it 5 s later and the callback goes out', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store, clock } = await build(t)
  const answer = await passivePay(app, passivePayData({ auth_code: '280000000000000002', biz_type: 'ALIPAY', call_back_url: receiver.url }))
  t.equal(answer.body.rsp_code, 'PROCESSING')
  t.match(answer.body.rsp_msg, /^transaction processing: the payer is confirming auth_code 280000000000000002 .*until 2026-01-15T04:00:05\.000Z; poll STATUS_QUERY$/)
  t.equal(answer.data!.order_status, 'init')
  t.equal(answer.data!.receipt_amount, '0')
  const order = store.orders.find(MERCHANT.merchant_id, 'POS0001')!
  t.equal(order.pay_at, '2026-01-15T04:00:05.000Z')
  t.equal((await statusQuery(app, 'POS0001')).data!.order_status, 'init', 'the merchant polls and sees init')

  const now = () => store.orders.find(MERCHANT.merchant_id, 'POS0001')!
  clock.advance(4999)
  await app.sandbox.tick()
  t.equal(now().status, 'init', 'not before pay_at')
  clock.advance(1)
  await app.sandbox.tick()
  t.equal(now().status, 'success')
  t.equal(now().finish_time, '20260115120005')
  t.equal((await statusQuery(app, 'POS0001')).data!.order_status, 'success')
  const callback = await onlyCallback(t, app, receiver)
  t.equal(callback.rsp_code, 'SUCCESS')
  t.equal(callback.inner.order_id, 'POS0001')
  t.equal(callback.inner.amount, '2500')
  t.equal(callback.inner.finish_time, '20260115120005')
})

t.test('a password auth code: PWD_INCORRECT, the order waits until paid through the control API', async (t) => {
  const receiver = await startReceiver(t)
  const { app, store, clock } = await build(t)
  const answer = await passivePay(app, passivePayData({ auth_code: '620000000000000003', biz_type: 'UNIONPAY', call_back_url: receiver.url }))
  t.equal(answer.body.rsp_code, 'PWD_INCORRECT')
  t.match(answer.body.rsp_msg, /^password is incorrect: the wallet asks the payer for the password of auth_code 620000000000000003/)
  t.equal(answer.data!.order_status, 'init')
  const order = store.orders.find(MERCHANT.merchant_id, 'POS0001')!
  t.equal(order.pay_at, undefined, 'nothing pays it on its own')
  t.match(order.details!.auth_code_outcome, /password/)
  clock.advance(60_000)
  await app.sandbox.tick()
  t.equal(store.orders.find(MERCHANT.merchant_id, 'POS0001')!.status, 'init')
  await app.sandbox.idle()
  t.equal(receiver.received.length, 0, 'no callback while waiting')
  await payNow(app, 'POS0001')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'POS0001')!.status, 'success')
  const callback = await onlyCallback(t, app, receiver)
  t.equal(callback.rsp_code, 'SUCCESS')
  t.equal(callback.inner.order_id, 'POS0001')
})

t.test('a never-paid magic amount (…02) answers PROCESSING and stays init', async (t) => {
  const { app, store } = await build(t)
  const answer = await passivePay(app, passivePayData({ amount: '2502' }))
  t.equal(answer.body.rsp_code, 'PROCESSING')
  t.match(answer.body.rsp_msg, /never paid.*poll STATUS_QUERY/)
  t.equal(answer.data!.order_status, 'init')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'POS0001')!.status, 'init')
})

t.test('bizType, orderId and Tip are accepted', async (t) => {
  const { app, store } = await build(t)
  const data = passivePayData({ bizType: ' ALIPAY', orderId: 'POSVAR', Tip: '45', auth_code: '256543210987654321' })
  delete data.biz_type
  delete data.order_id
  const answer = await passivePay(app, data)
  t.equal(answer.body.rsp_code, 'SUCCESS', answer.body.rsp_msg)
  t.equal(answer.data!.order_id, 'POSVAR')
  t.equal(answer.data!.tip, '45')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'POSVAR')!.method, 'ALIPAY')
})

t.test('each documented error names what failed', async (t) => {
  const { app, store } = await build(t)
  const cases: Array<{ name: string, data: DataObject, msg: RegExp }> = [
    { name: 'missing auth_code', data: passivePayData({ auth_code: undefined }), msg: /^invalid parameter: auth_code is required$/ },
    { name: 'short auth_code', data: passivePayData({ auth_code: '1345678' }), msg: /auth_code must be the payer's wallet payment code: 16 to 24 digits, got "1345678"/ },
    { name: 'auth_code with letters', data: passivePayData({ auth_code: '13456789012345678X' }), msg: /auth_code must be the payer's wallet payment code/ },
    {
      name: 'an Alipay code sent as WECHATPAY',
      data: passivePayData({ auth_code: '286543210987654321' }),
      msg: /^invalid parameter: auth_code 286543210987654321 is not a WECHATPAY payment code: WeChat Pay codes start with 10 to 15 \(it looks like a ALIPAY code: check biz_type\)$/
    },
    { name: 'a code of no wallet', data: passivePayData({ biz_type: 'UNIONPAY', auth_code: '990000000000000000' }), msg: /^invalid parameter: auth_code 990000000000000000 is not a UNIONPAY payment code: UnionPay codes start with 62$/ },
    { name: 'unknown wallet', data: passivePayData({ biz_type: 'PAYPAL' }), msg: /biz_type must be one of "ALIPAY", "WECHATPAY", "UNIONPAY", got "PAYPAL"/ },
    { name: 'missing biz_type', data: passivePayData({ biz_type: undefined }), msg: /biz_type is required/ },
    { name: 'missing amount', data: passivePayData({ amount: undefined }), msg: /amount is required/ },
    { name: 'missing operator_id', data: passivePayData({ operator_id: undefined }), msg: /operator_id is required/ },
    { name: 'unknown operator', data: passivePayData({ operator_id: '0000000005' }), msg: /operator_id 0000000005 is not an operator of merchant QC00000001/ },
    { name: 'relative call_back_url', data: passivePayData({ call_back_url: 'callback' }), msg: /call_back_url must be an absolute http\(s\) URL/ }
  ]
  for (const c of cases) {
    const data = Object.fromEntries(Object.entries(c.data).filter(([, value]) => value !== undefined))
    const answer = await passivePay(app, data)
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', c.name)
    t.match(answer.body.rsp_msg, c.msg, c.name)
    t.equal(answer.data, undefined, `${c.name}: no data`)
  }
  t.equal(store.orders.count(), 0, 'no order was created')
})

t.test('a reused order_id is ORDER_USED and charges nothing', async (t) => {
  const { app, store } = await build(t)
  t.equal((await passivePay(app, passivePayData())).body.rsp_code, 'SUCCESS')
  const again = await passivePay(app, passivePayData({ amount: '9900' }))
  t.equal(again.body.rsp_code, 'ORDER_USED')
  t.match(again.body.rsp_msg, /^order number duplicated: order_id POS0001 was already used by merchant QC00000001/)
  t.equal(store.orders.find(MERCHANT.merchant_id, 'POS0001')!.amount, '2500')
})

t.test('outcomes files: by_auth_code is optional and checked', async (t) => {
  t.ok(checkOutcomesFile.Check(OUTCOMES), 'the shipped file is valid')
  t.equal(outcomeProblem(OUTCOMES), undefined)
  t.equal(Object.keys(OUTCOMES.by_auth_code ?? {}).length, 9, 'three magic codes per wallet')
  const older: OutcomesFile = { by_amount_suffix: { '01': { outcome: 'decline', description: 'declines' } } }
  t.ok(checkOutcomesFile.Check(older), 'a file without by_auth_code stays valid')
  t.equal(outcomeProblem(older), undefined)
  t.notOk(checkOutcomesFile.Check({ by_amount_suffix: {}, by_auth_code: { '130000000000000009': { outcome: 'refund', description: 'x' } } }), 'an unknown outcome')
  t.equal(outcomeProblem({ by_amount_suffix: {}, by_auth_code: { 1234: { outcome: 'decline', description: 'x' } } }),
    'by_auth_code keys must be auth codes of 16 to 24 digits, got "1234"')
  t.equal(outcomeProblem({ by_amount_suffix: {}, by_auth_code: { '130000000000000009': { outcome: 'processing', after: 'soon', description: 'x' } } }),
    'by_auth_code.130000000000000009.after must be a duration such as 2s or 500ms, got "soon"')

  const dir = await mkdtemp(join(tmpdir(), 'outcomes-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'merchants.json'), JSON.stringify([MERCHANT]))
  await writeFile(join(dir, 'outcomes.json'), JSON.stringify({ by_amount_suffix: {}, by_auth_code: { 62: { outcome: 'decline', description: 'x' } } }))
  await t.rejects(loadFixtures(dir), /outcomes\.json: by_auth_code keys must be auth codes of 16 to 24 digits, got "62"/, 'the loader names the file and the key')
})

t.test('a processing code\'s delay comes from its after, 5 s when absent', async (t) => {
  const outcomes: OutcomesFile = {
    by_amount_suffix: {},
    by_auth_code: {
      '130000000000000007': { outcome: 'processing', after: '30s', description: 'slow payer' },
      '130000000000000008': { outcome: 'processing', description: 'default delay' }
    }
  }
  const { app, store } = await build(t, { outcomes })
  await passivePay(app, passivePayData({ order_id: 'SLOW', auth_code: '130000000000000007' }))
  await passivePay(app, passivePayData({ order_id: 'DEFAULT', auth_code: '130000000000000008' }))
  t.equal(store.orders.find(MERCHANT.merchant_id, 'SLOW')!.pay_at, '2026-01-15T04:00:30.000Z')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'DEFAULT')!.pay_at, '2026-01-15T04:00:05.000Z')
  const normal = await passivePay(app, passivePayData({ order_id: 'NORMAL', auth_code: '130000000000000001' }))
  t.equal(normal.body.rsp_code, 'SUCCESS', 'a code the file does not list pays normally')
})

t.test('a processing auth code with a never-paid amount (…02) stays init: the scheduler never tries to pay it', async (t) => {
  const errors: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { errors.push(chunk.toString('utf8')); done() } })
  const { app, store, clock } = await build(t, { logger: { level: 'error', stream } })
  const answer = await callGateway(app, envelope('PASSIVEPAY', '1.0', passivePayData({ auth_code: '130000000000000002', amount: '2502' })))
  t.equal(answer.body.rsp_code, 'PROCESSING')
  const order = () => store.orders.find(MERCHANT.merchant_id, 'POS0001')!
  clock.advance(10_000)
  await app.sandbox.tick()
  await app.sandbox.tick()
  t.equal(order().status, 'init')
  t.equal(order().history.length, 1, 'no payment event happened')
  t.same(errors, [], 'and none was tried: no "scheduled payment event failed" on every tick')
  clock.advance(3 * 60 * 60 * 1000)
  await app.sandbox.tick()
  t.equal(order().status, 'notpay', 'it expires')
})
