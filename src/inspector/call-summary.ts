import { orderIdOf, type GatewayExchange, type PendingEntry } from './build-entry.js'

/** The message of the one log record each gateway call gets (a terminal shows it as one line). */
export const GATEWAY_CALL = 'gateway call'

/** What the log says of a gateway call: who asked what, the answer, the order, and where to find it in the inspector. */
export interface CallSummary {
  merchant_id: string | null
  action: string | null
  rsp_code: string
  http_status: number
  order_id: string | null
  /** The call's id (`req_12`): its request-log entry and the answer's `x-sandbox-request-id`, even when the log keeps no entries. */
  request_id: string
}

/** Only ids and codes: never a body, a key or a card number. */
export function callSummary (exchange: GatewayExchange, entry: PendingEntry | undefined, requestId: string): CallSummary {
  const { trace, reply } = exchange
  const orderId = entry?.orderId ?? orderIdOf(trace?.answer ?? {}) ?? orderIdOf(trace?.data ?? {})
  return {
    merchant_id: entry?.merchantId ?? trace?.merchant_id ?? null,
    action: entry?.action ?? trace?.action ?? null,
    rsp_code: typeof reply.rsp_code === 'string' ? reply.rsp_code : '',
    http_status: exchange.httpStatus,
    order_id: typeof orderId === 'string' ? orderId : null,
    request_id: entry?.id ?? requestId
  }
}
