#!/usr/bin/env node
/**
 * The `ottpay-sandbox` bin: `serve` (the default), `seal` and `open`. The commands live in ./cli/; this file only
 * turns their outcome into the process's: an exit code, or the server, started by importing server.ts (the one
 * file that listens and exits) once the options are in the environment, so config.ts validates them as usual.
 */
import { main } from './cli/main.js'

const io = { stdin: () => process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }
const outcome = await main(process.argv.slice(2), io)
if (outcome.kind === 'serve') {
  Object.assign(process.env, outcome.env)
  await import('./server.js')
} else {
  // exitCode rather than exit(): stdout piped to another program is flushed before the process ends.
  process.exitCode = outcome.code
}
