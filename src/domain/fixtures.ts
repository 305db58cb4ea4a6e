import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { checkOutcomesFile, outcomeProblem, type OutcomesFile } from './outcomes.js'
import { checkRatesFile, type RatesFile } from './rates.js'

/** A merchant as the fixtures define it (contract §6). */
export const MerchantSchema = Type.Object({
  merchant_id: Type.String({ pattern: '^[A-Za-z0-9]{4,32}$', description: 'OTT Pay merchant id, e.g. QC00005496' }),
  name: Type.String({ minLength: 1 }),
  sign_key: Type.String({ minLength: 8, description: 'the merchant sign key (fake in fixtures)' }),
  currency: Type.Union([Type.Literal('CAD'), Type.Literal('USD'), Type.Literal('CNY')]),
  operators: Type.Array(Type.String({ pattern: '^[0-9]{1,20}$' }), { minItems: 1 }),
  mer_code: Type.Optional(Type.String({
    pattern: '^[A-Za-z0-9]{16,32}$',
    description: 'the merchant payment code of the hosted links (/webPay, /wapPay, /h5Pay): OTT Pay sends 16 characters (or 32 hex) in the welcome e-mail'
  })),
  convenience_fee: Type.Optional(Type.String({
    pattern: '^[0-9]{1,6}$',
    description: 'cents H5PAY adds to the amount, as the docs\' example does (5 → 6); none when absent'
  })),
  autopay_after: Type.Optional(Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)?$', description: 'pay this merchant\'s new orders automatically after this long, e.g. "5s"' }))
}, { additionalProperties: true })

export type Merchant = Static<typeof MerchantSchema>

const MerchantsFile = TypeCompiler.Compile(Type.Array(MerchantSchema, { minItems: 1 }))

/** Checks merchants read from elsewhere (the data file's runtime merchants): the first problem, or undefined. */
const RuntimeMerchants = TypeCompiler.Compile(Type.Array(MerchantSchema))
export function merchantsProblem (value: unknown): string | undefined {
  const error = RuntimeMerchants.Errors(value).First()
  return error === undefined ? undefined : `${error.path || '(root)'} ${error.message}`
}

/** A broken fixture file; the message names the file. */
export class FixtureError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'FixtureError'
  }
}

export interface Fixtures {
  merchants: Merchant[]
  /** Magic outcomes by amount (`outcomes.json`); empty when the folder has none. */
  outcomes: OutcomesFile
  /** Exchange rates to CNY (`rates.json`) for EX_RATE_QUERY; empty when the folder has none. */
  rates: RatesFile
}

async function readJson (file: string, fallback?: unknown): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if (fallback !== undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return fallback
    throw new FixtureError(`${file}: cannot be read (${(err as Error).message})`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new FixtureError(`${file}: is not valid JSON (${(err as Error).message})`)
  }
}

/** Loads and validates the fixture folder (`FIXTURES_DIR`). */
export async function loadFixtures (dir: string): Promise<Fixtures> {
  const file = join(dir, 'merchants.json')
  const merchants = await readJson(file)
  const error = MerchantsFile.Errors(merchants).First()
  if (error !== undefined) {
    throw new FixtureError(`${file}: ${error.path || '(root)'} ${error.message}`)
  }
  const list = merchants as Merchant[]
  const seen = new Set<string>()
  const codes = new Set<string>()
  for (const merchant of list) {
    if (seen.has(merchant.merchant_id)) throw new FixtureError(`${file}: merchant_id ${merchant.merchant_id} appears twice`)
    seen.add(merchant.merchant_id)
    if (merchant.mer_code !== undefined) {
      if (codes.has(merchant.mer_code)) throw new FixtureError(`${file}: mer_code of ${merchant.merchant_id} is another merchant's too`)
      codes.add(merchant.mer_code)
    }
  }
  const outcomesFile = join(dir, 'outcomes.json')
  const outcomes = await readJson(outcomesFile, { by_amount_suffix: {} })
  const outcomeError = checkOutcomesFile.Errors(outcomes).First()
  if (outcomeError !== undefined) throw new FixtureError(`${outcomesFile}: ${outcomeError.path || '(root)'} ${outcomeError.message}`)
  const problem = outcomeProblem(outcomes as OutcomesFile)
  if (problem !== undefined) throw new FixtureError(`${outcomesFile}: ${problem}`)
  const ratesFile = join(dir, 'rates.json')
  const rates = await readJson(ratesFile, { rates: {} })
  const ratesError = checkRatesFile.Errors(rates).First()
  if (ratesError !== undefined) throw new FixtureError(`${ratesFile}: ${ratesError.path || '(root)'} ${ratesError.message}`)
  return { merchants: list, outcomes: outcomes as OutcomesFile, rates: rates as RatesFile }
}
