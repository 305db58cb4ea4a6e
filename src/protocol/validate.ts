import { FormatRegistry, type TSchema, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors'
import { maskQuotedValue } from '../domain/card-numbers.js'

// Absolute http(s) URLs only: the sandbox must be able to call them back.
FormatRegistry.Set('http-url', (value) => {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
})

/** A compiled schema whose first failure is said in words that name the field. */
export interface Validator<T extends TSchema> {
  schema: T
  /** Undefined when valid, otherwise e.g. `amount is required`. */
  problem(value: unknown): string | undefined
  is(value: unknown): value is Static<T>
}

/** The field a failure is about, from its JSON pointer: `/amount` → `amount`, `/items/0` → `items[0]`. */
function fieldOf (error: ValueError): string {
  return error.path.slice(1).split('/').map((part) => /^\d+$/.test(part) ? `[${part}]` : part).join('.').replace(/\.\[/g, '[')
}

function describe (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') {
    // Masked before it is cut: a card number in a field that rejected it, cut in two, would escape the masking.
    const masked = maskQuotedValue(value)
    return JSON.stringify(masked.length > 40 ? masked.slice(0, 40) + '…' : masked)
  }
  if (typeof value === 'object') return 'an object'
  return `${typeof value} ${String(value)}`
}

/** One failure in words. Schemas may carry `errorMessage` to say what a valid value looks like. */
export function explain (error: ValueError): string {
  const field = fieldOf(error)
  const custom = (error.schema as { errorMessage?: string }).errorMessage
  if (error.type === ValueErrorType.ObjectRequiredProperty || (error.value === undefined && field !== '')) {
    return `${field} is required`
  }
  if (custom !== undefined) return `${field} ${custom}, got ${describe(error.value)}`
  const where = field === '' ? 'body' : field
  return `${where}: ${error.message.toLowerCase()}, got ${describe(error.value)}`
}

export function compile<T extends TSchema> (schema: T): Validator<T> {
  const check = TypeCompiler.Compile(schema)
  return {
    schema,
    problem (value) {
      // The compiled check is cheap; the errors are collected only for data that fails it.
      if (check.Check(value)) return undefined
      // Required-property errors first: "amount is required" says more than a type error on a sibling.
      const errors = [...check.Errors(value)]
      if (errors.length === 0) return undefined
      const missing = errors.find((e) => e.type === ValueErrorType.ObjectRequiredProperty)
      return explain(missing ?? errors[0]!)
    },
    is: (value): value is Static<T> => check.Check(value)
  }
}
