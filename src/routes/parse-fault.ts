import { Type } from '@sinclair/typebox'
import { ApiError } from '../domain/errors.js'
import type { MerchantDirectory } from '../engine/merchants.js'
import { ACTIONS } from '../protocol/registry.js'
import { compile } from '../protocol/validate.js'
import { CALLBACK_EFFECTS, GATEWAY_EFFECTS, type FaultEffect, type FaultEffectType, type FaultOn, type FaultSpec } from '../engine/faults/fault.js'
import { DEFAULT_HOLD_MS, EFFECT_SCHEMAS, faultRequestSchema, GATEWAY_DELAY_MAX_MS, type FaultRequest } from '../engine/faults/schemas.js'

const TYPES = Object.keys(EFFECT_SCHEMAS) as FaultEffectType[]
const byType = new Map(TYPES.map((type) => [type, compile(faultRequestSchema(EFFECT_SCHEMAS[type]))]))
const hasType = compile(Type.Object({ effect: Type.Object({ type: Type.String() }) }))

/** The hosted links create orders too (their callbacks match by these names); the gateway never sees them. */
const LINK_ACTIONS = ['webPay', 'wapPay', 'h5Pay']

function bad (message: string): never {
  throw new ApiError('BAD_REQUEST', message)
}

function effectOf (request: FaultRequest): FaultEffect {
  const e = request.effect
  switch (e.type) {
    case 'status': return { type: 'status', status: e.status, when: e.when ?? 'before' }
    case 'delay': return { type: 'delay', ms: e.ms }
    case 'drop': return { type: 'drop', when: e.when ?? 'before' }
    case 'corrupt': return { type: 'corrupt', target: e.target ?? 'data' }
    case 'duplicate': return { type: 'duplicate' }
    case 'out_of_order': return { type: 'out_of_order', ms: e.ms ?? DEFAULT_HOLD_MS }
  }
}

function onOf (type: FaultEffectType, given: FaultOn | undefined): FaultOn {
  const on = given ?? (GATEWAY_EFFECTS.includes(type) ? 'gateway' : 'callback')
  const allowed = on === 'gateway' ? GATEWAY_EFFECTS : CALLBACK_EFFECTS
  if (!allowed.includes(type)) {
    bad(`effect.type "${type}" does not apply to ${on === 'gateway' ? 'gateway calls' : 'callbacks'} (match.on "${on}"): ${on} faults are ${allowed.join(', ')}`)
  }
  return on
}

/**
 * Reads the body of POST /sandbox/api/faults into a fault to arm, or throws a 400 ApiError whose message names
 * the field: the effect type first, then the fields of that effect's shape, then what only makes sense together.
 */
export function parseFault (body: unknown, merchants: MerchantDirectory): FaultSpec {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    bad('the body must be a JSON object {match?, effect, times?}')
  }
  const typeProblem = hasType.problem(body)
  if (typeProblem !== undefined) bad(typeProblem)
  const type = (body as { effect: { type: string } }).effect.type
  const validator = byType.get(type as FaultEffectType)
  if (validator === undefined) bad(`effect.type must be one of ${TYPES.join(', ')}, got ${JSON.stringify(type)}`)
  const problem = validator.problem(body)
  if (problem !== undefined) bad(problem)

  const request = body as FaultRequest
  const effect = effectOf(request)
  const on = onOf(effect.type, request.match?.on)
  if (effect.type === 'delay' && on === 'gateway' && effect.ms > GATEWAY_DELAY_MAX_MS) {
    bad(`effect.ms must be at most ${GATEWAY_DELAY_MAX_MS} for a gateway delay (real time the connection is held), got ${effect.ms}`)
  }
  if (effect.type === 'drop' && on === 'callback' && effect.when === 'after') {
    bad('effect.when "after" does not apply to callbacks: a dropped callback is never sent (leave effect.when out)')
  }
  const merchantId = request.match?.merchant_id ?? null
  if (merchantId !== null && merchants.get(merchantId) === undefined) {
    bad(`match.merchant_id ${JSON.stringify(merchantId)} is not a merchant of this sandbox (see GET /sandbox/api/merchants)`)
  }
  const action = request.match?.action ?? null
  const actions = [...ACTIONS.map((a) => a.action), ...(on === 'callback' ? LINK_ACTIONS : [])]
  if (action !== null && !actions.includes(action)) {
    bad(`match.action must be one of ${actions.join(', ')}, got ${JSON.stringify(action)}`)
  }
  return { match: { on, merchant_id: merchantId, action }, effect, times: request.times ?? 1 }
}
