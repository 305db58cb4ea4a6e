import { readFileSync } from 'node:fs'
import t from 'tap'
import { SERVE_FLAGS } from '../../src/cli/serve-flags.js'
import { CONFIG_VAR_LIST, CONFIG_VARS } from '../../src/config/config-vars.js'
import { loadConfig } from '../../src/config/config.js'

const page = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')

/** The rows of docs/configuration.md's table: variable, its `serve` option, its default cell, in order. */
function configurationTable (): Array<[string, string, string]> {
  const rows = [...page.matchAll(/^\| `([A-Z_]+)` \| `--([a-z-]+)` \| (.*?) \| .* \|$/gm)]
  return rows.map((row) => [row[1]!, row[2]!, row[3]!])
}

t.test('docs/configuration.md\'s table lists exactly the variables of src/config/config-vars.ts, in order', async (t) => {
  const table = configurationTable()
  t.same(table.map(([name]) => name), CONFIG_VAR_LIST.map((v) => v.env))
})

t.test('docs/configuration.md\'s defaults are the table\'s; a variable without one is described, not given a value', async (t) => {
  const defaults = new Map(configurationTable().map(([name, , fallback]) => [name, fallback]))
  for (const v of CONFIG_VAR_LIST) {
    const cell = defaults.get(v.env)
    if (v.fallback === undefined) t.notMatch(cell, /^`/, `${v.env}: no default value`)
    else t.equal(cell, `\`${v.fallback}\``, `${v.env}: default ${v.fallback}`)
  }
})

t.test('docs/configuration.md gives every variable its serve option, and no other', async (t) => {
  t.same(configurationTable().map(([name, flag]) => [name, flag]), SERVE_FLAGS.map((f) => [f.env, f.flag]))
})

t.test('the README points to docs/configuration.md for the list', async (t) => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  t.ok(readme.includes('(docs/configuration.md)'))
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
