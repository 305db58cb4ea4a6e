/**
 * Stored orders shaped like the ones the gateway writes (src/engine/orders/create-order.ts, payments.ts): ACTIVEPAY
 * wallet orders with their request, answer and status history, and for paid or declined orders the delivered
 * callback with its sealed body and attempt, so the store holds what months of CI history would hold.
 */
import { seal } from '../dist/crypto/index.js'

const MERCHANTS = [
  { id: 'QC00005496', key: 'SANDBOXKEY000001', currency: 'CAD', operators: ['0000020156', '0000020157'], share: 60 },
  { id: 'ON00000097', key: 'SANDBOXKEY000002', currency: 'CAD', operators: ['0000020156'], share: 25 },
  { id: 'AB00000004', key: 'FAKE-SIGN-KEY-USD-0004', currency: 'USD', operators: ['0000000005'], share: 15 }
]
const WALLETS = [
  { method: 'WECHATPAY', prefix: 'WX', codeUrl: (t) => `weixin://wxpay/bizpayurl?pr=${t}` },
  { method: 'ALIPAY', prefix: 'AP', codeUrl: (t) => `https://qr.alipay.com/bax0${t.toLowerCase()}` },
  { method: 'UNIONPAY', prefix: 'UP', codeUrl: (t) => `https://qr.95516.com/00010000/${t}` }
]
const CALLBACK_URL = 'https://merchant.example/ottpay/callback'
const MINUTE = 60_000
/** How long the seeded history spans, ending a few minutes before the bench. */
const SPAN_MS = 30 * 24 * 60 * MINUTE
const ORDER_EXPIRY_MS = 120 * MINUTE

const iso = (ms) => new Date(ms).toISOString()
/** `yyyyMMddHHmmss` in Beijing time (UTC+8), as `finish_time` is written. */
const beijing = (ms) => new Date(ms + 8 * 60 * MINUTE).toISOString().replace(/\D/g, '').slice(0, 14)
const digits = (i, width) => String(i).padStart(width, '0').slice(-width)
/** Ids that look like the generated ones and never collide within a seed. */
const token = (i, width) => (i * 2654435761 % 4294967296).toString(36).toUpperCase().padStart(7, '0') + i.toString(36).padStart(width - 7, '0')

function merchantOf (i) {
  let slot = i % 100
  for (const merchant of MERCHANTS) {
    if (slot < merchant.share) return merchant
    slot -= merchant.share
  }
  return MERCHANTS[0]
}

/**
 * What became of the order, in the proportions a CI history has: most paid, some expired or declined, a few
 * refunded, and a few still open when `mixOpen` (only recent ones: an open order older than ORDER_EXPIRY would
 * have expired).
 */
function fateOf (i, ageMs, mixOpen) {
  const slot = i * 37 % 100
  if (slot < 2) return mixOpen && ageMs < 90 * MINUTE ? 'init' : 'notpay'
  if (slot < 14) return 'notpay'
  if (slot < 22) return 'fail'
  if (slot < 27) return 'refunded'
  if (slot < 30) return 'partial_refunded'
  return 'success'
}

function deliveryFor (order, i, at, kind) {
  const merchant = MERCHANTS.find((m) => m.id === order.merchant_id)
  const inner = {
    finish_time: order.finish_time ?? beijing(at),
    order_id: order.order_id,
    amount: order.amount,
    tip: order.tip,
    bizpay_order_id: order.bizpay_order_id,
    merchant_id: order.merchant_id
  }
  const code = kind === 'payment' ? 'SUCCESS' : 'FAIL'
  return {
    id: 'cb_' + token(i, 21),
    merchant_id: order.merchant_id,
    order_id: order.order_id,
    kind,
    url: order.notify_url,
    body: { rsp_code: code, rsp_msg: code === 'SUCCESS' ? 'success' : 'failure.', merchant_id: order.merchant_id, ...seal(inner, merchant.key) },
    status: 'delivered',
    created_at: iso(at),
    next_attempt_at: null,
    attempts: [{ n: 1, at: iso(at), url: order.notify_url, status: 200, error: null, latency_ms: 3 + i % 40, reply: 'SUCCESS', delivered: true }],
    simulate_timeouts: 0,
    duplicate_of: null
  }
}

/**
 * Whether the i-th order is open when `openShare` of them are: of `count` orders, `Math.floor(count * openShare)`
 * are, spread evenly through the history (every other order at 0.5).
 */
export function isOpen (i, openShare) {
  // The epsilon keeps a share such as 50000 / 100000 from losing its last order to rounding.
  return Math.floor((i + 1) * openShare + 1e-9) > Math.floor(i * openShare + 1e-9)
}

/**
 * The i-th of `count` seeded orders (oldest first), with its callback delivery when one was sent.
 * `now` is the bench's start: the newest order is 5 minutes old.
 *
 * `openShare` (phase (e)): that share of the orders is open (`init`, no callback), created within the hour before
 * `now` so that none expires (ORDER_EXPIRY, 2 h by default) while the bench runs and, with AUTOPAY_AFTER off, none
 * is paid: each one sits in the scheduler's queue. The other orders are then all closed. Without it, a few recent
 * orders are open, as in a CI history.
 */
export function seededOrder (i, count, now, { openShare } = {}) {
  const open = openShare !== undefined && isOpen(i, openShare)
  const created = open
    ? now - 5 * MINUTE - (i * 7919 % 3600) * 1000
    : now - 5 * MINUTE - Math.round((count - 1 - i) * SPAN_MS / Math.max(count, 1))
  const merchant = merchantOf(i)
  const wallet = WALLETS[i % WALLETS.length]
  const orderId = 'SEED' + digits(i, 20)
  const amount = String(100 + (i * 7 % 500) * 10)
  const operator = merchant.operators[i % merchant.operators.length]
  const request = { order_id: orderId, operator_id: operator, amount, biz_type: wallet.method, call_back_url: CALLBACK_URL }
  const bizpay = wallet.prefix + digits(i * 7919 + 1, 16)
  const codeUrl = wallet.codeUrl(token(i, 9))
  const order = {
    merchant_id: merchant.id,
    order_id: orderId,
    action: 'ACTIVEPAY',
    version: '1.0',
    method: wallet.method,
    amount,
    tip: '0',
    currency: merchant.currency,
    operator_id: operator,
    notify_url: CALLBACK_URL,
    return_url: null,
    card_masked: null,
    channel: null,
    bizpay_order_id: bizpay,
    code_url: codeUrl,
    page_token: token(i, 21),
    status: 'init',
    created_at: iso(created),
    updated_at: iso(created),
    finish_time: null,
    history: [{ at: iso(created), status: 'init', reason: 'created by ACTIVEPAY 1.0' }],
    request,
    response: { bizpay_order_id: bizpay, code_url: codeUrl, order_id: orderId }
  }
  const fate = open ? 'init' : fateOf(i, now - created, openShare === undefined)
  const settled = created + (1 + i % 5) * MINUTE
  const move = (at, status, reason) => {
    order.status = status
    order.updated_at = iso(at)
    order.history.push({ at: iso(at), status, reason })
  }
  let delivery
  if (fate === 'notpay') {
    move(created + ORDER_EXPIRY_MS, 'notpay', `expired unpaid after ORDER_EXPIRY (${ORDER_EXPIRY_MS / 1000} s)`)
  } else if (fate === 'fail') {
    move(settled, 'fail', 'declined through the control API')
    delivery = deliveryFor(order, i, settled, 'declined')
  } else if (fate !== 'init') {
    move(settled, 'success', 'paid through the control API')
    order.finish_time = beijing(settled)
    delivery = deliveryFor(order, i, settled, 'payment')
    if (fate !== 'success') {
      const refundAt = settled + 30 * MINUTE
      const cents = fate === 'refunded' ? Number(amount) : Math.floor(Number(amount) / 2)
      const refundId = 'RFND' + digits(i, 20)
      order.refund_amount = String(cents)
      order.refunds = [{
        refund_id: refundId,
        amount: String(cents),
        bizpay_order_id: wallet.prefix + digits(i * 7919 + 2, 16),
        at: iso(refundAt),
        finish_time: beijing(refundAt),
        reason: 'REFUND 1.0'
      }]
      move(refundAt, fate, `REFUND 1.0: ${cents} cents refunded as ${refundId}, ${Number(amount) - cents} left`)
    }
  }
  return { order, delivery }
}
