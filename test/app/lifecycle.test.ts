import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { DataObject } from '../../src/crypto/index.js'
import {
  activePayData, build, cardData, choose, h5PayData, mappPayData, MERCHANT, passivePayData, prepayInitData
} from '../helpers/build.js'
import { callAction, payNow, refundCall, statusQuery } from '../helpers/gateway-calls.js'

/**
 * One lifecycle per flow, as issue 5 asks: create → query → pay → query → partial refund → query → full refund →
 * query. Each flow is created its own way and paid the way its payer pays (hosted page or control API).
 */
interface Flow {
  name: string
  /** Creates the order; returns the path of its payer page when the payer pays there. */
  create(app: FastifyInstance): Promise<string | undefined>
  orderId: string
  amount: string
  /** The flow's own query (CC_QUERYPAY, PREPAY_QUERY): its status word unpaid, paid, and partly refunded. */
  ownQuery?: { call: (app: FastifyInstance) => Promise<DataObject | undefined>, field: string, unpaid: string, paid: string, partial: string }
}

async function gateway (app: FastifyInstance, action: string, version: string, data: DataObject, expected = 'SUCCESS'): Promise<DataObject> {
  const answer = await callAction(app, action, version, data)
  if (answer.body.rsp_code !== expected) throw new Error(`${action}: ${answer.body.rsp_code} ${answer.body.rsp_msg}`)
  if (answer.schemaProblem !== undefined) throw new Error(`${action} answer: ${answer.schemaProblem}`)
  return answer.data!
}

const pathOf = (url: unknown) => { const u = new URL(String(url)); return u.pathname + u.search }
const b64 = (text: string) => Buffer.from(text).toString('base64')

async function openLink (app: FastifyInstance, url: string): Promise<string> {
  const res = await app.inject(url)
  if (res.statusCode !== 302) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return pathOf(res.headers.location)
}

const link = (kind: string, orderId: string) => {
  const query = new URLSearchParams({ merCode: MERCHANT.mer_code!, merchantId: MERCHANT.merchant_id, orderId, operId: '0000020156', amount: '1000' })
  if (kind === 'h5Pay') {
    query.delete('merchantId')
    query.set('newURL', 'https://merchant.example/wx/done')
  } else {
    query.set('returnURL', b64('https://merchant.example/result'))
  }
  query.set('notifyURL', b64('https://merchant.example/callback'))
  return `/${kind}?${query.toString()}`
}

const FLOWS: Flow[] = [
  { name: 'ACTIVEPAY', orderId: 'L-AP', amount: '1000', create: async (app) => { await gateway(app, 'ACTIVEPAY', '1.0', activePayData({ order_id: 'L-AP', amount: '1000' })); return undefined } },
  { name: 'H5PAY (payer on the MWEB page)', orderId: 'L-H5', amount: '1000', create: async (app) => pathOf((await gateway(app, 'H5PAY', '2.0', h5PayData({ order_id: 'L-H5', amount: '1000' }))).payinfo) },
  { name: 'MAPPPAY 1.1', orderId: 'L-MP11', amount: '1000', create: async (app) => { await gateway(app, 'MAPPPAY', '1.1', mappPayData({ order_id: 'L-MP11', amount: '1000' })); return undefined } },
  { name: 'MAPPPAY 1.0', orderId: 'L-MP10', amount: '1000', create: async (app) => { await gateway(app, 'MAPPPAY', '1.0', mappPayData({ order_id: 'L-MP10', amount: '1000' })); return undefined } },
  {
    name: 'PASSIVEPAY (password needed, then paid)',
    orderId: 'L-PP',
    amount: '1000',
    create: async (app) => { await gateway(app, 'PASSIVEPAY', '1.0', passivePayData({ order_id: 'L-PP', amount: '1000', auth_code: '130000000000000003' }), 'PWD_INCORRECT'); return undefined }
  },
  {
    name: 'CC_PURCHASE (payer on the UnionPay page)',
    orderId: 'L-CC',
    amount: '1000',
    create: async (app) => pathOf((await gateway(app, 'CC_PURCHASE', '2.0', cardData({ orderId: 'L-CC', txnAmt: '1000' }))).codeUrl),
    ownQuery: { call: async (app) => (await callAction(app, 'CC_QUERYPAY', '2.0', { orderId: 'L-CC' })).data, field: 'order_status', unpaid: 'init', paid: 'success', partial: 'partial_refunded' }
  },
  {
    name: 'PREPAY_INIT (payer on the checkout page)',
    orderId: 'L-CO',
    amount: '1000',
    create: async (app) => pathOf((await gateway(app, 'PREPAY_INIT', '2.0', prepayInitData({ prepay_order_id: 'L-CO', amount: '1000' }))).payinfo),
    ownQuery: { call: async (app) => (await callAction(app, 'PREPAY_QUERY', '2.0', { prepay_order_id: 'L-CO', merchant_id: MERCHANT.merchant_id })).data, field: 'status', unpaid: 'PROCESSING', paid: 'SUCCESS', partial: 'SUCCESS' }
  },
  { name: '/webPay link', orderId: 'L-WEB', amount: '1000', create: (app) => openLink(app, link('webPay', 'L-WEB')) },
  { name: '/wapPay link', orderId: 'L-WAP', amount: '1000', create: (app) => openLink(app, link('wapPay', 'L-WAP')) },
  { name: '/h5Pay link', orderId: 'L-H5L', amount: '1000', create: (app) => openLink(app, link('h5Pay', 'L-H5L')) }
]

/** The payer pays on the page (the checkout page needs a method), or through the control API. */
async function pay (app: FastifyInstance, flow: Flow, page: string | undefined): Promise<void> {
  if (page === undefined) return payNow(app, flow.orderId)
  const res = page.startsWith('/sandbox/pay/checkout/')
    ? await app.inject({ method: 'POST', url: page, payload: 'method=ALIPAY&choice=pay', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    : await choose(app, page, 'pay')
  if (res.statusCode !== 200) throw new Error(`paying on ${page}: ${res.statusCode}`)
}

for (const flow of FLOWS) {
  t.test(`${flow.name}: create → query → pay → query → partial refund → query → full refund → query`, async (t) => {
    const { app, store } = await build(t)
    const status = async () => (await statusQuery(app, flow.orderId)).data?.order_status

    const page = await flow.create(app)
    t.equal(await status(), 'init', 'created unpaid')
    if (flow.ownQuery !== undefined) t.equal((await flow.ownQuery.call(app))?.[flow.ownQuery.field], flow.ownQuery.unpaid)

    await pay(app, flow, page)
    const paid = await statusQuery(app, flow.orderId)
    t.equal(paid.data?.order_status, 'success', 'paid')
    t.equal(paid.data?.amount, flow.amount)
    t.match(paid.data?.finish_time, /^\d{14}$/)
    if (flow.ownQuery !== undefined) t.equal((await flow.ownQuery.call(app))?.[flow.ownQuery.field], flow.ownQuery.paid)
    const callbacks = store.callbacks.forOrder(MERCHANT.merchant_id, flow.orderId)
    t.ok(flow.name.startsWith('PASSIVEPAY') || callbacks.length === 1, 'the payment callback went out (PASSIVEPAY has no call_back_url here)')

    const partial = await refundCall(app, { ori_order_id: flow.orderId, refund_amt: '400', order_id: `${flow.orderId}-R1` })
    t.equal(partial.body.rsp_code, 'SUCCESS', partial.body.rsp_msg)
    t.equal(partial.schemaProblem, undefined)
    const afterPartial = await statusQuery(app, flow.orderId)
    t.equal(afterPartial.data?.order_status, 'partial_refunded')
    t.equal(afterPartial.data?.refund_amount, '400')
    if (flow.ownQuery !== undefined) t.equal((await flow.ownQuery.call(app))?.[flow.ownQuery.field], flow.ownQuery.partial, 'the flow\'s own query after a partial refund')

    const full = await refundCall(app, { ori_order_id: flow.orderId, refund_amt: '600' })
    t.equal(full.body.rsp_code, 'SUCCESS', full.body.rsp_msg)
    const afterFull = await statusQuery(app, flow.orderId)
    t.equal(afterFull.data?.order_status, 'refunded')
    t.equal(afterFull.data?.refund_amount, '1000')
    t.equal((await statusQuery(app, `${flow.orderId}-R1`)).data?.ori_order_id, flow.orderId, 'the partial refund is queried by its own id')
    const beyond = await refundCall(app, { ori_order_id: flow.orderId, refund_amt: '1' })
    t.equal(beyond.body.rsp_code, 'PARAM_INVALID', 'nothing beyond the paid amount')
  })
}
