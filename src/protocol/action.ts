import type { Static, TSchema } from '@sinclair/typebox'
import type { Clock } from '../clock.js'
import type { DataObject } from '../crypto/index.js'
import type { Merchant } from '../fixtures.js'
import type { Ids } from '../ids.js'
import type { Store } from '../store/index.js'
import type { Validator } from './validate.js'

/** What an action handler may use: the calling merchant and the injected services. */
export interface ActionContext {
  merchant: Merchant
  action: string
  version: string
  store: Store
  clock: Clock
  ids: Ids
  /** Origin for absolute URLs the answer hands out (PUBLIC_URL, or the request's own origin). */
  baseUrl: string
}

/** One processV2 action: its versions, the schema of its decrypted data, and what it does. */
export interface ActionDefinition<S extends TSchema = TSchema> {
  action: string
  versions: readonly string[]
  summary: string
  /** Field-name variants the docs use interchangeably: variant → canonical name. */
  aliases?: Readonly<Record<string, string>>
  /** Fields whose values are trimmed before validation (the docs print `" securePay"`). */
  trim?: readonly string[]
  data: Validator<S>
  /** Runs the action; returns the answer's data object, which the gateway seals. */
  handle(ctx: ActionContext, data: Static<S>): Promise<DataObject>
}

/** Keeps a definition's data type while storing it in a list of mixed actions. */
export function defineAction<S extends TSchema> (definition: ActionDefinition<S>): ActionDefinition {
  return definition as unknown as ActionDefinition
}
