import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'

/**
 * `fixtures/rates.json`: what EX_RATE_QUERY answers. Rates are decimal strings (CNY per unit of the currency),
 * readable in the file; the answer carries them scaled by 10^8 as the docs require (6.5 → "650000000").
 */
export const RatesFileSchema = Type.Object({
  description: Type.Optional(Type.String()),
  rates: Type.Record(
    Type.String({ pattern: '^[A-Z]{3}$' }),
    Type.String({ pattern: '^[0-9]{1,6}(\\.[0-9]{1,8})?$', description: 'CNY per unit of the currency, at most 8 decimals' })
  )
})

export type RatesFile = Static<typeof RatesFileSchema>

export const checkRatesFile = TypeCompiler.Compile(RatesFileSchema)

/** `"6.5"` → `"650000000"`: the decimal scaled by 10^8, in exact string arithmetic (no float rounding). */
export function scaleRate (decimal: string): string {
  const [whole = '0', fraction = ''] = decimal.split('.')
  return BigInt(whole + fraction.padEnd(8, '0')).toString()
}
