import type { ActionDefinition } from './action.js'
import activePay from './actions/active-pay.js'
import ccPreauth from './actions/cc-preauth.js'
import ccPurchase from './actions/cc-purchase.js'

/** Every processV2 action the sandbox answers, one file each under ./actions. */
export const ACTIONS: readonly ActionDefinition[] = [activePay, ccPurchase, ccPreauth]

const byName = new Map(ACTIONS.map((definition) => [definition.action, definition]))

export function findAction (action: string): ActionDefinition | undefined {
  return byName.get(action)
}
