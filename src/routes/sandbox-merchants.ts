import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import { ApiError } from '../domain/errors.js'
import { MerchantSchema, type Merchant } from '../domain/fixtures.js'
import { DEFAULT_OPERATOR, type MerchantDirectory } from '../engine/merchants.js'
import { apiRoute } from './api-schemas.js'

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
  sign_key: Type.Optional(Type.String({ description: 'only with ?reveal=true, and never for a runtime merchant: its key is returned once, by POST /sandbox/api/merchants' })),
  mer_code: Type.Optional(Type.String({ description: 'the merCode of the hosted links (/webPay, /wapPay, /h5Pay); it travels in the payer\'s URL, so it is not masked' })),
  convenience_fee: Type.Optional(Type.String({ description: 'cents H5PAY adds to the amount' })),
  autopay_after: Type.Optional(Type.String()),
  runtime: Type.Optional(Type.Literal(true, { description: 'created by POST /sandbox/api/merchants (absent for fixture merchants)' }))
}, { $id: 'MerchantView' })

export type MerchantView = Static<typeof MerchantViewSchema>

/** A runtime merchant's key is never revealed: a CI worker cannot read another worker's key from the listing. */
export function merchantView (merchant: Merchant, reveal: boolean, runtime = false): MerchantView {
  return {
    merchant_id: merchant.merchant_id,
    name: merchant.name,
    currency: merchant.currency,
    operators: [...merchant.operators],
    sign_key_masked: maskKey(merchant.sign_key),
    ...(reveal && !runtime ? { sign_key: merchant.sign_key } : {}),
    ...(merchant.mer_code === undefined ? {} : { mer_code: merchant.mer_code }),
    ...(merchant.convenience_fee === undefined ? {} : { convenience_fee: merchant.convenience_fee }),
    ...(merchant.autopay_after === undefined ? {} : { autopay_after: merchant.autopay_after }),
    ...(runtime ? { runtime: true as const } : {})
  }
}

const { properties: fixture } = MerchantSchema

// One enum rather than the fixtures' union of literals: a wrong currency gets one message, not one per literal.
const CURRENCIES = fixture.currency.anyOf.map((literal) => literal.const)

const NewMerchantBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'default: "Runtime merchant <merchant_id>"' })),
  currency: Type.Optional(Type.Unsafe<Merchant['currency']>({ type: 'string', enum: CURRENCIES, description: `${CURRENCIES.join(', ')}; default CAD` })),
  operators: Type.Optional(Type.Array(fixture.operators.items, { minItems: 1, maxItems: 20, uniqueItems: true, description: `operator ids (digits); default ["${DEFAULT_OPERATOR}"]` })),
  autopay_after: Type.Optional(fixture.autopay_after),
  convenience_fee: Type.Optional(fixture.convenience_fee)
}, { description: 'optional: without a body, a CAD merchant with one operator' })

const NEW_MERCHANT_FIELDS = Object.keys(NewMerchantBody.properties)

const CreatedMerchantSchema = Type.Object({
  merchant_id: Type.String({ description: 'RT + 8 random digits' }),
  name: Type.String(),
  sign_key: Type.String({ description: '16 random letters and digits; returned only here, once: keep it' }),
  currency: Type.String(),
  operators: Type.Array(Type.String()),
  mer_code: Type.String({ description: 'the merCode of the hosted links (/webPay, /wapPay, /h5Pay)' }),
  convenience_fee: Type.Optional(Type.String()),
  autopay_after: Type.Optional(Type.String()),
  runtime: Type.Literal(true)
}, { $id: 'CreatedMerchant' })

type CreatedMerchant = Static<typeof CreatedMerchantSchema>

/** The merchants the gateway knows, keys masked unless asked for (the route is behind ADMIN_TOKEN when set). */
export function registerSandboxMerchants (app: FastifyInstance, merchants: MerchantDirectory): void {
  app.addSchema(MerchantViewSchema)
  app.addSchema(CreatedMerchantSchema)
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  api.get('/sandbox/api/merchants', apiRoute('The merchants with their operators; sign keys masked unless ?reveal=true (runtime merchants\' keys always)', {
    querystring: Type.Object({ reveal: Type.Optional(Type.Boolean()) }),
    response: { 200: Type.Object({ merchants: Type.Array(Type.Ref(MerchantViewSchema)) }) }
  }), async (request) => ({
    merchants: merchants.list().map((m) => merchantView(m, request.query.reveal === true, merchants.isRuntime(m.merchant_id)))
  }))

  api.post('/sandbox/api/merchants', {
    ...apiRoute('Create a merchant with a random id, sign key and merCode (an isolated namespace for one test worker); the key is returned only here', {
      body: NewMerchantBody,
      response: { 201: Type.Ref(CreatedMerchantSchema) }
    }),
    // `curl -X POST` sends no body: that asks for every default.
    preValidation: async (request) => { request.body ??= {} }
  }, async (request, reply): Promise<CreatedMerchant> => {
    const body = request.body
    const unknown = Object.keys(body).filter((field) => !NEW_MERCHANT_FIELDS.includes(field))
    if (unknown.length > 0) {
      throw new ApiError('BAD_REQUEST', `body has unknown field${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}: a new merchant takes ${NEW_MERCHANT_FIELDS.join(', ')} (the sandbox picks merchant_id, sign_key and mer_code)`)
    }
    const merchant = await merchants.create(body)
    reply.code(201)
    return { ...merchant, mer_code: merchant.mer_code!, runtime: true }
  })
}
