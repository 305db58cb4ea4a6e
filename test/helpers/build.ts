import { readFileSync } from 'node:fs'
import type { FastifyInstance, FastifyServerOptions, LightMyRequestResponse } from 'fastify'
import type { OutcomesFile } from '../../src/domain/outcomes.js'
import type { RatesFile } from '../../src/domain/rates.js'
import { buildApp } from '../../src/app.js'
import { createManualClock, type ManualClock } from '../../src/platform/clock.js'
import { loadConfig, type Config } from '../../src/config/config.js'
import { seal, open, type DataObject } from '../../src/crypto/index.js'
import type { Merchant } from '../../src/domain/fixtures.js'
import { createCounterIds } from '../../src/platform/ids.js'
import { createStore, type Store } from '../../src/store/index.js'
import type { Tap } from './tap.js'

/** Small hand-written merchants for tests (the shipped fixtures have their own load test). */
export const MERCHANT: Merchant = {
  merchant_id: 'QC00000001',
  name: 'Test Tea',
  sign_key: 'TESTKEY000000001',
  mer_code: 'TESTMERCODE00001',
  currency: 'CAD',
  operators: ['0000020156']
}

export const OTHER_MERCHANT: Merchant = {
  merchant_id: 'ON00000002',
  name: 'Other Shop',
  sign_key: 'TESTKEY000000002',
  mer_code: 'TESTMERCODE00002',
  currency: 'USD',
  operators: ['0000000005']
}

/** 2026-01-15T04:00:00Z, i.e. 12:00 in Beijing. */
export const T0 = Date.parse('2026-01-15T04:00:00.000Z')

export interface TestSandbox {
  app: FastifyInstance
  store: Store
  clock: ManualClock
  config: Config
}

/** Builds the real app on a memory store, a fixed clock and counter ids; closed after the test. */
export interface BuildOverrides {
  env?: NodeJS.ProcessEnv
  store?: Store
  merchants?: Merchant[]
  outcomes?: OutcomesFile
  rates?: RatesFile
  /** Fastify's logger option; off by default. */
  logger?: FastifyServerOptions['logger']
  /** Outbound HTTP for callbacks; by default {@link offlineFetch}. */
  fetch?: typeof globalThis.fetch
  /** 0 by default: tests move the manual clock and call `app.sandbox.tick()` themselves. */
  tickIntervalMs?: number
  /** buildApp's own options, passed on when set. */
  logRequests?: boolean
  requestTimeoutMs?: number
}

/** The shipped magic-outcome table. */
export const OUTCOMES = JSON.parse(readFileSync(new URL('../../fixtures/outcomes.json', import.meta.url), 'utf8')) as OutcomesFile

/** The shipped exchange rates. */
export const RATES = JSON.parse(readFileSync(new URL('../../fixtures/rates.json', import.meta.url), 'utf8')) as RatesFile

/**
 * The callbacks' fetch in tests: `*.example` hosts (RFC 2606, the tests' fake merchants) answer 204 at once
 * without touching the network; everything else (receivers on 127.0.0.1) goes through the real fetch.
 */
export const offlineFetch: typeof globalThis.fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input))
  if (url.hostname.endsWith('.example')) return new Response(null, { status: 204 })
  return globalThis.fetch(input, init)
}

export async function build (t: Tap, overrides: BuildOverrides = {}): Promise<TestSandbox> {
  const config = loadConfig({ DB_FILE: ':memory:', ...overrides.env })
  const store = overrides.store ?? await createStore(':memory:')
  const clock = createManualClock(T0)
  const app = await buildApp({
    config,
    merchants: overrides.merchants ?? [MERCHANT, OTHER_MERCHANT],
    store,
    clock,
    ids: createCounterIds(),
    outcomes: overrides.outcomes ?? OUTCOMES,
    rates: overrides.rates ?? RATES,
    fetch: overrides.fetch ?? offlineFetch,
    tickIntervalMs: overrides.tickIntervalMs ?? 0,
    logger: overrides.logger ?? false,
    ...(overrides.logRequests === undefined ? {} : { logRequests: overrides.logRequests }),
    ...(overrides.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: overrides.requestTimeoutMs })
  })
  t.teardown(() => app.close())
  return { app, store, clock, config }
}

/** A sealed processV2 request body. */
export function envelope (action: string, version: string, data: DataObject, merchant: Merchant = MERCHANT): Record<string, string> {
  return { action, version, merchant_id: merchant.merchant_id, ...seal(data, merchant.sign_key) }
}

export interface GatewayAnswer {
  status: number
  body: { rsp_code: string, rsp_msg: string, data?: string, md5?: string }
  /** The decrypted answer data, when there is one. */
  data: DataObject | undefined
}

/** POSTs to /processV2 (or another path) and opens the answer with the merchant's key. */
export async function callGateway (app: FastifyInstance, body: unknown, merchant: Merchant = MERCHANT, url = '/processV2'): Promise<GatewayAnswer> {
  const res = await app.inject({ method: 'POST', url, payload: body as Record<string, unknown> })
  const parsed = res.json() as GatewayAnswer['body']
  const data = parsed.data !== undefined && parsed.md5 !== undefined ? open({ data: parsed.data, md5: parsed.md5 }, merchant.sign_key) : undefined
  return { status: res.statusCode, body: parsed, data }
}

export const activePayData = (extra: DataObject = {}): DataObject => ({
  order_id: 'ORDER0001',
  operator_id: '0000020156',
  amount: '100',
  biz_type: 'WECHATPAY',
  call_back_url: 'https://merchant.example/callback',
  ...extra
})

export const cardData = (extra: DataObject = {}): DataObject => ({
  orderId: 'CARD0001',
  merchant_id: MERCHANT.merchant_id,
  operator_id: '0000020156',
  txnTime: '20260115120000',
  txnAmt: '2500',
  cc_number: '5160736813962037',
  frontUrl: 'https://merchant.example/result',
  backUrl: 'https://merchant.example/callback',
  channelType: 'UPAYONLINE',
  bizType: 'securePay',
  cc_channelType: 'web',
  ...extra
})

export const h5PayData = (extra: DataObject = {}): DataObject => ({
  merchant_id: MERCHANT.merchant_id,
  amount: '500',
  order_id: 'H5ORDER1',
  currency_type: 'CAD',
  biz_type: 'WECHATPAY',
  operator_id: '0000020156',
  submit_type: 'form',
  call_back_url: 'https://merchant.example/callback',
  ...extra
})

/** A WeChat Mini-Program AppID for MAPPPAY (wx + 16 characters, as real ones). */
export const APP_ID = 'wx8888888888888888'

export const mappPayData = (extra: DataObject = {}): DataObject => ({
  order_id: 'MAPP0001',
  operator_id: '0000020156',
  amount: '1200',
  biz_type: 'WECHATPAY',
  app_id: APP_ID,
  open_id: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  call_back_url: 'https://merchant.example/callback',
  ...extra
})

/** A WeChat Pay auth code (18 digits starting 13) that is not magic. */
export const WECHAT_CODE = '134567890123456789'

export const passivePayData = (extra: DataObject = {}): DataObject => ({
  order_id: 'POS0001',
  operator_id: '0000020156',
  amount: '2500',
  auth_code: WECHAT_CODE,
  biz_type: 'WECHATPAY',
  ...extra
})

export const prepayInitData = (extra: DataObject = {}): DataObject => ({
  amount: '500',
  sale_num: '20260115132626764',
  operator_id: '0000020156',
  prepay_order_id: 'prepay20260115132626764',
  biz_type: 'PREPAY',
  merchant_id: MERCHANT.merchant_id,
  duration: '900',
  shop_id: 'QC00000001001',
  currency_type: 'CAD',
  email: 'payer@example.com',
  remarks: 'BLA',
  redirect_url: 'https://merchant.example/result',
  call_back_url: 'https://merchant.example/callback',
  ...extra
})

/** The payer presses a button (a form post of `choice`) on a hosted payer page. */
export function choose (app: FastifyInstance, path: string, choice: string): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: path,
    payload: `choice=${encodeURIComponent(choice)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' }
  })
}
