import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { parseDuration } from './duration.js'

/** One magic outcome of `fixtures/outcomes.json`, like the hosted sandboxes' magic amounts. */
export const OutcomeSchema = Type.Union([
  Type.Object({ outcome: Type.Literal('decline'), description: Type.String() }),
  Type.Object({ outcome: Type.Literal('never_pay'), description: Type.String() }),
  Type.Object({ outcome: Type.Literal('autopay'), after: Type.String(), description: Type.String() }),
  Type.Object({ outcome: Type.Literal('duplicate_callback'), description: Type.String() }),
  Type.Object({ outcome: Type.Literal('callback_timeouts'), attempts: Type.Integer({ minimum: 1, maximum: 20 }), description: Type.String() })
])

export const OutcomesFileSchema = Type.Object({
  description: Type.Optional(Type.String()),
  by_amount_suffix: Type.Record(Type.String({ pattern: '^[0-9]{2}$' }), OutcomeSchema)
})

export type Outcome = Static<typeof OutcomeSchema>
export type OutcomesFile = Static<typeof OutcomesFileSchema>

export const checkOutcomesFile = TypeCompiler.Compile(OutcomesFileSchema)

/** Problems a schema cannot see: durations that do not parse. */
export function outcomeProblem (file: OutcomesFile): string | undefined {
  for (const [suffix, outcome] of Object.entries(file.by_amount_suffix)) {
    if (outcome.outcome === 'autopay' && parseDuration(outcome.after) === undefined) {
      return `by_amount_suffix.${suffix}.after must be a duration such as 2s or 500ms, got "${outcome.after}"`
    }
  }
  return undefined
}

/** The magic outcome for an amount in cents, by its last two digits; undefined for a normal order. */
export function outcomeFor (file: OutcomesFile, amount: string): Outcome | undefined {
  return file.by_amount_suffix[amount.padStart(2, '0').slice(-2)]
}
