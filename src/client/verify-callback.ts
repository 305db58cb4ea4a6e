import type { DataObject } from '../crypto/index.js'
import type { CallbackData, OpenedCallback } from './action-types.js'
import { ClientError } from './client-error.js'
import { isObject, openVerified, parseJson } from './open-verified.js'

/** A callback as the merchant's server received it: the parsed JSON body, or the raw body as text or bytes. */
export type CallbackBody = string | Uint8Array | Record<string, unknown>

function readBody (body: CallbackBody): Record<string, unknown> {
  // Buffer is a Uint8Array: a raw body from node:http or express.raw() arrives as one.
  const value = typeof body === 'string'
    ? parseJson(body, 'callback body')
    : body instanceof Uint8Array ? parseJson(new TextDecoder().decode(body), 'callback body') : body
  if (!isObject(value)) {
    throw new ClientError('NOT_ENVELOPE', 'callback body is not a JSON object {rsp_code, rsp_msg, merchant_id, data, md5}', { answer: value })
  }
  return value
}

function requireStrings (value: Record<string, unknown>, names: string[]): void {
  const missing = names.filter((name) => typeof value[name] !== 'string')
  if (missing.length > 0) {
    throw new ClientError('NOT_ENVELOPE', `callback body has no ${missing.join(', ')} (a string each): not a sealed OTT Pay callback`, { answer: value })
  }
}

function openBody<T extends DataObject> (value: Record<string, unknown>, signKey: string): T {
  return openVerified<T>({ data: value.data as string, md5: value.md5 as string }, signKey, 'callback data', { answer: value })
}

/**
 * Opens a callback the sandbox (or OTT Pay) POSTed: checks the envelope, decrypts `data` and verifies its `md5`
 * with the merchant's sign key. Returns the whole callback: `rsp_code` is SUCCESS for a payment, FAIL for a decline.
 * Throws a {@link ClientError}: NOT_JSON, NOT_ENVELOPE (`rsp_code`, `data` or `md5` missing) or VERIFY_FAILED.
 */
export function openCallback<T extends DataObject = CallbackData & DataObject> (body: CallbackBody, signKey: string): OpenedCallback<T> {
  const value = readBody(body)
  requireStrings(value, ['rsp_code', 'data', 'md5'])
  return {
    rsp_code: value.rsp_code as string,
    rsp_msg: typeof value.rsp_msg === 'string' ? value.rsp_msg : '',
    merchant_id: typeof value.merchant_id === 'string' ? value.merchant_id : '',
    data: openBody<T>(value, signKey)
  }
}

/**
 * Opens and verifies a callback and returns its data. Throws a {@link ClientError}: NOT_JSON, NOT_ENVELOPE
 * (`data` or `md5` missing) or VERIFY_FAILED. Use {@link openCallback} to read `rsp_code` (paid or declined) too.
 */
export function verifyCallback<T extends DataObject = CallbackData & DataObject> (body: CallbackBody, signKey: string): T {
  const value = readBody(body)
  requireStrings(value, ['data', 'md5'])
  return openBody<T>(value, signKey)
}
