import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { parseDuration } from '../platform/duration.js'

/** One magic outcome of `fixtures/outcomes.json`, like the hosted sandboxes' magic amounts. */
export const OutcomeSchema = Type.Union([
  Type.Object({ outcome: Type.Literal('decline'), description: Type.String() }),
  Type.Object({ outcome: Type.Literal('never_pay'), description: Type.String() }),
  Type.Object({ outcome: Type.Literal('autopay'), after: Type.String(), description: Type.String() }),
  Type.Object({ outcome: Type.Literal('duplicate_callback'), description: Type.String() }),
  Type.Object({ outcome: Type.Literal('callback_timeouts'), attempts: Type.Integer({ minimum: 1, maximum: 20 }), description: Type.String() })
])

/**
 * What a magic PASSIVEPAY auth code does instead of paying at once: the wallet declines it, the payer confirms
 * `after` a while (default {@link DEFAULT_CONFIRM_AFTER}), or the wallet asks the payer for a password.
 */
export const AuthCodeOutcomeSchema = Type.Union([
  Type.Object({ outcome: Type.Literal('decline'), description: Type.String() }),
  Type.Object({ outcome: Type.Literal('processing'), after: Type.Optional(Type.String()), description: Type.String() }),
  Type.Object({ outcome: Type.Literal('password'), description: Type.String() })
])

export const OutcomesFileSchema = Type.Object({
  description: Type.Optional(Type.String()),
  by_amount_suffix: Type.Record(Type.String({ pattern: '^[0-9]{2}$' }), OutcomeSchema),
  // Optional: outcome files written before PASSIVEPAY existed stay valid.
  by_auth_code: Type.Optional(Type.Record(Type.String(), AuthCodeOutcomeSchema))
})

export type Outcome = Static<typeof OutcomeSchema>
export type AuthCodeOutcome = Static<typeof AuthCodeOutcomeSchema>
export type OutcomesFile = Static<typeof OutcomesFileSchema>

export const checkOutcomesFile = TypeCompiler.Compile(OutcomesFileSchema)

/** How long a `processing` auth code keeps the payer confirming when the file gives no `after`. */
export const DEFAULT_CONFIRM_AFTER = '5s'

/** PASSIVEPAY accepts auth codes of 16 to 24 digits: a magic code outside that could never be sent. */
const AUTH_CODE = /^[0-9]{16,24}$/

function durationProblem (where: string, after: string | undefined): string | undefined {
  if (after === undefined || parseDuration(after) !== undefined) return undefined
  return `${where}.after must be a duration such as 2s or 500ms, got "${after}"`
}

/** Problems a schema cannot see: durations that do not parse, auth codes no request could carry. */
export function outcomeProblem (file: OutcomesFile): string | undefined {
  for (const [suffix, outcome] of Object.entries(file.by_amount_suffix)) {
    const problem = outcome.outcome === 'autopay' ? durationProblem(`by_amount_suffix.${suffix}`, outcome.after) : undefined
    if (problem !== undefined) return problem
  }
  for (const [code, outcome] of Object.entries(file.by_auth_code ?? {})) {
    if (!AUTH_CODE.test(code)) return `by_auth_code keys must be auth codes of 16 to 24 digits, got "${code}"`
    const problem = outcome.outcome === 'processing' ? durationProblem(`by_auth_code.${code}`, outcome.after) : undefined
    if (problem !== undefined) return problem
  }
  return undefined
}

/**
 * The amount whose last two digits pick an order's magic outcome: what the merchant asked for, before H5PAY adds a
 * convenience fee (else a 1-cent fee would turn every round amount into magic 01).
 */
export function magicAmount (order: { amount: string, details?: Record<string, string> }): string {
  return order.details?.requested_amount ?? order.amount
}

/** The magic outcome for an amount in cents, by its last two digits; undefined for a normal order. */
export function outcomeFor (file: OutcomesFile, amount: string): Outcome | undefined {
  return file.by_amount_suffix[amount.padStart(2, '0').slice(-2)]
}

/** The magic outcome of a PASSIVEPAY auth code (exact match); undefined for a code that pays normally. */
export function authCodeOutcomeFor (file: OutcomesFile, authCode: string): AuthCodeOutcome | undefined {
  const table = file.by_auth_code
  return table !== undefined && Object.hasOwn(table, authCode) ? table[authCode] : undefined
}
