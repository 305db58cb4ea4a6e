import type { FastifyInstance, FastifyRequest } from 'fastify'
import { isLoopback, type AllowedHost, type Config } from '../config/config.js'
import { ApiError } from '../domain/errors.js'

/** Which Host names are accepted: every one, or those of the list. */
export type HostPolicy = 'any' | readonly AllowedHost[]

/**
 * The names accepted besides the loopback ones (always accepted): ALLOWED_HOSTS, or its default. On loopback (the
 * default HOST) the sandbox is open without a token, so a page the developer visits could rebind its own name to
 * 127.0.0.1 and drive the control API as same-origin: only PUBLIC_URL's host is added. Off loopback ADMIN_TOKEN
 * is required, which a rebound page does not have, and the sandbox is reached by names it cannot guess (a Docker
 * service name): any name, unless ALLOWED_HOSTS lists them.
 */
export function hostPolicy (config: Pick<Config, 'allowedHosts' | 'host' | 'publicUrl'>): HostPolicy {
  if (config.allowedHosts !== undefined) return config.allowedHosts
  if (!isLoopback(config.host)) return 'any'
  if (config.publicUrl === undefined) return []
  return [{ host: new URL(config.publicUrl).hostname.replace(/^\[(.*)\]$/, '$1'), subdomains: false, port: undefined }]
}

/** The Host header's name and port (port undefined when the header names none). */
function splitHost (header: string): { host: string, port: number | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(header.trim())
  if (match === null) return undefined
  return { host: match[1]!.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, ''), port: match[2] === undefined ? undefined : Number(match[2]) }
}

/** True when the policy accepts this Host header; a request without one (HTTP/1.0) names no host to rebind. */
export function hostAllowed (header: string | undefined, policy: HostPolicy): boolean {
  if (policy === 'any' || header === undefined || header === '') return true
  const parsed = splitHost(header)
  if (parsed === undefined) return false
  const { host, port } = parsed
  // A page can only present a loopback name as its Host if it was loaded from that name: it is this machine's
  // own origin, not a rebound one (browsers resolve *.localhost themselves, never through DNS).
  if (isLoopback(host) || host.endsWith('.localhost')) return true
  return policy.some((entry) =>
    (entry.port === undefined || entry.port === port) &&
    (entry.subdomains ? host.endsWith(`.${entry.host}`) : host === entry.host))
}

/** Routes that answer whatever the Host: the gateway and the pages a payer's browser opens (payer pages, links, login). */
function openToAnyHost (request: FastifyRequest): boolean {
  const config = request.routeOptions.config
  return config?.surface === 'gateway' || (config?.surface === 'page' && config.admin === undefined)
}

/**
 * The DNS-rebinding guard: the admin UI, the control API, /healthz and /docs answer 403 to a Host name the policy
 * does not accept. Registered before the admin token check, so a rebound page learns nothing from it either.
 */
export function registerAllowedHosts (app: FastifyInstance, policy: HostPolicy): void {
  if (policy === 'any') return
  app.addHook('onRequest', async (request) => {
    if (openToAnyHost(request) || hostAllowed(request.headers.host, policy)) return
    throw new ApiError('FORBIDDEN', `the admin UI and the control API do not answer to the host ${request.headers.host ?? ''} (a guard against DNS rebinding): open the sandbox as localhost or 127.0.0.1, or add the name to ALLOWED_HOSTS`)
  })
}
