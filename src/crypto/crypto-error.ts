/** Which step of opening a sealed envelope failed; JSON_TOO_DEEP is the JSON step refusing data nested deeper than MAX_DATA_DEPTH. */
export type CryptoErrorCode = 'BAD_BASE64' | 'DECRYPT_FAILED' | 'NOT_JSON' | 'JSON_TOO_DEEP' | 'MD5_MISMATCH'

/** What was learnt before the failing step, for diagnostics (never contains the sign key). */
export interface CryptoErrorDetails {
  /** The decrypted text, when decryption succeeded. */
  plaintext?: string
  /** The canonical string built from the decrypted data. */
  canonical?: string
  /** The md5 the decrypted data implies. */
  expectedMd5?: string
  /** The md5 that was received. */
  receivedMd5?: string
}

/** The one error `open` throws; `code` says which step failed. */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode
  readonly details: CryptoErrorDetails

  constructor (code: CryptoErrorCode, message: string, details: CryptoErrorDetails = {}) {
    super(message)
    this.name = 'CryptoError'
    this.code = code
    this.details = details
  }
}
