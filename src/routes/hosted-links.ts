import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type TProperties } from '@sinclair/typebox'
import { IdTakenError } from '../domain/errors.js'
import type { Merchant } from '../domain/fixtures.js'
import { commitOrder, draftOrder, type NewOrder, type OrderContext } from '../engine/orders/create-order.js'
import { checkOperId, linkMerchant, readAlipayLink, readH5Link, type AlipayLinkKind, type LinkQuery, type SubmitType } from '../domain/orders/link-params.js'
import { payerPagePath, type Order } from '../domain/orders/order.js'
import { renderLinkForm } from '../views/payer/link-pages.js'
import { sendHtml } from '../views/send-html.js'
import type { HostedDeps } from './deps.js'

/** The Order `version` of link orders: the links have no version of their own. */
const LINK_VERSION = 'link'

type LinkKind = AlipayLinkKind | 'h5Pay'

/** What an accepted link asks for: the order of one merchant, and how to answer. */
interface LinkPlan {
  merchant: Merchant
  order: NewOrder & { order_id: string }
  submitType: SubmitType
}

// Every parameter is an optional string here, so that the handler, not fastify, says which one is missing or wrong.
const param = (description: string) => Type.Optional(Type.String({ description }))

const MER_CODE = param('Merchant payment code, the 16-character code of the welcome e-mail (sandbox: `mer_code` in the fixtures). Required')
const ORDER_ID = param('The merchant\'s order ID: 1 to 64 letters, digits, "-" or "_", unique per merchant. Opening the same link again reuses its order. Required')
const AMOUNT = param('Order amount in cents, "100" for 1.00. Required')
const NOTIFY_URL = 'Base64 of the absolute http(s) URL the payment callback is POSTed to, sealed like every callback (standard or URL-safe alphabet, padding optional, a space is read as "+")'

const ALIPAY_QUERY: TProperties = {
  merCode: MER_CODE,
  merchantId: param('OTT Pay merchant ID; merCode must be its payment code. Required'),
  orderId: ORDER_ID,
  operId: param('10-digit operator number, one of the merchant\'s operators. Required'),
  amount: AMOUNT,
  returnURL: param('Base64 of the absolute http(s) URL the browser returns to after paying, with `total_fee`, `trade_no`, `out_trade_no` and `trade_status` (standard or URL-safe alphabet, padding optional, a space is read as "+"). Required'),
  notifyURL: param(`${NOTIFY_URL}. Required`),
  remarks: param('Free text, kept with the order')
}

const WEB_PAY_QUERY: TProperties = {
  ...ALIPAY_QUERY,
  submit_type: param('"scan" (the default): redirect to the payer page; "form": answer an HTML form, to embed, that takes the payer there')
}

const H5_PAY_QUERY: TProperties = {
  merCode: param('Merchant payment code, the 16-character code of the welcome e-mail (sandbox: `mer_code` in the fixtures); it names the merchant. Required'),
  orderId: ORDER_ID,
  orderld: param('orderId as the docs\' format line spells it (lowercase L); accepted instead of orderId'),
  amount: AMOUNT,
  newURL: param('Absolute http(s) URL, URL-encoded (not Base64), the browser is sent to after paying with `amount` (decimal, "1.00"), `orderID`, `tranID` and `status`. Required'),
  operId: param('Operator number, one of the merchant\'s operators (in the docs\' example, not in their list). Optional'),
  notifyURL: param(`Sandbox extension, as on /webPay: ${NOTIFY_URL}. The docs give h5Pay no callback URL: without it no callback is sent`),
  merchantId: param('Not documented for h5Pay; when given, merCode must be its payment code')
}

const querystring = (properties: TProperties) => Type.Object(properties, { additionalProperties: true })

/** The query as the order keeps it: the merchant's payment code stays out of stored orders and the admin UI. */
function storedQuery (query: LinkQuery): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([name]) => name !== 'merCode'))
}

function alipayPlan (deps: HostedDeps, query: LinkQuery, kind: AlipayLinkKind): LinkPlan {
  const link = readAlipayLink(query, kind)
  const merchant = linkMerchant(deps.merchants.list(), link.merCode, link.merchantId)
  checkOperId(merchant, link.operId)
  const details: Record<string, string> = kind === 'webPay' ? { submit_type: link.submitType } : {}
  if (link.remarks !== undefined) details.remarks = link.remarks
  return {
    merchant,
    submitType: link.submitType,
    order: {
      order_id: link.orderId,
      method: 'ALIPAY',
      amount: link.amount,
      tip: undefined,
      operator_id: link.operId,
      notify_url: link.notifyUrl,
      return_url: link.returnUrl,
      return_style: 'alipay',
      payer_page: 'scan',
      details: Object.keys(details).length === 0 ? undefined : details,
      request: storedQuery(query)
    }
  }
}

function h5Plan (deps: HostedDeps, query: LinkQuery): LinkPlan {
  const link = readH5Link(query)
  const merchant = linkMerchant(deps.merchants.list(), link.merCode, link.merchantId)
  checkOperId(merchant, link.operId)
  return {
    merchant,
    submitType: 'scan',
    order: {
      order_id: link.orderId,
      method: 'WECHATPAY',
      amount: link.amount,
      tip: undefined,
      operator_id: link.operId,
      notify_url: link.notifyUrl,
      return_url: link.newUrl,
      return_style: 'h5pay',
      payer_page: 'scan',
      details: link.notifyUrl === '' ? { callback: 'none: the link has no notifyURL (h5Pay documents none)' } : undefined,
      request: storedQuery(query)
    }
  }
}

/** A link's order context, with the origin its payer page URL starts with. */
interface LinkContext extends OrderContext {
  baseUrl: string
}

function contextOf (deps: HostedDeps, request: FastifyRequest, merchant: Merchant, kind: LinkKind): LinkContext {
  const { store, clock, ids, ownListener } = deps
  return { merchant, action: kind, version: LINK_VERSION, store, clock, ids, ownListener, baseUrl: deps.baseUrlOf(request) }
}

/** The order a browser refresh or the back button reopens: same merchant, id, kind of link and amount. */
function reopened (ctx: LinkContext, input: LinkPlan['order']): Order | undefined {
  const order = ctx.store.orders.find(ctx.merchant.merchant_id, input.order_id)
  return order !== undefined && order.action === ctx.action && order.amount === input.amount ? order : undefined
}

function duplicated (ctx: LinkContext, orderId: string): IdTakenError {
  const order = ctx.store.orders.find(ctx.merchant.merchant_id, orderId)
  const use = order === undefined ? 'a refund' : order.action === ctx.action ? `a ${ctx.action} link of ${order.amount} cents` : `another flow (${order.action})`
  return new IdTakenError(ctx.merchant.merchant_id, orderId, `orderId ${orderId} was already used by merchant ${ctx.merchant.merchant_id} for ${use}; ` +
    'opening a link again reuses its order only with the same amount')
}

/** The link's order: the one it created before, or a new one, on disk before the browser is sent on. */
async function openOrder (ctx: LinkContext, input: LinkPlan['order']): Promise<Order> {
  const existing = reopened(ctx, input)
  if (existing !== undefined) return existing
  try {
    const order = draftOrder(ctx, input)
    // Nothing scans a link order: its "QR content" is where the payer's browser goes.
    order.code_url = ctx.baseUrl + payerPagePath(order)
    order.response = { payer_page_url: order.code_url }
    await commitOrder(ctx, order)
    return order
  } catch (err) {
    if (!(err instanceof IdTakenError)) throw err
    // A second opening of the same link may have created the order while this one drafted it.
    const raced = reopened(ctx, input)
    if (raced !== undefined) return raced
    throw duplicated(ctx, input.order_id)
  }
}

function registerLink (app: FastifyInstance, deps: HostedDeps, kind: LinkKind, summary: string, properties: TProperties, plan: (query: LinkQuery) => LinkPlan): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(`/${kind}`, {
    config: { surface: 'page' },
    schema: { summary, tags: ['payment links'], querystring: querystring(properties) }
  }, async (request, reply): Promise<FastifyReply> => {
    // A refused link (PARAM_INVALID, ORDER_USED, a failed write) is an error page of the error handler.
    const { merchant, order: input, submitType } = plan(request.query)
    const ctx = contextOf(deps, request, merchant, kind)
    const order = await openOrder(ctx, input)
    const payerUrl = ctx.baseUrl + payerPagePath(order)
    if (submitType === 'scan') return reply.redirect(payerUrl, 302)
    return sendHtml(reply, renderLinkForm(order, merchant.name, payerUrl))
  })
}

/**
 * The hosted payment links (reference §8, §10, §12): GET links the merchant's page sends the payer's browser to.
 * Each creates the order (or reopens the one it created before) and sends the browser to the scan payer page,
 * which returns it to the merchant in the flow's style after Pay or Decline.
 */
export function registerHostedLinks (app: FastifyInstance, deps: HostedDeps): void {
  registerLink(app, deps, 'webPay', 'Alipay payment link for PC browsers (webPay): creates the order and sends the payer to the payer page',
    WEB_PAY_QUERY, (query) => alipayPlan(deps, query, 'webPay'))
  registerLink(app, deps, 'wapPay', 'Alipay payment link for mobile browsers (wapPay): creates the order and redirects the payer to the payer page',
    ALIPAY_QUERY, (query) => alipayPlan(deps, query, 'wapPay'))
  registerLink(app, deps, 'h5Pay', 'WeChat Pay link inside the WeChat browser (h5Pay, "JSAPI"): creates the order and redirects the payer to the payer page',
    H5_PAY_QUERY, (query) => h5Plan(deps, query))
}
