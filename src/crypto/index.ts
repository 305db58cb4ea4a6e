/**
 * The OTT Pay processV2 crypto core (Appendix A), pure and dependency-free: the `ottpay-sandbox/crypto` export.
 * Merchants can use it in their own tests to seal requests and open answers and callbacks.
 */
export { canonicalString, compareCodePoints, digestValue, type NumberStyle } from './canonical.js'
export { md5Upper, deriveKey, encrypt, decrypt } from './aes.js'
export { seal, open, openDetailed, type Sealed, type Opened, type DataObject } from './envelope.js'
export { MAX_DATA_DEPTH, jsonDepth, type JsonDepth } from './json-depth.js'
export { CryptoError, type CryptoErrorCode, type CryptoErrorDetails } from './crypto-error.js'
export { diagnose, numberHints, type Hint, type CandidateKey } from './diagnose.js'
