import type { Check, ReadinessReport } from '../readiness/report.js'
import { InputError, UsageError } from './errors.js'
import { parseOptions, required } from './parse.js'

const OPTIONS = ['merchant', 'sandbox', 'callback', 'ack', 'poll-within', 'settle', 'token', 'format']

/** Where the sandbox listens unless --sandbox or SANDBOX_URL says otherwise: `serve`'s defaults. */
export const DEFAULT_SANDBOX = 'http://127.0.0.1:8080'

const MARKS: Record<Check['status'], string> = { passed: 'pass', failed: 'FAIL', not_exercised: ' -- ' }
const GROUPS: Record<Check['group'], string> = { requests: 'Requests', callback: 'Callback endpoint (probe)', resilience: 'Resilience' }

/** The checklist as text: one line per check, and for each one not passed its evidence, fix and docs section. */
export function formatReport (report: ReadinessReport): string {
  const { passed, failed, not_exercised: waiting } = report.summary
  const lines = [`Go-live readiness of ${report.merchant_id}: ${report.ready ? 'READY' : 'NOT READY'} (${passed} passed, ${failed} failed, ${waiting} not yet exercised)`]
  if (report.probe !== null) lines.push(`Callback probe: ${report.probe.url} (ack=${report.probe.ack}, ${report.probe.ran_at})`)
  for (const group of ['requests', 'callback', 'resilience'] as const) {
    lines.push('', GROUPS[group])
    for (const check of report.checks.filter((c) => c.group === group)) {
      lines.push(`  [${MARKS[check.status]}] ${check.title}${check.required ? '' : ' (optional)'}`)
      if (check.status === 'passed') continue
      lines.push(`         ${check.evidence}`)
      if (check.requests.length > 0) lines.push(`         requests: ${check.requests.join(', ')}`)
      if (check.status === 'failed') lines.push(`         fix: ${check.fix}`)
      lines.push(`         see ${check.docs}`)
    }
  }
  return `${lines.join('\n')}\n`
}

interface Answer {
  status: number
  body: Record<string, unknown>
}

async function call (url: string, init: RequestInit): Promise<Answer> {
  let res: Response
  try {
    res = await fetch(url, init)
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code
    throw new InputError(`cannot reach the sandbox at ${new URL(url).origin}${cause === undefined ? '' : ` (${cause})`}: start it, or give --sandbox URL`)
  }
  const text = await res.text()
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> }
  } catch {
    throw new InputError(`${url} answered HTTP ${res.status} with no JSON: is --sandbox the sandbox's address?`)
  }
}

function refusal (answer: Answer): InputError {
  return new InputError(`the sandbox answered HTTP ${answer.status}: ${String(answer.body.error ?? '')} ${String(answer.body.message ?? '')}`.trim())
}

export interface ReadinessOutcome {
  /** What to print on stdout. */
  output: string
  /** Notes for stderr (e.g. why the probe did not run). */
  notes: string
  /** 0 when no required check failed, 1 otherwise. */
  code: number
}

/**
 * `readiness`: runs the callback probe (against --callback, or the URL the merchant used last), then prints the
 * checklist. Exit 0 when no required check failed, 1 when one did: a merchant's CI can gate on it.
 */
export async function readinessCommand (args: readonly string[], env: NodeJS.ProcessEnv): Promise<ReadinessOutcome> {
  const values = parseOptions(args, OPTIONS)
  const merchant = required(values.merchant, 'merchant')
  const sandbox = (values.sandbox ?? env.SANDBOX_URL ?? DEFAULT_SANDBOX).replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]/.test(sandbox)) throw new UsageError(`--sandbox must be an http(s) URL, got ${JSON.stringify(sandbox)}`)
  const format = values.format ?? 'text'
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got ${JSON.stringify(format)}`)
  if (values.ack !== undefined && values.ack !== 'status' && values.ack !== 'body') throw new UsageError(`--ack must be status or body, got ${JSON.stringify(values.ack)}`)
  const settle = values.settle === undefined ? undefined : Number(values.settle)
  if (settle !== undefined && (!Number.isInteger(settle) || settle < 0)) throw new UsageError(`--settle must be whole milliseconds, got ${JSON.stringify(values.settle)}`)
  const token = values.token ?? env.ADMIN_TOKEN
  const auth: Record<string, string> = token === undefined || token === '' ? {} : { 'x-admin-token': token }
  const query = values['poll-within'] === undefined ? '' : `?poll_within=${encodeURIComponent(values['poll-within'])}`
  const base = `${sandbox}/sandbox/api/merchants/${encodeURIComponent(merchant)}/readiness`

  const body = { ...(values.callback === undefined ? {} : { callback_url: values.callback }), ...(values.ack === undefined ? {} : { ack: values.ack }), ...(settle === undefined ? {} : { settle_ms: settle }) }
  let notes = ''
  let answer = await call(`${base}/probe${query}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (answer.status === 400 && values.callback === undefined) {
    // No callback URL known yet: the checks that need none still say something.
    notes = `the callback probe did not run: ${String(answer.body.message ?? '')}\n`
    answer = await call(`${base}${query}`, { method: 'GET', headers: auth })
  }
  if (answer.status !== 200) throw refusal(answer)
  const report = answer.body as unknown as ReadinessReport
  return { output: format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report), notes, code: report.ready ? 0 : 1 }
}
