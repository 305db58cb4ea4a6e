import { Type, type Static } from '@sinclair/typebox'
import { parseDuration } from '../../platform/duration.js'
import { GatewayError, GoneError, StoreError, TransitionError, type GatewayCode } from '../../domain/errors.js'
import { commitOrder, draftOrder, requestedOrder } from '../../engine/orders/create-order.js'
import type { Order, PayMethod } from '../../domain/orders/order.js'
import { authCodeOutcomeFor, DEFAULT_CONFIRM_AFTER, type AuthCodeOutcome } from '../../domain/outcomes.js'
import { CodedAnswer, defineAction, type ActionContext } from '../action.js'
import { HttpUrl, OneOf } from '../fields.js'
import { WALLET_SPELLINGS, walletAnswerFields, walletFields } from './wallet-order.js'

type Wallet = Extract<PayMethod, 'WECHATPAY' | 'ALIPAY' | 'UNIONPAY'>

/** The data of PASSIVEPAY 1.0 (reference §17a), plus the optional `call_back_url` the docs' table lacks. */
export const PassivePayDataSchema = Type.Object({
  order_id: walletFields.order_id,
  operator_id: walletFields.operator_id,
  amount: walletFields.amount,
  tip: walletFields.tip,
  sale_num: walletFields.sale_num,
  auth_code: Type.String({
    pattern: '^[0-9]{16,24}$',
    errorMessage: 'must be the payer\'s wallet payment code: 16 to 24 digits',
    description: 'The payment code (barcode / QR content) the merchant scanned from the payer\'s wallet: WeChat Pay codes start with 10 to 15, ' +
      'Alipay 25 to 30, UnionPay 62. Magic codes (fixtures `outcomes.json`, `by_auth_code`) decline, stay processing or ask for a password'
  }),
  biz_type: OneOf(['ALIPAY', 'WECHATPAY', 'UNIONPAY'] as const, 'Wallet of the payment code (also accepted as "bizType")'),
  call_back_url: Type.Optional(HttpUrl('Not in the docs\' table: where the payment callback is POSTed. Without it no callback is sent'))
}, { $id: 'PassivePayData', additionalProperties: true })

/** The answer's data (reference §17a; the truncated fields after `total_amount` named as CC_QUERYPAY's, §19b). */
export const PassivePayAnswerSchema = Type.Object({
  order_status: OneOf(['success', 'fail', 'init'] as const,
    'Order status: "success" (paid, rsp_code SUCCESS), "fail" (declined, FAIL), "init" (the payer has yet to confirm: PROCESSING or PWD_INCORRECT; poll STATUS_QUERY)'),
  trade_time: Type.Optional(Type.String({ pattern: '^[0-9]{14}$', description: 'When it was paid, yyyyMMddHHmmss Beijing time; only once paid' })),
  order_id: walletAnswerFields.order_id,
  buyer_login_id: Type.String({ description: 'The payer\'s wallet login, masked (the sandbox invents one from the auth code\'s last four digits)' }),
  total_amount: Type.String({ pattern: '^[0-9]{1,12}$', description: 'Order amount in cents (without the tip), "100" for 1.00' }),
  receipt_amount: Type.String({ pattern: '^[0-9]{1,12}$', description: 'Amount received in cents: total_amount once paid, "0" otherwise' }),
  tip: Type.String({ pattern: '^[0-9]{1,12}$', description: 'Tip in cents ("0" when none)' }),
  bizpay_order_id: Type.String({ pattern: '^(WX|AP|UP)[0-9]{16}$', description: 'Order ID from the acquirer: WX, AP or UP followed by 16 digits' }),
  sale_num: Type.Optional(Type.String({ description: 'The sale_num sent, when one was' }))
}, { $id: 'PassivePayAnswer', additionalProperties: false })

type PassivePayAnswer = Static<typeof PassivePayAnswerSchema>

/** How each wallet's payment codes begin (their published formats); a code of another wallet is refused. */
const WALLET_CODES: Record<Wallet, { prefix: RegExp, rule: string }> = {
  WECHATPAY: { prefix: /^1[0-5]/, rule: 'WeChat Pay codes start with 10 to 15' },
  ALIPAY: { prefix: /^(2[5-9]|30)/, rule: 'Alipay codes start with 25 to 30' },
  UNIONPAY: { prefix: /^62/, rule: 'UnionPay codes start with 62' }
}

function requireWalletCode (wallet: Wallet, authCode: string): void {
  if (WALLET_CODES[wallet].prefix.test(authCode)) return
  const other = (Object.keys(WALLET_CODES) as Wallet[]).find((w) => WALLET_CODES[w].prefix.test(authCode))
  const hint = other === undefined ? '' : ` (it looks like a ${other} code: check biz_type)`
  throw new GatewayError('PARAM_INVALID', `auth_code ${authCode} is not a ${wallet} payment code: ${WALLET_CODES[wallet].rule}${hint}`)
}

/**
 * The in-store level-1 fields (§17a): `terminal_no` and `operator_id` beside `data`. Optional; when present they
 * must be strings (like the other envelope fields) and the operator one of the merchant's. '' counts as absent.
 */
function inStoreLevel1 (ctx: ActionContext): Record<string, string> {
  const found: Record<string, string> = {}
  for (const field of ['terminal_no', 'operator_id']) {
    const value = ctx.envelope[field]
    if (value === undefined || value === '') continue
    if (typeof value !== 'string') throw new GatewayError('PARAM_ERROR', `${field} (level 1, beside data) must be a string, got ${value === null ? 'null' : typeof value}`)
    found[field] = value
  }
  const operator = found.operator_id
  if (operator !== undefined && !ctx.merchant.operators.includes(operator)) {
    throw new GatewayError('PARAM_INVALID',
      `operator_id ${operator} (level 1, beside data) is not an operator of merchant ${ctx.merchant.merchant_id} (known: ${ctx.merchant.operators.join(', ')})`)
  }
  return {
    ...(found.terminal_no === undefined ? {} : { terminal_no: found.terminal_no }),
    ...(operator === undefined ? {} : { level1_operator_id: operator })
  }
}

/** The magic outcome of an auth code, from the outcomes the gateway hands to actions (none without them). */
function magicOf (ctx: ActionContext, authCode: string): AuthCodeOutcome | undefined {
  return authCodeOutcomeFor(ctx.outcomes, authCode)
}

/** When a `processing` code's payer confirms: ISO time. */
function confirmAt (ctx: ActionContext, magic: AuthCodeOutcome | undefined): string | undefined {
  if (magic?.outcome !== 'processing') return undefined
  return new Date(ctx.clock.now() + (parseDuration(magic.after ?? DEFAULT_CONFIRM_AFTER) ?? 0)).toISOString()
}

/** A fake masked wallet login; deterministic so that answers depend only on the request. */
function buyerLoginId (authCode: string): string {
  return `139****${authCode.slice(-4)}`
}

interface Settled {
  code: GatewayCode
  detail?: string
  /** The order as the payment left it. */
  order: Order
}

/** Runs the payment the scan starts: at once, or not yet (a magic code or amount), through the payments service. */
async function settle (ctx: ActionContext, order: Order, magic: AuthCodeOutcome | undefined): Promise<Settled> {
  const code = order.details?.auth_code
  if (magic?.outcome === 'decline') {
    const declined = await ctx.payments.decline(order, `declined by the wallet (magic auth code ${code})`)
    return { code: 'FAIL', detail: `the wallet declined auth_code ${code} (a magic code of outcomes.json)`, order: declined }
  }
  if (magic?.outcome === 'processing') {
    return { code: 'PROCESSING', detail: `the payer is confirming auth_code ${code} on the phone (a magic code): the order stays init until ${order.pay_at}; poll STATUS_QUERY`, order }
  }
  if (magic?.outcome === 'password') {
    return { code: 'PWD_INCORRECT', detail: `the wallet asks the payer for the password of auth_code ${code} (a magic code): the order stays init until paid through the control API or admin UI, or it expires`, order }
  }
  let paid: Order
  try {
    paid = await ctx.payments.pay(order, `paid at the terminal (PASSIVEPAY auth_code ${code})`)
  } catch (err) {
    // A never-paid magic amount: the payer never confirms, so the merchant polls until the order expires.
    if (!(err instanceof TransitionError)) throw err
    return { code: 'PROCESSING', detail: `${err.message}; poll STATUS_QUERY`, order }
  }
  if (paid.status === 'fail') return { code: 'FAIL', detail: `the wallet declined order ${paid.order_id} (magic amount ending in ${paid.amount.slice(-2)})`, order: paid }
  return { code: 'SUCCESS', order: paid }
}

function answerOf (order: Order, buyer: string): PassivePayAnswer {
  const paid = order.status === 'success'
  return {
    order_status: order.status as PassivePayAnswer['order_status'],
    ...(paid && order.finish_time !== null ? { trade_time: order.finish_time } : {}),
    order_id: order.order_id,
    buyer_login_id: buyer,
    total_amount: order.amount,
    receipt_amount: paid ? order.amount : '0',
    tip: order.tip,
    bizpay_order_id: order.bizpay_order_id,
    ...(order.sale_num === undefined ? {} : { sale_num: order.sale_num })
  }
}

/**
 * PASSIVEPAY 1.0: in store, the merchant scans the payer's wallet code and the payment settles within the request.
 * Answers SUCCESS when paid, FAIL (with data) when declined, PROCESSING or PWD_INCORRECT while the payer confirms.
 */
export default defineAction({
  action: 'PASSIVEPAY',
  versions: ['1.0'],
  summary: 'Pay in store with the payer\'s wallet payment code (the merchant scans it)',
  ...WALLET_SPELLINGS,
  data: PassivePayDataSchema,
  answer: PassivePayAnswerSchema,
  async handle (ctx, data) {
    const level1 = inStoreLevel1(ctx)
    requireWalletCode(data.biz_type, data.auth_code)
    const magic = magicOf(ctx, data.auth_code)
    const buyer = buyerLoginId(data.auth_code)
    const order = draftOrder(ctx, {
      ...requestedOrder(data),
      method: data.biz_type,
      notify_url: data.call_back_url ?? '',
      pay_at: confirmAt(ctx, magic),
      sale_num: data.sale_num,
      details: {
        auth_code: data.auth_code,
        buyer_login_id: buyer,
        ...level1,
        ...(magic === undefined ? {} : { auth_code_outcome: magic.description }),
        ...(data.call_back_url === undefined ? { callback: 'none: the request has no call_back_url' } : {})
      },
      request: data
    })
    await commitOrder(ctx, order)
    const { code, detail, order: settled } = await settle(ctx, order, magic)
    const answer = answerOf(settled, buyer)
    try {
      await ctx.store.orders.update(settled.merchant_id, settled.order_id, (current) => ({ order: { ...current, response: answer } }))
    } catch (err) {
      // The payment is durable already and its callback queued: answering DB_ERROR now would tell the merchant
      // nothing happened. Only the admin UI's record of the answer is missing then.
      if (!(err instanceof StoreError) && !(err instanceof GoneError)) throw err
    }
    return new CodedAnswer(code, answer, detail)
  }
})
