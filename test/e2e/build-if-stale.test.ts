import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { ROOT } from '../helpers/process.js'

// scripts/build-if-stale.mjs, which `npm start` and `prepare` (npm ci) run: it builds only a missing or stale
// dist/, and never where TypeScript or the sources are missing. Run in a copy of the layout with a stand-in tsc
// that records its call and writes dist/server.js, so no test waits for a real build.
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }

interface Layout { src?: boolean, dist?: 'old' | 'new', tsc?: boolean }

/** A folder outside the repository, whose node_modules would lend the copy the real TypeScript. */
function outside (t: { teardown(fn: () => unknown): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'build-if-stale-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function project (dir: string, layout: Layout): string {
  mkdirSync(join(dir, 'scripts'), { recursive: true })
  copyFileSync(join(ROOT, 'scripts', 'build-if-stale.mjs'), join(dir, 'scripts', 'build-if-stale.mjs'))
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n')
  writeFileSync(join(dir, 'tsconfig.json'), '{}\n')
  const past = new Date(Date.now() - 60_000)
  utimesSync(join(dir, 'tsconfig.json'), past, past)
  if (layout.src !== false) {
    mkdirSync(join(dir, 'src'))
    writeFileSync(join(dir, 'src', 'server.ts'), 'export {}\n')
    utimesSync(join(dir, 'src', 'server.ts'), past, past)
    utimesSync(join(dir, 'src'), past, past)
  }
  if (layout.dist !== undefined) {
    mkdirSync(join(dir, 'dist'))
    writeFileSync(join(dir, 'dist', 'server.js'), '')
    const when = layout.dist === 'new' ? new Date() : new Date(Date.now() - 120_000)
    utimesSync(join(dir, 'dist', 'server.js'), when, when)
  }
  if (layout.tsc === true) {
    mkdirSync(join(dir, 'node_modules', 'typescript', 'bin'), { recursive: true })
    writeFileSync(join(dir, 'node_modules', 'typescript', 'package.json'), '{"name":"typescript"}\n')
    writeFileSync(join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), [
      "const { mkdirSync, writeFileSync, appendFileSync } = require('node:fs')",
      "appendFileSync('tsc-calls', process.argv.slice(2).join(' ') + '\\n')",
      "mkdirSync('dist', { recursive: true })",
      "writeFileSync('dist/server.js', '')"
    ].join('\n'))
  }
  return dir
}

function run (dir: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [join(dir, 'scripts', 'build-if-stale.mjs')], { cwd: dir, env: { ...process.env, npm_lifecycle_event: '', ...env }, encoding: 'utf8', timeout: 10_000 })
  let calls = ''
  try { calls = readFileSync(join(dir, 'tsc-calls'), 'utf8') } catch {}
  return { code: result.status, stderr: result.stderr, calls }
}

t.test('npm start checks, then starts; prepare builds at install', async (t) => {
  t.equal(PKG.scripts.start, 'node scripts/build-if-stale.mjs && node dist/server.js')
  t.equal(PKG.scripts.prepare, 'node scripts/build-if-stale.mjs')
})

t.test('an up-to-date dist/ is not built again', async (t) => {
  const result = run(project(outside(t), { dist: 'new', tsc: true }))
  t.equal(result.code, 0)
  t.equal(result.calls, '', 'tsc not run')
  t.equal(result.stderr, '', 'silent')
})

t.test('a missing dist/ or an edited source is built', async (t) => {
  const fresh = run(project(outside(t), { tsc: true }))
  t.equal(fresh.code, 0)
  t.match(fresh.calls, /^-p .*tsconfig\.json\n$/, 'tsc ran once')
  t.match(fresh.stderr, /building dist\/ \(dist\/ is not built yet\)/)

  // dist/ built two minutes ago, src/server.ts edited one minute ago.
  const dir = project(outside(t), { dist: 'old', tsc: true })
  const edited = run(dir)
  t.equal(edited.code, 0)
  t.equal(edited.calls.split('\n').length - 1, 1, 'tsc ran')
  t.match(edited.stderr, /src changed since the last build/)
  t.equal(run(dir).calls.split('\n').length - 1, 1, 'the next start builds nothing')
})

t.test('without TypeScript (npm ci --omit=dev) or without sources (an installed package), nothing is built', async (t) => {
  const production = run(project(outside(t), { dist: 'old' }))
  t.equal(production.code, 0, 'a stale dist/ without a compiler still starts')
  t.equal(run(project(outside(t), {}), { npm_lifecycle_event: 'prepare' }).code, 0, 'prepare without dist/ or compiler passes')
  const start = run(project(outside(t), {}))
  t.equal(start.code, 1, 'npm start without dist/ or compiler fails')
  t.match(start.stderr, /dist\/ is not built and TypeScript is not installed/)
  const packed = run(project(outside(t), { src: false, dist: 'old', tsc: true }))
  t.equal(packed.code, 0)
  t.equal(packed.calls, '', 'no sources: no build')
})
