import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { deriveKey, encrypt } from '../../src/crypto/index.js'
import type { RequestLogEntry } from '../../src/inspector/log-entry.js'
import { MERCHANT } from './build.js'

// Requests the client library would never send: raw bodies, envelopes sealed by hand, for the gateway's refusals.

/** POSTs a raw body with a content type. */
export function postRaw (app: FastifyInstance, payload: string, contentType = 'application/json', url = '/processV2'): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } })
}

/** POSTs an envelope object as JSON, whatever it holds. */
export function postEnvelope (app: FastifyInstance, body: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/processV2', payload: body })
}

/** An envelope (of `action`) whose data is `plaintext` encrypted under the key derived from `md5`: any text, any md5. */
export function handSealed (plaintext: string, md5: string, action = 'ACTIVEPAY', version = '1.0'): Record<string, string> {
  return { action, version, merchant_id: MERCHANT.merchant_id, data: encrypt(plaintext, deriveKey(md5, MERCHANT.sign_key)), md5 }
}

/** The newest entry of the request log. */
export async function latestRequest (app: FastifyInstance): Promise<RequestLogEntry> {
  const res = await app.inject('/sandbox/api/requests?limit=1')
  const entry = (res.json() as { requests: RequestLogEntry[] }).requests[0]
  if (entry === undefined) throw new Error('the request log is empty')
  return entry
}
