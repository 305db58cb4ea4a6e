import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ApiError, DomainError } from '../domain/errors.js'
import type { MerchantDirectory } from '../engine/merchants.js'
import { parseDuration } from '../platform/duration.js'
import { DEFAULT_POLL_WITHIN_MS, type Readiness } from '../readiness/readiness.js'
import { ACK_MODES } from '../readiness/report.js'
import type { Store } from '../store/index.js'
import { sendHtml } from '../views/send-html.js'

const PAGE = { admin: 'ui', surface: 'page' } as const

export interface AdminReadinessDeps {
  readiness: Readiness
  merchants: MerchantDirectory
  store: Store
  adminToken: string | undefined
}

const PollWithin = Type.Optional(Type.String({ maxLength: 16, description: 'how soon a STATUS_QUERY must follow a payment whose callback is missing: 90s, 2m (default 300s)' }))

const PageQuery = Type.Object({
  merchant_id: Type.Optional(Type.String({ maxLength: 64 })),
  poll_within: PollWithin,
  done: Type.Optional(Type.Literal('probed')),
  error: Type.Optional(Type.String({ maxLength: 2000 }))
})

// A form sends every field, empty when left blank: blank callback_url means "the one the merchant used last".
const ProbeForm = Type.Object({
  merchant_id: Type.String({ minLength: 1, maxLength: 64 }),
  callback_url: Type.Optional(Type.String({ maxLength: 2048 })),
  poll_within: PollWithin,
  ack: Type.Optional(Type.Union(ACK_MODES.map((mode) => Type.Literal(mode))))
})

const readinessPage = () => import('../views/admin/readiness-page.js')
const schema = <P extends object = object>(summary: string, parts?: P) => ({ summary, tags: ['admin UI'], hide: false, ...parts as P })

function pagePath (merchantId: string, pollWithin: string, outcome: string): string {
  const query = new URLSearchParams({ merchant_id: merchantId, ...(pollWithin === '' ? {} : { poll_within: pollWithin }) })
  return `/sandbox/readiness?${query.toString()}&${outcome}`
}

/** The page's poll window: blank is the default; a malformed one is said on the page, and the default used. */
function pollWindow (text: string | undefined): { ms: number, problem: string | undefined } {
  const value = text?.trim() ?? ''
  if (value === '') return { ms: DEFAULT_POLL_WITHIN_MS, problem: undefined }
  const ms = parseDuration(value)
  if (ms === undefined || ms <= 0) return { ms: DEFAULT_POLL_WITHIN_MS, problem: `"${value}" is not a duration such as 90s or 2m: the default ${DEFAULT_POLL_WITHIN_MS / 1000}s is used` }
  return { ms, problem: undefined }
}

/** The admin UI's go-live checklist: the readiness report of a merchant, and the button that runs the callback probe. */
export function registerAdminReadiness (app: FastifyInstance, deps: AdminReadinessDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  api.get('/sandbox/readiness', {
    config: PAGE,
    schema: schema('Admin UI: the go-live checklist of a merchant, with the "Run callback probe" button', { querystring: PageQuery })
  }, async (request, reply) => {
    const chosen = request.query.merchant_id === '' ? undefined : request.query.merchant_id
    const merchantId = chosen !== undefined && deps.merchants.get(chosen) !== undefined ? chosen : undefined
    const lastCallbackUrl = merchantId === undefined ? undefined : deps.store.orders.page({ merchant_id: merchantId, limit: 200 }).items.find((o) => o.notify_url !== '')?.notify_url
    const poll = pollWindow(request.query.poll_within)
    const { renderReadinessPage } = await readinessPage()
    return sendHtml(reply, renderReadinessPage({
      merchants: deps.merchants.list().map((m) => ({ value: m.merchant_id, label: `${m.merchant_id} — ${m.name}` })),
      merchantId,
      report: merchantId === undefined ? undefined : deps.readiness.report(merchantId, poll.ms),
      pollWithin: request.query.poll_within?.trim() ?? '',
      lastCallbackUrl,
      done: request.query.done === 'probed' ? 'The callback probe ran: the checklist below includes its results.' : undefined,
      error: request.query.error ?? (chosen !== undefined && merchantId === undefined ? `merchant ${chosen} not found` : poll.problem),
      canLogOut: deps.adminToken !== undefined
    }))
  })

  api.post('/sandbox/readiness/probe', {
    config: PAGE,
    schema: schema('Admin UI: run the callback probe of a merchant, then show its checklist', { body: ProbeForm })
  }, async (request, reply) => {
    const { merchant_id: merchantId, ack } = request.body
    const pollWithin = request.body.poll_within?.trim() ?? ''
    const callbackUrl = request.body.callback_url?.trim() === '' ? undefined : request.body.callback_url?.trim()
    try {
      await deps.readiness.probe(merchantId, { callbackUrl, ack })
    } catch (err) {
      // A probe that cannot start (no URL known, a host outside the allowlist) is news for the page, not a crash.
      if (err instanceof ApiError || err instanceof DomainError) return reply.redirect(pagePath(merchantId, pollWithin, `error=${encodeURIComponent(err.message)}`), 303)
      throw err
    }
    return reply.redirect(pagePath(merchantId, pollWithin, 'done=probed'), 303)
  })
}
