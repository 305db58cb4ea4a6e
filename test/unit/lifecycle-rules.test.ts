import t from 'tap'
import { applyPaymentEvent, applyRefund, TransitionError, type PaymentEvent, type TransitionCode } from '../../src/domain/orders/lifecycle.js'
import { ORDER_STATUSES, type Order, type OrderStatus } from '../../src/domain/orders/order.js'
import { order } from '../helpers/store-records.js'

// The order lifecycle's rules as tables: every status × every payment event, and every status × the refund amounts
// that matter. Each row names the resulting status or the TransitionError code.

const NOW = Date.UTC(2026, 0, 15, 4, 30) // 2026-01-15T04:30:00Z, 12:30:00 in Beijing
const IDS = { refund_id: 'RF-1', bizpay_order_id: 'WXRF0001' }
const EVENTS: PaymentEvent[] = ['pay', 'fail', 'expire']

/** A 100-cent order in `status`; `refunded` cents already refunded when given. */
function orderIn (status: OrderStatus, extra: Partial<Order> = {}): Order {
  return order('QC0000TEST', 'LC-1', { status, ...extra })
}

/** Runs `fn`; the TransitionError code it throws, or undefined when it returns. Any other error fails the test. */
function transitionCode (fn: () => unknown): TransitionCode | undefined {
  try {
    fn()
    return undefined
  } catch (err) {
    if (err instanceof TransitionError) return err.code
    throw err
  }
}

type Outcome = { status: OrderStatus } | { code: TransitionCode }

interface PaymentRow {
  status: OrderStatus
  event: PaymentEvent
  action?: string
  expect: Outcome
}

const PAID_STATUSES: OrderStatus[] = ['success', 'authorised', 'partial_refunded', 'refunded']
const CLOSED_STATUSES: OrderStatus[] = ['fail', 'notpay']

const PAYMENT_ROWS: PaymentRow[] = [
  { status: 'init', event: 'pay', expect: { status: 'success' } },
  { status: 'init', event: 'pay', action: 'CC_PREAUTH', expect: { status: 'authorised' } },
  { status: 'init', event: 'fail', expect: { status: 'fail' } },
  { status: 'init', event: 'fail', action: 'CC_PREAUTH', expect: { status: 'fail' } },
  { status: 'init', event: 'expire', expect: { status: 'notpay' } },
  { status: 'init', event: 'expire', action: 'CC_PREAUTH', expect: { status: 'notpay' } },
  ...PAID_STATUSES.flatMap((status) => EVENTS.map((event): PaymentRow => ({ status, event, expect: { code: 'ORDER_PAID' } }))),
  ...CLOSED_STATUSES.flatMap((status) => EVENTS.map((event): PaymentRow => ({ status, event, expect: { code: 'ORDER_CLOSED' } })))
]

t.test('the payment table covers every status × every event', async (t) => {
  for (const status of ORDER_STATUSES) {
    for (const event of EVENTS) {
      t.ok(PAYMENT_ROWS.some((row) => row.status === status && row.event === event && row.action === undefined), `${status} × ${event}`)
    }
  }
})

t.test('applyPaymentEvent', async (t) => {
  for (const row of PAYMENT_ROWS) {
    const name = `${row.status} × ${row.event}${row.action === undefined ? '' : ` (${row.action})`}`
    const subject = orderIn(row.status, row.action === undefined ? {} : { action: row.action })
    const before = structuredClone(subject)
    const code = transitionCode(() => applyPaymentEvent(subject, row.event, NOW, 'test'))
    if ('code' in row.expect) {
      t.equal(code, row.expect.code, `${name} → ${row.expect.code}`)
      t.same(subject, before, `${name}: the refused order is untouched`)
      continue
    }
    t.equal(code, undefined, `${name} is allowed`)
    t.equal(subject.status, row.expect.status, `${name} → ${row.expect.status}`)
    t.equal(subject.updated_at, new Date(NOW).toISOString(), `${name}: updated_at`)
    t.same(subject.history.at(-1), { at: new Date(NOW).toISOString(), status: row.expect.status, reason: 'test' }, `${name}: history`)
    t.equal(subject.finish_time, row.event === 'pay' ? '20260115123000' : null, `${name}: finish_time only when paid`)
  }
})

interface RefundRow {
  name: string
  status: OrderStatus
  /** Cents already refunded. */
  refunded?: string
  action?: string
  /** Cents asked for; undefined asks for what is left. */
  amount: string | undefined
  expect: Outcome & { refundedTotal?: string, refundAmount?: string }
}

const REFUND_ROWS: RefundRow[] = [
  // Orders that were never paid.
  ...(['init', 'fail', 'notpay'] as const).map((status): RefundRow => ({ name: `${status}: not paid`, status, amount: '10', expect: { code: 'ORDER_NOT_PAID' } })),
  { name: 'init: not paid, no amount', status: 'init', amount: undefined, expect: { code: 'ORDER_NOT_PAID' } },
  // A pre-authorisation is never refunded, whatever the amount.
  { name: 'authorised: partial', status: 'authorised', action: 'CC_PREAUTH', amount: '10', expect: { code: 'ORDER_TYPE_ERROR' } },
  { name: 'authorised: full', status: 'authorised', action: 'CC_PREAUTH', amount: '100', expect: { code: 'ORDER_TYPE_ERROR' } },
  { name: 'authorised: no amount', status: 'authorised', action: 'CC_PREAUTH', amount: undefined, expect: { code: 'ORDER_TYPE_ERROR' } },
  { name: 'authorised: too much', status: 'authorised', action: 'CC_PREAUTH', amount: '101', expect: { code: 'ORDER_TYPE_ERROR' } },
  { name: 'authorised: zero', status: 'authorised', action: 'CC_PREAUTH', amount: '0', expect: { code: 'ORDER_TYPE_ERROR' } },
  // A paid order.
  { name: 'success: partial', status: 'success', amount: '40', expect: { status: 'partial_refunded', refundAmount: '40', refundedTotal: '40' } },
  { name: 'success: 1 cent', status: 'success', amount: '1', expect: { status: 'partial_refunded', refundAmount: '1', refundedTotal: '1' } },
  { name: 'success: one cent short of full', status: 'success', amount: '99', expect: { status: 'partial_refunded', refundAmount: '99', refundedTotal: '99' } },
  { name: 'success: full', status: 'success', amount: '100', expect: { status: 'refunded', refundAmount: '100', refundedTotal: '100' } },
  { name: 'success: no amount refunds it all', status: 'success', amount: undefined, expect: { status: 'refunded', refundAmount: '100', refundedTotal: '100' } },
  { name: 'success: too much', status: 'success', amount: '101', expect: { code: 'REFUND_EXCEEDS' } },
  { name: 'success: zero', status: 'success', amount: '0', expect: { code: 'REFUND_EXCEEDS' } },
  { name: 'success: negative', status: 'success', amount: '-5', expect: { code: 'REFUND_EXCEEDS' } },
  { name: 'success (stored as refund_amount 0): full', status: 'success', refunded: '0', amount: '100', expect: { status: 'refunded', refundAmount: '100', refundedTotal: '100' } },
  // A partly refunded order: 40 of 100 cents refunded, 60 left.
  { name: 'partial_refunded: another partial', status: 'partial_refunded', refunded: '40', amount: '59', expect: { status: 'partial_refunded', refundAmount: '59', refundedTotal: '99' } },
  { name: 'partial_refunded: the rest', status: 'partial_refunded', refunded: '40', amount: '60', expect: { status: 'refunded', refundAmount: '60', refundedTotal: '100' } },
  { name: 'partial_refunded: no amount refunds the rest', status: 'partial_refunded', refunded: '40', amount: undefined, expect: { status: 'refunded', refundAmount: '60', refundedTotal: '100' } },
  { name: 'partial_refunded: more than is left', status: 'partial_refunded', refunded: '40', amount: '61', expect: { code: 'REFUND_EXCEEDS' } },
  { name: 'partial_refunded: more than was paid', status: 'partial_refunded', refunded: '40', amount: '100', expect: { code: 'REFUND_EXCEEDS' } },
  { name: 'partial_refunded: zero', status: 'partial_refunded', refunded: '40', amount: '0', expect: { code: 'REFUND_EXCEEDS' } },
  // A fully refunded order has nothing left.
  { name: 'refunded: 1 cent more', status: 'refunded', refunded: '100', amount: '1', expect: { code: 'REFUND_EXCEEDS' } },
  { name: 'refunded: no amount', status: 'refunded', refunded: '100', amount: undefined, expect: { code: 'REFUND_EXCEEDS' } },
  { name: 'refunded: zero', status: 'refunded', refunded: '100', amount: '0', expect: { code: 'REFUND_EXCEEDS' } }
]

t.test('the refund table covers every status', async (t) => {
  for (const status of ORDER_STATUSES) t.ok(REFUND_ROWS.some((row) => row.status === status), status)
})

t.test('applyRefund', async (t) => {
  for (const row of REFUND_ROWS) {
    const subject = orderIn(row.status, {
      ...(row.action === undefined ? {} : { action: row.action }),
      ...(row.refunded === undefined ? {} : { refund_amount: row.refunded })
    })
    const before = structuredClone(subject)
    let refund: ReturnType<typeof applyRefund> | undefined
    const code = transitionCode(() => { refund = applyRefund(subject, row.amount, IDS, NOW, 'test refund') })
    if ('code' in row.expect) {
      t.equal(code, row.expect.code, `${row.name} → ${row.expect.code}`)
      t.same(subject, before, `${row.name}: the refused order is untouched`)
      continue
    }
    t.equal(code, undefined, `${row.name} is allowed`)
    t.equal(subject.status, row.expect.status, `${row.name} → ${row.expect.status}`)
    t.equal(refund?.amount, row.expect.refundAmount, `${row.name}: refunds ${row.expect.refundAmount} cents`)
    t.equal(subject.refund_amount, row.expect.refundedTotal, `${row.name}: ${row.expect.refundedTotal} refunded in all`)
    t.same(subject.refunds?.at(-1), refund, `${row.name}: the refund is recorded`)
    t.match(refund, { refund_id: 'RF-1', bizpay_order_id: 'WXRF0001', at: new Date(NOW).toISOString(), finish_time: '20260115123000', reason: 'test refund' })
    t.equal(subject.history.at(-1)?.status, row.expect.status, `${row.name}: history`)
  }
})

t.test('partial refunds add up to the paid amount and no further', async (t) => {
  const subject = orderIn('success')
  for (const [i, cents] of ['30', '30', '40'].entries()) applyRefund(subject, cents, { refund_id: `RF-${i}`, bizpay_order_id: `BZ-${i}` }, NOW, 'step')
  t.equal(subject.status, 'refunded')
  t.equal(subject.refund_amount, '100')
  t.same(subject.refunds?.map((r) => r.refund_id), ['RF-0', 'RF-1', 'RF-2'])
  t.equal(transitionCode(() => applyRefund(subject, '1', IDS, NOW, 'again')), 'REFUND_EXCEEDS')
  t.equal(transitionCode(() => applyPaymentEvent(subject, 'pay', NOW, 'again')), 'ORDER_PAID', 'a refunded order stays paid')
})
