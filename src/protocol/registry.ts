import type { ActionDefinition } from './action.js'
import activePay from './actions/active-pay.js'
import ccPreauth from './actions/cc-preauth.js'
import ccPurchase from './actions/cc-purchase.js'
import ccQueryPay from './actions/cc-query-pay.js'
import exRateQuery from './actions/ex-rate-query.js'
import h5Pay from './actions/h5-pay.js'
import mappPay from './actions/mapp-pay.js'
import passivePay from './actions/passive-pay.js'
import prepayInit from './actions/prepay-init.js'
import prepayQuery from './actions/prepay-query.js'
import refund from './actions/refund.js'
import statusQuery from './actions/status-query.js'

/** Every processV2 action the sandbox answers, one file each under ./actions (docs order: common, wallets, cards, in-store, checkout). */
export const ACTIONS: readonly ActionDefinition[] = [
  statusQuery,
  refund,
  exRateQuery,
  activePay,
  h5Pay,
  mappPay,
  ccPurchase,
  ccPreauth,
  ccQueryPay,
  passivePay,
  prepayInit,
  prepayQuery
]

const byName = new Map(ACTIONS.map((definition) => [definition.action, definition]))

export function findAction (action: string): ActionDefinition | undefined {
  return byName.get(action)
}
