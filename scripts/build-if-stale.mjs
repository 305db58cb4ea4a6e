// Builds dist/ only when it is missing or older than the sources. `npm start` runs this, then `node dist/server.js`:
// a start after an edit of src/ runs the edit, one without takes a second instead of a whole build. It is also
// `prepare`, which `npm ci` and `npm install` run in a clone, so the first build happens at install. Without
// TypeScript (`npm ci --omit=dev`) or without sources (an installed package) it builds nothing.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** What the build reads: an edit of any of them makes dist/ stale. */
const INPUTS = ['src', 'tsconfig.json']

/** The newest modification time under `path` (a file or a folder), in ms; 0 when it does not exist. */
export function newest (path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  // A folder's own time changes when a file in it is added, removed or renamed.
  let latest = stat.mtimeMs
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)))
  return latest
}

/**
 * Why dist/ must be built, or undefined when it is up to date. tsc rewrites every output on each build, so
 * dist/server.js is as old as the last build, whoever ran it (`npm run build`, `npm test`, this script).
 */
export function staleness (root = ROOT) {
  const server = join(root, 'dist', 'server.js')
  if (!existsSync(server)) return 'dist/ is not built yet'
  const built = statSync(server).mtimeMs
  const changed = INPUTS.find((input) => newest(join(root, input)) > built)
  return changed === undefined ? undefined : `${changed} changed since the last build`
}

function compiler () {
  try {
    return createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc')
  } catch {
    return undefined
  }
}

/**
 * tsc writes files without the execute bit; the package's bin (dist/cli.js, `#!/usr/bin/env node`) needs it when run
 * from a clone or a link (`npx ottpay-sandbox` in a project that links this checkout). npm sets it on install only.
 */
export function markBinExecutable () {
  const bin = join(ROOT, 'dist', 'cli.js')
  if (existsSync(bin)) chmodSync(bin, 0o755)
}

function main () {
  if (!existsSync(join(ROOT, 'src'))) return 0
  const reason = staleness()
  if (reason === undefined) return 0
  const tsc = compiler()
  if (tsc === undefined) {
    // A production install (`npm ci --omit=dev`) has no compiler: it runs a dist/ built elsewhere.
    if (existsSync(join(ROOT, 'dist', 'server.js')) || process.env.npm_lifecycle_event === 'prepare') return 0
    console.error('ottpay-sandbox: dist/ is not built and TypeScript is not installed: run `npm ci` with the dev dependencies')
    return 1
  }
  console.error(`ottpay-sandbox: building dist/ (${reason})`)
  const started = performance.now()
  const run = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'inherit' })
  if (run.status !== 0) return run.status ?? 1
  markBinExecutable()
  console.error(`ottpay-sandbox: built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return 0
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main()
