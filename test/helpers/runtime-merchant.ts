import type { FastifyInstance } from 'fastify'
import type { Merchant } from '../../src/domain/fixtures.js'

/** A merchant as POST /sandbox/api/merchants answers it: the only time its sign key is shown. */
export type CreatedMerchant = Merchant & { mer_code: string, runtime: true }

/** Creates a runtime merchant through the control API, as a CI worker does; fails loudly on anything but 201. */
export async function createMerchant (app: FastifyInstance, body?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<CreatedMerchant> {
  const res = await app.inject({ method: 'POST', url: '/sandbox/api/merchants', headers, ...(body === undefined ? {} : { payload: body }) })
  if (res.statusCode !== 201) throw new Error(`POST /sandbox/api/merchants: ${res.statusCode} ${res.body}`)
  return res.json() as CreatedMerchant
}
