import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

export const HELP = `npm run bench [-- options]

Measures the sandbox on this machine and writes the table to BENCHMARKS.md.

  --quick              a short run (3 s phases, 10,000 stored orders); prints, writes nothing unless --out
  --duration <s>       seconds of load per phase (default 10)
  --warmup <s>         seconds of unmeasured load before each phase (default 2)
  --connections <n>    autocannon connections (default 20)
  --orders <n>         stored orders for phase (c) (default 100000)
  --callbacks <n>      orders paid at once in phase (d) (default 1000)
  --starts <n>         starts timed per store, the median is reported (default 5)
  --out <file>         where to write the table (default BENCHMARKS.md; --quick: none)
  --no-write           print only
  -h, --help           this text`

/** The recorded table, beside package.json, wherever the bench is started from. */
const REFERENCE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url))

/** A flag was given a value the bench cannot use; the message names the flag. */
export class OptionError extends Error {}

const FULL = { duration: 10, warmup: 2, connections: 20, orders: 100_000, callbacks: 1000, starts: 5 }
const QUICK = { duration: 3, warmup: 1, connections: 20, orders: 10_000, callbacks: 1000, starts: 3 }

function whole (name, raw, fallback, min, max) {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new OptionError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`)
  }
  return Number(raw)
}

/** Reads the command line; `help` is true when the user asked for the usage text. */
export function readOptions (args) {
  let values
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        quick: { type: 'boolean', default: false },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        orders: { type: 'string' },
        callbacks: { type: 'string' },
        starts: { type: 'string' },
        out: { type: 'string' },
        'no-write': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false }
      }
    }))
  } catch (err) {
    throw new OptionError(`${err.message}\n\n${HELP}`)
  }
  const base = values.quick ? QUICK : FULL
  // A quick run is not the reference: it must not replace the recorded table unless asked to.
  const out = values['no-write'] ? undefined : values.out ?? (values.quick ? undefined : REFERENCE)
  return {
    help: values.help,
    quick: values.quick,
    duration: whole('duration', values.duration, base.duration, 1, 600),
    warmup: whole('warmup', values.warmup, base.warmup, 0, 60),
    connections: whole('connections', values.connections, base.connections, 1, 1000),
    orders: whole('orders', values.orders, base.orders, 0, 1_000_000),
    callbacks: whole('callbacks', values.callbacks, base.callbacks, 1, 100_000),
    starts: whole('starts', values.starts, base.starts, 1, 50),
    out
  }
}
