import type { Static, TSchema } from '@sinclair/typebox'
import type { Clock } from '../platform/clock.js'
import type { DataObject } from '../crypto/index.js'
import type { Merchant } from '../domain/fixtures.js'
import type { GatewayCode } from '../domain/errors.js'
import type { Ids } from '../platform/ids.js'
import type { OwnListener } from '../engine/callbacks/own-listener.js'
import type { Payments } from '../engine/orders/payments.js'
import type { OutcomesFile } from '../domain/outcomes.js'
import type { RatesFile } from '../domain/rates.js'
import type { Store } from '../store/index.js'
import type { Validator } from './validate.js'

/** The injected services an action handler may use. */
export interface ActionServices {
  store: Store
  clock: Clock
  ids: Ids
  /** Pays, declines, expires and refunds orders, firing their callbacks. */
  payments: Payments
  /** Exchange rates to CNY (fixtures `rates.json`). */
  rates: RatesFile
  /** Magic outcomes (fixtures `outcomes.json`): PASSIVEPAY reads its magic auth codes here. */
  outcomes: OutcomesFile
  /** The sandbox's own address: no order may take it as its callback URL. */
  ownListener: OwnListener
}

/** What an action handler may use: the calling merchant, its request, and the injected services. */
export interface ActionContext extends ActionServices {
  merchant: Merchant
  action: string
  version: string
  /** The level-1 body as received (PASSIVEPAY documents `terminal_no` and `operator_id` there). */
  envelope: Readonly<Record<string, unknown>>
  /** Origin for absolute URLs the answer hands out (PUBLIC_URL, or the request's own origin). */
  baseUrl: string
}

/**
 * An answer with data under another Appendix B code than SUCCESS: e.g. PASSIVEPAY's `PROCESSING` while the payer
 * confirms, or `FAIL` with the declined order's data. `detail` is appended to the documented `rsp_msg`.
 */
export class CodedAnswer<T extends DataObject = DataObject> {
  constructor (readonly code: GatewayCode, readonly data: T, readonly detail?: string) {}
}

/** The data object an action answers: its answer schema's type, sealed by the gateway as any data object. */
export type AnswerOf<A extends TSchema> = Static<A> & DataObject

/**
 * One processV2 action: its versions, the schemas of its decrypted data and of its answer's data, and what it does.
 * Both schemas carry an `$id`: the OpenAPI document (/docs/json) lists them as components.
 */
export interface ActionDefinition<S extends TSchema = TSchema, A extends TSchema = TSchema> {
  action: string
  versions: readonly string[]
  summary: string
  /** Field-name variants the docs use interchangeably: variant → canonical name. */
  aliases?: Readonly<Record<string, string>>
  /** Fields whose values are trimmed before validation (the docs print `" securePay"`). */
  trim?: readonly string[]
  data: Validator<S>
  /** The answer's data object (decrypted), as `handle` returns it (on SUCCESS, or inside a {@link CodedAnswer}). */
  answer: Validator<A>
  /** Runs the action; returns the answer's data object, which the gateway seals and answers SUCCESS (or the code of a {@link CodedAnswer}). */
  handle(ctx: ActionContext, data: Static<S>): Promise<AnswerOf<A> | CodedAnswer<AnswerOf<A>>>
}

/** Keeps a definition's data and answer types while storing it in a list of mixed actions. */
export function defineAction<S extends TSchema, A extends TSchema> (definition: ActionDefinition<S, A>): ActionDefinition {
  return definition as unknown as ActionDefinition
}
