import { isAbsolute, resolve } from 'node:path'
import { parseDuration, parseDurationList } from '../platform/duration.js'

/** Everything the sandbox reads from the environment (contract §5), validated. */
export interface Config {
  port: number
  host: string
  /** Base of the absolute URLs the sandbox hands out (hosted pages); default: the request's own origin. */
  publicUrl: string | undefined
  /** The lowdb JSON file, or `:memory:` to keep nothing. */
  dbFile: string
  fixturesDir: string
  logLevel: string
  /** Largest request body accepted, in bytes. */
  bodyLimit: number
  /** Delays between callback attempts (CALLBACK_RETRY_SCHEDULE); after the last, a delivery is given up. */
  callbackRetrySchedule: number[]
  /** Per-attempt callback timeout (CALLBACK_TIMEOUT). */
  callbackTimeoutMs: number
  /** Callbacks in flight at once (CALLBACK_CONCURRENCY). */
  callbackConcurrency: number
  /** Of those, callbacks to one receiver (origin of the callback URL) at once (CALLBACK_CONCURRENCY_PER_HOST). */
  callbackConcurrencyPerHost: number
  /** Pay new orders automatically after this long (AUTOPAY_AFTER); undefined: never. */
  autopayAfterMs: number | undefined
  /** Close unpaid orders as `notpay` after this long (ORDER_EXPIRY). */
  orderExpiryMs: number
  /** When set, the admin UI (/sandbox) and the control API (/sandbox/api) require it (ADMIN_TOKEN). */
  adminToken: string | undefined
  /** Gateway calls the request inspector keeps, newest first (REQUEST_LOG_SIZE); 0 keeps none. */
  requestLogSize: number
  /** Orders kept at most (RETENTION_ORDERS): beyond it the oldest closed orders are pruned; 0 keeps every order. */
  retentionOrders: number
  /** DB_SYNC: `fsync` flushes each journal write to the disk before answering; `none` leaves it to the OS. */
  dbSync: 'none' | 'fsync'
  /** JOURNAL_LIMIT_MB: past this size the journal is compacted into a new snapshot, in bytes. */
  journalLimitBytes: number
  /** Hosts callbacks may be sent to (CALLBACK_ALLOWLIST); undefined: any host. */
  callbackAllowlist: readonly AllowedHost[] | undefined
}

/** One CALLBACK_ALLOWLIST entry: `host`, `host:port`, `*.domain` or `*.domain:port`; IPv6 in brackets. */
export interface AllowedHost {
  /** Lowercase host name or IP address (IPv6 without brackets); for a wildcard, the domain after `*.`. */
  host: string
  /** `*.domain`: any name under the domain, at any depth (not the domain itself). */
  subdomains: boolean
  /** Only this port, when given; otherwise any. */
  port: number | undefined
}

export const DEFAULT_RETRY_SCHEDULE = '15s,15s,30s,3m,10m,20m,30m,30m,30m,60m,3h,3h,3h,6h,6h'

/** A configuration problem; the message names the variable. */
export class ConfigError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

function integer (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw.trim())
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`)
  }
  return value
}

function dbSync (env: NodeJS.ProcessEnv): Config['dbSync'] {
  const value = text(env, 'DB_SYNC', 'none').toLowerCase()
  if (value !== 'none' && value !== 'fsync') throw new ConfigError(`DB_SYNC must be none or fsync, got "${env.DB_SYNC}"`)
  return value
}

function text (env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name]
  return raw === undefined || raw.trim() === '' ? fallback : raw.trim()
}

function publicUrl (env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.PUBLIC_URL?.trim()
  if (raw === undefined || raw === '') return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL such as http://localhost:8080, got "${raw}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_URL must use http or https, got "${raw}"`)
  }
  return raw.replace(/\/+$/, '')
}

function duration (env: NodeJS.ProcessEnv, name: string, fallback: string): number {
  const raw = text(env, name, fallback)
  const value = parseDuration(raw)
  if (value === undefined) throw new ConfigError(`${name} must be a duration such as 500ms, 15s, 3m or 2h, got "${raw}"`)
  return value
}

function optionalDuration (env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = text(env, name, 'off')
  return raw === 'off' ? undefined : duration(env, name, raw)
}

function retrySchedule (env: NodeJS.ProcessEnv): number[] {
  const raw = text(env, 'CALLBACK_RETRY_SCHEDULE', DEFAULT_RETRY_SCHEDULE)
  const value = raw === 'none' ? [] : parseDurationList(raw)
  if (value === undefined) {
    throw new ConfigError(`CALLBACK_RETRY_SCHEDULE must be a comma list of durations such as 15s,30s,3m (or "none"), got "${raw}"`)
  }
  return value
}

function adminToken (env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.ADMIN_TOKEN
  if (raw === undefined || raw === '') return undefined
  // A token pasted with stray spaces would never match what the browser sends: refuse it rather than guess.
  if (raw !== raw.trim() || !/^[\x21-\x7e]{8,256}$/.test(raw)) {
    throw new ConfigError('ADMIN_TOKEN must be 8 to 256 printable characters with no spaces')
  }
  return raw
}

/** Only these keep the control API on this machine; 0.0.0.0, a LAN address or a host name expose it. */
export function isLoopback (host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h)
}

/**
 * The control API pays orders and the admin UI reveals sign keys: reachable from other machines, they need a
 * token. Refusing to start is kinder than a sandbox anyone on the network can drive.
 */
function requireTokenOffLoopback (host: string, token: string | undefined): void {
  if (token !== undefined || isLoopback(host)) return
  throw new ConfigError(`HOST=${host} exposes the control API and the admin UI (which pay orders and reveal sign keys) beyond this machine; set ADMIN_TOKEN (8 to 256 printable characters) to protect them, or listen on 127.0.0.1`)
}

const ALLOWED_HOST = /^(\*\.)?([a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/

function callbackAllowlist (env: NodeJS.ProcessEnv): readonly AllowedHost[] | undefined {
  const raw = env.CALLBACK_ALLOWLIST
  if (raw === undefined || raw.trim() === '') return undefined
  return Object.freeze(raw.split(',').map((part) => {
    const entry = part.trim().toLowerCase().replace(/\.(?=:|$)/, '')
    const match = ALLOWED_HOST.exec(entry)
    const port = match?.[3] === undefined ? undefined : Number(match[3])
    if (match === null || (port !== undefined && (port < 1 || port > 65535)) || (match[1] !== undefined && match[2]!.startsWith('['))) {
      throw new ConfigError(`CALLBACK_ALLOWLIST must be a comma list of hosts such as localhost,127.0.0.1:3000,*.example.com; "${part.trim()}" is not one`)
    }
    return Object.freeze({ host: match[2]!.replace(/^\[(.*)\]$/, '$1'), subdomains: match[1] !== undefined, port })
  }))
}

/** Reads and validates the configuration; throws a {@link ConfigError} naming the variable at fault. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const logLevel = text(env, 'LOG_LEVEL', 'info').toLowerCase()
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`)
  }
  const dbFile = text(env, 'DB_FILE', './data/sandbox.json')
  const fixturesDir = text(env, 'FIXTURES_DIR', './fixtures')
  const config: Config = Object.freeze({
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: text(env, 'HOST', '127.0.0.1'),
    publicUrl: publicUrl(env),
    dbFile: dbFile === ':memory:' || isAbsolute(dbFile) ? dbFile : resolve(cwd, dbFile),
    fixturesDir: isAbsolute(fixturesDir) ? fixturesDir : resolve(cwd, fixturesDir),
    logLevel,
    bodyLimit: integer(env, 'BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    callbackRetrySchedule: retrySchedule(env),
    callbackTimeoutMs: duration(env, 'CALLBACK_TIMEOUT', '10s'),
    callbackConcurrency: integer(env, 'CALLBACK_CONCURRENCY', 64, 1, 1024),
    // May exceed CALLBACK_CONCURRENCY (lowering only that one must not stop the start): the total caps it.
    callbackConcurrencyPerHost: integer(env, 'CALLBACK_CONCURRENCY_PER_HOST', 8, 1, 1024),
    autopayAfterMs: optionalDuration(env, 'AUTOPAY_AFTER'),
    orderExpiryMs: duration(env, 'ORDER_EXPIRY', '2h'),
    adminToken: adminToken(env),
    requestLogSize: integer(env, 'REQUEST_LOG_SIZE', 500, 0, 100_000),
    retentionOrders: integer(env, 'RETENTION_ORDERS', 100_000, 0, 100_000_000),
    dbSync: dbSync(env),
    journalLimitBytes: integer(env, 'JOURNAL_LIMIT_MB', 32, 1, 4096) * 1024 * 1024,
    callbackAllowlist: callbackAllowlist(env)
  })
  requireTokenOffLoopback(config.host, config.adminToken)
  return config
}
