import { seal } from '../dist/crypto/index.js'

/** The fixture merchant every phase uses (fixtures/merchants.json). */
export const MERCHANT = { id: 'QC00005496', key: 'SANDBOXKEY000001', operator: '0000020156' }
/** A second fixture merchant: in phase (f), the one whose receiver is healthy. */
export const OTHER_MERCHANT = { id: 'AB00000004', key: 'FAKE-SIGN-KEY-USD-0004', operator: '0000000005' }

const WALLETS = ['WECHATPAY', 'ALIPAY', 'UNIONPAY']

/** An amount in cents that ends in 0, so no magic outcome (ending 01–05) changes what the order does. */
const amountOf = (i) => String(1000 + (i % 90) * 10)

/** A sealed ACTIVEPAY request body for a new order of `merchant`, as a merchant's client sends it. */
export function activePayBody (orderId, callbackUrl, i = 0, merchant = MERCHANT) {
  const data = {
    order_id: orderId,
    operator_id: merchant.operator,
    amount: amountOf(i),
    biz_type: WALLETS[i % WALLETS.length],
    call_back_url: callbackUrl
  }
  return JSON.stringify({ action: 'ACTIVEPAY', version: '1.0', merchant_id: merchant.id, ...seal(data, merchant.key) })
}

/**
 * Request bodies, each for a new order id, sealed before the load starts so that the load generator's own crypto
 * does not limit what is measured. Past the pool, bodies are sealed as they are needed (counted in `sealedLive`).
 */
export function envelopePool (prefix, size, callbackUrl = 'https://merchant.example/ottpay/callback') {
  const bodies = new Array(size)
  for (let i = 0; i < size; i++) bodies[i] = activePayBody(prefix + String(i).padStart(8, '0'), callbackUrl, i)
  let next = 0
  const pool = {
    sealedLive: 0,
    used: () => next,
    next () {
      const i = next++
      if (i < size) {
        const body = bodies[i]
        bodies[i] = undefined
        return body
      }
      pool.sealedLive += 1
      return activePayBody(prefix + String(i).padStart(8, '0'), callbackUrl, i)
    }
  }
  return pool
}

/** The same bodies over and over: for the ceiling server, which keeps no orders. */
export function cyclingPool (size) {
  const bodies = Array.from({ length: size }, (_, i) => activePayBody('CEIL' + String(i).padStart(8, '0'), 'https://merchant.example/ottpay/callback', i))
  let next = 0
  return { next: () => bodies[next++ % size] }
}
