import { readdirSync } from 'node:fs'

/**
 * `npm run test:fast` runs test/unit and test/app in two processes (one a core), not one process a file as
 * `npm test` does: a process costs about a second to start, and each transpiles all of src/ again through
 * ts-node; for some 50 short files that was 80 % of the time. A file imported here registers its tests on tap's
 * root test, exactly as when it runs alone; each test builds its own app, store and clock, so files share nothing
 * but the process. These files are not `*.test.ts`: plain `tap` (npm test) does not run them.
 */
const TIERS = ['unit', 'app']

/** Imports every `count`-th test file of the fast tiers (by name), starting at `index`. */
export async function runShard (index: number, count: number): Promise<void> {
  const files = TIERS.flatMap((tier) => readdirSync(new URL(`../${tier}/`, import.meta.url))
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => new URL(`../${tier}/${name}`, import.meta.url)))
  for (const [i, file] of files.entries()) {
    if (i % count === index) await import(file.href)
  }
}
