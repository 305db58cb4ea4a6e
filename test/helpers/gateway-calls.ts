import type { FastifyInstance } from 'fastify'
import type { DataObject } from '../../src/crypto/index.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import { findAction } from '../../src/protocol/registry.js'
import { activePayData, callGateway, envelope, MERCHANT, type GatewayAnswer } from './build.js'

/** Calls an action and checks its answer data (when it has one) against the action's own answer schema. */
export async function callAction (app: FastifyInstance, action: string, version: string, data: DataObject, merchant: Merchant = MERCHANT): Promise<GatewayAnswer & { schemaProblem: string | undefined }> {
  const answer = await callGateway(app, envelope(action, version, data, merchant), merchant)
  const definition = findAction(action)
  const schemaProblem = answer.data === undefined ? undefined : definition?.answer.problem(answer.data)
  return { ...answer, schemaProblem }
}

export const statusQuery = (app: FastifyInstance, orderId: string, merchant: Merchant = MERCHANT) =>
  callAction(app, 'STATUS_QUERY', '1.0', { order_id: orderId }, merchant)

export const refundCall = (app: FastifyInstance, data: DataObject, merchant: Merchant = MERCHANT) =>
  callAction(app, 'REFUND', '1.0', data, merchant)

/** Pays an order through the control API, as the payer would. */
export async function payNow (app: FastifyInstance, orderId: string, merchant: Merchant = MERCHANT): Promise<void> {
  const res = await app.inject({ method: 'POST', url: `/sandbox/api/orders/${orderId}/pay?merchant_id=${merchant.merchant_id}` })
  if (res.statusCode !== 200) throw new Error(`pay ${orderId}: ${res.statusCode} ${res.body}`)
}

/**
 * Creates a wallet order through the gateway: ACTIVEPAY with {@link activePayData} and `extra`, for `merchant` with
 * its first operator. Throws unless the answer is SUCCESS; resolves with the order id.
 */
export async function walletOrder (app: FastifyInstance, extra: DataObject = {}, merchant: Merchant = MERCHANT): Promise<string> {
  const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ operator_id: merchant.operators[0]!, ...extra }), merchant), merchant)
  if (answer.body.rsp_code !== 'SUCCESS') throw new Error(`ACTIVEPAY ${String(extra.order_id ?? 'ORDER0001')}: ${answer.body.rsp_msg}`)
  return answer.data!.order_id as string
}
