import t from 'tap'
import { ORDER_STATUSES } from '../../src/domain/orders/order.js'
import { PAYER_CHOICES } from '../../src/engine/orders/payer-choice.js'
import { choiceOutcome, refusalText, statusLabel, statusOutcome } from '../../src/views/payer/outcome.js'

t.test('one table of outcomes: by the payer\'s choice, or by the status the choice left', async (t) => {
  t.same(PAYER_CHOICES.map(choiceOutcome), ['Payment completed', 'Payment declined', 'Payment cancelled'])
  t.same(Object.fromEntries(ORDER_STATUSES.map((s) => [s, statusOutcome(s)])), {
    init: 'init',
    success: 'Payment completed',
    fail: 'Payment declined',
    notpay: 'Payment cancelled',
    authorised: 'authorised',
    partial_refunded: 'partial_refunded',
    refunded: 'refunded'
  }, 'a status no choice leaves is shown as it is')
})

t.test('one table of statuses in the payer\'s words: never init or notpay', async (t) => {
  t.same(Object.fromEntries(ORDER_STATUSES.map((s) => [s, statusLabel(s)])), {
    init: 'Waiting for payment',
    success: 'Paid',
    fail: 'Declined',
    notpay: 'Cancelled or expired',
    authorised: 'Paid (authorised)',
    partial_refunded: 'Partly refunded',
    refunded: 'Refunded'
  })
  t.equal(refusalText('success'), 'this order is already paid.')
  for (const status of ORDER_STATUSES) {
    t.notMatch(refusalText(status), /init|notpay|success|partial_refunded|[A-Z]{4,}/, `${status}: no status code or internal code in the refusal`)
  }
})
