import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ROOT, within } from './helpers/process.js'

const BENCH = join(ROOT, 'bench', 'run.mjs')

/** Runs `node bench/run.mjs …args` to its end. */
function bench (args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> {
  // Its own process group: if it hangs, the teardown kills it together with the servers it started.
  const child = spawn(process.execPath, [BENCH, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL')
  })
  const done = new Promise<{ code: number | null, stdout: string, stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
  return within(done, `bench ${args.join(' ')}`, 50_000)
}

// Numbers are not checked (they depend on the machine and on the tests running beside this one): only that every
// piece of the bench runs against the real built server and the table comes out complete.
t.test('a tiny run of every phase prints the tables and writes them to --out', async (t) => {
  const dir = t.testdir()
  const out = join(dir, 'BENCH.md')
  const run = await bench(['--quick', '--duration', '1', '--warmup', '0', '--connections', '2', '--orders', '300', '--callbacks', '20', '--starts', '1', '--out', out])
  t.equal(run.code, 0, run.stderr)
  const file = readFileSync(out, 'utf8')
  t.match(file, /^# Benchmarks\n/)
  t.ok(file.includes(run.stdout.trim()), 'the file holds the printed tables')
  for (const phase of ['(a) ceiling', '(b) sandbox ACTIVEPAY, empty store', '(c) sandbox ACTIVEPAY, 300 stored orders']) {
    const row = file.split('\n').find((line) => line.startsWith(`| ${phase}`))
    t.ok(row, `a row for ${phase}`)
    // Columns: phase, req/s, p50, p99, SUCCESS answers, failures, RSS.
    const cells = row!.split('|').slice(1, -1).map((cell) => cell.trim())
    t.ok(Number(cells[4]!.replace(/,/g, '')) > 0, `${phase}: some SUCCESS answers (${cells[4]})`)
    t.equal(cells[5], '0', `${phase}: no failed requests`)
    t.match(cells[6], /^\d+ \(peak \d+\)$/, `${phase}: the server's memory`)
  }
  const targets = file.split('\n').filter((line) => /\*\*(met|missed)\*\*/.test(line))
  t.equal(targets.length, 6, 'a verdict for each target')
  t.match(file, /20 orders paid at once: every callback delivered ≤ 2 s \| [\d,]+ ms \(pay requests all answered/, 'all 20 callbacks arrived')
  t.match(file, /Stored orders for \(c\): 300, seeded in/)
  t.match(file, /this run used other sizes/)
  t.match(run.stderr, /bench: \(d\) 20 orders paid at once/)
})

t.test('a bad flag stops the bench with a message naming it', async (t) => {
  const run = await bench(['--duration', 'ten'])
  t.equal(run.code, 2)
  t.match(run.stderr, /--duration must be a whole number from 1 to 600, got "ten"/)
  const unknown = await bench(['--fast'])
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, /Unknown option '--fast'/)
})

t.test('--help prints the flags and runs nothing', async (t) => {
  const run = await bench(['--help'])
  t.equal(run.code, 0)
  t.match(run.stdout, /--quick/)
  t.match(run.stdout, /--orders <n>/)
  t.equal(run.stderr, '')
})
