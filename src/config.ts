import { isAbsolute, resolve } from 'node:path'

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
}

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

/** Reads and validates the configuration; throws a {@link ConfigError} naming the variable at fault. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const logLevel = text(env, 'LOG_LEVEL', 'info').toLowerCase()
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`)
  }
  const dbFile = text(env, 'DB_FILE', './data/sandbox.json')
  const fixturesDir = text(env, 'FIXTURES_DIR', './fixtures')
  return Object.freeze({
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: text(env, 'HOST', '127.0.0.1'),
    publicUrl: publicUrl(env),
    dbFile: dbFile === ':memory:' || isAbsolute(dbFile) ? dbFile : resolve(cwd, dbFile),
    fixturesDir: isAbsolute(fixturesDir) ? fixturesDir : resolve(cwd, fixturesDir),
    logLevel,
    bodyLimit: integer(env, 'BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024)
  })
}
