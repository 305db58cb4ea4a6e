import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { MAX_DATA_DEPTH } from '../crypto/index.js'

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** The steps of the processV2 pipeline, in order; a rejected request stops at one of them. */
export const GATEWAY_STEPS = ['body', 'envelope', 'merchant', 'action', 'version', 'base64', 'decrypt', 'json', 'md5', 'fields', 'rules'] as const
export type GatewayStep = typeof GATEWAY_STEPS[number]

/** What each step checks, in words for the inspector. */
export const STEP_LABELS: Record<GatewayStep, string> = {
  body: 'the body is a JSON object',
  envelope: 'the envelope has action, version, merchant_id, data and md5',
  merchant: 'merchant_id is a known merchant',
  action: 'action is a known action',
  version: 'version is supported for the action',
  base64: 'data is Base64',
  decrypt: 'data decrypts with the key derived from md5 and the sign key',
  json: `the decrypted text is a JSON object, nested at most ${MAX_DATA_DEPTH} levels deep`,
  md5: 'md5 is the digest of the decrypted values',
  fields: 'the fields of data are valid for the action',
  rules: 'the action accepts the request (order rules, storage)'
}

const StepResult = Type.Object({
  step: Type.Union(GATEWAY_STEPS.map((s) => Type.Literal(s))),
  label: Type.String(),
  result: Type.Union([Type.Literal('passed'), Type.Literal('failed'), Type.Literal('not reached')])
})

export const HintSchema = Type.Object({
  code: Type.String({ description: 'stable name of the mistake, e.g. MD5_LOWERCASE' }),
  message: Type.String()
})

/** One gateway call as the request inspector keeps it (contract §4, GET /sandbox/api/requests). */
export const RequestLogEntrySchema = Type.Object({
  id: Type.String({ description: 'req_1, req_2, … in arrival order' }),
  at: Type.String({ description: 'ISO time from the sandbox clock' }),
  path: Type.String({ description: '/processV2, /process or /processV3' }),
  http_status: Type.Integer(),
  merchant_id: Nullable(Type.String()),
  action: Nullable(Type.String()),
  version: Nullable(Type.String()),
  verdict: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]),
  rsp_code: Type.String(),
  rsp_msg: Type.String(),
  failed_step: Nullable(Type.Union(GATEWAY_STEPS.map((s) => Type.Literal(s)))),
  steps: Type.Array(StepResult),
  order_id: Nullable(Type.String({ description: 'the order the request created or touched, when known' })),
  envelope: Nullable(Type.String({ description: 'the request body as received, as JSON text (card numbers masked; null when it was not JSON)' })),
  crypto: Type.Object({
    data_length: Type.Integer({ description: 'characters of the Base64 `data` received' }),
    received_md5: Nullable(Type.String()),
    expected_md5: Nullable(Type.String({ description: 'the md5 the decrypted content implies (null when it did not decrypt)' })),
    md5_matches: Nullable(Type.Boolean()),
    md5_withheld: Type.Optional(Type.String({ description: 'present when the md5s are withheld: why received_md5 and expected_md5 (and the envelope\'s and answer\'s md5) are null although known: the request carries a card number, and an md5 of its values would reveal it' })),
    plaintext: Nullable(Type.String({ description: 'the decrypted text, card numbers masked' })),
    canonical: Nullable(Type.String({ description: 'the digest input the sandbox built: values sorted by key, concatenated (card numbers masked)' }))
  }),
  data: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'the decrypted data after normalisation, card numbers masked' })),
  warnings: Type.Array(Type.String()),
  hints: Type.Array(HintSchema),
  answer: Type.Object({
    rsp_code: Type.String(),
    rsp_msg: Type.String(),
    md5: Nullable(Type.String()),
    data: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'the answer data, decrypted' }))
  })
}, { $id: 'RequestLogEntry' })

export type RequestLogEntry = Static<typeof RequestLogEntrySchema>
