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

/**
 * Every status in the payer's words: the one table the payer pages read, so a payer never sees `init` or `notpay`
 * (those stay in `data-status` for tests and developers). A new status fails to compile until it is named here.
 */
const STATUS_LABEL: Record<OrderStatus, { label: string, refused: string }> = {
  init: { label: 'Waiting for payment', refused: 'the payment could not be completed. Please try again.' },
  success: { label: 'Paid', refused: 'this order is already paid.' },
  fail: { label: 'Declined', refused: 'this payment was declined or closed and can no longer be paid.' },
  notpay: { label: 'Cancelled or expired', refused: 'this payment was cancelled or has expired and can no longer be paid.' },
  authorised: { label: 'Paid (authorised)', refused: 'this order is already paid (authorised).' },
  partial_refunded: { label: 'Partly refunded', refused: 'this order is already paid (and partly refunded).' },
  refunded: { label: 'Refunded', refused: 'this order is already paid (and refunded).' }
}

/** `pay` → "Payment completed". */
export function choiceOutcome (choice: PayerChoice): string {
  return OUTCOME_TEXT[choice]
}

/** What happened, read from the order's status after the choice: `fail` → "Payment declined"; else the status. */
export function statusOutcome (status: OrderStatus): string {
  const choice = CHOICE_OF_STATUS[status]
  return choice === undefined ? status : OUTCOME_TEXT[choice]
}

/** `init` → "Waiting for payment", `notpay` → "Cancelled or expired": a status as the payer reads it. */
export function statusLabel (status: OrderStatus): string {
  // A stored order always holds a known status; anything else is shown as it is rather than failing the page.
  return STATUS_LABEL[status]?.label ?? status
}

/**
 * Why a refused choice changed nothing, in the payer's words, from the order's status now: `success` → "this order
 * is already paid." The precise reason (ids, codes, magic amounts) is for developers, shown apart.
 */
export function refusalText (status: OrderStatus): string {
  return STATUS_LABEL[status]?.refused ?? STATUS_LABEL.init.refused
}
