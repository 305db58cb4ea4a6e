import { STATUS_CODES } from 'node:http'
import { decrypt, deriveKey, encrypt, md5Upper } from '../../crypto/index.js'

/** The short body of an injected HTTP status: text, as a proxy or load balancer in front of a gateway answers. */
export function statusBody (status: number, faultId: string): string {
  return `${status} ${STATUS_CODES[status] ?? 'Error'} (injected by ottpay-sandbox fault ${faultId})\n`
}

/**
 * Spoils a sealed answer `{…, data, md5}`. `data`: the last 4 Base64 characters are dropped, so the ciphertext
 * is no longer whole AES blocks and never decrypts (deterministic, unlike flipping bits). `md5`: another md5,
 * with data re-encrypted under the key derived from it, so the answer decrypts but its digest does not match —
 * a wrong md5 alone would fail at decryption, since the AES key comes from the md5.
 * Returns undefined when the answer carries no sealed data (a rejection).
 */
export function spoilAnswer (answer: Record<string, unknown>, target: 'data' | 'md5', signKey: string): Record<string, unknown> | undefined {
  const { data, md5 } = answer
  if (typeof data !== 'string' || typeof md5 !== 'string') return undefined
  if (target === 'data') return { ...answer, data: data.slice(0, -4) }
  const wrongMd5 = md5Upper(`${md5}:corrupted`)
  const plaintext = decrypt(data, deriveKey(md5, signKey))
  return { ...answer, data: encrypt(plaintext, deriveKey(wrongMd5, signKey)), md5: wrongMd5 }
}
