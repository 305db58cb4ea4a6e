import { Type } from '@sinclair/typebox'

/** Field schemas shared by the actions, each with the words a rejection uses. */

/** The order id as the card pages spell it, `orderId`, read as `order_id` (STATUS_QUERY, REFUND, PREPAY_QUERY; reference §24 item 2). */
export const ORDER_ID_SPELLINGS = { aliases: { orderId: 'order_id' } } as const

export const Cents = (description: string) => Type.String({
  pattern: '^(?!0+$)[0-9]{1,12}$',
  errorMessage: 'must be a whole number of cents greater than 0, as a string of digits ("100" for 1.00)',
  description
})

export const OptionalCents = (description: string) => Type.String({
  pattern: '^[0-9]{0,12}$',
  errorMessage: 'must be a whole number of cents as a string of digits ("0" or "100")',
  description
})

export const OrderId = (description: string) => Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  errorMessage: 'must be 1 to 64 letters, digits, "-" or "_"',
  description
})

export const OperatorId = Type.String({
  pattern: '^[0-9]{1,20}$',
  errorMessage: 'must be the operator number issued by OTT Pay (digits, e.g. "0000020156")',
  description: 'Operator ID provided by OTT Pay'
})

export const HttpUrl = (description: string) => Type.String({
  format: 'http-url',
  maxLength: 2048,
  errorMessage: 'must be an absolute http(s) URL',
  description
})

/** An enum of string constants, with a message listing them. */
export const OneOf = <T extends string>(values: readonly T[], description: string) => Type.Union(
  values.map((value) => Type.Literal(value)),
  { errorMessage: `must be one of ${values.map((v) => `"${v}"`).join(', ')}`, description }
)
