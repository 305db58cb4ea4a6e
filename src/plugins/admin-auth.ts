import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../domain/errors.js'

/** The cookie the admin UI's login form sets. */
export const ADMIN_COOKIE = 'ottpay_sandbox_admin'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `api`: the control API (401 JSON without the token); `ui`: the admin UI (redirect to the login form). */
    admin?: 'api' | 'ui'
  }
}

function digest (text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/** Constant-time comparison of a presented token with the configured one. */
export function tokenMatches (presented: string | undefined, token: string): boolean {
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token))
}

/** One cookie's value from the Cookie header (a single name is all the UI needs; no cookie library for that). */
function cookie (request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) {
      try { return decodeURIComponent(rest.join('=')) } catch { return undefined }
    }
  }
  return undefined
}

/**
 * The token a request presents: `x-admin-token`, `Authorization: Bearer …`, or — on UI pages only — the login
 * cookie. The API never takes the cookie, so another page on localhost cannot ride a logged-in browser into it.
 */
function presented (request: FastifyRequest, kind: 'api' | 'ui'): string | undefined {
  const header = request.headers['x-admin-token']
  if (typeof header === 'string') return header
  const auth = request.headers.authorization
  if (auth !== undefined && /^bearer /i.test(auth)) return auth.slice(7).trim()
  return kind === 'ui' ? cookie(request, ADMIN_COOKIE) : undefined
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function sameOrigin (request: FastifyRequest): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  try {
    return new URL(origin).host === request.host
  } catch {
    return false
  }
}

/** Where the login form sends the browser back to: only paths of the admin UI itself, never another site. */
export function safeNext (next: unknown): string {
  // Printable ASCII only: anything else could not go into a Location header.
  return typeof next === 'string' && /^[\x21-\x7e]*$/.test(next) && /^\/sandbox(\/(?!\/)|$|\?)/.test(next) && !next.startsWith('/sandbox/api') ? next : '/sandbox'
}

/**
 * ADMIN_TOKEN: when set, routes marked `config.admin` (the admin UI and the control API) need it; the gateway,
 * the hosted payer pages, /healthz and /docs do not. Without ADMIN_TOKEN everything is open (a local tool),
 * except that changes posted from another host's page are refused either way.
 */
export function registerAdminAuth (app: FastifyInstance, token: string | undefined): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const kind = request.routeOptions.config?.admin
    if (kind === undefined) return
    // A sandbox on localhost is open to any page the developer visits, and a plain HTML form can post to it
    // without a CORS preflight: refuse state changes whose Origin is another host. Browsers send Origin on every
    // POST; curl and test clients send none.
    if (!SAFE_METHODS.has(request.method) && !sameOrigin(request)) {
      throw new ApiError('FORBIDDEN', `the sandbox only accepts changes from its own pages, not from ${request.headers.origin ?? 'another site'}`)
    }
    if (token === undefined || tokenMatches(presented(request, kind), token)) return
    if (kind === 'ui') {
      return reply.redirect(`/sandbox/login?next=${encodeURIComponent(request.url)}`, 303)
    }
    throw new ApiError('UNAUTHORIZED', 'ADMIN_TOKEN is set: send it in the x-admin-token header or as Authorization: Bearer <token>')
  })
}

/** The Set-Cookie value of a successful login: the browser sends the token back on admin pages only. */
export function loginCookie (token: string): string {
  return `${ADMIN_COOKIE}=${encodeURIComponent(token)}; Path=/sandbox; HttpOnly; SameSite=Strict`
}

export function logoutCookie (): string {
  return `${ADMIN_COOKIE}=; Path=/sandbox; HttpOnly; SameSite=Strict; Max-Age=0`
}
