// The import graph of src/: no cycles, and no arrow from a lower layer up to a higher one. The layers are the
// folders of src/ in the order of LAYERS (src/README.md explains each); a file may import its own folder and any
// folder of a lower layer, never a higher or an equal one. Type-only imports count too: they tie files as tightly.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import ts from 'typescript'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))

/** Bottom to top. Folders on one line share a layer and must not import each other. */
const LAYERS: string[][] = [
  ['platform', 'crypto'],
  ['config', 'domain'],
  ['store'],
  ['engine'],
  ['protocol'],
  ['inspector', 'client'],
  ['readiness'],
  ['views'],
  ['plugins'],
  ['routes'],
  ['app.ts'],
  ['index.ts', 'server.ts'],
  ['cli'],
  ['cli.ts']
]

const layerOf = new Map<string, number>()
LAYERS.forEach((names, rank) => { for (const name of names) layerOf.set(name, rank) })

function sourceFiles (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** The first path segment below src/: the folder, or the file's own name for an entry point. */
const unitOf = (file: string): string => relative(SRC, file).split(sep)[0] ?? ''

function importsOf (file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
  return info.importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')))
}

const files = sourceFiles(SRC)
const graph = new Map(files.map((file) => [file, importsOf(file)]))

t.test('every folder and file of src/ has a layer', async (t) => {
  const units = [...new Set(files.map(unitOf))].sort()
  t.same(units.filter((unit) => !layerOf.has(unit)), [], 'add a new folder of src/ to LAYERS and to src/README.md')
})

function upwardImports (graph: Map<string, string[]>): string[] {
  const wrong: string[] = []
  for (const [file, targets] of graph) {
    const from = unitOf(file)
    for (const target of targets) {
      const to = unitOf(target)
      if (to === from) continue
      if ((layerOf.get(to) ?? Infinity) >= (layerOf.get(from) ?? -1)) wrong.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`)
    }
  }
  return wrong
}

t.test('no import points up or sideways to another folder of the same layer', async (t) => {
  t.same(upwardImports(graph), [])
  // The check itself sees an arrow up, and one sideways within a layer.
  const fake = new Map([[join(SRC, 'domain/x.ts'), [join(SRC, 'engine/y.ts'), join(SRC, 'config/z.ts'), join(SRC, 'platform/w.ts')]]])
  t.same(upwardImports(fake), ['domain/x.ts -> engine/y.ts', 'domain/x.ts -> config/z.ts'])
})

t.test('every relative import names a file that exists', async (t) => {
  const missing = [...graph].flatMap(([file, targets]) => targets.filter((target) => !graph.has(target)).map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`))
  t.same(missing, [])
})

/** Tarjan's strongly connected components of more than one file: each is a cycle. */
function cyclesOf (graph: Map<string, string[]>): string[][] {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  const visit = (v: string): void => {
    index.set(v, counter); low.set(v, counter); counter++
    stack.push(v); onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)) } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do { w = stack.pop()!; onStack.delete(w); component.push(relative(SRC, w)) } while (w !== v)
      if (component.length > 1) cycles.push(component.sort())
    }
  }
  for (const file of graph.keys()) if (!index.has(file)) visit(file)
  return cycles
}

t.test('the file graph has no cycle', async (t) => {
  t.same(cyclesOf(graph), [])
  const [a, b, c] = ['routes/a.ts', 'routes/b.ts', 'routes/c.ts'].map((name) => join(SRC, name))
  t.same(cyclesOf(new Map([[a!, [b!]], [b!, [c!]], [c!, [a!]]])), [['routes/a.ts', 'routes/b.ts', 'routes/c.ts']], 'the check sees a cycle through three files')
})
