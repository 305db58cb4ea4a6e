import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import t from 'tap'
import { SERVE_FLAGS } from '../../src/cli/serve-flags.js'
import { CONFIG_VAR_LIST } from '../../src/config/config-vars.js'
import { allDocs, anchorsOf, codeBlocks, docFile, ROOT } from '../helpers/docs.js'

const docs = allDocs()
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string, version: string, scripts: Record<string, string> }

t.test('the README is a front door: at most 300 lines', async (t) => {
  const lines = docFile('README.md').text.split('\n').length
  t.ok(lines <= 300, `README.md has ${lines} lines; move reference into docs/`)
})

t.test('every relative link in README.md and docs/ points to an existing file, and its anchor to a heading', async (t) => {
  let checked = 0
  for (const doc of docs) {
    const text = doc.text.replace(/^```[\s\S]*?^```$/gm, '')
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue
      const [path, anchor] = target!.split('#') as [string, string | undefined]
      const file = path === '' ? doc.path : normalize(join(dirname(doc.path), path))
      t.ok(existsSync(join(ROOT, file)), `${doc.path}: ${target} (${file})`)
      if (anchor !== undefined && file.endsWith('.md') && existsSync(join(ROOT, file))) {
        t.ok(anchorsOf(readFileSync(join(ROOT, file), 'utf8')).has(anchor), `${doc.path}: #${anchor} is a heading of ${file}`)
      }
      checked++
    }
  }
  t.ok(checked > 40, `${checked} links checked`)
})

t.test('docs/README.md and the README list every page of docs/', async (t) => {
  const index = docFile('docs/README.md').text
  const readme = docFile('README.md').text
  for (const doc of docs.filter((d) => d.path.startsWith('docs/') && d.path !== 'docs/README.md')) {
    const name = doc.path.slice('docs/'.length)
    t.ok(index.includes(`](${name})`), `docs/README.md links ${name}`)
    t.ok(readme.includes(`](${doc.path})`), `README.md links ${doc.path}`)
  }
})

/** Shell and YAML lines of the docs, with their file, for the checks below. */
const shellLines = docs.flatMap((doc) => codeBlocks(doc)
  .filter((block) => ['sh', 'yaml'].includes(block.lang))
  .flatMap((block) => block.code.split('\n').map((line) => ({ where: `${doc.path}: ${block.name}`, line, block: block.code }))))

t.test('the install instructions do not send readers to the registry, where the package is not published', async (t) => {
  const readme = docFile('README.md').text
  t.match(readme, /not published on the npm registry yet/)
  t.ok(readme.includes(`npm install --save-dev /path/to/${PKG.name}-${PKG.version}.tgz`), 'the tarball npm pack writes')
  t.match(readme, /npm install --save-dev git\+https:/)
  for (const { where, line } of shellLines) t.notMatch(line, /npm (install|i) (--save-dev |-D )?ottpay-sandbox\b(?!-)/, `${where}: no registry install`)
})

t.test('every npm script the docs run exists', async (t) => {
  let checked = 0
  for (const { where, line } of shellLines) {
    for (const [, run, short] of line.matchAll(/\bnpm (?:run ([a-z:-]+)|(start|test)\b)/g)) {
      const script = run ?? short
      t.ok(PKG.scripts[script!] !== undefined, `${where}: npm script ${script}`)
      checked++
    }
  }
  t.ok(checked >= 8, `${checked} scripts`)
})

t.test('every option the docs give `ottpay-sandbox` exists', async (t) => {
  // serve's options, the other commands' (seal, open, readiness: src/cli/help.ts) and the global ones.
  const known = new Set([...SERVE_FLAGS.map((f) => f.flag), 'help', 'version', 'key', 'action', 'merchant', 'sandbox', 'callback', 'ack', 'poll-within', 'settle', 'token', 'format'])
  let checked = 0
  for (const { where, line } of shellLines) {
    const command = /(?:npx ottpay-sandbox|ottpay-sandbox (?:serve|seal|open|readiness))(.*)$/.exec(line)?.[1]
    if (command === undefined) continue
    for (const [, flag] of command.replace(/#.*$/, '').matchAll(/\s--([a-z-]+)/g)) {
      t.ok(known.has(flag!), `${where}: --${flag}`)
      checked++
    }
  }
  t.ok(checked >= 10, `${checked} options`)
})

t.test('every sandbox variable the docs set in Docker, Compose and Actions is a configuration variable', async (t) => {
  const known = new Set(CONFIG_VAR_LIST.map((v) => v.env))
  let checked = 0
  for (const { where, line } of shellLines) {
    for (const [, name] of line.matchAll(/(?:-e |^\s+)([A-Z][A-Z_]+)(?:=|: )/g)) {
      if (['OTTPAY_BASE_URL', 'OTTPAY_CALLBACK_HOST', 'SANDBOX_URL', 'MERCHANT'].includes(name!)) continue // the reader's own
      t.ok(known.has(name!), `${where}: ${name}`)
      checked++
    }
  }
  t.ok(checked >= 8, `${checked} variables`)
})

t.test('a docker run that publishes the port sets ADMIN_TOKEN (the image listens on 0.0.0.0)', async (t) => {
  const runs = shellLines.filter(({ line }) => /docker run .*-p \d+:\d+/.test(line))
  t.ok(runs.length >= 2, `${runs.length} docker runs`)
  for (const { where, line } of runs) t.match(line, /-e ADMIN_TOKEN=/, where)
})

t.test('every file a docs command runs from the repository exists', async (t) => {
  for (const { where, line } of shellLines) {
    for (const [, file] of line.matchAll(/(?:node|php|python3|java|mcs -out:\S+) ((?:bench|examples|src|test)\/\S+)/g)) {
      t.ok(existsSync(join(ROOT, file!)), `${where}: ${file}`)
    }
  }
})

t.test('curl examples never hardcode the port: they read SANDBOX_URL, which the reader sets', async (t) => {
  for (const { where, line, block } of shellLines) {
    // The CI recipes' health waits, and a block that publishes the port itself (docker run -p 8080:8080), know it.
    if (!/\bcurl\b/.test(line) || /--retry/.test(line) || /-p 8080:8080/.test(block)) continue
    t.notMatch(line.replace(/#.*$/, ''), /localhost:8080|127\.0\.0\.1:8080/, where)
  }
})
