import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { decrypt, deriveKey, encrypt, md5Upper, open, seal, type DataObject } from '../../src/crypto/index.js'
import type { Merchant } from '../../src/domain/fixtures.js'

/**
 * Three merchant integrations for the go-live readiness tests (issue 17), each a real HTTP callback endpoint on
 * port 0 plus the code that calls the gateway:
 * - `careful` verifies every callback (md5, its own key, an order it created), books a payment once per order
 *   (a repeat of a notification id is acknowledged and ignored), polls STATUS_QUERY for paid-but-silent orders,
 *   and queries an order whose request timed out;
 * - `naive` acknowledges anything, fetches the order with STATUS_QUERY and books it on every callback (so twice on a
 *   repeat), never polls, and on a timeout creates a new order for the same amount;
 * - `broken-md5` seals its requests with a wrong md5 (its callback endpoint is careful).
 */
export type FakeKind = 'careful' | 'naive' | 'broken-md5'

export const FAKE_MERCHANTS: Record<FakeKind, Merchant> = {
  careful: { merchant_id: 'QC00000101', name: 'Careful Cafe', sign_key: 'CAREFULKEY000101', mer_code: 'CAREFULMERCODE01', currency: 'CAD', operators: ['0000020156'] },
  naive: { merchant_id: 'QC00000102', name: 'Naive Noodles', sign_key: 'NAIVEKEY00000102', mer_code: 'NAIVEMERCODE0102', currency: 'CAD', operators: ['0000020156'] },
  'broken-md5': { merchant_id: 'QC00000103', name: 'Broken Bakery', sign_key: 'BROKENKEY0000103', mer_code: 'BROKENMERCODE103', currency: 'CAD', operators: ['0000020156'] }
}

/** How the fakes reach the sandbox: the gateway and the control API, in process (inject) or over HTTP. */
export interface SandboxAccess {
  gateway(body: Record<string, string>): Promise<Record<string, unknown>>
  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number, body: any }>
}

export function injectAccess (app: FastifyInstance): SandboxAccess {
  return {
    gateway: async (body) => (await app.inject({ method: 'POST', url: '/processV2', payload: body })).json(),
    async api (method, path, body) {
      const res = await app.inject({ method, url: path, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) })
      return { status: res.statusCode, body: res.json() }
    }
  }
}

export function httpAccess (url: string): SandboxAccess {
  return {
    gateway: async (body) => await (await fetch(`${url}/processV2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Record<string, unknown>,
    async api (method, path, body) {
      const res = await fetch(`${url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) })
      return { status: res.status, body: await res.json() }
    }
  }
}

interface Tap {
  teardown(fn: () => unknown): void
}

export interface FakeMerchant {
  kind: FakeKind
  merchant: Merchant
  /** Its callback endpoint. */
  url: string
  /** Order ids it booked as paid, once per booking (a double booking shows twice). */
  booked: string[]
  /** Callbacks it received, probe or not. */
  received: number
  /** ACTIVEPAY with its callback URL; resolves with the answer, or 'timeout' after `timeoutMs` (then reacts as its kind does). */
  createOrder(orderId: string, amount: string, timeoutMs?: number): Promise<Record<string, unknown> | 'timeout'>
  /** The careful merchant queries its created orders it has not booked; the naive one does nothing. */
  pollPending(): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A request sealed with a wrong md5: data encrypted under the key of that md5, so it decrypts and the digest fails. */
function sealWithWrongMd5 (data: DataObject, key: string): { data: string, md5: string } {
  const good = seal(data, key)
  const wrong = md5Upper(`${good.md5}:wrong`)
  return { data: encrypt(decrypt(good.data, deriveKey(good.md5, key)), deriveKey(wrong, key)), md5: wrong }
}

async function bodyOf (req: IncomingMessage): Promise<Record<string, string>> {
  let text = ''
  for await (const chunk of req) text += (chunk as Buffer).toString('utf8')
  try {
    return JSON.parse(text) as Record<string, string>
  } catch {
    return {}
  }
}

/** Starts a fake of `kind`, as the fixture merchant of that kind or as `merchant` (a runtime one, say). */
export async function startFakeMerchant (t: Tap, kind: FakeKind, sandbox: SandboxAccess, merchant: Merchant = FAKE_MERCHANTS[kind]): Promise<FakeMerchant> {
  const key = merchant.sign_key
  const created = new Set<string>()
  const seenNotifications = new Set<string>()
  const bookedOnce = new Set<string>()

  function envelope (action: string, data: DataObject): Record<string, string> {
    const sealed = kind === 'broken-md5' ? sealWithWrongMd5(data, key) : seal(data, key)
    return { action, version: '1.0', merchant_id: merchant.merchant_id, ...sealed }
  }
  const statusQuery = (orderId: string) => sandbox.gateway(envelope('STATUS_QUERY', { order_id: orderId }))

  async function careful (body: Record<string, string>, notification: string): Promise<[number, string]> {
    let data: DataObject
    try {
      data = open({ data: body.data ?? '', md5: body.md5 ?? '' }, key)
    } catch {
      return [400, 'FAIL: the callback does not verify']
    }
    const orderId = String(data.order_id)
    if (body.merchant_id !== merchant.merchant_id || !created.has(orderId)) return [404, 'FAIL: unknown order']
    if (seenNotifications.has(notification) || body.rsp_code !== 'SUCCESS' || bookedOnce.has(orderId)) {
      seenNotifications.add(notification)
      return [200, 'SUCCESS']
    }
    seenNotifications.add(notification)
    // Trust, but confirm: the gateway's own answer decides.
    const answer = await statusQuery(orderId)
    if (answer.rsp_code === 'SUCCESS') {
      bookedOnce.add(orderId)
      fake.booked.push(orderId)
    }
    return [200, 'SUCCESS']
  }

  async function naive (body: Record<string, string>): Promise<[number, string]> {
    try {
      // No md5 check, no key check: whatever decrypts is believed.
      const data = JSON.parse(decrypt(body.data ?? '', deriveKey(body.md5 ?? '', key))) as DataObject
      if (body.rsp_code === 'SUCCESS') {
        await statusQuery(String(data.order_id))
        fake.booked.push(String(data.order_id))
      }
    } catch {}
    return [200, 'SUCCESS']
  }

  const server = createServer((req, res) => {
    bodyOf(req).then(async (body) => {
      fake.received += 1
      const notification = String(req.headers['x-ottpay-sandbox-notification-id'] ?? '')
      const [status, text] = kind === 'naive' ? await naive(body) : await careful(body, notification)
      res.writeHead(status, { 'content-type': 'text/plain' }).end(text)
    }).catch(() => res.writeHead(500).end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise((resolve) => server.close(resolve))
  })

  const fake: FakeMerchant = {
    kind,
    merchant,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ottpay/callback`,
    booked: [],
    received: 0,
    async createOrder (orderId, amount, timeoutMs) {
      created.add(orderId)
      const request = sandbox.gateway(envelope('ACTIVEPAY', { order_id: orderId, operator_id: '0000020156', amount, biz_type: 'WECHATPAY', call_back_url: fake.url }))
      if (timeoutMs === undefined) return request
      const answer = await Promise.race([request, sleep(timeoutMs).then(() => 'timeout' as const)])
      if (answer !== 'timeout') return answer
      // The late answer still comes; nobody waits for it.
      request.catch(() => undefined)
      if (kind === 'naive') await fake.createOrder(`${orderId}-AGAIN`, amount)
      else await statusQuery(orderId)
      return 'timeout'
    },
    async pollPending () {
      if (kind === 'naive') return
      for (const orderId of created) {
        if (bookedOnce.has(orderId)) continue
        const answer = await statusQuery(orderId)
        if (answer.rsp_code !== 'SUCCESS' || typeof answer.data !== 'string') continue
        const data = open({ data: answer.data, md5: String(answer.md5) }, key)
        if (data.status === 'success') {
          bookedOnce.add(orderId)
          fake.booked.push(orderId)
        }
      }
    }
  }
  return fake
}

/** Waits until `check` holds (real time), failing with `what` after `ms`. */
export async function until (check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** What each fake should fail, and nothing else (the careful one: nothing). */
export const EXPECTED_FAILURES: Record<FakeKind, string[]> = {
  careful: [],
  naive: ['callback-duplicate', 'callback-other-key', 'callback-unknown-order', 'callback-wrong-md5', 'polls-lost-callback', 'retry-after-timeout'],
  'broken-md5': ['actions-succeed', 'sealing']
}

export interface Fakes {
  careful: FakeMerchant
  naive: FakeMerchant
  broken: FakeMerchant
}

/**
 * The whole flow, through the gateway and the control API only: orders paid with their callbacks, a lost callback
 * (the callback `drop` fault, or with `lost: 'delay'` a callback postponed past the window) with time moved past the
 * polling window, a gateway timeout (a delay fault), then the callback probe of each. `advance` moves the sandbox clock.
 */
export async function driveFlow (sandbox: SandboxAccess, fakes: Fakes, settleMs = 50, lost: 'drop' | 'delay' = 'drop'): Promise<void> {
  const { careful, naive, broken } = fakes
  const pay = async (fake: FakeMerchant, orderId: string) => {
    const res = await sandbox.api('POST', `/sandbox/api/orders/${orderId}/pay?merchant_id=${fake.merchant.merchant_id}`)
    if (res.status !== 200) throw new Error(`pay ${orderId}: ${res.status} ${JSON.stringify(res.body)}`)
  }
  const advance = async (ms: number) => {
    const res = await sandbox.api('POST', '/sandbox/api/clock/advance', { ms })
    if (res.status !== 200) throw new Error(`advance: ${res.status}`)
  }
  const arm = async (body: unknown) => {
    const res = await sandbox.api('POST', '/sandbox/api/faults', body)
    if (res.status !== 201 && res.status !== 200) throw new Error(`fault: ${res.status} ${JSON.stringify(res.body)}`)
  }

  // 1. An order each, paid, its callback booked.
  for (const [fake, id] of [[careful, 'CAREFUL-1'], [naive, 'NAIVE-1']] as const) {
    await fake.createOrder(id, '1250')
    await pay(fake, id)
    await until(() => fake.booked.includes(id), `${fake.kind} to book ${id}`)
  }
  await broken.createOrder('BROKEN-1', '1250')

  // 2. A callback that does not come (dropped, or held 10 minutes); after 30 s the careful merchant polls, then time
  // passes the window.
  const effect = lost === 'drop' ? { type: 'drop' } : { type: 'delay', ms: 600_000 }
  for (const [fake, id] of [[careful, 'CAREFUL-2'], [naive, 'NAIVE-2']] as const) {
    await arm({ match: { on: 'callback', merchant_id: fake.merchant.merchant_id }, effect })
    await fake.createOrder(id, '990')
    await pay(fake, id)
  }
  await advance(30_000)
  await careful.pollPending()
  await naive.pollPending()
  await advance(90_000)

  // 3. A gateway timeout: the answer held back longer than the merchant waits.
  for (const [fake, id] of [[careful, 'CAREFUL-3'], [naive, 'NAIVE-3']] as const) {
    await arm({ match: { on: 'gateway', merchant_id: fake.merchant.merchant_id, action: 'ACTIVEPAY' }, effect: { type: 'delay', ms: 600 } })
    const answer = await fake.createOrder(id, '777', 150)
    if (answer !== 'timeout') throw new Error(`${fake.kind}: ${id} did not time out`)
  }
  // Let the held answers go out before the probe reads the log.
  await sleep(700)

  // 4. The probe of each endpoint (the broken merchant has no order: its URL is given).
  for (const fake of [careful, naive, broken]) {
    const res = await sandbox.api('POST', `/sandbox/api/merchants/${fake.merchant.merchant_id}/readiness/probe?poll_within=60s`, { callback_url: fake.url, settle_ms: settleMs })
    if (res.status !== 200) throw new Error(`probe ${fake.kind}: ${res.status} ${JSON.stringify(res.body)}`)
  }
}
