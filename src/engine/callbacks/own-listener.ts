import type { AddressInfo } from 'node:net'
import { hostname, networkInterfaces } from 'node:os'

/**
 * The sandbox's own address, as callbacks must never target it: a merchant's `call_back_url` of
 * `http://127.0.0.1:8080/sandbox/api/reset` would have the sandbox wipe every merchant's data on the next payment.
 */
export interface OwnListener {
  /** True when a POST to this URL would reach this sandbox. */
  targets(url: string): boolean
}

export interface OwnListenerOptions {
  /** Where the server listens (`server.address()`): null before it listens, when only its PUBLIC_URL is known. */
  address: () => AddressInfo | string | null
  /** PUBLIC_URL: its origin is the sandbox wherever it listens (a proxy in front of it). */
  publicUrl: string | undefined
}

/** Names and addresses that reach this machine's loopback, as WHATWG URLs write them (what fetch connects to). */
export function isLoopbackAlias (host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '::' || host === '0.0.0.0') return true
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true
  // IPv4-mapped IPv6, which URLs write in hex: [::ffff:127.0.0.1] is ::ffff:7f00:1, [::ffff:0.0.0.0] is ::ffff:0:0.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host)
  if (mapped === null) return false
  const high = parseInt(mapped[1]!, 16)
  return high >> 8 === 127 || (high === 0 && parseInt(mapped[2]!, 16) === 0)
}

/** The addresses of this machine's interfaces (a callback to the LAN address reaches a sandbox on 0.0.0.0). */
function localAddresses (): Set<string> {
  const found = new Set<string>()
  for (const list of Object.values(networkInterfaces())) for (const info of list ?? []) found.add(info.address.toLowerCase())
  return found
}

export function createOwnListener (options: OwnListenerOptions): OwnListener {
  const publicOrigin = options.publicUrl === undefined ? undefined : new URL(options.publicUrl).origin
  return {
    targets (url) {
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        return false
      }
      if (parsed.origin === publicOrigin) return true
      const address = options.address()
      if (address === null || typeof address === 'string') return false
      const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80))
      if (port !== address.port) return false
      const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase()
      return isLoopbackAlias(host) || host === hostname().toLowerCase() || host === address.address.toLowerCase() || localAddresses().has(host)
    }
  }
}
