import { isAbsolute, resolve } from 'node:path'
import type { AllowedHost, Config } from './types.js'
import { parseDuration, parseDurationList } from '../platform/duration.js'

/**
 * The one table of the sandbox's environment variables (contract §5): loadConfig parses them, `serve` has an
 * option for each, the test helpers clear them and a test holds the README's table to it.
 */

/** A configuration problem; the message names the variable. */
export class ConfigError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** What a parser is given: the variable as set (untrimmed; undefined when unset) and its table row. */
export interface ConfigInput {
  name: string
  raw: string | undefined
  /** The row's default, as the variable would spell it. */
  fallback: string | undefined
  /** Relative paths resolve against it. */
  cwd: string
}

/** One environment variable. */
export interface ConfigVar<T> {
  /** Its name; the `serve` option is the same, lowercase with dashes (`CALLBACK_TIMEOUT`: `--callback-timeout`). */
  env: string
  /** The value's placeholder in `serve --help`. */
  value: string
  /** The default as the variable would spell it; none: unset means something else, which `help` says. */
  fallback?: string
  /** `serve` sets its own default (FIXTURES_DIR: the shipped fixtures), which `help` says instead of `fallback`. */
  serveDefault?: true
  /** One line for `serve --help`. */
  help: string
  /** The value, or a {@link ConfigError} naming the variable. */
  parse: (input: ConfigInput) => T
}

/** The value as set, trimmed, or the default when it is unset or blank. */
function given ({ raw, fallback }: ConfigInput): string {
  return raw === undefined || raw.trim() === '' ? fallback ?? '' : raw.trim()
}

function integer (min: number, max: number) {
  return (input: ConfigInput): number => {
    const text = given(input)
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      throw new ConfigError(`${input.name} must be a whole number from ${min} to ${max}, got "${input.raw}"`)
    }
    return Number(text)
  }
}

function duration (input: ConfigInput): number {
  const text = given(input)
  const value = parseDuration(text)
  if (value === undefined) throw new ConfigError(`${input.name} must be a duration such as 500ms, 15s, 3m or 2h, got "${text}"`)
  return value
}

/** A file or folder: relative to the working folder (cwd). */
function path (input: ConfigInput): string {
  const text = given(input)
  return isAbsolute(text) ? text : resolve(input.cwd, text)
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

function logLevel (input: ConfigInput): string {
  const value = given(input).toLowerCase()
  if (!LOG_LEVELS.includes(value)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${input.raw}"`)
  return value
}

function dbSync (input: ConfigInput): Config['dbSync'] {
  const value = given(input).toLowerCase()
  if (value !== 'none' && value !== 'fsync') throw new ConfigError(`DB_SYNC must be none or fsync, got "${input.raw}"`)
  return value
}

function publicUrl ({ raw }: ConfigInput): string | undefined {
  const text = raw?.trim()
  if (text === undefined || text === '') return undefined
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL such as http://localhost:8080, got "${text}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_URL must use http or https, got "${text}"`)
  }
  return text.replace(/\/+$/, '')
}

function retrySchedule (input: ConfigInput): number[] {
  const text = given(input)
  const value = text === 'none' ? [] : parseDurationList(text)
  if (value === undefined) {
    throw new ConfigError(`CALLBACK_RETRY_SCHEDULE must be a comma list of durations such as 15s,30s,3m (or "none"), got "${text}"`)
  }
  return value
}

function adminToken ({ raw }: ConfigInput): string | undefined {
  if (raw === undefined || raw === '') return undefined
  // A token pasted with stray spaces would never match what the browser sends: refuse it rather than guess.
  if (raw !== raw.trim() || !/^[\x21-\x7e]{8,256}$/.test(raw)) {
    throw new ConfigError('ADMIN_TOKEN must be 8 to 256 printable characters with no spaces')
  }
  return raw
}

const ALLOWED_HOST = /^(\*\.)?([a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/

/** A comma list of hosts: `host`, `host:port`, `*.domain`, `[::1]:9000` (CALLBACK_ALLOWLIST, ALLOWED_HOSTS). */
function hostList ({ name, raw }: ConfigInput): readonly AllowedHost[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  return Object.freeze(raw.split(',').map((part) => {
    const entry = part.trim().toLowerCase().replace(/\.(?=:|$)/, '')
    const match = ALLOWED_HOST.exec(entry)
    const port = match?.[3] === undefined ? undefined : Number(match[3])
    if (match === null || (port !== undefined && (port < 1 || port > 65535)) || (match[1] !== undefined && match[2]!.startsWith('['))) {
      throw new ConfigError(`${name} must be a comma list of hosts such as localhost,127.0.0.1:3000,*.example.com; "${part.trim()}" is not one`)
    }
    return Object.freeze({ host: match[2]!.replace(/^\[(.*)\]$/, '$1'), subdomains: match[1] !== undefined, port })
  }))
}

/** ALLOWED_HOSTS: `*` answers to any Host; otherwise a host list like CALLBACK_ALLOWLIST's. */
function allowedHosts (input: ConfigInput): Config['allowedHosts'] {
  return input.raw?.trim() === '*' ? 'any' : hostList(input)
}

const LOG_FORMATS = ['auto', 'pretty', 'json'] as const

function logFormat (input: ConfigInput): Config['logFormat'] {
  const value = given(input).toLowerCase()
  const format = LOG_FORMATS.find((f) => f === value)
  if (format === undefined) throw new ConfigError(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, got "${input.raw}"`)
  return format
}

/** Every variable, one per {@link Config} field, in the order of `serve --help` and the README. */
export const CONFIG_VARS: { readonly [K in keyof Config]: ConfigVar<Config[K]> } = {
  port: { env: 'PORT', value: 'N', fallback: '8080', help: 'port to listen on; 0 picks a free one', parse: integer(0, 65535) },
  host: { env: 'HOST', value: 'ADDRESS', fallback: '127.0.0.1', help: 'interface to listen on; 0.0.0.0 for every one', parse: given },
  publicUrl: { env: 'PUBLIC_URL', value: 'URL', help: 'base of the absolute URLs handed out (default: the request\'s origin)', parse: publicUrl },
  dbFile: {
    env: 'DB_FILE',
    value: 'FILE',
    fallback: './data/sandbox.json',
    help: 'the data file; :memory: keeps nothing',
    parse: (input) => given(input) === ':memory:' ? ':memory:' : path(input)
  },
  fixturesDir: {
    env: 'FIXTURES_DIR',
    value: 'DIR',
    fallback: './fixtures',
    serveDefault: true,
    help: 'folder with merchants.json (default: the fixtures shipped in the package)',
    parse: path
  },
  logLevel: { env: 'LOG_LEVEL', value: 'LEVEL', fallback: 'info', help: 'fatal, error, warn, info, debug, trace or silent', parse: logLevel },
  logFormat: {
    env: 'LOG_FORMAT',
    value: 'FORMAT',
    fallback: 'auto',
    help: 'pretty (a start banner and a line per gateway call), json (pino JSON lines), or auto: pretty on a terminal',
    parse: logFormat
  },
  bodyLimit: { env: 'BODY_LIMIT', value: 'BYTES', fallback: '1048576', help: 'largest request body', parse: integer(1024, 64 * 1024 * 1024) },
  callbackRetrySchedule: {
    env: 'CALLBACK_RETRY_SCHEDULE',
    value: 'LIST',
    fallback: '15s,15s,30s,3m,10m,20m,30m,30m,30m,60m,3h,3h,3h,6h,6h',
    help: 'delays between callback attempts, or none',
    parse: retrySchedule
  },
  callbackTimeoutMs: { env: 'CALLBACK_TIMEOUT', value: 'DURATION', fallback: '10s', help: 'timeout of one callback attempt', parse: duration },
  callbackConcurrency: { env: 'CALLBACK_CONCURRENCY', value: 'N', fallback: '64', help: 'callbacks in flight at once', parse: integer(1, 1024) },
  // May exceed CALLBACK_CONCURRENCY (lowering only that one must not stop the start): the total caps it.
  callbackConcurrencyPerHost: {
    env: 'CALLBACK_CONCURRENCY_PER_HOST',
    value: 'N',
    fallback: '8',
    help: 'of those, callbacks to one receiver (scheme, host and port) at once',
    parse: integer(1, 1024)
  },
  callbackAllowlist: {
    env: 'CALLBACK_ALLOWLIST',
    value: 'HOSTS',
    help: 'hosts callbacks may go to, e.g. localhost,127.0.0.1:3000,*.example.com (default: any)',
    parse: hostList
  },
  autopayAfterMs: {
    env: 'AUTOPAY_AFTER',
    value: 'DURATION',
    fallback: 'off',
    help: 'pay new orders automatically after this long, e.g. 3s',
    parse: (input) => given(input) === 'off' ? undefined : duration(input)
  },
  orderExpiryMs: { env: 'ORDER_EXPIRY', value: 'DURATION', fallback: '2h', help: 'close unpaid orders as notpay after this long', parse: duration },
  adminToken: {
    env: 'ADMIN_TOKEN',
    value: 'TOKEN',
    help: 'require this token for /sandbox and /sandbox/api (default: open; prefer the variable, other users can read arguments)',
    parse: adminToken
  },
  allowedHosts: {
    env: 'ALLOWED_HOSTS',
    value: 'HOSTS',
    help: 'Host names the admin UI and control API answer to besides loopback ones, or * (default: PUBLIC_URL\'s host; any when HOST is not loopback)',
    parse: allowedHosts
  },
  requestLogSize: {
    env: 'REQUEST_LOG_SIZE',
    value: 'N',
    fallback: '500',
    help: 'gateway calls the request inspector keeps; 0 keeps none',
    parse: integer(0, 100_000)
  },
  retentionOrders: {
    env: 'RETENTION_ORDERS',
    value: 'N',
    fallback: '100000',
    help: 'keep at most this many orders, pruning the oldest closed ones; 0 keeps all',
    parse: integer(0, 100_000_000)
  },
  dbSync: {
    env: 'DB_SYNC',
    value: 'MODE',
    fallback: 'none',
    help: 'none, or fsync to flush every journal write to the disk before answering',
    parse: dbSync
  },
  journalLimitBytes: {
    env: 'JOURNAL_LIMIT_MB',
    value: 'MB',
    fallback: '32',
    help: 'compact the journal into a new snapshot past this size',
    parse: (input) => integer(1, 4096)(input) * 1024 * 1024
  }
}

/** The rows of {@link CONFIG_VARS}, in order. */
export const CONFIG_VAR_LIST: readonly ConfigVar<unknown>[] = Object.values(CONFIG_VARS)
