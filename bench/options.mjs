import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

export const HELP = `npm run bench [-- options]

Measures the sandbox on this machine and writes the table to BENCHMARKS.md.

  --quick              a short run (3 s phases, 10,000 stored orders); prints, writes nothing unless --out
  --duration <s>       seconds of load per phase (default 10)
  --warmup <s>         seconds of unmeasured load before each phase (default 2)
  --connections <n>    autocannon connections (default 20)
  --orders <n>         stored orders for phases (c) and (e) (default 100000)
  --open <n>           of those, open (init) orders in phase (e) (default: half of --orders)
  --callbacks <n>      orders paid at once in phase (d) (default 1000)
  --hanging <n>        callbacks pending at the hanging receiver in phase (f) (default 300)
  --others <n>         the other merchant's orders paid in phase (f), one every 100 ms (default 10)
  --starts <n>         starts timed per store, the median is reported (default 5)
  --cpu-prof <dir>     run the sandboxes of (b)–(f) under node --cpu-prof, write the profiles to <dir> and print
                       their top self-time functions (the profiler slows them: writes nothing unless --out)
  --out <file>         where to write the table (default BENCHMARKS.md; --quick, --cpu-prof: none)
  --no-write           print only
  -h, --help           this text`

/** The recorded table, beside package.json, wherever the bench is started from. */
const REFERENCE = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url))

/** A flag was given a value the bench cannot use; the message names the flag. */
export class OptionError extends Error {}

const FULL = { duration: 10, warmup: 2, connections: 20, orders: 100_000, callbacks: 1000, hanging: 300, others: 10, starts: 5 }
const QUICK = { duration: 3, warmup: 1, connections: 20, orders: 10_000, callbacks: 1000, hanging: 300, others: 10, starts: 3 }

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
        open: { type: 'string' },
        callbacks: { type: 'string' },
        hanging: { type: 'string' },
        others: { type: 'string' },
        starts: { type: 'string' },
        'cpu-prof': { type: 'string' },
        out: { type: 'string' },
        'no-write': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false }
      }
    }))
  } catch (err) {
    throw new OptionError(`${err.message}\n\n${HELP}`)
  }
  const base = values.quick ? QUICK : FULL
  // A quick or profiled run is not the reference: it must not replace the recorded table unless asked to.
  const reference = !values.quick && values['cpu-prof'] === undefined
  const out = values['no-write'] ? undefined : values.out ?? (reference ? REFERENCE : undefined)
  const orders = whole('orders', values.orders, base.orders, 0, 1_000_000)
  return {
    help: values.help,
    quick: values.quick,
    duration: whole('duration', values.duration, base.duration, 1, 600),
    warmup: whole('warmup', values.warmup, base.warmup, 0, 60),
    connections: whole('connections', values.connections, base.connections, 1, 1000),
    orders,
    open: whole('open', values.open, Math.floor(orders / 2), 0, orders),
    callbacks: whole('callbacks', values.callbacks, base.callbacks, 1, 100_000),
    hanging: whole('hanging', values.hanging, base.hanging, 1, 10_000),
    others: whole('others', values.others, base.others, 1, 1000),
    starts: whole('starts', values.starts, base.starts, 1, 50),
    cpuProf: values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']),
    out
  }
}
