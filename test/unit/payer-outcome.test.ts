import t from 'tap'
import { ORDER_STATUSES } from '../../src/domain/orders/order.js'
import { PAYER_CHOICES } from '../../src/engine/orders/payer-choice.js'
import { choiceOutcome, statusOutcome } from '../../src/views/payer/outcome.js'

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
