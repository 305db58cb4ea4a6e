import { CryptoError, open, type DataObject } from '../crypto/index.js'
import { ClientError, type ClientErrorDetails } from './client-error.js'

/** Opens `{data, md5}` with the sign key; any crypto failure becomes VERIFY_FAILED with the CryptoError as cause. */
export function openVerified<T extends DataObject> (sealed: { data: string, md5: string }, signKey: string, what: string, details: ClientErrorDetails = {}): T {
  try {
    return open<T>(sealed, signKey)
  } catch (err) {
    if (!(err instanceof CryptoError)) throw err
    throw new ClientError('VERIFY_FAILED', `${what} does not verify with the sign key (${err.code}): ${err.message}`, { ...details, cause: err })
  }
}

/** Parses JSON text; NOT_JSON names what was read and shows its start. */
export function parseJson (text: string, what: string, details: ClientErrorDetails = {}): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    const start = text.length > 80 ? `${text.slice(0, 80)}…` : text
    throw new ClientError('NOT_JSON', `${what} is not JSON: ${JSON.stringify(start)}`, { ...details, body: text, cause: err })
  }
}

export function isObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
