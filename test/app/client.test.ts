import type { AddressInfo } from 'node:net'
import t from 'tap'
import { ClientError, createClient, openCallback, verifyCallback } from '../../src/client/index.js'
import { CryptoError, seal } from '../../src/crypto/index.js'
import { build, MERCHANT } from '../helpers/build.js'
import { startReceiver } from '../helpers/receiver.js'
import type { Tap } from '../helpers/tap.js'

/** The real app listening on port 0, and a client for the test merchant. */
async function sandbox (t: Tap) {
  const sb = await build(t)
  await sb.app.listen({ port: 0, host: '127.0.0.1' })
  const baseUrl = `http://127.0.0.1:${(sb.app.server.address() as AddressInfo).port}`
  const client = createClient({ baseUrl, merchantId: MERCHANT.merchant_id, signKey: MERCHANT.sign_key })
  return { ...sb, baseUrl, client }
}

/** Runs `fn` and returns the ClientError it throws (fails the test when it throws nothing or something else). */
async function clientError (fn: () => unknown): Promise<ClientError> {
  try {
    await fn()
  } catch (err) {
    if (err instanceof ClientError) return err
    throw err
  }
  throw new Error('expected a ClientError, nothing was thrown')
}

t.test('a full round trip through the helpers: order, query, pay, callback, query, refund', async (t) => {
  const receiver = await startReceiver(t)
  const { app, client } = await sandbox(t)

  const created = await client.activePay({ order_id: 'CLIENT1', operator_id: '0000020156', amount: '1000', biz_type: 'WECHATPAY', call_back_url: receiver.url })
  t.equal(created.rsp_code, 'SUCCESS')
  if (created.rsp_code !== 'SUCCESS') throw new Error(created.rsp_msg)
  t.equal(created.data.order_id, 'CLIENT1')
  t.match(created.data.bizpay_order_id, /^WX\d{16}$/)
  t.match(created.data.code_url, /^weixin:\/\/wxpay\/bizpayurl\?pr=/)

  const before = await client.statusQuery({ order_id: 'CLIENT1' })
  t.equal(before.rsp_code, 'SUCCESS')
  t.equal(before.data?.order_status, 'init')
  t.equal(before.data?.finish_time, undefined)

  const paid = await app.inject({ method: 'POST', url: '/sandbox/api/orders/CLIENT1/pay' })
  t.equal(paid.statusCode, 200)
  await app.sandbox.idle()
  t.equal(receiver.received.length, 1)
  const callback = receiver.received[0]!.body
  t.same(verifyCallback(callback, MERCHANT.sign_key), {
    finish_time: '20260115120000',
    order_id: 'CLIENT1',
    order_status: 'success',
    amount: '1000',
    tip: '0',
    bizpay_order_id: created.data.bizpay_order_id,
    merchant_id: MERCHANT.merchant_id
  })
  t.equal(client.verifyCallback(callback).order_id, 'CLIENT1', 'the client verifies with its own key')
  t.equal(client.openCallback(callback).rsp_code, 'SUCCESS')

  const after = await client.statusQuery({ order_id: 'CLIENT1' })
  t.equal(after.data?.order_status, 'success')
  t.equal(after.data?.finish_time, '20260115120000')
  t.equal(after.data?.amount, '1000')

  const refunded = await client.refund({ ori_order_id: 'CLIENT1', refund_amt: '400', order_id: 'CLIENT1R1' })
  t.equal(refunded.rsp_code, 'SUCCESS')
  t.match(refunded.data, { order_id: 'CLIENT1R1', ori_order_id: 'CLIENT1', refund_amt: '400', refund_amount: '400', order_status: 'partial_refunded' })
  const refundQuery = await client.statusQuery({ order_id: 'CLIENT1R1' })
  t.match(refundQuery.data, { order_status: 'refunded', amount: '400', ori_order_id: 'CLIENT1' })
})

t.test('every typed helper reaches its action and returns the opened answer', async (t) => {
  const { client } = await sandbox(t)
  const callBack = 'https://merchant.example/callback'
  const rate = await client.exRateQuery({ fee_type: 'USD' })
  t.match(rate, { rsp_code: 'SUCCESS', data: { feeType: 'USD', rate: /^\d+$/ } })

  const h5 = await client.h5Pay({ amount: '500', order_id: 'H5C1', currency_type: 'CAD', biz_type: 'WECHATPAY', operator_id: '0000020156', submit_type: 'form', call_back_url: callBack })
  t.match(h5, { rsp_code: 'SUCCESS', data: { order_id: 'H5C1', time_zone_id: 'Asia/Shanghai', payinfo: /\/sandbox\/pay\/scan\// } })

  const mapp = await client.mappPay({ order_id: 'MAPPC1', operator_id: '0000020156', amount: '1200', biz_type: 'WECHATPAY', app_id: 'wx8888888888888888', open_id: 'oUpF8uMu', call_back_url: callBack })
  t.match(mapp, { rsp_code: 'SUCCESS', data: { order_id: 'MAPPC1', payInfo: { appId: 'wx8888888888888888', signType: 'MD5' } } })

  const card = {
    merchant_id: MERCHANT.merchant_id,
    txnTime: '20260115120000',
    txnAmt: '2500',
    frontUrl: 'https://merchant.example/result',
    backUrl: callBack,
    channelType: 'UPAYONLINE',
    bizType: 'securePay',
    cc_channelType: 'web'
  } as const
  const purchase = await client.ccPurchase({ ...card, orderId: 'CARDC1' })
  t.match(purchase, { rsp_code: 'SUCCESS', data: { rspCode: 'PROCESSING', amount: '2500', codeUrl: /\/sandbox\/pay\/unionpay\// } })
  const preauth = await client.ccPreauth({ ...card, orderId: 'CARDC2', cc_channelType: 'mobile' })
  t.match(preauth, { rsp_code: 'SUCCESS', data: { respcode: 'PROCESSING' } })
  const cardQuery = await client.ccQueryPay({ orderId: 'CARDC1' })
  t.match(cardQuery, { rsp_code: 'SUCCESS', data: { orderId: 'CARDC1', order_status: 'init' } })

  const passive = await client.passivePay({ order_id: 'POSC1', operator_id: '0000020156', amount: '2500', auth_code: '134567890123456789', biz_type: 'WECHATPAY' })
  t.match(passive, { rsp_code: 'SUCCESS', data: { order_id: 'POSC1', order_status: 'success', total_amount: '2500' } })

  const checkout = await client.prepayInit({
    amount: '500',
    sale_num: 'SALE1',
    operator_id: '0000020156',
    prepay_order_id: 'PREPAYC1',
    biz_type: 'PREPAY',
    merchant_id: MERCHANT.merchant_id,
    duration: '900',
    shop_id: 'QC00000001001',
    currency_type: 'CAD',
    redirect_url: 'https://merchant.example/result',
    call_back_url: callBack
  })
  t.match(checkout, { rsp_code: 'SUCCESS', data: { prepay_order_id: 'PREPAYC1', payinfo: /\/sandbox\/pay\/checkout\// } })
  const checkoutQuery = await client.prepayQuery({ prepay_order_id: 'PREPAYC1', merchant_id: MERCHANT.merchant_id })
  t.match(checkoutQuery, { rsp_code: 'SUCCESS', data: { status: 'PROCESSING', sale_num: 'SALE1' } })
})

t.test('Appendix B answers other than SUCCESS are returned, not thrown', async (t) => {
  const { baseUrl, client } = await sandbox(t)
  const stranger = createClient({ baseUrl, merchantId: 'QC99999999', signKey: 'NOSUCHKEY0000001' })
  const unknown = await stranger.statusQuery({ order_id: 'A1' })
  t.equal(unknown.rsp_code, 'PARAM_INVALID')
  t.match(unknown.rsp_msg, /QC99999999/)
  t.equal(unknown.data, undefined, 'a rejection carries no data')

  const order = { order_id: 'DUP1', operator_id: '0000020156', amount: '100', biz_type: 'ALIPAY', call_back_url: 'https://merchant.example/cb' }
  // request() takes any data, so a test can send a wrong field on purpose.
  const badAmount = await client.request('ACTIVEPAY', '1.0', { ...order, amount: '1.00' })
  t.equal(badAmount.rsp_code, 'PARAM_INVALID')
  t.match(badAmount.rsp_msg, /^invalid parameter: amount must be a whole number of cents/)
  const badVersion = await client.request('ACTIVEPAY', '9.9', order)
  t.equal(badVersion.rsp_code, 'PARAM_INVALID')
  t.match(badVersion.rsp_msg, /version/)

  t.equal((await client.request('ACTIVEPAY', '1.0', order)).rsp_code, 'SUCCESS')
  const duplicate = await client.request('ACTIVEPAY', '1.0', order)
  t.same(duplicate, { rsp_code: 'ORDER_USED', rsp_msg: duplicate.rsp_msg, data: undefined })
  t.match(duplicate.rsp_msg, /^order number duplicated/)

  // A magic auth code that declines: FAIL, with the declined order's data opened.
  const declined = await client.passivePay({ order_id: 'POSFAIL', operator_id: '0000020156', amount: '700', auth_code: '130000000000000001', biz_type: 'WECHATPAY' })
  t.equal(declined.rsp_code, 'FAIL')
  t.equal(declined.data?.order_status, 'fail')
})

t.test('the path option reaches the /process alias, and a trailing slash in baseUrl is harmless', async (t) => {
  const { baseUrl } = await sandbox(t)
  const client = createClient({ baseUrl: baseUrl + '/', merchantId: MERCHANT.merchant_id, signKey: MERCHANT.sign_key, path: '/process' })
  t.equal(client.url, `${baseUrl}/process`)
  t.equal((await client.exRateQuery({ fee_type: 'CAD' })).rsp_code, 'SUCCESS')
})

t.test('verifyCallback opens a real callback as an object, a string or a Buffer, and refuses a tampered one', async (t) => {
  const receiver = await startReceiver(t)
  const { app, client } = await sandbox(t)
  await client.activePay({ order_id: 'CBPAID', operator_id: '0000020156', amount: '300', biz_type: 'ALIPAY', call_back_url: receiver.url })
  await client.activePay({ order_id: 'CBFAIL', operator_id: '0000020156', amount: '300', biz_type: 'ALIPAY', call_back_url: receiver.url })
  await app.inject({ method: 'POST', url: '/sandbox/api/orders/CBPAID/pay' })
  await app.inject({ method: 'POST', url: '/sandbox/api/orders/CBFAIL/fail' })
  await app.sandbox.idle()
  const paid = receiver.received.find((r) => r.body.rsp_code === 'SUCCESS')!.body
  const failed = receiver.received.find((r) => r.body.rsp_code === 'FAIL')!.body
  const key = MERCHANT.sign_key

  t.equal(verifyCallback(paid, key).order_id, 'CBPAID')
  t.equal(verifyCallback(JSON.stringify(paid), key).order_id, 'CBPAID')
  t.equal(verifyCallback(Buffer.from(JSON.stringify(paid)), key).amount, '300')
  t.match(openCallback(failed, key), { rsp_code: 'FAIL', rsp_msg: 'failure.', merchant_id: MERCHANT.merchant_id, data: { order_id: 'CBFAIL' } })

  const wrongMd5 = await clientError(() => verifyCallback({ ...paid, md5: failed.md5! }, key))
  t.equal(wrongMd5.code, 'VERIFY_FAILED')
  t.ok(wrongMd5.cause instanceof CryptoError, 'the CryptoError is the cause')
  t.match(wrongMd5.message, /^callback data does not verify with the sign key/)

  const otherData = await clientError(() => verifyCallback({ ...paid, data: seal({ order_id: 'CBPAID', amount: '1' }, key).data }, key))
  t.equal(otherData.code, 'VERIFY_FAILED', 'data swapped under the same md5')
  const otherKey = await clientError(() => verifyCallback(paid, 'NOT-THE-KEY-0001'))
  t.equal(otherKey.code, 'VERIFY_FAILED')
  t.notMatch(otherKey.message, /NOT-THE-KEY-0001/, 'the sign key never appears in a message')

  const { data: _data, ...noData } = paid
  const missing = await clientError(() => verifyCallback(noData, key))
  t.equal(missing.code, 'NOT_ENVELOPE')
  t.match(missing.message, /no data/)
  const { rsp_code: _code, ...noCode } = paid
  t.equal(verifyCallback(noCode, key).order_id, 'CBPAID', 'verifyCallback needs only data and md5')
  t.equal((await clientError(() => openCallback(noCode, key))).code, 'NOT_ENVELOPE', 'openCallback needs rsp_code to say paid or declined')
  t.equal((await clientError(() => verifyCallback('order_id=CBPAID', key))).code, 'NOT_JSON')
  t.equal((await clientError(() => verifyCallback('[1]', key))).code, 'NOT_ENVELOPE')
})

t.test('each helper posts its action and version; wrong data is a compile error (npm run typecheck)', async (t) => {
  const posted: Array<{ action: string, version: string, merchant_id: string, data: string, md5: string }> = []
  const fetch: typeof globalThis.fetch = async (_url, init) => {
    posted.push(JSON.parse(String(init?.body)))
    return Response.json({ rsp_code: 'PARAM_INVALID', rsp_msg: 'invalid parameter' })
  }
  const client = createClient({ baseUrl: 'http://sandbox.example', merchantId: MERCHANT.merchant_id, signKey: MERCHANT.sign_key, fetch })
  const any = {} as never
  await client.statusQuery(any)
  await client.refund(any)
  await client.exRateQuery(any)
  await client.activePay(any)
  await client.h5Pay(any)
  await client.mappPay(any)
  await client.ccPurchase(any)
  await client.ccPreauth(any)
  await client.ccQueryPay(any)
  await client.passivePay(any)
  await client.prepayInit(any)
  await client.prepayQuery(any)
  t.same(posted.map((p) => `${p.action} ${p.version}`), [
    'STATUS_QUERY 1.0', 'REFUND 1.0', 'EX_RATE_QUERY 1.0', 'ACTIVEPAY 1.0', 'H5PAY 2.0', 'MAPPPAY 1.1',
    'CC_PURCHASE 2.0', 'CC_PREAUTH 2.0', 'CC_QUERYPAY 2.0', 'PASSIVEPAY 1.0', 'PREPAY_INIT 2.0', 'PREPAY_QUERY 2.0'
  ])
  t.ok(posted.every((p) => p.merchant_id === MERCHANT.merchant_id))

  // @ts-expect-error amount is required by ACTIVEPAY
  await client.activePay({ operator_id: '1', biz_type: 'ALIPAY', call_back_url: 'https://x.example' })
  // @ts-expect-error biz_type is one of the documented wallets
  await client.activePay({ operator_id: '1', amount: '1', biz_type: 'PAYPAL', call_back_url: 'https://x.example' })
  // @ts-expect-error REFUND needs ori_order_id
  await client.refund({ refund_amt: '1' })
  const answer = await client.statusQuery({ order_id: 'A' })
  if (answer.rsp_code === 'SUCCESS') {
    const status: string = answer.data.order_status
    // @ts-expect-error STATUS_QUERY answers no code_url
    t.fail(`${status} ${answer.data.code_url}`)
  }
  t.equal(answer.data, undefined, 'the stub rejects everything')
})
