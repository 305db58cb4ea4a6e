import { Type, type Static } from '@sinclair/typebox'

const text = (description: string) => Type.String({ errorMessage: 'must be a string', description })

/** The level-1 request body of processV2 (every action). */
export const RequestEnvelopeSchema = Type.Object({
  action: text('Action name, e.g. "ACTIVEPAY"'),
  version: text('Version number, e.g. "1.0"'),
  merchant_id: text('Merchant ID provided by OTT Pay'),
  data: text('Base64 of the AES-128-ECB encrypted JSON transaction data (Appendix A)'),
  md5: text('Uppercase hex MD5 of the data values sorted by key (Appendix A)')
}, { $id: 'RequestEnvelope', additionalProperties: true })

export type RequestEnvelope = Static<typeof RequestEnvelopeSchema>

/** The level-1 answer: `data` and `md5` when the action answered (SUCCESS, or e.g. PASSIVEPAY's PROCESSING); none on errors. */
export const ResponseEnvelopeSchema = Type.Object({
  rsp_code: Type.String({ description: 'Appendix B response code' }),
  rsp_msg: Type.String({ description: 'Appendix B message, followed by the sandbox\'s explanation on errors' }),
  data: Type.Optional(Type.String({ description: 'encrypted answer data: present when the action answered, absent when the request was rejected' })),
  md5: Type.Optional(Type.String({ description: 'md5 of the answer data' }))
}, { $id: 'ResponseEnvelope' })

export type ResponseEnvelope = Static<typeof ResponseEnvelopeSchema>

/**
 * Headers on every gateway answer, rejections included (never in the sealed JSON, whose md5 clients check): the
 * request log's id of the call, and the admin UI page that tells its story (only while the log keeps entries).
 */
export const REQUEST_ID_HEADER = 'x-sandbox-request-id'
export const INSPECTOR_HEADER = 'x-sandbox-inspector'
