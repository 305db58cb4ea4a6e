import { readFileSync } from 'node:fs'

/** One golden vector of fixtures/crypto-vectors.json: every step of sealing, from data to ciphertext. */
export interface Vector {
  name: string
  sign_key: string
  data: Record<string, unknown>
  canonical: string
  md5: string
  key: string
  plaintext: string
  encrypted: string
}

/** The golden vectors the package ships (`ottpay-sandbox/crypto-vectors.json`). */
export const VECTORS = (JSON.parse(readFileSync(new URL('../../fixtures/crypto-vectors.json', import.meta.url), 'utf8')) as { vectors: Vector[] }).vectors
