import { DEFAULT_RETRY_SCHEDULE } from '../config/config.js'

/** One `serve` option: it sets one environment variable, which src/config/config.ts validates as usual. */
export interface ServeFlag {
  flag: string
  env: string
  /** The placeholder shown in the help. */
  value: string
  help: string
  /** The default as the variable would spell it, when there is one to show. */
  fallback?: string
}

/** One flag for every variable loadConfig reads (a test holds this list to it). */
export const SERVE_FLAGS: readonly ServeFlag[] = [
  { flag: 'port', env: 'PORT', value: 'N', help: 'port to listen on; 0 picks a free one', fallback: '8080' },
  { flag: 'host', env: 'HOST', value: 'ADDRESS', help: 'interface to listen on; 0.0.0.0 for every one', fallback: '127.0.0.1' },
  { flag: 'public-url', env: 'PUBLIC_URL', value: 'URL', help: 'base of the absolute URLs handed out (default: the request\'s origin)' },
  { flag: 'db-file', env: 'DB_FILE', value: 'FILE', help: 'the data file; :memory: keeps nothing', fallback: './data/sandbox.json' },
  { flag: 'fixtures-dir', env: 'FIXTURES_DIR', value: 'DIR', help: 'folder with merchants.json (default: the fixtures shipped in the package)' },
  { flag: 'log-level', env: 'LOG_LEVEL', value: 'LEVEL', help: 'fatal, error, warn, info, debug, trace or silent', fallback: 'info' },
  { flag: 'body-limit', env: 'BODY_LIMIT', value: 'BYTES', help: 'largest request body', fallback: '1048576' },
  { flag: 'callback-retry-schedule', env: 'CALLBACK_RETRY_SCHEDULE', value: 'LIST', help: 'delays between callback attempts, or none', fallback: DEFAULT_RETRY_SCHEDULE },
  { flag: 'callback-timeout', env: 'CALLBACK_TIMEOUT', value: 'DURATION', help: 'timeout of one callback attempt', fallback: '10s' },
  { flag: 'callback-concurrency', env: 'CALLBACK_CONCURRENCY', value: 'N', help: 'callbacks in flight at once', fallback: '64' },
  { flag: 'callback-concurrency-per-host', env: 'CALLBACK_CONCURRENCY_PER_HOST', value: 'N', help: 'of those, callbacks to one receiver (scheme, host and port) at once', fallback: '8' },
  { flag: 'callback-allowlist', env: 'CALLBACK_ALLOWLIST', value: 'HOSTS', help: 'hosts callbacks may go to, e.g. localhost,127.0.0.1:3000,*.example.com (default: any)' },
  { flag: 'autopay-after', env: 'AUTOPAY_AFTER', value: 'DURATION', help: 'pay new orders automatically after this long, e.g. 3s', fallback: 'off' },
  { flag: 'order-expiry', env: 'ORDER_EXPIRY', value: 'DURATION', help: 'close unpaid orders as notpay after this long', fallback: '2h' },
  { flag: 'admin-token', env: 'ADMIN_TOKEN', value: 'TOKEN', help: 'require this token for /sandbox and /sandbox/api (default: open; prefer the variable, other users can read arguments)' },
  { flag: 'request-log-size', env: 'REQUEST_LOG_SIZE', value: 'N', help: 'gateway calls the request inspector keeps; 0 keeps none', fallback: '500' },
  { flag: 'retention-orders', env: 'RETENTION_ORDERS', value: 'N', help: 'keep at most this many orders, pruning the oldest closed ones; 0 keeps all', fallback: '100000' },
  { flag: 'db-sync', env: 'DB_SYNC', value: 'MODE', help: 'none, or fsync to flush every journal write to the disk before answering', fallback: 'none' },
  { flag: 'journal-limit-mb', env: 'JOURNAL_LIMIT_MB', value: 'MB', help: 'compact the journal into a new snapshot past this size', fallback: '32' }
]
