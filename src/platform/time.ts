const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000

/** `yyyyMMddHHmmss` in Beijing time (UTC+8, no daylight saving), the format of `finish_time`. */
export function beijingTime (ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().replace(/[-T:]/g, '').slice(0, 14)
}

/** True when a `yyyyMMddHHmmss` string names a real calendar date and time. */
export function isCompactTimestamp (text: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text)
  if (m === null) return false
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[]
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d &&
    date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s
}
