import type { Order } from './order.js'

/** Where and how the payer's browser goes back to the merchant after a hosted page. */
export interface ReturnTarget {
  /** GET: follow `url` (its query carries the result); POST: submit `fields` to `url` as a form. */
  method: 'GET' | 'POST'
  url: string
  fields: Record<string, string>
}

/** `1234` cents → `12.34`: the h5Pay redirect documents `amount` as a decimal ("1.00 for 1.00 dollar"). */
export function decimalAmount (cents: string): string {
  const padded = cents.padStart(3, '0')
  return `${padded.slice(0, -2)}.${padded.slice(-2)}`
}

/** Paid (or refunded since) → the flows' success words; anything else is closed. */
function paid (order: Order): boolean {
  return order.status === 'success' || order.status === 'authorised' || order.status === 'partial_refunded' || order.status === 'refunded'
}

function withQuery (url: string, fields: Record<string, string>): string {
  const target = new URL(url)
  for (const [name, value] of Object.entries(fields)) target.searchParams.set(name, value)
  return target.toString()
}

/**
 * The return to the merchant, in the style of the order's flow (see `ReturnStyle`). `redirectUrl` is the
 * `redirect_url` a merchant appended to a WeChat MWEB link (H5PAY `payinfo`): used as it is when the order has
 * no return URL of its own. Undefined when there is nowhere to return to.
 *
 * Decided where the docs are silent: `trade_status` is `Trade_Finished` (printed `" Trade_Finished"`) when
 * paid and `Trade_Closed` otherwise; the h5Pay `status` is the order's `order_status`.
 */
export function returnTarget (order: Order, redirectUrl?: string): ReturnTarget | undefined {
  if (order.return_url === null) {
    // Only H5PAY hands out an MWEB link the merchant extends: elsewhere a `redirect_url` would be an open redirect.
    return redirectUrl === undefined || order.action !== 'H5PAY' ? undefined : { method: 'GET', url: redirectUrl, fields: {} }
  }
  const style = order.return_style ?? (order.method === 'SECUREPAY' ? 'unionpay' : 'plain')
  if (style === 'unionpay') {
    return {
      method: 'POST',
      url: order.return_url,
      fields: {
        order_id: order.order_id,
        orderId: order.order_id,
        merchant_id: order.merchant_id,
        amount: order.amount,
        bizpay_order_id: order.bizpay_order_id,
        order_status: order.status
      }
    }
  }
  if (style === 'alipay') {
    return {
      method: 'GET',
      url: withQuery(order.return_url, {
        total_fee: order.amount,
        trade_no: order.bizpay_order_id,
        out_trade_no: order.order_id,
        trade_status: paid(order) ? 'Trade_Finished' : 'Trade_Closed'
      }),
      fields: {}
    }
  }
  if (style === 'h5pay') {
    return {
      method: 'GET',
      url: withQuery(order.return_url, {
        amount: decimalAmount(order.amount),
        orderID: order.order_id,
        tranID: order.bizpay_order_id,
        status: order.status
      }),
      fields: {}
    }
  }
  return { method: 'GET', url: order.return_url, fields: {} }
}
