import { parseArgs } from 'node:util'
import { UsageError } from './errors.js'

/** True when the arguments ask for help: `--help` or `-h` before any `--` wins over every other problem. */
export function wantsHelp (args: readonly string[]): boolean {
  const end = args.indexOf('--')
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h')
}

/**
 * Parses a command's options, each taking a value (`--key K` or `--key=K`), strictly: no positional arguments,
 * no unknown option. Node's own message, which names the option at fault, becomes a {@link UsageError}.
 */
export function parseOptions (args: readonly string[], names: readonly string[]): Record<string, string | undefined> {
  const options = Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]))
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values as Record<string, string | undefined>
  } catch (err) {
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(err.message)
    }
    throw err
  }
}

/** The value of a required string option, refused when missing or blank. */
export function required (value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`--${flag} is required`)
  if (value.trim() === '') throw new UsageError(`--${flag} must not be empty`)
  return value
}
