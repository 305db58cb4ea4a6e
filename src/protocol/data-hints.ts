import type { TSchema } from '@sinclair/typebox'
import { numberHints, type Hint } from '../crypto/index.js'
import type { ActionDefinition } from './action.js'
import { findAction } from './registry.js'
import { UNSIMULATED_FLOWS, unsimulatedFlow, type UnsimulatedFlow } from './unsimulated.js'

/** A hint about the decrypted data, with the field it is about and a short form for the gateway's rsp_msg. */
export interface DataHint extends Hint {
  /** The documented field the hint is about (absent for hints about the data as a whole). */
  field?: string
  /** A few words to append to a rejection's message, e.g. `did you mean fee_type? (the data has "Currency type")`. */
  short?: string
}

export interface DataHintOptions {
  /**
   * Values a field takes besides its schema's enum, e.g. EX_RATE_QUERY's `fee_type`: the currencies of the
   * sandbox's rates (its schema only says "three capitals").
   */
  known?: Readonly<Record<string, readonly string[]>>
  /** The flows the docs describe but the sandbox does not simulate: the sandbox's table unless told (tests give their own). */
  unsimulated?: readonly UnsimulatedFlow[]
}

/** What a hint needs of an action: its name, its data schema and the field-name variants it accepts. */
export type HintedAction = Pick<ActionDefinition, 'action' | 'aliases' | 'trim'> & { data: { schema: TSchema } }

/** One documented field of an action's data, read from its schema. */
interface FieldDoc {
  name: string
  required: boolean
  description: string
  /** The enum's values, when the field is one. */
  values: readonly string[] | undefined
  /** The docs send it as a string. */
  string: boolean
  /** A whole number of cents as a string of digits. */
  cents: boolean
}

/**
 * Other names clients use for a field, from the docs' own variants (reference §24 items 2 and 9, the hosted
 * links' `operId`/`notifyURL`/`returnURL`, Portico's `merId`/`currency`) and wallet APIs (`total_fee`,
 * `out_trade_no`). A key in a group stands for whichever name of the same group the action documents.
 */
const SYNONYMS: ReadonlyArray<readonly string[]> = [
  ['amount', 'txnAmt', 'total_fee', 'total_amount', 'refund_amt', 'refund_amount'],
  ['fee_type', 'currency_type', 'currency'],
  ['call_back_url', 'backUrl', 'callback_url', 'callbackURL', 'notify_url', 'notifyURL'],
  ['frontUrl', 'returnURL', 'return_url', 'redirect_url'],
  ['operator_id', 'operId', 'operator'],
  ['merchant_id', 'merId'],
  ['order_id', 'orderId', 'out_trade_no'],
  ['ori_order_id', 'original_order_id', 'origin_order_id'],
  ['auth_code', 'barcode', 'payment_code']
]

/** Case, spaces, underscores and hyphens folded away: `Fee Type`, `feeType` and `fee_type` are one name. */
function fold (name: string): string {
  return name.toLowerCase().replace(/[\s_.-]+/g, '')
}

/** The words of a name or description: `Currency type`, `currencyType` → currency, type. */
function words (text: string): string[] {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '')
}

/** Damerau-Levenshtein distance (optimal string alignment): insertions, deletions, substitutions, adjacent swaps. */
export function editDistance (a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_v, i) => [i])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[a.length]![b.length]!
}

/** How many edits still read as a typo of a name this long: none for 1 or 2 characters, 1 up to 5, 2 beyond. */
function typoBudget (length: number): number {
  return length <= 2 ? 0 : length <= 5 ? 1 : 2
}

function valuesOf (schema: Record<string, unknown>): string[] | undefined {
  if (typeof schema.const === 'string') return [schema.const]
  const anyOf = schema.anyOf as Array<Record<string, unknown>> | undefined
  if (anyOf === undefined || !anyOf.every((s) => typeof s.const === 'string')) return undefined
  return anyOf.map((s) => s.const as string)
}

/** The shapes of a union schema (CC_PURCHASE's card channels), or the schema itself as its one shape. */
export function shapesOf (schema: TSchema): TSchema[] {
  const shapes = schema.anyOf as TSchema[] | undefined
  return shapes === undefined || shapes.length === 0 ? [schema] : shapes
}

function constOf (shape: TSchema, name: string): string | undefined {
  const field = (shape.properties as Record<string, Record<string, unknown>> | undefined)?.[name]
  return typeof field?.const === 'string' ? field.const : undefined
}

/**
 * The field that tells a union's shapes apart (CC_PURCHASE's `channelType`): the first field of the first shape
 * that every shape has as a constant, each a different one. Undefined for a schema of one shape.
 */
export function discriminantOf (schema: TSchema): string | undefined {
  const shapes = shapesOf(schema)
  if (shapes.length < 2) return undefined
  return Object.keys((shapes[0]!.properties ?? {}) as object).find((name) => {
    const values = shapes.map((shape) => constOf(shape, name))
    return values.every((v) => v !== undefined) && new Set(values).size === shapes.length
  })
}

/** The discriminant's value in each shape, in the shapes' order (`channelType`: UPAYONLINE, ELAVONECOM, PORTICOECOM). */
function discriminantValues (schema: TSchema, discriminant: string): string[] {
  return shapesOf(schema).map((shape) => constOf(shape, discriminant)!)
}

/**
 * The object schema the data is read against: for a union of shapes, the shape whose discriminant constant the
 * data names or nearly names (spaces, case, a typo: `"ELAVONCOM"` is Converge) under the discriminant or, when
 * that key is missing, under any key (a misspelt `channelType`); else the first shape, which is what the card
 * actions validate an unknown channel with.
 */
export function shapeFor (schema: TSchema, data: Readonly<Record<string, unknown>>): TSchema {
  const shapes = shapesOf(schema)
  const discriminant = discriminantOf(schema)
  if (discriminant === undefined) return shapes[0]!
  const values = (discriminant in data ? [data[discriminant]] : Object.values(data))
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.trim().toUpperCase())
  let best: { shape: TSchema, distance: number } | undefined
  for (const shape of shapes) {
    const constant = constOf(shape, discriminant)!.toUpperCase()
    const budget = typoBudget(constant.length)
    for (const value of values) {
      if (Math.abs(value.length - constant.length) > budget) continue
      const distance = editDistance(value, constant)
      if (distance <= budget && (best === undefined || distance < best.distance)) best = { shape, distance }
    }
  }
  return best?.shape ?? shapes[0]!
}

function fieldsOf (schema: TSchema): FieldDoc[] {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>
  const required = new Set<string>((schema.required as string[] | undefined) ?? [])
  return Object.entries(properties).map(([name, s]) => {
    const values = valuesOf(s)
    const errorMessage = typeof s.errorMessage === 'string' ? s.errorMessage : ''
    return {
      name,
      required: required.has(name),
      description: typeof s.description === 'string' ? s.description : '',
      values,
      string: s.type === 'string' || values !== undefined,
      cents: /whole number of cents/.test(errorMessage)
    }
  })
}

type Match = { kind: 'spelling' | 'description' | 'alias' | 'typo', distance: number }

/** How an unknown key resembles a field's name, if it does; the kinds in order of certainty. */
function resemblance (key: string, field: FieldDoc): Match | undefined {
  const folded = fold(key)
  const target = fold(field.name)
  if (folded === target) return { kind: 'spelling', distance: 0 }
  // The docs' "Description" column copied as the key ("Currency type"): the field's description starts with its words.
  const keyWords = words(key)
  const described = words(field.description)
  if (keyWords.length >= 2 && keyWords.every((w, i) => described[i] === w)) return { kind: 'description', distance: 0 }
  if (SYNONYMS.some((group) => group.some((n) => fold(n) === folded) && group.some((n) => fold(n) === target))) return { kind: 'alias', distance: 0 }
  const distance = editDistance(folded, target)
  if (distance <= typoBudget(target.length)) return { kind: 'typo', distance }
  return undefined
}

const KIND_ORDER = ['spelling', 'description', 'alias', 'typo']

function better (a: { match: Match, field: FieldDoc }, b: { match: Match, field: FieldDoc } | undefined): boolean {
  if (b === undefined) return true
  const kind = KIND_ORDER.indexOf(a.match.kind) - KIND_ORDER.indexOf(b.match.kind)
  if (kind !== 0) return kind < 0
  if (a.match.distance !== b.match.distance) return a.match.distance < b.match.distance
  return a.field.required && !b.field.required
}

function summary (field: FieldDoc): string {
  const first = field.description.split(/[;:(]/)[0]!.trim()
  return first === '' ? field.name : `${field.name} (${first})`
}

function keyHint (key: string, field: FieldDoc, match: Match): DataHint {
  const what = field.required ? 'which is required' : 'which is optional: the key as sent is ignored'
  const messages: Record<Match['kind'], [string, string]> = {
    spelling: ['FIELD_NAME_SPELLING', `the data has "${key}"; the docs spell this field ${field.name}, ${what}. Field names are case-sensitive and keep the docs' underscores: rename the key to ${field.name}`],
    alias: ['FIELD_NAME_ALIAS', `the data has "${key}", another API's name for ${summary(field)}, ${what}: rename the key to ${field.name}`],
    description: ['FIELD_NAME_IS_DESCRIPTION', `the data has "${key}", the docs' description of the field they call ${summary(field)}, not its name; ${field.name} is ${field.required ? 'required' : 'optional'}: rename the key to ${field.name}`],
    typo: ['FIELD_NAME_TYPO', `the data has "${key}", not a field of this action; did you mean ${summary(field)}, ${what}? Rename the key to ${field.name}`]
  }
  const [code, message] = messages[match.kind]
  return { code, message, field: field.name, short: `did you mean ${field.name}? (the data has ${JSON.stringify(key)})` }
}

function quote (value: string): string {
  return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)
}

/** A value that is not one of `values` but close to one: surrounding spaces, case, a typo. */
function valueHint (field: FieldDoc, key: string, value: string, values: readonly string[]): DataHint | undefined {
  const where = key === field.name ? field.name : `"${key}" (${field.name})`
  const list = values.length <= 8 ? ` (valid: ${values.map((v) => `"${v}"`).join(', ')})` : ''
  const trimmed = value.trim()
  if (values.includes(trimmed)) {
    return { code: 'VALUE_SPACES', message: `${where} is ${quote(value)}: remove the surrounding spaces, send "${trimmed}"`, field: field.name, short: `send "${trimmed}" without the spaces` }
  }
  const sameCase = values.find((v) => v.toLowerCase() === trimmed.toLowerCase())
  if (sameCase !== undefined) {
    return { code: 'VALUE_CASE', message: `${where} is ${quote(value)}; values are case-sensitive: send "${sameCase}"${list}`, field: field.name, short: `did you mean "${sameCase}"?` }
  }
  let best: { value: string, distance: number } | undefined
  for (const candidate of values) {
    const distance = editDistance(trimmed.toUpperCase(), candidate.toUpperCase())
    if (distance <= typoBudget(candidate.length) && (best === undefined || distance < best.distance)) best = { value: candidate, distance }
  }
  if (best === undefined) return undefined
  return { code: 'VALUE_TYPO', message: `${where} is ${quote(value)}, which is not a valid value; did you mean "${best.value}"?${list}`, field: field.name, short: `did you mean "${best.value}"?` }
}

/** Dollars where cents are documented ("1.50" or 1.5 for 150 cents). */
function centsHint (field: FieldDoc, key: string, value: unknown): DataHint | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  const match = /^(\d*)\.(\d{1,2})$/.exec(String(value).trim())
  if (match === null) return undefined
  const cents = String(Number(match[1] === '' ? '0' : match[1]) * 100 + Number(match[2]!.padEnd(2, '0')))
  const where = key === field.name ? field.name : `"${key}" (${field.name})`
  return {
    code: 'AMOUNT_NOT_CENTS',
    message: `${where} is ${JSON.stringify(value)}, which reads as dollars: amounts are whole cents as a string of digits, send "${cents}" for ${String(value).trim()}`,
    field: field.name,
    short: `amounts are cents: send "${cents}"`
  }
}

/** A value of another JSON type than the documented string (numbers are turned into strings, and hinted apart). */
function typeHint (field: FieldDoc, key: string, value: unknown): DataHint | undefined {
  if (!field.string || typeof value === 'string' || typeof value === 'number' || value === undefined) return undefined
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value} (${String(value)})`
  const example = field.values?.[0] ?? (field.cents ? '100' : undefined)
  const send = example === undefined ? 'send a string' : `send a string, e.g. "${example}"`
  const where = key === field.name ? field.name : `"${key}" (${field.name})`
  const absent = value === null && !field.required ? ', or leave the key out' : ''
  return { code: 'WRONG_TYPE', message: `${where} is ${got}, but the docs send it as a string: ${send}${absent}`, field: field.name, short: send }
}

/**
 * Hints about the decrypted data of one action, read against its data schema: a documented field missing while
 * an unknown key resembles it (case, separators, another API's name, the docs' description, a typo), a value
 * close to a valid one, a value of the wrong type, dollars where cents are documented, a flow the docs describe
 * but the sandbox does not simulate; then {@link numberHints}. `data` is as decrypted, before normalisation.
 * Pure; an empty list for data that the schema accepts with no look-alike keys and no numbers.
 */
export function dataHints (definition: HintedAction, data: Readonly<Record<string, unknown>>, options: DataHintOptions = {}): DataHint[] {
  const hints: DataHint[] = []
  const unsimulated = unsimulatedFlow(definition.action, data, options.unsimulated ?? UNSIMULATED_FLOWS)
  if (unsimulated !== undefined) {
    const { flow, key } = unsimulated
    hints.push({
      code: 'FLOW_NOT_SIMULATED',
      message: `${key} "${flow.value}" asks for the ${flow.flow} (docs ${flow.section}), which the sandbox does not simulate: ${flow.reason}. ` +
        `The sandbox simulates ${definition.action} for ${flow.instead}`,
      short: `the ${flow.flow} (docs ${flow.section.split(' ')[0]}) is not simulated by the sandbox`
    })
  }
  const schema = definition.data.schema
  const discriminant = discriminantOf(schema)
  // A near miss of the discriminant (channelType "ELAVONCOM") is read against every shape's value, not the one shape's.
  const fields = fieldsOf(shapeFor(schema, data)).map((field) =>
    field.name === discriminant ? { ...field, values: discriminantValues(schema, discriminant) } : field)
  const aliases = definition.aliases ?? {}
  const documented = new Set([...fields.map((f) => f.name), ...Object.keys(aliases)])
  // Where each field's value is: under its name or one of its variants (the first present wins, as normalising does).
  const keyOf = (field: FieldDoc): string | undefined =>
    field.name in data ? field.name : Object.keys(aliases).find((variant) => aliases[variant] === field.name && variant in data)

  const located = new Map<string, string>()
  for (const field of fields) {
    const key = keyOf(field)
    if (key !== undefined) located.set(field.name, key)
  }
  for (const key of Object.keys(data)) {
    if (documented.has(key)) continue
    let best: { match: Match, field: FieldDoc } | undefined
    for (const field of fields) {
      if (located.has(field.name)) continue
      const match = resemblance(key, field)
      if (match !== undefined && better({ match, field }, best)) best = { match, field }
    }
    if (best === undefined) continue
    hints.push(keyHint(key, best.field, best.match))
    // The rest of the hints read the value under the look-alike key as the field's ({"Currency type": "CYN"}).
    located.set(best.field.name, key)
  }

  const trim = new Set(definition.trim ?? [])
  for (const field of fields) {
    const key = located.get(field.name)
    if (key === undefined) continue
    const value = data[key]
    const values = [...(field.values ?? []), ...(options.known?.[field.name] ?? [])]
    const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
    const hint = typeHint(field, key, value) ??
      (field.cents ? centsHint(field, key, value) : undefined) ??
      (text !== undefined && values.length > 0 && !values.includes(trim.has(field.name) ? text.trim() : text)
        ? valueHint(field, key, text, values)
        : undefined)
    if (hint !== undefined) hints.push(hint)
  }
  return [...hints, ...numberHints(data as Record<string, unknown>)]
}

/** {@link dataHints} by action name (the `ottpay-sandbox` export): none for an action the sandbox does not know. */
export function hintsForData (action: string, data: Readonly<Record<string, unknown>>, options?: DataHintOptions): Hint[] {
  const definition = findAction(action)
  if (definition === undefined) return []
  return dataHints(definition, data, options).map(({ code, message }) => ({ code, message }))
}

/**
 * The short form of the hint that explains a rejection's message (`fee_type is required`): one about the field
 * the message starts with, or an unsimulated flow. Undefined when none does, so the message stays as it was.
 */
export function shortHintFor (message: string, hints: readonly DataHint[]): string | undefined {
  const hint = hints.find((h) => h.code === 'FLOW_NOT_SIMULATED') ??
    hints.find((h) => h.field !== undefined && (message.startsWith(`${h.field} `) || message.startsWith(`${h.field}:`)))
  return hint?.short
}
