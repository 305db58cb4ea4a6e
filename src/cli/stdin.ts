import { text } from 'node:stream/consumers'
import { tooDeep } from '../crypto/json-depth.js'
import { InputError, UsageError } from './errors.js'

/** Standard input as the commands see it: a stream that may be a terminal. */
export type Stdin = NodeJS.ReadableStream & { isTTY?: boolean }

function describe (value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`
}

/**
 * Reads all of stdin as one JSON object; `what` names it in messages ("the data to seal").
 * A terminal on stdin would wait forever for input nobody means to type, so it is refused at once.
 * With `limitDepth`, JSON nested deeper than the gateway accepts in data (MAX_DATA_DEPTH) is refused in one line.
 */
export async function readJsonObject (stdin: Stdin, what: string, limitDepth = false): Promise<Record<string, unknown>> {
  if (stdin.isTTY === true) throw new UsageError(`pipe ${what} in on stdin (JSON)`)
  const raw = await text(stdin)
  if (raw.trim() === '') throw new InputError(`stdin is empty: expected ${what} as a JSON object`)
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (err) {
    // A parser that recurses throws RangeError on very deep text: say so, not "not JSON (Maximum call stack…)".
    if (err instanceof RangeError) throw new InputError(tooDeep(raw, 'stdin') ?? 'stdin is nested too deeply to parse')
    throw new InputError(`stdin is not JSON (${(err as Error).message}): expected ${what} as a JSON object`)
  }
  const deep = limitDepth ? tooDeep(raw, 'stdin') : undefined
  if (deep !== undefined) throw new InputError(`${deep}: the gateway refuses data nested deeper (PARAM_INVALID)`)
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(`stdin must be a JSON object (${what}), got ${describe(parsed)}`)
  }
  return parsed as Record<string, unknown>
}
