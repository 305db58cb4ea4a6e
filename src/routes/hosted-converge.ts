import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import { maskCard, payerPageOf, type Order } from '../domain/orders/order.js'
import { returnTarget } from '../domain/orders/return-to-merchant.js'
import { PAYER_CHOICES, type PayerChoice } from '../engine/orders/payer-choice.js'
import type { SafeHtml } from '../views/html.js'
import { CHALLENGE_CODE, renderConvergeChallenge, renderConvergePage, renderConvergeResult, type ConvergeView } from '../views/payer/converge-page.js'
import { renderNotFound } from '../views/payer/error-pages.js'
import { statusOutcome } from '../views/payer/outcome.js'
import { sendHtml } from '../views/send-html.js'
import type { PayerPageDeps } from './payer-page.js'

const PAGE = 'hosted Converge page'

const PageParams = Type.Object({
  token: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'The token of the CC_PURCHASE / CC_PREAUTH codeUrl' })
})
const ChoiceBody = Type.Object({
  choice: Type.Unsafe<PayerChoice>({ type: 'string', enum: [...PAYER_CHOICES], description: 'pay, decline or cancel' }),
  card_last4: Type.Optional(Type.String({ pattern: '^([0-9]{4})?$', description: 'The last four digits of the card typed on the page (the page never sends the card number); empty when unknown' })),
  challenge: Type.Optional(Type.String({ maxLength: 8, description: '"1" (the page\'s checkbox): Pay shows the 3-D Secure step instead of paying' })),
  code: Type.Optional(Type.String({ maxLength: 12, description: 'The 3-D Secure code typed on the challenge step: "123456" pays, any other declines' }))
}, { additionalProperties: false })
type Choice = Static<typeof ChoiceBody>
type ChoiceRequest = { Params: { token: string }, Body: Choice }

/** The Converge order behind a token; tokens of other payer pages are not found here. */
function convergeOrder (deps: PayerPageDeps, token: string): Order | undefined {
  const order = deps.store.orders.findByPageToken(token)
  return order !== undefined && payerPageOf(order) === 'converge' ? order : undefined
}

/** Carries out the choice: the card's last four digits are kept masked; a 3-D Secure code decides pay or decline. */
function applyChoice (deps: PayerPageDeps, order: Order, body: Choice): Promise<Order> {
  const last4 = body.card_last4 === undefined || body.card_last4 === '' ? undefined : body.card_last4
  const changes = last4 === undefined ? {} : { card_masked: maskCard(`000000000000${last4}`) }
  if (body.choice === 'cancel') return deps.payments.expire(order, `cancelled by the payer on the ${PAGE}`)
  if (body.choice === 'decline') return deps.payments.decline(order, `declined by the payer on the ${PAGE}`, changes)
  if (body.code === undefined) return deps.payments.pay(order, `paid by the payer on the ${PAGE}`, changes)
  if (body.code.trim() === CHALLENGE_CODE) return deps.payments.pay(order, `paid by the payer on the ${PAGE} after the 3-D Secure check`, changes)
  return deps.payments.decline(order, `declined on the ${PAGE}: wrong 3-D Secure code`, changes)
}

/**
 * The hosted Elavon Converge card page that CC_PURCHASE / CC_PREAUTH `codeUrl` points at for channelType
 * "ELAVONECOM": GET shows the card form; POST carries out Pay (or first a 3-D Secure-style step when asked),
 * Decline or Cancel through the payments service (which fires the callback to `backUrl`), then returns the
 * browser to `frontUrl` as the UnionPay page does.
 */
export function registerHostedConverge (app: FastifyInstance, deps: PayerPageDeps): void {
  const path = '/sandbox/pay/converge/:token'
  const viewOf = (order: Order, formAction: string): ConvergeView =>
    ({ order, merchantName: deps.merchants.get(order.merchant_id)?.name ?? order.merchant_id, formAction })
  const api = app.withTypeProvider<TypeBoxTypeProvider>()

  api.get(path, {
    config: { surface: 'page' },
    schema: { summary: 'Elavon Converge hosted card page', tags: ['payer pages'], params: PageParams }
  }, async (request, reply) => {
    const order = convergeOrder(deps, request.params.token)
    if (order === undefined) return sendHtml(reply, renderNotFound(), 404)
    return sendHtml(reply, renderConvergePage(viewOf(order, request.url)))
  })

  /** A refused choice (paid in another tab, closed): the order as it is now, and why nothing changed. */
  function refusedPage (request: FastifyRequest, err: Error): SafeHtml {
    const { params, url } = request as FastifyRequest<ChoiceRequest>
    const now = convergeOrder(deps, params.token)
    if (now === undefined) return renderNotFound()
    return renderConvergeResult(viewOf(now, url), statusOutcome(now.status), err.message, returnTarget(now))
  }

  api.post(path, {
    config: { surface: 'page', refusedPage },
    schema: { summary: 'Elavon Converge hosted card page: the payer\'s choice', tags: ['payer pages'], params: PageParams, body: ChoiceBody }
  }, async (request, reply) => {
    const order = convergeOrder(deps, request.params.token)
    if (order === undefined) return sendHtml(reply, renderNotFound(), 404)
    const body = request.body
    const asked = body.challenge !== undefined && body.challenge !== '' && body.challenge !== '0'
    if (body.choice === 'pay' && asked && body.code === undefined && order.status === 'init') {
      return sendHtml(reply, renderConvergeChallenge(viewOf(order, request.url), body.card_last4))
    }
    const done = await applyChoice(deps, order, body)
    return sendHtml(reply, renderConvergeResult(viewOf(done, request.url), statusOutcome(done.status), undefined, returnTarget(done)))
  })
}
