import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { build } from './build.js'
import type { Tap } from './tap.js'

// What the admin UI's browser tests share: a listening sandbox, JSON posts to it, and a page kept on 127.0.0.1.

/** Where the browser tests save their screenshots (created on import). */
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url)
mkdirSync(ARTIFACTS, { recursive: true })
/** A desktop and a 390 px phone. */
export const WIDTHS = [1280, 390] as const

/** A sandbox listening on a port 0, its scheduler ticking every 50 ms. */
export async function serve (t: Tap, env: NodeJS.ProcessEnv = {}) {
  const sandbox = await build(t, { env, tickIntervalMs: 50 })
  const url = await sandbox.app.listen({ port: 0, host: '127.0.0.1' })
  return { ...sandbox, url }
}

export async function post (url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return await res.json() as Record<string, unknown>
}

export const gateway = (url: string, body: unknown) => post(`${url}/processV2`, body)

/** A page of `width` that fails the test if it requests anything outside the sandbox. */
export async function newPage (browser: Browser, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } })
  const page = await context.newPage()
  // The UI must not reach outside the sandbox.
  page.on('request', (request) => {
    const { hostname } = new URL(request.url())
    if (hostname !== '127.0.0.1' && !request.url().startsWith('data:')) throw new Error(`the page requested ${request.url()}`)
  })
  return page
}
