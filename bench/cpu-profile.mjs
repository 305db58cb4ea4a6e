/**
 * The top self-time functions of a `node --cpu-prof` profile, as text: what `npm run bench -- --cpu-prof <dir>`
 * prints for each phase. Also `node bench/cpu-profile.mjs <file.cpuprofile> [top]`.
 */
import { readFile } from 'node:fs/promises'
import { ROOT } from './processes.mjs'

/** Where a frame's code lives: a path in the project, a package, `node:…` or (native). */
function placeOf ({ url, lineNumber }) {
  if (url === '') return '(native)'
  const path = url.replace(`file://${ROOT}`, '').replace(/^.*node_modules\//, '')
  return `${path}:${lineNumber + 1}`
}

/** Self time per function and per file (or package), each in % of the profile's samples, biggest first. */
export function selfTime (profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1
  const functions = new Map()
  const files = new Map()
  const add = (map, key, time) => map.set(key, (map.get(key) ?? 0) + time)
  for (const [id, time] of self) {
    const frame = byId.get(id).callFrame
    const place = placeOf(frame)
    add(functions, `${frame.functionName || '(anonymous)'} ${place}`, time)
    const file = place.replace(/:\d+$/, '')
    // A package counts as one place: its name (with its scope).
    add(files, frame.url.includes('node_modules/') ? file.split('/').slice(0, file.startsWith('@') ? 2 : 1).join('/') : file, time)
  }
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]).map(([name, time]) => ({ name, percent: 100 * time / total }))
  return { functions: sorted(functions), files: sorted(files), seconds: total / 1e6 }
}

export function describe (profile, top = 15) {
  const { functions, files, seconds } = selfTime(profile)
  const line = ({ name, percent }) => `${percent.toFixed(1).padStart(5)} %  ${name}`
  return [
    `${seconds.toFixed(1)} s sampled; top self time by function:`,
    ...functions.slice(0, top).map(line),
    'by file or package:',
    ...files.slice(0, top).map(line)
  ].join('\n')
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [file, top] = process.argv.slice(2)
  console.log(describe(JSON.parse(await readFile(file, 'utf8')), top === undefined ? 15 : Number(top)))
}
