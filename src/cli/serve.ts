import { fileURLToPath } from 'node:url'
import { parseOptions } from './parse.js'
import { SERVE_FLAGS } from './serve-flags.js'

/**
 * The fixtures shipped in the package. config.ts reads ./fixtures under the working folder, which is right in
 * the repo and the image but not for `npx ottpay-sandbox` in a merchant's project, where no such folder exists.
 */
export const SHIPPED_FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url))

/** `serve`: the variables its options set, to be merged into the environment before the server starts. */
export function serveEnv (args: readonly string[], env: NodeJS.ProcessEnv): Record<string, string> {
  const values = parseOptions(args, SERVE_FLAGS.map((f) => f.flag))
  const set: Record<string, string> = {}
  if ((env.FIXTURES_DIR ?? '').trim() === '') set.FIXTURES_DIR = SHIPPED_FIXTURES
  for (const f of SERVE_FLAGS) {
    const value = values[f.flag]
    if (value !== undefined) set[f.env] = value
  }
  return set
}
