import type { OrderStatus } from '../../domain/orders/order.js'
import type { PayerChoice } from '../../engine/orders/payer-choice.js'

/** What the payer reads after a choice went through. */
const OUTCOME_TEXT: Record<PayerChoice, string> = {
  pay: 'Payment completed',
  decline: 'Payment declined',
  cancel: 'Payment cancelled'
}

// The status each choice leaves the order in; a magic amount can turn "pay" into a decline, so the checkout reads it.
const CHOICE_OF_STATUS: Partial<Record<OrderStatus, PayerChoice>> = { success: 'pay', fail: 'decline', notpay: 'cancel' }

/** `pay` → "Payment completed". */
export function choiceOutcome (choice: PayerChoice): string {
  return OUTCOME_TEXT[choice]
}

/** What happened, read from the order's status after the choice: `fail` → "Payment declined"; else the status. */
export function statusOutcome (status: OrderStatus): string {
  const choice = CHOICE_OF_STATUS[status]
  return choice === undefined ? status : OUTCOME_TEXT[choice]
}
