import { Type } from '@sinclair/typebox'
import { GatewayError } from '../../domain/errors.js'
import { scaleRate } from '../../domain/rates.js'
import { defineAction } from '../action.js'

export const ExRateQueryDataSchema = Type.Object({
  fee_type: Type.String({
    pattern: '^[A-Z]{3}$',
    errorMessage: 'must be an ISO-4217 currency code in capitals, such as "USD"',
    description: 'Currency type: the ISO-4217 code whose rate to CNY is asked; surrounding spaces ignored'
  })
}, { $id: 'ExRateQueryData', additionalProperties: true })

export const ExRateQueryAnswerSchema = Type.Object({
  feeType: Type.String({ pattern: '^[A-Z]{3}$', description: 'The currency asked (note the casing: request fee_type, answer feeType)' }),
  rate: Type.String({ pattern: '^[0-9]+$', description: 'CNY per unit of the currency, scaled by 10^8: 6.5 is "650000000" (from fixtures/rates.json)' })
}, { $id: 'ExRateQueryAnswer', additionalProperties: false })

/** EX_RATE_QUERY 1.0: the exchange rate of a currency to CNY, from the fixtures (not market data). */
export default defineAction({
  action: 'EX_RATE_QUERY',
  versions: ['1.0'],
  summary: 'Exchange rate of a currency to CNY (fixtures/rates.json)',
  trim: ['fee_type'],
  data: ExRateQueryDataSchema,
  answer: ExRateQueryAnswerSchema,
  async handle (ctx, data) {
    const rate = ctx.rates.rates[data.fee_type]
    if (rate === undefined) {
      const known = Object.keys(ctx.rates.rates).join(', ')
      throw new GatewayError('PARAM_INVALID', `fee_type ${data.fee_type} has no exchange rate in the sandbox (rates.json knows: ${known === '' ? 'none' : known})`)
    }
    return { feeType: data.fee_type, rate: scaleRate(rate) }
  }
})
