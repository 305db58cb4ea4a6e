import { readFileSync } from 'node:fs'
import { InputError, UsageError } from './errors.js'
import { openHelp, readinessHelp, sealHelp, serveHelp, topHelp, USAGE, type CommandName } from './help.js'
import { openCommand } from './open.js'
import { wantsHelp } from './parse.js'
import { readinessCommand } from './readiness.js'
import { sealCommand } from './seal.js'
import { serveEnv } from './serve.js'
import type { Stdin } from './stdin.js'

/** What the bin does next: exit with a code, or start the server with these variables set. */
export type Outcome = { kind: 'exit', code: number } | { kind: 'serve', env: Record<string, string> }

export interface Io {
  /** A getter: node creates process.stdin on first use, and `serve` has no use for it. */
  stdin: () => Stdin
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  env: NodeJS.ProcessEnv
}

const NAME = 'ottpay-sandbox'
const COMMANDS: readonly CommandName[] = ['serve', 'seal', 'open', 'readiness']
const HELP: Record<CommandName, () => string> = { serve: serveHelp, seal: sealHelp, open: openHelp, readiness: readinessHelp }

function packageVersion (): string {
  // dist/cli/main.js and src/cli/main.ts both sit two folders below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

function exit (code: number): Outcome {
  return { kind: 'exit', code }
}

function usageError (io: Io, label: string, message: string, usage: string, helpCommand: string): Outcome {
  io.stderr.write(`${label}: ${message}\n\n${usage}\nRun \`${helpCommand} --help\` for details.\n`)
  return exit(2)
}

/** Which command the arguments name: none, or options first, mean `serve` (`ottpay-sandbox --port 0`). */
function pickCommand (argv: readonly string[]): { command: CommandName, args: readonly string[] } | string {
  const first = argv[0]
  if (first === undefined || (first.startsWith('-') && first !== '--')) return { command: 'serve', args: argv }
  if ((COMMANDS as readonly string[]).includes(first)) return { command: first as CommandName, args: argv.slice(1) }
  return first
}

/** Runs the command line; never exits the process itself (the bin does, from the outcome). */
export async function main (argv: readonly string[], io: Io): Promise<Outcome> {
  if (argv[0] === '--version') {
    io.stdout.write(`${packageVersion()}\n`)
    return exit(0)
  }
  if (argv[0] === '--help' || argv[0] === '-h') {
    io.stdout.write(topHelp(packageVersion()))
    return exit(0)
  }
  const picked = pickCommand(argv)
  if (typeof picked === 'string') {
    return usageError(io, NAME, `unknown command "${picked}"; the commands are ${COMMANDS.join(', ')}`, USAGE.top, NAME)
  }
  const { command, args } = picked
  if (wantsHelp(args)) {
    io.stdout.write(HELP[command]())
    return exit(0)
  }
  try {
    switch (command) {
      case 'serve':
        return { kind: 'serve', env: serveEnv(args, io.env) }
      case 'seal':
        io.stdout.write(`${await sealCommand(args, io.stdin())}\n`)
        return exit(0)
      case 'open':
        io.stdout.write(`${await openCommand(args, io.stdin())}\n`)
        return exit(0)
      case 'readiness': {
        const { output, notes, code } = await readinessCommand(args, io.env)
        if (notes !== '') io.stderr.write(`${NAME} readiness: ${notes}`)
        io.stdout.write(output)
        return exit(code)
      }
    }
  } catch (err) {
    const label = `${NAME} ${command}`
    if (err instanceof UsageError) return usageError(io, label, err.message, USAGE[command], label)
    if (err instanceof InputError) {
      io.stderr.write(`${label}: ${err.message}\n`)
      return exit(1)
    }
    throw err
  }
}
