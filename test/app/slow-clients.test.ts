import { connect, type Socket } from 'node:net'
import t from 'tap'
import { REQUEST_TIMEOUT_MS } from '../../src/app.js'
import { build } from '../helpers/build.js'

// A client that sends its request slowly, or stops halfway, is cut once the request timeout has passed: not up
// to twice as late, as when Node looked at its connections only every 30 s. Here the timeout is 400 ms.
const TIMEOUT_MS = 400

interface Cut {
  /** Milliseconds from the first byte sent to the connection's end. */
  after: number
  /** What the server wrote before closing. */
  answer: string
}

/** Opens a connection, writes `parts` (one every `gapMs`), and resolves when the server closes it. */
async function stall (port: number, parts: string[], gapMs = 50): Promise<Cut> {
  const socket: Socket = connect(port, '127.0.0.1')
  await new Promise<void>((resolve) => socket.once('connect', resolve))
  const started = Date.now()
  let answer = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => { answer += chunk })
  socket.on('error', () => undefined)
  const closed = new Promise<Cut>((resolve) => socket.once('close', () => resolve({ after: Date.now() - started, answer })))
  for (const part of parts) {
    if (socket.destroyed) break
    socket.write(part)
    await new Promise((resolve) => setTimeout(resolve, gapMs))
  }
  const guard = setTimeout(() => socket.destroy(), 10_000)
  const cut = await closed
  clearTimeout(guard)
  return cut
}

t.test('a stalled client is cut soon after the request timeout', async (t) => {
  const { app } = await build(t, { requestTimeoutMs: TIMEOUT_MS })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const cases: Array<[string, string[]]> = [
    ['headers that never end', ['GET /healthz HTTP/1.1\r\n', 'Host: localhost\r\n', 'X-Slow: 1\r\n']],
    ['a body that stops halfway', ['POST /processV2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"action":']],
    ['a connection that sends nothing', []]
  ]
  for (const [name, parts] of cases) {
    const cut = await stall(port, parts)
    t.ok(cut.after >= TIMEOUT_MS - 50, `${name}: not before the timeout (${cut.after} ms)`)
    t.ok(cut.after < TIMEOUT_MS + 1500, `${name}: cut within the timeout and a check interval (${cut.after} ms)`)
    if (parts.length > 0) t.match(cut.answer, /^HTTP\/1\.1 408/, `${name}: 408 Request Timeout`)
  }
  t.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, 'a prompt client is answered')
})

t.test('the server\'s limits: 30 s for the whole request, headers included, checked every second', async (t) => {
  const { app } = await build(t)
  await app.ready()
  t.equal(REQUEST_TIMEOUT_MS, 30_000)
  t.equal(app.server.requestTimeout, 30_000)
  t.equal(app.server.headersTimeout, 30_000)
})

t.test('a path with a malformed percent-encoding gets the surface\'s own 400: a page on pages, JSON on the API', async (t) => {
  const { app } = await build(t)
  for (const url of ['/sandbox/pay/scan/%ZZ', '/sandbox/pay/unionpay/%E0%A4%A', '/sandbox/pay/checkout/%']) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 400, url)
    t.match(res.headers['content-type'], /^text\/html/, `${url}: an HTML page`)
    t.match(res.body, /Request not understood/)
    t.match(res.body, /is not valid: a % must be followed by two hexadecimal digits/)
    t.notMatch(res.body, /FST_ERR_BAD_URL/)
  }
  const admin = await app.inject('/sandbox/requests/%ZZ')
  t.equal(admin.statusCode, 400)
  t.match(admin.headers['content-type'], /^text\/html/, 'an admin page')
  t.match(admin.body, /Request not understood/)
  const api = await app.inject('/sandbox/api/orders/%ZZ')
  t.equal(api.statusCode, 400)
  t.same(Object.keys(api.json()).sort(), ['error', 'message'], 'the control API answers JSON')
  t.equal(api.json().error, 'BAD_REQUEST')
})
