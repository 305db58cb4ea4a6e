import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@sinclair/typebox'
import type { MerchantDirectory } from '../engine/merchants.js'
import { ORDER_STATUSES } from '../domain/orders/order.js'
import type { Store } from '../store/index.js'
import { apiRoute } from './api-schemas.js'

const count = (description?: string) => Type.Integer({ minimum: 0, ...(description === undefined ? {} : { description }) })

const StatsSchema = Type.Object({
  orders: Type.Object({
    total: count(),
    by_status: Type.Object(Object.fromEntries(ORDER_STATUSES.map((status) => [status, count()])))
  }),
  refunds: count('refunds of the stored orders'),
  callbacks: Type.Object({ pending: count(), delivered: count(), failed: count() }),
  merchants: Type.Object({ fixture: count('from FIXTURES_DIR'), runtime: count('created by POST /sandbox/api/merchants') }),
  journal_bytes: count('bytes in the journal since the last snapshot (DB_FILE.journal)'),
  compactions: count('snapshots written since the start (each starts the journal anew)'),
  sync: Type.Union([Type.Literal('none'), Type.Literal('fsync')], { description: 'DB_SYNC' }),
  retention_orders: Type.Union([count(), Type.Null()], { description: 'RETENTION_ORDERS; null when every order is kept' }),
  pruned: count('orders removed by the retention policy since the data file was created'),
  location: Type.String({ description: 'the data file (DB_FILE), or :memory:' })
})

export type Stats = Static<typeof StatsSchema>

/** GET /sandbox/api/stats: what the sandbox holds, counted now. */
export function registerSandboxStats (app: FastifyInstance, store: Store, merchants: MerchantDirectory): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get('/sandbox/api/stats', apiRoute('Counts of orders, refunds, callbacks and merchants, and the state of the journal', {
    response: { 200: StatsSchema }
  }), async () => {
    const all = merchants.list()
    const runtime = all.filter((m) => merchants.isRuntime(m.merchant_id)).length
    const { warnings: _warnings, ...stats } = { warnings: undefined, ...store.stats() }
    return { ...stats, merchants: { fixture: all.length - runtime, runtime } }
  })
}
