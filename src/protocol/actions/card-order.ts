import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { GatewayError } from '../../domain/errors.js'
import { payerPagePath } from '../../domain/orders/order.js'
import { commitOrder, draftOrder } from '../../engine/orders/create-order.js'
import { isCompactTimestamp } from '../../platform/time.js'
import { defineAction, type ActionContext, type ActionDefinition } from '../action.js'
import { OneOf } from '../fields.js'
import { compile, type Validator } from '../validate.js'
import { CARD_CHANNELS, type CardChannel, type ChannelOrder } from './card-fields.js'
import { ConvergeCardDataSchema, convergeOrder } from './card-converge.js'
import { PorticoCardDataSchema, porticoOrder, porticoProblem } from './card-portico.js'
import { UnionPayCardDataSchema, unionPayOrder } from './card-unionpay.js'
import { requireEnvelopeMerchant } from './rules.js'

/**
 * The data of CC_PURCHASE and CC_PREAUTH: one shape per card channel, told apart by `channelType` (UnionPay
 * SecurePay, Elavon Converge hosted, Global Payments Portico).
 */
export const CardOrderDataSchema = Type.Union([UnionPayCardDataSchema, ConvergeCardDataSchema, PorticoCardDataSchema], {
  $id: 'CardOrderData',
  description: 'One shape per card channel, chosen by channelType: "UPAYONLINE" (UnionPay SecurePay), "ELAVONECOM" ' +
    '(Elavon Converge hosted), "PORTICOECOM" (Global Payments Portico)'
})
type CardOrderData = Static<typeof CardOrderDataSchema>

const ALL_CHANNELS = OneOf(CARD_CHANNELS, 'Card payment channel identity')

/**
 * Validates by channel, so a rejection names the field of the channel the client meant. An absent or unknown
 * `channelType` is judged against the UnionPay fields with every channel allowed: "channelType must be one of …".
 */
function cardOrderValidator (): Validator<typeof CardOrderDataSchema> {
  const byChannel: Record<CardChannel, Validator<TSchema>> = {
    UPAYONLINE: compile(UnionPayCardDataSchema),
    ELAVONECOM: compile(ConvergeCardDataSchema),
    PORTICOECOM: compile(PorticoCardDataSchema)
  }
  const unknownChannel = compile(Type.Object({ ...UnionPayCardDataSchema.properties, channelType: ALL_CHANNELS }, { additionalProperties: true }))
  const check = TypeCompiler.Compile(CardOrderDataSchema)
  return {
    schema: CardOrderDataSchema,
    problem (value) {
      const channel = (value as { channelType?: unknown } | null)?.channelType
      const validator = typeof channel === 'string' && channel in byChannel ? byChannel[channel as CardChannel] : unknownChannel
      const problem = validator.problem(value)
      return problem !== undefined && channel === 'PORTICOECOM' ? porticoProblem(problem, value as Record<string, unknown>) : problem
    },
    is: (value): value is CardOrderData => check.Check(value)
  }
}

/** What the order of each channel is, once its data is valid. */
function channelOrder (ctx: ActionContext, data: CardOrderData): ChannelOrder {
  if (data.channelType === 'ELAVONECOM') return convergeOrder(ctx, data as Static<typeof ConvergeCardDataSchema>)
  if (data.channelType === 'PORTICOECOM') return porticoOrder(ctx, data as Static<typeof PorticoCardDataSchema>)
  return unionPayOrder(ctx, data as Static<typeof UnionPayCardDataSchema>)
}

const cardAnswerFields = {
  rspCode: Type.Literal('PROCESSING', { description: 'From the PSP; the sandbox always answers "PROCESSING": the payer (or, for Portico, the card network) has yet to decide' }),
  rspMsg: Type.Literal('User paying', { description: 'Message of rspCode' }),
  codeUrl: Type.String({
    format: 'http-url',
    pattern: '/sandbox/pay/(unionpay|converge|portico)/[A-Za-z0-9]+$',
    description: 'Where to send the payer\'s browser: the sandbox\'s hosted UnionPay card page, its hosted Converge card page, ' +
      'or, for Portico (which has no hosted page), the sandbox\'s decision page, which a client may ignore ' +
      '(PUBLIC_URL, or the origin the request reached, then /sandbox/pay/{unionpay|converge|portico}/{token})'
  }),
  amount: Type.String({ pattern: '^[0-9]{1,12}$', description: 'Transaction amount in cents (txnAmt), "100" for 1.00' })
}

/**
 * The answer's data (docs §9 for "web", §14 for "mobile"; Converge's and Portico's are unreadable, so they get the
 * web one): the mobile answer adds the lowercase `respcode` and `respmsg` its page documents, and keeps `codeUrl`
 * (which that page omits) since the payer needs the hosted page.
 */
export const CardOrderAnswerSchema = Type.Union([
  Type.Object(cardAnswerFields, { title: 'web (cc_channelType "web"; Converge; Portico)', additionalProperties: false }),
  Type.Object({
    ...cardAnswerFields,
    respcode: Type.Literal('PROCESSING', { description: 'rspCode, as the mobile page spells it' }),
    respmsg: Type.Literal('User paying', { description: 'rspMsg, as the mobile page spells it' })
  }, { title: 'mobile (UnionPay, cc_channelType "mobile")', additionalProperties: false })
], { $id: 'CardOrderAnswer', description: 'The answer to cc_channelType "web" (and to Converge and Portico), or to UnionPay "mobile" with respcode and respmsg as well' })

/** CC_PURCHASE and CC_PREAUTH 2.0 differ only in what a paid order becomes (`success` or `authorised`). */
export function cardOrderAction (action: 'CC_PURCHASE' | 'CC_PREAUTH', summary: string): ActionDefinition {
  return defineAction({
    action,
    versions: ['2.0'],
    summary,
    aliases: { order_id: 'orderId', biz_type: 'bizType' },
    trim: ['bizType', 'channelType', 'cc_channelType', 'termId', 'currency'],
    data: CardOrderDataSchema,
    validateData: cardOrderValidator(),
    answer: CardOrderAnswerSchema,
    async handle (ctx, data) {
      requireEnvelopeMerchant(ctx, data.merchant_id)
      if (!isCompactTimestamp(data.txnTime)) {
        throw new GatewayError('PARAM_INVALID', `txnTime ${data.txnTime} is not a real date and time (yyyyMMddHHmmss)`)
      }
      const order = draftOrder(ctx, { ...channelOrder(ctx, data), request: data })
      order.code_url = ctx.baseUrl + payerPagePath(order)
      const answer: Static<typeof CardOrderAnswerSchema> = data.cc_channelType === 'mobile'
        // The mobile page documents `respcode`/`respmsg`; both spellings are sent so either kind of client reads it.
        ? { rspCode: 'PROCESSING', rspMsg: 'User paying', respcode: 'PROCESSING', respmsg: 'User paying', codeUrl: order.code_url, amount: order.amount }
        : { rspCode: 'PROCESSING', rspMsg: 'User paying', codeUrl: order.code_url, amount: order.amount }
      order.response = answer
      await commitOrder(ctx, order)
      return answer
    }
  })
}
