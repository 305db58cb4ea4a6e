import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { SERVE_FLAGS } from '../../src/cli/serve-flags.js'
import type { Tap } from './tap.js'

/** The project root: children run here, so the default FIXTURES_DIR is the shipped folder. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const SERVER = fileURLToPath(new URL('../../dist/server.js', import.meta.url))

/** Every wait on a child is bounded: a hang fails the test instead of blocking the suite. */
export const WAIT_MS = 10_000

/** Resolves like `promise`, or rejects after `ms` with a message saying what was awaited. */
export function within<T> (promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface Child {
  process: ChildProcess
  /** Complete stdout lines so far. */
  lines: string[]
  stdout(): string
  stderr(): string
  /** Settles when the process has exited and its output streams are closed. */
  exited: Promise<Exit>
}

/**
 * The environment a child gets: this one without the sandbox's variables (a developer's shell may set any of them,
 * ADMIN_TOKEN say), plus `extra`.
 */
export function childEnv (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env }
  for (const flag of SERVE_FLAGS) delete base[flag.env]
  return { ...base, ...extra }
}

/** Spawns `node dist/server.js`; the child is SIGKILLed at teardown if it is still running. */
export function spawnServer (t: Tap, env: NodeJS.ProcessEnv): Child {
  if (!existsSync(SERVER)) {
    throw new Error(`${SERVER} is missing: run \`npm run build\` before these tests (npm test does)`)
  }
  const child = spawn(process.execPath, [SERVER], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  const lines: string[] = []
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  let pending = ''
  child.stdout.on('data', (chunk: string) => {
    out += chunk
    const parts = (pending + chunk).split('\n')
    pending = parts.pop()!
    lines.push(...parts)
  })
  child.stderr.on('data', (chunk: string) => { err += chunk })
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await within(exited, 'a child killed at teardown').catch(() => undefined)
    }
  })
  return { process: child, lines, stdout: () => out, stderr: () => err, exited }
}

export interface RunningServer extends Child {
  url: string
  /** The parsed start line. */
  start: { msg: string, level: number }
}

/**
 * Spawns the server and waits for its start line; fails with the child's output when it does not come.
 * Only PORT differs from the defaults (src/config/config-vars.ts): the loopback HOST and the info LOG_LEVEL that logs
 * the start line are theirs.
 */
export async function startServer (t: Tap, env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const child = spawnServer(t, { PORT: '0', ...env })
  const started = new Promise<RunningServer>((resolve, reject) => {
    const look = () => {
      for (const line of child.lines) {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
        if (match !== null) {
          child.process.stdout!.off('data', look)
          resolve({ ...child, url: match[1]!, start: JSON.parse(line) })
          return
        }
      }
    }
    child.process.stdout!.on('data', look)
    child.exited.then((exit) => reject(new Error(`the server exited (${JSON.stringify(exit)}) before listening:\n${child.stdout()}\n${child.stderr()}`)))
  })
  return within(started, 'the start line').catch((err: Error) => {
    throw new Error(`${err.message}\nstdout: ${child.stdout()}\nstderr: ${child.stderr()}`)
  })
}

/** Runs the server expecting it to stop by itself (a start failure). */
export async function runToExit (t: Tap, env: NodeJS.ProcessEnv): Promise<Exit & { stdout: string, stderr: string }> {
  const child = spawnServer(t, { PORT: '0', ...env })
  const exit = await within(child.exited, 'the server to exit')
  return { ...exit, stdout: child.stdout(), stderr: child.stderr() }
}
