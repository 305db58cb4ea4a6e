import { spawn, execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { CONFIG_VAR_LIST } from '../dist/config/config-vars.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url))

/** Variables that would change what is measured if the caller's shell happened to set them: the sandbox's own and NODE_OPTIONS. */
const SANDBOX_VARIABLES = [...CONFIG_VAR_LIST.map((v) => v.env), 'NODE_OPTIONS']

/** Every child still running, so that a failed or interrupted bench leaves no server behind. */
const running = new Set()

/** SIGKILLs every child still running (after an error or an interrupt; a normal run stops each one itself). */
export function killAll () {
  for (const child of running) child.kill('SIGKILL')
}

function childEnv (env) {
  const base = { ...process.env }
  for (const name of SANDBOX_VARIABLES) delete base[name]
  return { ...base, ...env }
}

/** A port that was free a moment ago: the sandbox logs nothing at LOG_LEVEL=warn, so it cannot tell us its own. */
export function freePort () {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

function status (url) {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume()
      resolve(res.statusCode)
    })
    req.on('error', () => resolve(0))
    req.end()
  })
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Linux reports the resident set of any process; elsewhere `ps` does. In MB. */
export function memoryOf (pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN)
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 }
  } catch {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim())
    return { rssMb: kb / 1024, peakMb: NaN }
  }
}

/**
 * Spawns `node <script>` on a free port and waits for `GET /healthz` to answer 200. `readyMs` is the time from
 * just before the spawn to that first 200: Node's own start, imports, config, fixtures, loading the store, listening.
 */
export async function startProcess (script, env = {}, { readyTimeoutMs = 120_000, nodeArgs = [] } = {}) {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first (npm run bench does)`)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const t0 = performance.now()
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: childEnv({ PORT: String(port), HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  running.add(child)
  // Kept short: the output only matters when something went wrong.
  let output = ''
  const keep = (chunk) => { output = (output + chunk).slice(-4000) }
  child.stdout.setEncoding('utf8').on('data', keep)
  child.stderr.setEncoding('utf8').on('data', keep)
  const exited = new Promise((resolve) => child.once('close', (code, signal) => {
    running.delete(child)
    resolve({ code, signal })
  }))
  let exit
  exited.then((e) => { exit = e })
  while (await status(`${url}/healthz`) !== 200) {
    if (exit !== undefined) throw new Error(`${script} exited (${JSON.stringify(exit)}) before it was ready:\n${output}`)
    if (performance.now() - t0 > readyTimeoutMs) {
      child.kill('SIGKILL')
      throw new Error(`${script} was not ready after ${readyTimeoutMs} ms:\n${output}`)
    }
    await pause(2)
  }
  const readyMs = performance.now() - t0
  return {
    url,
    pid: child.pid,
    readyMs,
    memory: () => memoryOf(child.pid),
    output: () => output,
    /** SIGTERM (a graceful shutdown finishes its writes), SIGKILL if that takes longer than `graceMs`. */
    async stop (graceMs = 60_000) {
      if (exit !== undefined) return exit
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      const result = await exited
      clearTimeout(timer)
      return result
    }
  }
}

/** The real sandbox, `node dist/server.js`, on `dbFile`, logging warnings only; `options` as {@link startProcess}'s. */
export function startSandbox (dbFile, env = {}, options = {}) {
  return startProcess(SERVER, { DB_FILE: dbFile, LOG_LEVEL: 'warn', ...env }, options)
}

/** Runs a script to its end; resolves with its stdout, rejects with its output when it fails. */
export function runScript (script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env: childEnv({}), stdio: ['ignore', 'pipe', 'pipe'] })
    running.add(child)
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => { out += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk) => { err += chunk; process.stderr.write(chunk) })
    child.once('close', (code) => {
      running.delete(child)
      if (code === 0) resolve(out)
      else reject(new Error(`${script} failed (exit ${code}):\n${err}`))
    })
  })
}
