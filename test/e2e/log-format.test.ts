import t from 'tap'
import { activePayData, envelope } from '../helpers/build.js'
import { spawnServer, within } from '../helpers/process.js'

// The real process with LOG_FORMAT=pretty (what a terminal gets with LOG_FORMAT=auto): a readable banner, then
// one short line per gateway call. Its stdout is a pipe here, so LOG_FORMAT=auto would give JSON (the other tests).
const TEA = { merchant_id: 'QC00005496', name: 'Tea', sign_key: 'SANDBOXKEY000001', currency: 'CAD' as const, operators: ['0000020156'] }

/** Waits until a stdout line matches, and returns the match. */
async function line (child: ReturnType<typeof spawnServer>, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return await within(new Promise<RegExpExecArray>((resolve, reject) => {
    const look = () => {
      for (const l of child.lines) {
        const match = pattern.exec(l)
        if (match !== null) {
          child.process.stdout!.off('data', look)
          resolve(match)
          return
        }
      }
    }
    child.process.stdout!.on('data', look)
    look()
    child.exited.then(() => reject(new Error(`exited before ${what}:\n${child.stdout()}\n${child.stderr()}`)))
  }), what)
}

t.test('LOG_FORMAT=pretty: a start banner with the URL, admin UI, docs, data and merchants; a line per gateway call', async (t) => {
  const child = spawnServer(t, { PORT: '0', LOG_FORMAT: 'pretty', DB_FILE: ':memory:' })
  const [, url] = await line(child, /^\[\d\d:\d\d:\d\d\] INFO: ottpay-sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/, 'the banner')
  await line(child, /^ {2}merchants /, 'the banner\'s last line')
  const banner = child.stdout().split('\n').slice(1, 6)
  t.same(banner, [
    `  gateway    ${url}/processV2`,
    `  admin UI   ${url}/sandbox`,
    `  API docs   ${url}/docs`,
    '  data       :memory:',
    '  merchants  QC00005496, ON00000097, AB00000004'
  ])
  const res = await fetch(`${url}/processV2`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'BANNER1' }), TEA)),
    signal: AbortSignal.timeout(10_000)
  })
  t.equal((await res.json() as { rsp_code: string }).rsp_code, 'SUCCESS')
  await line(child, /^\[\d\d:\d\d:\d\d\] INFO: QC00005496 ACTIVEPAY SUCCESS · order BANNER1 · req_1$/, 'the gateway call\'s line')
  t.notOk(child.stdout().includes('{"level"'), 'no JSON line')
  t.notOk(child.stdout().includes('SANDBOXKEY000001'), 'no sign key')
  child.process.kill('SIGTERM')
  t.equal((await within(child.exited, 'the exit')).code, 0)
  t.match(child.stdout(), /INFO: stopped\n$/, 'the last line is written before the exit')
})
