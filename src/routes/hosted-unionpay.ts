import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { Clock } from '../clock.js'
import type { MerchantDirectory } from '../merchants.js'
import { applyPaymentEvent, TransitionError, type PaymentEvent } from '../orders/lifecycle.js'
import { PAYER_CHOICES, renderNotFound, renderUnionPayPage, renderUnionPayResult, type PayerChoice } from '../pages/unionpay-page.js'
import type { Store } from '../store/index.js'

const Params = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) })
const Choice = Type.Object({ choice: Type.Union(PAYER_CHOICES.map((c) => Type.Literal(c))) })

/** Cancel closes the order unpaid (`notpay`), as an abandoned payment would once it expires. */
const EVENT: Record<PayerChoice, PaymentEvent> = { pay: 'pay', decline: 'fail', cancel: 'expire' }
const REASON: Record<PayerChoice, string> = {
  pay: 'paid by the payer on the hosted UnionPay page',
  decline: 'declined on the hosted UnionPay page',
  cancel: 'cancelled by the payer on the hosted UnionPay page'
}

export interface HostedDeps {
  store: Store
  merchants: MerchantDirectory
  clock: Clock
}

/** The hosted UnionPay SecurePay page that CC_PURCHASE / CC_PREAUTH `codeUrl` points at. */
export function registerHostedUnionPay (app: FastifyInstance, deps: HostedDeps): void {
  const path = '/sandbox/pay/unionpay/:token'
  const merchantName = (merchantId: string) => deps.merchants.get(merchantId)?.name ?? merchantId

  app.get<{ Params: { token: string } }>(path, {
    config: { surface: 'page' },
    schema: { summary: 'UnionPay SecurePay payer page', tags: ['payer pages'], params: Params }
  }, async (request, reply) => {
    const order = deps.store.orders.findByPageToken(request.params.token)
    reply.type('text/html; charset=utf-8')
    if (order === undefined) return reply.code(404).send(renderNotFound())
    return renderUnionPayPage(order, merchantName(order.merchant_id), request.url)
  })

  app.post<{ Params: { token: string }, Body: { choice: PayerChoice } }>(path, {
    config: { surface: 'page' },
    schema: { summary: 'The payer pays, declines or cancels', tags: ['payer pages'], params: Params, body: Choice }
  }, async (request, reply) => {
    const order = deps.store.orders.findByPageToken(request.params.token)
    reply.type('text/html; charset=utf-8')
    if (order === undefined) return reply.code(404).send(renderNotFound())
    const choice = request.body.choice
    try {
      applyPaymentEvent(order, EVENT[choice], deps.clock.now(), REASON[choice])
    } catch (err) {
      if (!(err instanceof TransitionError)) throw err
      return reply.code(409).send(renderUnionPayResult(order, merchantName(order.merchant_id), choice, err.message))
    }
    await deps.store.orders.save(order)
    return renderUnionPayResult(order, merchantName(order.merchant_id), choice)
  })
}
