const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** `250ms`, `15s`, `3m`, `6h` (or a bare number of milliseconds) → milliseconds; undefined when malformed. */
export function parseDuration (text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (m === null) return undefined
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 'ms']!)
}

/** A comma list of durations, e.g. the callback retry schedule `15s,15s,30s,3m`. */
export function parseDurationList (text: string): number[] | undefined {
  const parts = text.split(',').map((part) => part.trim()).filter((part) => part !== '')
  const values = parts.map(parseDuration)
  return values.some((v) => v === undefined) ? undefined : values as number[]
}
