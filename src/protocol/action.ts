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
import { compile, type Validator } from './validate.js'

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
  /**
   * Notes for the request inspector's entry of this request (its `warnings`): what the sandbox accepted but could
   * not check, or what a careful client should do differently. The client's answer does not carry them.
   */
  warnings: string[]
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

/** What an action file declares: its versions, the schemas of its decrypted data and of its answer's data, and what it does. */
export interface ActionSpec<S extends TSchema = TSchema, A extends TSchema = TSchema> {
  action: string
  versions: readonly string[]
  summary: string
  /** Field-name variants the docs use interchangeably: variant → canonical name. */
  aliases?: Readonly<Record<string, string>>
  /** Fields whose values are trimmed before validation (the docs print `" securePay"`). */
  trim?: readonly string[]
  /** The decrypted data; carries an `$id` (the OpenAPI document, /docs/json, lists it as a component). */
  data: S
  /**
   * A validator of the action's own for `data`, where the compiled schema alone would explain a failure badly: a
   * union of shapes told apart by one field (CC_PURCHASE's channels) is judged against the shape that field names.
   */
  validateData?: Validator<S>
  /** The answer's data object (decrypted), as `handle` returns it (on SUCCESS, or inside a {@link CodedAnswer}); carries an `$id`. */
  answer: A
  /** Runs the action; returns the answer's data object, which the gateway seals and answers SUCCESS (or the code of a {@link CodedAnswer}). */
  handle(ctx: ActionContext, data: Static<S>): Promise<AnswerOf<A> | CodedAnswer<AnswerOf<A>>>
}

/** One processV2 action as the gateway runs it: its spec with both schemas compiled. */
export interface ActionDefinition<S extends TSchema = TSchema, A extends TSchema = TSchema> extends Omit<ActionSpec<S, A>, 'data' | 'answer' | 'validateData'> {
  data: Validator<S>
  answer: Validator<A>
}

/** Compiles an action's schemas, keeping its data and answer types while it sits in a list of mixed actions. */
export function defineAction<S extends TSchema, A extends TSchema> (spec: ActionSpec<S, A>): ActionDefinition {
  const { validateData, ...rest } = spec
  const definition: ActionDefinition<S, A> = { ...rest, data: validateData ?? compile(spec.data), answer: compile(spec.answer) }
  return definition as unknown as ActionDefinition
}
