import type { DataObject } from '../crypto/index.js'
import type { GatewayResult, RspCode } from './action-types.js'
import { ClientError } from './client-error.js'
import { isObject, openVerified, parseJson } from './open-verified.js'

/** The start of a body, for messages: enough to recognise an HTML error page or a proxy's text. */
function start (text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)
}

function tryParse (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function halfSealed (data: unknown, md5: unknown): string {
  if (typeof data === 'string') return 'data without md5'
  if (typeof md5 === 'string') return 'md5 without data'
  return 'data and md5 that are not strings'
}

/**
 * Reads a processV2 answer: a 2xx status, a JSON envelope `{rsp_code, rsp_msg, data?, md5?}`, and data that opens
 * and verifies with the sign key. Appendix B rejections are returned; anything else throws a {@link ClientError}.
 */
export function readAnswer<T extends DataObject> (status: number, text: string, signKey: string, what: string): GatewayResult<T> {
  if (status < 200 || status > 299) {
    const answer = tryParse(text)
    const said = isObject(answer) && typeof answer.rsp_code === 'string'
      ? `${answer.rsp_code} ${JSON.stringify(answer.rsp_msg)}`
      : start(text)
    throw new ClientError('HTTP_STATUS', `${what} answered HTTP ${status}, not 2xx: ${said}`, { status, body: text, answer })
  }
  const answer = parseJson(text, `the answer to ${what}`, { status })
  const details = { status, body: text, answer }
  if (!isObject(answer) || typeof answer.rsp_code !== 'string' || typeof answer.rsp_msg !== 'string') {
    throw new ClientError('NOT_ENVELOPE', `the answer to ${what} is not an envelope {rsp_code, rsp_msg, data?, md5?}: ${start(text)}`, details)
  }
  const { rsp_code: code, rsp_msg: message, data, md5 } = answer
  if (data === undefined && md5 === undefined) {
    if (code === 'SUCCESS') {
      throw new ClientError('NOT_ENVELOPE', `the answer to ${what} is SUCCESS without data and md5`, details)
    }
    return { rsp_code: code as Exclude<RspCode, 'SUCCESS'>, rsp_msg: message, data: undefined }
  }
  if (typeof data !== 'string' || typeof md5 !== 'string') {
    throw new ClientError('NOT_ENVELOPE', `the answer to ${what} has ${halfSealed(data, md5)}`, details)
  }
  const opened = openVerified<T>({ data, md5 }, signKey, `the answer to ${what}`, details)
  return { rsp_code: code as RspCode, rsp_msg: message, data: opened } as GatewayResult<T>
}
