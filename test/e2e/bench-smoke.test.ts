import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ROOT, within } from '../helpers/process.js'

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
  const run = await bench(['--quick', '--duration', '1', '--warmup', '0', '--connections', '2', '--orders', '300', '--open', '120',
    '--callbacks', '20', '--hanging', '5', '--others', '3', '--starts', '1', '--out', out])
  t.equal(run.code, 0, run.stderr)
  const file = readFileSync(out, 'utf8')
  t.match(file, /^# Benchmarks\n/)
  t.ok(file.includes(run.stdout.trim()), 'the file holds the printed tables')
  for (const phase of ['(a) ceiling', '(b) sandbox ACTIVEPAY, empty store', '(c) sandbox ACTIVEPAY, 300 stored orders', '(e) sandbox ACTIVEPAY, 300 stored orders, 120 open']) {
    const row = file.split('\n').find((line) => line.startsWith(`| ${phase}`))
    t.ok(row, `a row for ${phase}`)
    // Columns: phase, req/s, p50, p99, SUCCESS answers, failures, RSS.
    const cells = row!.split('|').slice(1, -1).map((cell) => cell.trim())
    t.ok(Number(cells[4]!.replace(/,/g, '')) > 0, `${phase}: some SUCCESS answers (${cells[4]})`)
    t.equal(cells[5], '0', `${phase}: no failed requests`)
    t.match(cells[6], /^\d+ \(peak \d+\)$/, `${phase}: the server's memory`)
  }
  const targets = file.split('\n').filter((line) => /\*\*(met|missed)\*\*/.test(line))
  t.equal(targets.length, 6, 'a verdict for each target of issue 13')
  for (const target of ['(b)/(a) ≥ 0.20', '(e)/(b) ≥ 0.90, 300 stored orders of which 120 open', 'RSS peak ≤ 300 MB at 300 orders (the (c) and (e) processes)',
    'start → ready ≤ 0.3 s empty / ≤ 1.5 s at 300 orders', "(f) other merchant's callback ≤ 1 s with one receiver hanging", '(d) 20 simultaneous callbacks delivered ≤ 1 s']) {
    t.ok(targets.some((line) => line.startsWith(`| ${target}`)), `a verdict for ${target}`)
  }
  t.match(file, /\| \(e\)\/\(b\) ≥ 0\.90[^|]*\| \d+\.\d\d \|/, '(e)/(b) measured')
  t.match(file, /\(c\) \d+ MB peak \(\d+ once loaded\); \(e\) \d+ MB peak \(\d+ once loaded\)/, 'the peaks of (c) and (e)')
  t.match(file, /20 simultaneous callbacks delivered ≤ 1 s \| [\d,]+ ms \(pay requests all answered/, 'all 20 callbacks arrived')
  // Fewer hanging callbacks than the sandbox's slots: every one of the other merchant's callbacks arrives.
  t.match(file, /hanging \| max [\d,]+ ms, median [\d,]+ ms over 3 pays \(5 callbacks to the hanging receiver, \d+ held open by it; CALLBACK_CONCURRENCY \d+/,
    'the other merchant\'s 3 callbacks arrived while the hanging receiver held its own')
  t.match(file, /Stored orders for \(c\): 300, seeded in [\d.]+ s through the Store interface/)
  t.match(file, /Stored orders for \(e\): 300 of which 120 open, seeded in [\d.]+ s through the Store interface/)
  t.match(file, /after \(e\) counted [\d,]+ orders \([\d,]+ open/)
  t.match(file, /this run used other sizes/)
  t.match(file, /## Why the missed targets are missed/)
  t.notMatch(file, /segment/i, 'nothing about the old segment files')
  t.match(run.stderr, /bench: \(d\) 20 orders paid at once/)
  t.match(run.stderr, /bench: \(e\) sandbox ACTIVEPAY, 300 stored orders, 120 open/)
  t.match(run.stderr, /bench: \(f\) 5 callbacks hanging at one receiver, 3 of another merchant's orders paid/)
})

t.test('bench/cpu-profile.mjs ranks the functions of a profile by self time', async (t) => {
  const dir = t.testdir()
  const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '0' })
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1), children: [2, 3] },
      { id: 2, callFrame: frame('parseLine', `file://${ROOT}dist/store/load.js`, 49), children: [] },
      { id: 3, callFrame: frame('compile', `file://${ROOT}node_modules/ajv/dist/core.js`, 9), children: [] }
    ],
    startTime: 0,
    endTime: 4000,
    samples: [2, 3, 2, 2],
    timeDeltas: [1000, 1000, 1000, 1000]
  }
  const file = join(dir, 'x.cpuprofile')
  writeFileSync(file, JSON.stringify(profile))
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'cpu-profile.mjs'), file, '5'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  const code = await within(new Promise((resolve) => child.on('close', resolve)), 'cpu-profile.mjs', 20_000)
  t.equal(code, 0)
  t.match(stdout, /^0\.0 s sampled; top self time by function:\n {1}75\.0 % {2}parseLine dist\/store\/load\.js:50\n {1}25\.0 % {2}compile ajv\/dist\/core\.js:10\nby file or package:\n {1}75\.0 % {2}dist\/store\/load\.js\n {1}25\.0 % {2}ajv\n/)
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
