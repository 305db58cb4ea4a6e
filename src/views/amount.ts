import { decimalAmount } from '../domain/orders/return-to-merchant.js'

/** `1234` cents → `12.34 CAD`. */
export function formatAmount (cents: string, currency: string): string {
  return `${decimalAmount(cents)} ${currency}`
}
