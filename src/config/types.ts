// The shape of the configuration: what loadConfig (config.ts) returns, from the table of variables (config-vars.ts).
/** Everything the sandbox reads from the environment (contract §5), validated; src/config/config-vars.ts lists the variables. */
export interface Config {
  port: number
  host: string
  /** Base of the absolute URLs the sandbox hands out (hosted pages); default: the request's own origin. */
  publicUrl: string | undefined
  /** The lowdb JSON file, or `:memory:` to keep nothing. */
  dbFile: string
  fixturesDir: string
  logLevel: string
  /** LOG_FORMAT: `pretty` lines for a person, pino `json` lines, or `auto` (pretty when stdout is a terminal). */
  logFormat: 'auto' | 'pretty' | 'json'
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
  /**
   * ALLOWED_HOSTS: the Host names the admin UI, the control API, /healthz and /docs answer to (a guard against DNS
   * rebinding); `any` for every name; undefined: the default, which src/plugins/allowed-hosts.ts computes.
   */
  allowedHosts: readonly AllowedHost[] | 'any' | undefined
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

/** One CALLBACK_ALLOWLIST or ALLOWED_HOSTS entry: `host`, `host:port`, `*.domain` or `*.domain:port`; IPv6 in brackets. */
export interface AllowedHost {
  /** Lowercase host name or IP address (IPv6 without brackets); for a wildcard, the domain after `*.`. */
  host: string
  /** `*.domain`: any name under the domain, at any depth (not the domain itself). */
  subdomains: boolean
  /** Only this port, when given; otherwise any. */
  port: number | undefined
}
