import { readFileSync } from 'node:fs'
import t from 'tap'
import { SERVE_FLAGS } from '../../src/cli/serve-flags.js'
import { CONFIG_VAR_LIST, CONFIG_VARS } from '../../src/config/config-vars.js'
import { loadConfig } from '../../src/config/config.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

/** The README's `## Configuration` table: variable → its default cell, in order. */
function readmeTable (): Array<[string, string]> {
  const section = readme.slice(readme.indexOf('\n## Configuration\n'))
  const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| (.*?) \| .* \|$/gm)]
  return rows.map((row) => [row[1]!, row[2]!])
}

t.test('the README\'s configuration table lists exactly the variables of src/config/config-vars.ts, in order', async (t) => {
  const table = readmeTable()
  t.same(table.map(([name]) => name), CONFIG_VAR_LIST.map((v) => v.env))
})

t.test('the README\'s defaults are the table\'s; a variable without one is described, not given a value', async (t) => {
  const defaults = new Map(readmeTable())
  for (const v of CONFIG_VAR_LIST) {
    const cell = defaults.get(v.env)
    if (v.fallback === undefined) t.notMatch(cell, /^`/, `${v.env}: no default value`)
    else t.equal(cell, `\`${v.fallback}\``, `${v.env}: default ${v.fallback}`)
  }
})

t.test('the README names every serve option', async (t) => {
  for (const f of SERVE_FLAGS) t.ok(readme.includes(`\`--${f.flag}\``), `--${f.flag}`)
})

t.test('every default is valid and is what loadConfig applies when the variable is unset', async (t) => {
  const unset = loadConfig({}, '/srv/app')
  for (const [key, v] of Object.entries(CONFIG_VARS)) {
    if (v.fallback === undefined) {
      t.equal(unset[key as keyof typeof unset], undefined, `${v.env} unset: ${key} is undefined`)
      continue
    }
    t.same(loadConfig({ [v.env]: v.fallback }, '/srv/app'), unset, `${v.env}=${v.fallback}`)
  }
})

t.test('each variable is read once, by its own row', async (t) => {
  const names = CONFIG_VAR_LIST.map((v) => v.env)
  t.equal(new Set(names).size, names.length, 'no variable has two rows')
  const read: string[] = []
  const spy = new Proxy({}, { get: (_target, name) => { if (typeof name === 'string') read.push(name) } })
  loadConfig(spy as NodeJS.ProcessEnv)
  t.same(read, names)
})
