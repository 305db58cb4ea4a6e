import { CONFIG_VARS, ConfigError, type ConfigVar } from './config-vars.js'
import type { Config } from './types.js'

export { ConfigError }
export type { AllowedHost, Config } from './types.js'

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

/**
 * What the configuration allows but a person should know at start: a PUBLIC_URL naming another machine (a proxy in
 * front of the sandbox) with no ADMIN_TOKEN lets whoever reaches that name drive the control API (its host is
 * accepted by the DNS-rebinding guard, src/plugins/allowed-hosts.ts).
 */
export function configWarnings (config: Pick<Config, 'publicUrl' | 'adminToken' | 'allowedHosts'>): string[] {
  if (config.publicUrl === undefined || config.adminToken !== undefined || config.allowedHosts !== undefined) return []
  const host = new URL(config.publicUrl).hostname.replace(/^\[(.*)\]$/, '$1')
  if (isLoopback(host) || host === 'localhost' || host.endsWith('.localhost')) return []
  return [`PUBLIC_URL names ${host} and ADMIN_TOKEN is unset: whoever reaches ${host} (through your proxy) can use the control API and the admin UI, which pay orders, reset data and reveal sign keys; set ADMIN_TOKEN`]
}

/** Reads and validates the configuration; throws a {@link ConfigError} naming the variable at fault. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const config: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(CONFIG_VARS) as Array<[string, ConfigVar<unknown>]>) {
    config[key] = v.parse({ name: v.env, raw: env[v.env], fallback: v.fallback, cwd })
  }
  const frozen = Object.freeze(config as unknown as Config)
  requireTokenOffLoopback(frozen.host, frozen.adminToken)
  return frozen
}
