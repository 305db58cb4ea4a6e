import { canonicalString, hasNumbers, type NumberStyle } from './canonical.js'
import { decryptBytes, deriveKey, encrypt, md5Upper } from './aes.js'
import { CryptoError } from './crypto-error.js'
import { tooDeep } from './json-depth.js'

/** The two sealed fields of a processV2 request, response or callback. */
export interface Sealed {
  data: string
  md5: string
}

/** A data object: the JSON object that travels encrypted in `data`. */
export type DataObject = Record<string, unknown>

/** Everything learnt while opening an envelope successfully. */
export interface Opened<T extends DataObject = DataObject> {
  data: T
  /** The decrypted JSON text, in the sender's key order. */
  plaintext: string
  /** The canonical string the md5 was checked against. */
  canonical: string
  /** `java` when the md5 only matched with whole numbers spelled `100.0`. */
  numberStyle: NumberStyle
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** The subject of a depth refusal, worded like the other refusals of the JSON step. */
const DEEP = 'data decrypted, but its JSON'

/**
 * Seals a data object as Appendix A does: md5 over the sorted values, key from md5 + sign key,
 * AES over the compact JSON in the object's own key order.
 */
export function seal (data: DataObject, signKey: string): Sealed {
  const md5 = md5Upper(canonicalString(data))
  return { data: encrypt(JSON.stringify(data), deriveKey(md5, signKey)), md5 }
}

function decodeBase64 (text: string): Buffer {
  // Fast path: plain Base64 with no whitespace, as clients send it; every check below would pass.
  if (text.length > 0 && text.length % 4 === 0 && BASE64.test(text)) return Buffer.from(text, 'base64')
  const compact = text.replace(/\s+/g, '')
  if (compact.length === 0) throw new CryptoError('BAD_BASE64', 'data is empty')
  if (/%[0-9A-Fa-f]{2}/.test(compact)) {
    throw new CryptoError('BAD_BASE64', 'data is not Base64: it looks URL-encoded (%2B, %2F, %3D); send it as plain Base64')
  }
  if (/[-_]/.test(compact) && !/[+/]/.test(compact)) {
    throw new CryptoError('BAD_BASE64', 'data is not Base64: it looks like URL-safe Base64 (- and _); use the standard alphabet (+ and /)')
  }
  if (!BASE64.test(compact) || compact.length % 4 !== 0) {
    throw new CryptoError('BAD_BASE64', 'data is not valid Base64')
  }
  return Buffer.from(compact, 'base64')
}

/**
 * Opens a sealed envelope with the sign key and returns the data with the details of how it was read.
 * Throws a {@link CryptoError} whose code names the failing step.
 */
export function openDetailed<T extends DataObject = DataObject> (sealed: Sealed, signKey: string): Opened<T> {
  const ciphertext = decodeBase64(sealed.data)
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw new CryptoError('DECRYPT_FAILED', `data decodes to ${ciphertext.length} bytes, not a whole number of 16-byte AES blocks`)
  }
  let plaintext: string
  try {
    plaintext = decryptBytes(ciphertext, deriveKey(sealed.md5, signKey))
  } catch {
    throw new CryptoError('DECRYPT_FAILED', 'data could not be decrypted: wrong sign key, or the AES key was not derived from this md5')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(plaintext)
  } catch (err) {
    // A parser that recurses throws RangeError on very deep text (V8's is iterative today): the same refusal as below.
    if (err instanceof RangeError) throw new CryptoError('JSON_TOO_DEEP', tooDeep(plaintext, DEEP) ?? `${DEEP} is nested too deeply to parse`, { plaintext })
    throw new CryptoError('NOT_JSON', 'data decrypted, but the text is not JSON (wrong sign key?)', { plaintext })
  }
  // Before the md5: the digest (and whatever stores the data) stringifies nested values recursively.
  const deep = tooDeep(plaintext, DEEP)
  if (deep !== undefined) throw new CryptoError('JSON_TOO_DEEP', deep, { plaintext })
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CryptoError('NOT_JSON', 'data decrypted, but the JSON is not an object', { plaintext })
  }
  const data = parsed as T
  const canonical = canonicalString(data)
  const expectedMd5 = md5Upper(canonical)
  if (expectedMd5 === sealed.md5) return { data, plaintext, canonical, numberStyle: 'js' }
  if (hasNumbers(data)) {
    const javaCanonical = canonicalString(data, 'java')
    if (md5Upper(javaCanonical) === sealed.md5) return { data, plaintext, canonical: javaCanonical, numberStyle: 'java' }
  }
  const details = { plaintext, canonical, expectedMd5, receivedMd5: sealed.md5 }
  if (expectedMd5 === sealed.md5.toUpperCase()) {
    throw new CryptoError('MD5_MISMATCH', 'md5 must be uppercase hex (Appendix A step 2)', details)
  }
  throw new CryptoError('MD5_MISMATCH', `md5 does not match the decrypted data: expected ${expectedMd5}, received ${sealed.md5}`, details)
}

/** Opens a sealed envelope and returns its data; throws a {@link CryptoError} on any failure. */
export function open<T extends DataObject = DataObject> (sealed: Sealed, signKey: string): T {
  return openDetailed<T>(sealed, signKey).data
}
