import { createDecipheriv, createHash } from 'node:crypto'
import { decryptBytes, deriveKey, md5Upper } from './aes.js'
import { canonicalString, compareCodePoints, digestValue } from './canonical.js'
import { CryptoError } from './crypto-error.js'
import { openDetailed, type Sealed } from './envelope.js'
import { MAX_DATA_DEPTH } from './json-depth.js'

/** A likely cause of a failed (or fragile) envelope, found by trying the common client mistakes. */
export interface Hint {
  code: string
  message: string
}

/** Another key the data may have been sealed with, e.g. a different merchant's. */
export interface CandidateKey {
  label: string
  signKey: string
}

function opens (sealed: Sealed, signKey: string): boolean {
  try {
    openDetailed(sealed, signKey)
    return true
  } catch {
    return false
  }
}

/** True when the ciphertext decrypts to a JSON object with this (16-character) key. */
function decryptsToJson (ciphertext: Buffer, key: string): boolean {
  try {
    return jsonObject(decryptBytes(ciphertext, key))
  } catch {
    return false
  }
}

function decipher (ciphertext: Buffer, key: Buffer): string | undefined {
  try {
    const d = createDecipheriv('aes-128-ecb', key, null)
    return Buffer.concat([d.update(ciphertext), d.final()]).toString('utf8')
  } catch {
    return undefined
  }
}

function jsonObject (text: string | undefined): boolean {
  if (text === undefined) return false
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
  } catch {
    return false
  }
}

function parsesAsJson (text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function base64Bytes (text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length === 0 || compact.length % 4 !== 0) return undefined
  const bytes = Buffer.from(compact, 'base64')
  return bytes.length > 0 && bytes.length % 16 === 0 ? bytes : undefined
}

/** Hints about how `data` was encoded on the way: URL encoding, '+' turned into spaces, URL-safe Base64. */
function transportHints (sealed: Sealed, signKey: string): Hint[] {
  const hints: Hint[] = []
  if (/%[0-9A-Fa-f]{2}/.test(sealed.data)) {
    let decoded: string | undefined
    try { decoded = decodeURIComponent(sealed.data) } catch { decoded = undefined }
    const works = decoded !== undefined && opens({ data: decoded, md5: sealed.md5 }, signKey)
    hints.push({
      code: 'URL_ENCODED_BASE64',
      message: `data is URL-encoded (it contains %2B, %2F or %3D)${works ? ' and opens once URL-decoded' : ''}: send the Base64 text as it is, in a JSON body`
    })
  }
  if (/ /.test(sealed.data.trim()) && opens({ data: sealed.data.trim().replace(/ /g, '+'), md5: sealed.md5 }, signKey)) {
    hints.push({
      code: 'PLUS_BECAME_SPACE',
      message: 'data opens once its spaces are turned back into "+": a form or query-string decoder changed "+" to " " on the way; send the envelope as a JSON body'
    })
  }
  // URL-safe Base64 usually drops the padding too (Node's 'base64url' does): restore it before trying.
  const standard = sealed.data.trim().replace(/-/g, '+').replace(/_/g, '/')
  const padded = standard + '='.repeat((4 - standard.length % 4) % 4)
  if (/[-_]/.test(sealed.data) && opens({ data: padded, md5: sealed.md5 }, signKey)) {
    hints.push({ code: 'URL_SAFE_BASE64', message: 'data is URL-safe Base64 ("-" and "_"); use the standard alphabet ("+" and "/") with padding' })
  }
  return hints
}

/** Deciphers with any AES variant; undefined when the padding (if checked) or the key length does not fit. */
function decipherWith (algorithm: string, ciphertext: Buffer, key: Buffer, iv: Buffer | null, padding = true): string | undefined {
  try {
    const d = createDecipheriv(algorithm, key, iv)
    d.setAutoPadding(padding)
    return Buffer.concat([d.update(ciphertext), d.final()]).toString('utf8')
  } catch {
    return undefined
  }
}

/** The ciphertext inside data that is Base64 of Base64 text, when it is. */
function innerBase64 (data: string): Buffer | undefined {
  const compact = data.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined
  return base64Bytes(Buffer.from(compact, 'base64').toString('latin1'))
}

/**
 * The right key used in another recipe than Appendix A's AES-128-ECB / PKCS#5 / Base64 once: the classic
 * library defaults and mix-ups (PHP's openssl_encrypt and mcrypt, Java's Cipher transformations).
 */
function recipeHints (sealed: Sealed, key: string): Hint[] {
  const hints: Hint[] = []
  const bytes = Buffer.from(key, 'utf8')
  const inner = innerBase64(sealed.data)
  if (inner !== undefined && jsonObject(decipherWith('aes-128-ecb', inner, bytes, null))) {
    hints.push({
      code: 'BASE64_TWICE',
      message: 'data is the Base64 of Base64 text: the ciphertext was Base64-encoded twice (PHP\'s openssl_encrypt already returns Base64 unless given OPENSSL_RAW_DATA); encode it once'
    })
  }
  const ciphertext = base64Bytes(sealed.data)
  if (ciphertext === undefined) return hints
  const cbc = jsonObject(decipherWith('aes-128-cbc', ciphertext, bytes, Buffer.alloc(16)))
    ? 'a zero IV'
    : jsonObject(decipherWith('aes-128-cbc', ciphertext, bytes, bytes)) ? 'the key as IV' : undefined
  if (cbc !== undefined) {
    hints.push({
      code: 'CBC_NOT_ECB',
      message: `the data was encrypted with AES-128-CBC and ${cbc}; Appendix A uses AES-128-ECB with PKCS#5 padding and no IV ` +
        '(Java: Cipher.getInstance("AES/ECB/PKCS5Padding"), PHP: openssl_encrypt($json, "AES-128-ECB", $key, OPENSSL_RAW_DATA))'
    })
  }
  const unpadded = decipherWith('aes-128-ecb', ciphertext, bytes, null, false)
  if (unpadded !== undefined && /\0$/.test(unpadded) && jsonObject(unpadded.replace(/\0+$/, ''))) {
    hints.push({
      code: 'ZERO_PADDING',
      message: 'the data was padded with zero bytes (PHP\'s mcrypt, or Java\'s "AES/ECB/NoPadding" filled with zeros); Appendix A pads with PKCS#5: n bytes of value n'
    })
  }
  if (jsonObject(decipherWith('aes-256-ecb', ciphertext, Buffer.concat([bytes, Buffer.alloc(16)]), null))) {
    hints.push({
      code: 'AES_256_NOT_128',
      message: 'the data was encrypted with AES-256 and the 16-character key padded with zero bytes (PHP\'s openssl_encrypt does that silently for "AES-256-ECB"); use AES-128-ECB'
    })
  }
  return hints
}

/** Hints for data that does not decrypt: the AES key came from another sign key, another md5 or another recipe. */
function keyHints (sealed: Sealed, signKey: string, candidates: readonly CandidateKey[]): Hint[] {
  const hints = recipeHints(sealed, deriveKey(sealed.md5, signKey))
  const ciphertext = base64Bytes(sealed.data)
  if (ciphertext === undefined) return hints
  for (const variant of [sealed.md5.toUpperCase(), sealed.md5.toLowerCase()]) {
    if (variant !== sealed.md5 && decryptsToJson(ciphertext, deriveKey(variant, signKey))) {
      hints.push({
        code: 'MD5_CASE_CHANGED_AFTER_ENCRYPTION',
        message: `the AES key was derived from the md5 spelled "${variant}", but the envelope carries "${sealed.md5}": send the same uppercase md5 the key was derived from`
      })
    }
  }
  const lowerKey = md5Upper(sealed.md5 + signKey).toLowerCase().slice(8, 24)
  if (decryptsToJson(ciphertext, lowerKey)) {
    hints.push({ code: 'KEY_FROM_LOWERCASE_HEX', message: 'the AES key was taken from the lowercase hex of MD5(md5 + sign key); Appendix A uses the uppercase hex, characters 8 to 24' })
  }
  const full = Buffer.from(md5Upper(sealed.md5 + signKey), 'hex')
  if (jsonObject(decipher(ciphertext, full))) {
    hints.push({ code: 'KEY_HEX_DECODED', message: 'the AES key is the raw 16 bytes of MD5(md5 + sign key); Appendix A uses the 16 hex characters 8 to 24 of it as ASCII text' })
  }
  if (decryptsToJson(ciphertext, signKey.padEnd(16, '\0').slice(0, 16))) {
    hints.push({ code: 'SIGN_KEY_USED_DIRECTLY', message: 'the data was encrypted with the sign key itself; Appendix A encrypts with a key derived from the md5 and the sign key' })
  }
  for (const candidate of candidates) {
    if (candidate.signKey !== signKey && decryptsToJson(ciphertext, deriveKey(sealed.md5, candidate.signKey))) {
      hints.push({ code: 'WRONG_SIGN_KEY', message: `the data was encrypted with the sign key of ${candidate.label}, not the one of the merchant_id sent` })
    }
  }
  if (hints.length === 0) {
    hints.push({
      code: 'CHECK_KEY_RECIPE',
      message: 'check, in this order: the sign key belongs to the merchant_id sent; the md5 in the envelope is the one the key was derived from; ' +
        'the key is characters 8 to 24 of uppercase MD5(md5 + sign key), used as 16 ASCII bytes; AES-128-ECB with PKCS#5 padding, Base64 output'
    })
  }
  return hints
}

function sortedKeys (data: Record<string, unknown>): string[] {
  return Object.keys(data).sort(compareCodePoints)
}

/** Hints for data that decrypts but whose md5 is not the md5 of its values: what the client digested instead. */
function digestHints (plaintext: string, data: Record<string, unknown>, received: string): Hint[] {
  const same = (text: string): boolean => md5Upper(text) === received.toUpperCase()
  const hints: Hint[] = []
  const sorted = Object.fromEntries(sortedKeys(data).map((key) => [key, data[key]]))
  const tries: Array<[string, string, string]> = [
    [JSON.stringify(sorted), 'MD5_OF_SORTED_JSON', 'md5 was computed over the JSON with its keys sorted; Appendix A digests only the values, sorted by key and concatenated'],
    [plaintext, 'MD5_OF_JSON', 'md5 was computed over the encrypted JSON text; Appendix A digests only the values, sorted by key and concatenated'],
    [JSON.stringify(data), 'MD5_OF_JSON', 'md5 was computed over the JSON text; Appendix A digests only the values, sorted by key and concatenated'],
    [Object.values(data).map((v) => digestValue(v)).join(''), 'MD5_OF_UNSORTED_VALUES', 'md5 was computed over the values in the order they were sent; sort the keys first (code-point order), then concatenate the values'],
    [sortedKeys(data).map((k) => `${k}=${digestValue(data[k])}`).join('&'), 'MD5_OF_KEY_VALUE_PAIRS', 'md5 was computed over key=value pairs; Appendix A digests the values alone, with no keys and no separators'],
    [sortedKeys(data).map((k) => digestValue(data[k])).join(','), 'MD5_WITH_SEPARATORS', 'md5 was computed over comma-separated values; Appendix A concatenates them with no separator']
  ]
  for (const [text, code, message] of tries) {
    if (same(text) && !hints.some((h) => h.code === code)) hints.push({ code, message })
  }
  // As Java's CASE_INSENSITIVE_ORDER, PHP's strcasecmp and Python's key=str.lower sort: by code point of the
  // lowercase keys (a locale collation such as localeCompare differs, e.g. on "_" against digits, and by host locale).
  const sortedCase = Object.keys(data).sort((a, b) => compareCodePoints(a.toLowerCase(), b.toLowerCase()))
  if (sortedCase.join() !== sortedKeys(data).join() && same(sortedCase.map((k) => digestValue(data[k])).join(''))) {
    hints.push({ code: 'MD5_CASE_INSENSITIVE_SORT', message: 'the keys were sorted ignoring case; Appendix A sorts by code point, so "Z" comes before "a"' })
  }
  // PHP's json_encode escapes "/" as "\/" and non-ASCII as "\u00e9": a digest input built from its output differs.
  const canonical = canonicalString(data)
  const strings = Object.values(data).filter((v): v is string => typeof v === 'string')
  if (strings.some((v) => /[/\u0080-\uffff]/.test(v))) {
    const escape = (v: unknown): string => typeof v !== 'string'
      ? digestValue(v)
      : JSON.stringify(v).slice(1, -1).replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    if (same(sortedKeys(data).map((k) => escape(data[k])).join(''))) {
      hints.push({
        code: 'MD5_OF_ESCAPED_VALUES',
        message: 'md5 was computed over the values as JSON escapes them ("\\/" for "/", "\\u00e9" for "é", PHP json_encode\'s default); ' +
          'digest the values themselves (in PHP, json_encode with JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE if you build the digest input from JSON)'
      })
    }
  }
  // Java's getBytes() without a charset (Windows-1252 on many hosts), PHP's utf8_decode: the digest of other bytes.
  if (/[\u0080-\u00ff]/.test(canonical) && createHash('md5').update(canonical, 'latin1').digest('hex').toUpperCase() === received.toUpperCase()) {
    hints.push({
      code: 'MD5_NOT_UTF8',
      message: 'md5 was computed over the values encoded as Latin-1 (ISO-8859-1 / Windows-1252), not UTF-8: in Java use getBytes(StandardCharsets.UTF_8); Appendix A digests the UTF-8 bytes'
    })
  }
  if (md5Upper(canonical) === received.toUpperCase() && received !== received.toUpperCase()) {
    hints.push({ code: 'MD5_LOWERCASE', message: 'md5 is the right digest in lowercase hex; Appendix A sends it in uppercase' })
  }
  return hints
}

/** A hint whenever top-level values are numbers: digests of numbers differ between languages (100 vs 100.0). */
export function numberHints (data: Record<string, unknown>): Hint[] {
  const numbers = Object.keys(data).filter((key) => typeof data[key] === 'number')
  if (numbers.length === 0) return []
  return [{
    code: 'NUMBERS_NOT_STRINGS',
    message: `${numbers.map((k) => `"${k}"`).join(', ')} ${numbers.length === 1 ? 'is a number' : 'are numbers'}; the docs send every value as a string ("100" for 1.00), and a number's digest depends on the client's language (100 or 100.0)`
  }]
}

/** A plaintext that is not a JSON object: JSON encoded twice, or a query string instead of JSON. */
function plaintextHints (plaintext: string): Hint[] {
  try {
    const parsed: unknown = JSON.parse(plaintext)
    if (typeof parsed === 'string' && jsonObject(parsed)) {
      return [{ code: 'JSON_ENCODED_TWICE', message: 'the decrypted text is a JSON string holding JSON: the data object was JSON-encoded twice before encryption' }]
    }
  } catch {
    if (/^[\w.-]+=[^&]*(&[\w.-]+=[^&]*)*$/.test(plaintext)) {
      return [{ code: 'QUERY_STRING_NOT_JSON', message: 'the decrypted text is a query string (key=value&…); encrypt the JSON object instead' }]
    }
  }
  return []
}

/**
 * Explains why an envelope does not open with a sign key (or what is fragile about one that does), by trying
 * the mistakes clients commonly make. Pure: decrypts with node:crypto only, returns the hints in order of likelihood.
 */
export function diagnose (sealed: Sealed, signKey: string, candidates: readonly CandidateKey[] = []): Hint[] {
  try {
    const opened = openDetailed(sealed, signKey)
    return numberHints(opened.data)
  } catch (err) {
    if (!(err instanceof CryptoError)) return []
    switch (err.code) {
      case 'BAD_BASE64':
        return transportHints(sealed, signKey)
      case 'DECRYPT_FAILED':
        return [...transportHints(sealed, signKey), ...keyHints(sealed, signKey, candidates)]
      case 'NOT_JSON': {
        // Text that parses as JSON, or reads as a query string, came out of the right key: key hints would mislead.
        const plaintext = err.details.plaintext ?? ''
        const hints = plaintextHints(plaintext)
        return hints.length > 0 || parsesAsJson(plaintext) ? hints : keyHints(sealed, signKey, candidates)
      }
      case 'JSON_TOO_DEEP':
        // The key is right (the text parsed, or nearly): the fix is the shape of the data, which the message names.
        return [{
          code: 'JSON_NESTED_TOO_DEEPLY',
          message: `the data nests objects or arrays more than ${MAX_DATA_DEPTH} levels deep (the message says where); ` +
            'processV2 data is a flat object of strings: flatten the nested value, or send it as a JSON string'
        }]
      case 'MD5_MISMATCH': {
        const plaintext = err.details.plaintext ?? '{}'
        const data = JSON.parse(plaintext) as Record<string, unknown>
        const hints = digestHints(plaintext, data, sealed.md5)
        if (plaintext.includes('\uFFFD')) {
          hints.push({
            code: 'PLAINTEXT_NOT_UTF8',
            message: 'the decrypted text is not valid UTF-8 (the sandbox reads "\uFFFD" where its bytes are not): the JSON was encrypted in another encoding ' +
              '(Latin-1, Windows-1252, GBK); encrypt its UTF-8 bytes (Java: json.getBytes(StandardCharsets.UTF_8))'
          })
        }
        if (hints.length === 0) {
          hints.push({
            code: 'MD5_OF_OTHER_CONTENT',
            message: 'md5 is not the digest of these values nor of a common wrong input: the md5 was computed from different data than was encrypted; compare your digest input with the canonical string'
          })
        }
        return [...hints, ...numberHints(data)]
      }
    }
  }
}
