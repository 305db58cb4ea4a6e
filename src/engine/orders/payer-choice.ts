import type { Order } from '../../domain/orders/order.js'
import type { Payments } from './payments.js'

/** What a payer can do on a hosted page. */
export const PAYER_CHOICES = ['pay', 'decline', 'cancel'] as const
export type PayerChoice = typeof PAYER_CHOICES[number]

/**
 * Carries out the payer's choice on a hosted page. Pay and Decline fire callbacks through the payments
 * service; Cancel closes the order unpaid (`notpay`), as an abandoned payment that expired.
 */
export function applyPayerChoice (payments: Payments, order: Order, choice: PayerChoice, page: string): Promise<Order> {
  if (choice === 'pay') return payments.pay(order, `paid by the payer on the ${page}`)
  if (choice === 'decline') return payments.decline(order, `declined by the payer on the ${page}`)
  return payments.expire(order, `cancelled by the payer on the ${page}`)
}
