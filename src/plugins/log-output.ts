import { prettyFactory } from 'pino-pretty'
import type { Config } from '../config/config.js'
import { GATEWAY_CALL } from '../inspector/call-summary.js'

/** What the log looks like: readable lines for a person, or pino's JSON lines for programs. */
export type LogFormat = 'pretty' | 'json'

/** LOG_FORMAT: `auto` is pretty for a person at a terminal, JSON for whatever reads a pipe or a file (CI, Docker). */
export function chooseLogFormat (setting: Config['logFormat'], isTTY: boolean): LogFormat {
  if (setting !== 'auto') return setting
  return isTTY ? 'pretty' : 'json'
}

/** The fields of a gateway call's record (inspector/call-summary.ts), which its pretty line spells out. */
const CALL_FIELDS = ['merchant_id', 'action', 'rsp_code', 'http_status', 'order_id', 'request_id']

type LogObject = Record<string, unknown>

const text = (value: unknown): string => value === null || value === undefined || value === '' ? '-' : String(value)

/** `QC00005496 ACTIVEPAY SUCCESS · order A1 · req_3`; the HTTP status only when it is not 200. */
function callLine (log: LogObject): string {
  const status = log.http_status === 200 ? '' : ` (HTTP ${text(log.http_status)})`
  const order = log.order_id === null || log.order_id === undefined ? '' : ` · order ${text(log.order_id)}`
  return `${text(log.merchant_id)} ${text(log.action)} ${text(log.rsp_code)}${status}${order} · ${text(log.request_id)}`
}

/** Another record's message, with the call fields it has (they are left out of the object pino-pretty prints). */
function messageOf (log: LogObject, messageKey: string): string {
  const fields = CALL_FIELDS.filter((key) => log[key] !== undefined).map((key) => `${key}=${text(log[key])}`)
  return [text(log[messageKey]), ...fields].join(' ')
}

/** A pino destination: what `write` receives is one JSON log line. */
export interface LogDestination {
  write(line: string): void
}

/**
 * Readable log lines (pino-pretty): the time, the level, the message and, on the same line, the other fields; a
 * gateway call is one short line. Written synchronously, so the last lines before an exit are not lost.
 * `colorize`: by default when `out` supports colours (pino-pretty asks the terminal).
 */
export function prettyDestination (out: { write(text: string): unknown }, options: { colorize?: boolean } = {}): LogDestination {
  const prettify = prettyFactory({
    ...(options.colorize === undefined ? {} : { colorize: options.colorize }),
    translateTime: 'SYS:HH:MM:ss',
    ignore: ['pid', 'hostname', 'reqId', ...CALL_FIELDS].join(','),
    singleLine: true,
    messageFormat: (log, messageKey) => log[messageKey] === GATEWAY_CALL ? callLine(log) : messageOf(log, messageKey)
  })
  return { write: (line) => { out.write(prettify(line)) } }
}

/** What the start line says. */
export interface StartInfo {
  /** The origin the server listens on, e.g. http://127.0.0.1:8080. */
  address: string
  /** Where the data lives (the store's location). */
  data: string
  merchants: readonly string[]
  /** ADMIN_TOKEN is set: the admin UI asks for it. */
  tokenRequired: boolean
}

/** The JSON log's start line: one line a program can match (`listening on http://…`). */
export function startLine (info: StartInfo): string {
  return `ottpay-sandbox listening on ${info.address} · data: ${info.data} · merchants: ${info.merchants.join(', ')}`
}

/** The terminal's start banner: where to send requests, what to open, where the data is. */
export function startBanner (info: StartInfo): string {
  const rows: Array<[string, string]> = [
    ['gateway', `${info.address}/processV2`],
    ['admin UI', `${info.address}/sandbox${info.tokenRequired ? ' (asks for ADMIN_TOKEN)' : ''}`],
    ['API docs', `${info.address}/docs`],
    ['data', info.data],
    ['merchants', info.merchants.join(', ')]
  ]
  return [`ottpay-sandbox listening on ${info.address}`, ...rows.map(([name, value]) => `  ${name.padEnd(10)} ${value}`)].join('\n')
}
