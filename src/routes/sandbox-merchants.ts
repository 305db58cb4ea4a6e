import type { FastifyInstance } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import type { Merchant } from '../fixtures.js'
import type { MerchantDirectory } from '../merchants.js'

/** A sign key shown without giving it away: its first and last two characters. */
export function maskKey (key: string): string {
  if (key.length <= 6) return '*'.repeat(key.length)
  return key.slice(0, 2) + '*'.repeat(key.length - 4) + key.slice(-2)
}

export const MerchantViewSchema = Type.Object({
  merchant_id: Type.String(),
  name: Type.String(),
  currency: Type.String(),
  operators: Type.Array(Type.String()),
  sign_key_masked: Type.String({ description: 'the sign key with all but its first and last two characters masked' }),
  sign_key: Type.Optional(Type.String({ description: 'only with ?reveal=true' })),
  mer_code: Type.Optional(Type.String({ description: 'the merCode of the hosted links (/webPay, /wapPay, /h5Pay); it travels in the payer\'s URL, so it is not masked' })),
  convenience_fee: Type.Optional(Type.String({ description: 'cents H5PAY adds to the amount' })),
  autopay_after: Type.Optional(Type.String())
}, { $id: 'MerchantView' })

export type MerchantView = Static<typeof MerchantViewSchema>

export function merchantView (merchant: Merchant, reveal: boolean): MerchantView {
  return {
    merchant_id: merchant.merchant_id,
    name: merchant.name,
    currency: merchant.currency,
    operators: [...merchant.operators],
    sign_key_masked: maskKey(merchant.sign_key),
    ...(reveal ? { sign_key: merchant.sign_key } : {}),
    ...(merchant.mer_code === undefined ? {} : { mer_code: merchant.mer_code }),
    ...(merchant.convenience_fee === undefined ? {} : { convenience_fee: merchant.convenience_fee }),
    ...(merchant.autopay_after === undefined ? {} : { autopay_after: merchant.autopay_after })
  }
}

/** The merchants the gateway knows, keys masked unless asked for (the route is behind ADMIN_TOKEN when set). */
export function registerSandboxMerchants (app: FastifyInstance, merchants: MerchantDirectory): void {
  app.addSchema(MerchantViewSchema)
  app.get<{ Querystring: { reveal?: boolean } }>('/sandbox/api/merchants', {
    config: { admin: 'api' },
    schema: {
      summary: 'The merchants with their operators; sign keys masked unless ?reveal=true',
      tags: ['control API'],
      querystring: Type.Object({ reveal: Type.Optional(Type.Boolean()) }),
      response: { 200: Type.Object({ merchants: Type.Array(Type.Ref(MerchantViewSchema)) }) }
    }
  }, async (request) => ({ merchants: merchants.list().map((m) => merchantView(m, request.query.reveal === true)) }))
}
