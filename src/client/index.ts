/**
 * The `ottpay-sandbox/client` export: a processV2 client for merchants' tests, and callback verification.
 * Its run-time code is this folder and the pure crypto core; the types come from the sandbox's own schemas.
 */
export { createClient, type ClientOptions, type SandboxClient } from './create-client.js'
export { verifyCallback, openCallback, type CallbackBody } from './verify-callback.js'
export { ClientError, type ClientErrorCode, type ClientErrorDetails } from './client-error.js'
export type * from './action-types.js'
export { CryptoError, seal, open, type DataObject, type Sealed } from '../crypto/index.js'
