import type { Delivery } from '../../src/domain/callbacks/delivery.js'
import type { Order } from '../../src/domain/orders/order.js'

/** The time every hand-made record carries. */
export const AT = '2026-01-15T04:00:00.000Z'

/** An order as the gateway stores it, made by hand for store tests. */
export function order (merchantId: string, orderId: string, extra: Partial<Order> = {}): Order {
  return {
    merchant_id: merchantId,
    order_id: orderId,
    action: 'ACTIVEPAY',
    version: '1.0',
    method: 'WECHATPAY',
    amount: '100',
    tip: '0',
    currency: 'CAD',
    operator_id: '0000020156',
    notify_url: 'https://merchant.example/callback',
    return_url: null,
    card_masked: null,
    channel: null,
    bizpay_order_id: 'WX0000000000000001',
    code_url: 'weixin://wxpay/bizpayurl?pr=abc',
    page_token: `page-${merchantId}-${orderId}`,
    status: 'init',
    created_at: AT,
    updated_at: AT,
    finish_time: null,
    history: [{ at: AT, status: 'init', reason: 'created by ACTIVEPAY 1.0' }],
    request: {},
    response: {},
    ...extra
  }
}

/** A callback delivery as the outbox stores it, made by hand for store tests. */
export function delivery (merchantId: string, orderId: string, id: string, extra: Partial<Delivery> = {}): Delivery {
  return {
    id,
    merchant_id: merchantId,
    order_id: orderId,
    kind: 'payment',
    url: 'https://merchant.example/callback',
    body: {},
    status: 'pending',
    created_at: AT,
    next_attempt_at: 0,
    attempts: [],
    simulate_timeouts: 0,
    duplicate_of: null,
    ...extra
  }
}
