import { mkdir, readdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { DataFile } from 'lowdb/node'
import { StoreError } from '../errors.js'
import { merchantsProblem } from '../fixtures.js'
import { defaultData, SEGMENT_NAME, stringifyData, type Data, type SegmentData } from './data.js'

/** lowdb's file adapter with the store's line-per-item JSON; writes go through steno (temp file, then rename). */
export function dataFile<T extends object> (file: string): DataFile<T> {
  return new DataFile<T>(file, { parse: JSON.parse, stringify: stringifyData })
}

/** The folder of a data file's segments: `sandbox.json` → `sandbox.json.d`. */
export const segmentDir = (location: string): string => `${location}.d`

async function readJson (file: string): Promise<unknown> {
  try {
    return await dataFile<object>(file).read()
  } catch (err) {
    throw new StoreError(`${file}: cannot be loaded (${(err as Error).message}); move it away to start empty`, { cause: err })
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

/** Reads DB_FILE (any schema), or the empty data when there is none yet. `legacy` is true for a schema 1 file. */
export async function readMain (location: string): Promise<{ data: Data, legacy: boolean }> {
  await mkdir(dirname(location), { recursive: true })
  const raw = await readJson(location)
  if (raw === null) return { data: defaultData(), legacy: false }
  if (!isObject(raw) || !Array.isArray(raw.orders)) {
    throw new StoreError(`${location}: is not a sandbox data file (no "orders" array)`)
  }
  // Files written before the callback outbox, runtime merchants or segments existed have no such field.
  raw.callbacks ??= []
  raw.merchants ??= []
  const legacy = raw.segments === undefined
  raw.segments ??= []
  for (const name of ['callbacks', 'merchants', 'segments'] as const) {
    if (!Array.isArray(raw[name])) throw new StoreError(`${location}: "${name}" is not an array`)
  }
  const segments = raw.segments as unknown[]
  const bad = segments.find((name) => typeof name !== 'string' || !SEGMENT_NAME.test(name))
  if (bad !== undefined) throw new StoreError(`${location}: "segments" lists ${JSON.stringify(bad)}, which is not a segment file name`)
  // Runtime merchants are the only entries the sandbox trusts without a request: a hand-edited one that is broken
  // would fail later, far from its cause.
  const problem = merchantsProblem(raw.merchants as unknown[])
  if (problem !== undefined) throw new StoreError(`${location}: "merchants"${problem} (a runtime merchant is broken)`)
  const counter = typeof raw.next_segment === 'number' && Number.isSafeInteger(raw.next_segment) ? raw.next_segment : 1
  const highest = Math.max(0, ...(segments as string[]).map((name) => Number(/\d+/.exec(name)![0])))
  const data: Data = {
    schema: 2,
    segments: segments as string[],
    next_segment: Math.max(counter, highest + 1),
    pruned: typeof raw.pruned === 'number' ? raw.pruned : 0,
    merchants: raw.merchants as Data['merchants'],
    orders: raw.orders as Data['orders'],
    callbacks: raw.callbacks as Data['callbacks']
  }
  return { data, legacy }
}

/** Reads one segment file that DB_FILE lists: it must be there and hold orders and callbacks. */
export async function readSegment (file: string): Promise<SegmentData> {
  const raw = await readJson(file)
  if (raw === null) throw new StoreError(`${file}: is listed in the data file but missing; restore it, or move the data file away to start empty`)
  if (!isObject(raw) || !Array.isArray(raw.orders) || !Array.isArray(raw.callbacks)) {
    throw new StoreError(`${file}: is not a sandbox segment file (no "orders" and "callbacks" arrays)`)
  }
  return { schema: 2, orders: raw.orders, callbacks: raw.callbacks }
}

/**
 * Removes segment files the data file does not list: written by a crash between a segment's write and the data
 * file's (whose orders are still in the data file), or left by a reset that stopped before removing them.
 */
export async function removeStrays (location: string, listed: readonly string[]): Promise<void> {
  const dir = segmentDir(location)
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return
  }
  const keep = new Set(listed)
  await Promise.all(names
    .filter((name) => SEGMENT_NAME.test(name) && !keep.has(name))
    .map((name) => rm(join(dir, name), { force: true })))
}
