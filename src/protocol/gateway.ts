import { CryptoError, openDetailed, seal, type CryptoErrorCode, type DataObject } from '../crypto/index.js'
import { DomainError, GatewayError, gatewayMessage } from '../domain/errors.js'
import type { MerchantDirectory } from '../engine/merchants.js'
import { CodedAnswer, type ActionDefinition, type ActionServices } from './action.js'
import { dataHints, shortHintFor, type DataHint } from './data-hints.js'
import { RequestEnvelopeSchema, type ResponseEnvelope } from './envelope.js'
import { normalizeData } from './normalize.js'
import { ACTIONS, findAction } from './registry.js'
import { compile } from './validate.js'

/** The gateway finds the merchant; the actions get the rest. */
export interface GatewayDeps extends ActionServices {
  merchants: MerchantDirectory
}

/** What the gateway learnt about one request, step by step: the material of the request log. */
export interface GatewayTrace {
  merchant_id?: string
  action?: string
  version?: string
  /** The step that failed, when one did. */
  failed_step?: 'body' | 'envelope' | 'merchant' | 'action' | 'version' | CryptoErrorCode | 'fields' | 'action_rules'
  plaintext?: string
  canonical?: string
  expected_md5?: string
  received_md5?: string
  data?: DataObject
  /** The answer's data before it was sealed, when the action answered. */
  answer?: DataObject
  warnings: string[]
  /** Hints about the decrypted data of a request rejected at its fields or by the action (see data-hints.ts). */
  data_hints?: DataHint[]
}

const envelope = compile(RequestEnvelopeSchema)

/** The warning of a request whose md5 matched only with Java-style numbers; the readiness checks look for it. */
export const JAVA_MD5_WARNING = 'md5 matched only with whole numbers spelled like Java ("100.0"): send amounts as strings'

function list (values: Iterable<string>): string {
  return [...values].join(', ')
}

/**
 * The data hints of a rejected request, worked out here (off the accepted path) because the gateway knows the
 * sandbox's rates: EX_RATE_QUERY's currencies are those, not an enum of its schema.
 */
function hintsOf (definition: ActionDefinition, data: DataObject, deps: GatewayDeps): DataHint[] {
  return dataHints(definition, data, { known: { fee_type: Object.keys(deps.rates.rates) } })
}

/**
 * The processV2 pipeline: envelope → merchant → action and version → open (base64, AES, JSON, md5) →
 * normalize and validate the fields → run the action → seal the answer with the merchant's key.
 * Throws a {@link GatewayError} for every rejection; `trace` records how far the request got.
 */
export async function processEnvelope (body: unknown, deps: GatewayDeps, baseUrl: string, trace: GatewayTrace): Promise<ResponseEnvelope> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    trace.failed_step = 'body'
    const got = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body
    throw new GatewayError('PARAM_ERROR', `the body must be a JSON object {action, version, merchant_id, data, md5}, got ${got}`)
  }
  const problem = envelope.problem(body)
  if (problem !== undefined) {
    trace.failed_step = 'envelope'
    throw new GatewayError('PARAM_ERROR', problem)
  }
  const request = body as { action: string, version: string, merchant_id: string, data: string, md5: string }
  trace.merchant_id = request.merchant_id
  trace.action = request.action
  trace.version = request.version
  trace.received_md5 = request.md5

  const merchant = deps.merchants.get(request.merchant_id)
  if (merchant === undefined) {
    trace.failed_step = 'merchant'
    throw new GatewayError('PARAM_INVALID', `unknown merchant_id ${JSON.stringify(request.merchant_id)}`)
  }
  const definition = findAction(request.action)
  if (definition === undefined) {
    trace.failed_step = 'action'
    throw new GatewayError('PARAM_INVALID', `unknown action ${JSON.stringify(request.action)} (supported: ${list(ACTIONS.map((a) => a.action))})`)
  }
  if (!definition.versions.includes(request.version)) {
    trace.failed_step = 'version'
    throw new GatewayError('PARAM_INVALID', `version ${JSON.stringify(request.version)} is not supported for ${definition.action} (supported: ${list(definition.versions)})`)
  }

  let opened
  try {
    opened = openDetailed(request, merchant.sign_key)
  } catch (err) {
    if (!(err instanceof CryptoError)) throw err
    trace.failed_step = err.code
    trace.plaintext = err.details.plaintext
    trace.canonical = err.details.canonical
    trace.expected_md5 = err.details.expectedMd5
    throw new GatewayError('PARAM_INVALID', err.message)
  }
  trace.plaintext = opened.plaintext
  trace.canonical = opened.canonical
  trace.expected_md5 = request.md5
  if (opened.numberStyle === 'java') trace.warnings.push(JAVA_MD5_WARNING)

  const data = normalizeData(opened.data, definition.aliases ?? {}, definition.trim ?? [], trace.warnings)
  trace.data = data
  const invalid = definition.data.problem(data)
  if (invalid !== undefined) {
    trace.failed_step = 'fields'
    trace.data_hints = hintsOf(definition, opened.data, deps)
    // The message stays first as it was; a hint about the same field adds a few words ("did you mean fee_type?").
    const short = shortHintFor(invalid, trace.data_hints)
    throw new GatewayError('PARAM_INVALID', short === undefined ? invalid : `${invalid}; ${short}`)
  }
  let answer: DataObject | CodedAnswer
  try {
    answer = await definition.handle({
      merchant,
      action: definition.action,
      version: request.version,
      envelope: request,
      baseUrl,
      warnings: trace.warnings,
      store: deps.store,
      clock: deps.clock,
      ids: deps.ids,
      payments: deps.payments,
      rates: deps.rates,
      outcomes: deps.outcomes,
      ownListener: deps.ownListener
    }, data)
  } catch (err) {
    if (err instanceof GatewayError || err instanceof DomainError) {
      trace.failed_step = 'action_rules'
      trace.data_hints = hintsOf(definition, opened.data, deps)
    }
    throw err
  }
  const coded = answer instanceof CodedAnswer ? answer : new CodedAnswer('SUCCESS', answer)
  trace.answer = coded.data
  return { rsp_code: coded.code, rsp_msg: gatewayMessage(coded.code, coded.detail), ...seal(coded.data, merchant.sign_key) }
}
