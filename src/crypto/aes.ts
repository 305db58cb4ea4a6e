import * as nodeCrypto from 'node:crypto'
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto'

/** Node's one-shot `crypto.hash` (Node ≥ 20.12): no Hash object per digest. Older Nodes use createHash. */
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash

/** Uppercase hex MD5 of a UTF-8 string (Appendix A, step 2). */
export function md5Upper (text: string): string {
  return (oneShot === undefined ? createHash('md5').update(text, 'utf8').digest('hex') : oneShot('md5', text, 'hex')).toUpperCase()
}

/**
 * The AES key of Appendix A, steps 3–4: characters 8..24 of uppercase MD5(md5 + signKey), the "16-bit MD5".
 * The 16 hex characters are used as ASCII bytes, not hex-decoded (verified against the worked example).
 */
export function deriveKey (md5: string, signKey: string): string {
  return md5Upper(md5 + signKey).slice(8, 24)
}

function keyBytes (key: string): Buffer {
  const bytes = Buffer.from(key, 'utf8')
  if (bytes.length !== 16) throw new RangeError(`AES-128 key must be 16 bytes, got ${bytes.length}`)
  return bytes
}

/** AES-128-ECB / PKCS#5 of a UTF-8 text, as Base64 (Appendix A, step 5). */
export function encrypt (plaintext: string, key: string): string {
  const cipher = createCipheriv('aes-128-ecb', keyBytes(key), null)
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64')
}

/** Decrypts raw AES-128-ECB / PKCS#5 ciphertext to UTF-8 text. Throws on a bad length or bad padding. */
export function decryptBytes (ciphertext: Buffer, key: string): string {
  const decipher = createDecipheriv('aes-128-ecb', keyBytes(key), null)
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
}

/** Decrypts a Base64 AES-128-ECB / PKCS#5 ciphertext (whitespace ignored) to UTF-8 text. */
export function decrypt (base64: string, key: string): string {
  return decryptBytes(Buffer.from(base64.replace(/\s+/g, ''), 'base64'), key)
}
