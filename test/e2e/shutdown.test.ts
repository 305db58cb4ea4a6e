import { connect } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { startServer, within } from '../helpers/process.js'
import { startReceiver } from '../helpers/receiver.js'
import { postActivePay, TEA } from '../helpers/server-calls.js'

/** True once a new TCP connection to the port is refused. */
function refused (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => { socket.destroy(); resolve(false) })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'))
  })
}

async function activePay (base: string, orderId: string, callbackUrl: string, extra: Record<string, string> = {}): Promise<string> {
  try {
    const res = await postActivePay(base, orderId, { call_back_url: callbackUrl, ...extra }, TEA, 15_000)
    if (res.status !== 200) return `HTTP ${res.status}`
    return (await res.json() as { rsp_code: string }).rsp_code
  } catch (err) {
    return `network: ${(err as Error).message}`
  }
}

t.test('SIGTERM under load: in-flight requests are answered and on disk, new connections are refused, exit 0 within a bound', async (t) => {
  const receiver = await startReceiver(t, 'hang')
  const file = join(t.testdir(), 'sandbox.json')
  const env = { DB_FILE: file, CALLBACK_TIMEOUT: '30s', CALLBACK_RETRY_SCHEDULE: '1h' }
  const server = await startServer(t, env)
  const port = Number(new URL(server.url).port)
  const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/sandbox/api${path}`, {
    ...init,
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    signal: AbortSignal.timeout(10_000)
  })

  // A callback that hangs: the merchant never answers, for 30 s.
  t.equal(await activePay(server.url, 'HANGCB', receiver.url), 'SUCCESS')
  t.equal((await api(`/orders/HANGCB/pay?merchant_id=${TEA.merchant_id}`, { method: 'POST' })).status, 200)
  // Five orders created, whose answers a delay fault holds for a minute: surely in flight at the signal.
  t.equal((await api('/faults', { method: 'POST', body: JSON.stringify({ match: { merchant_id: TEA.merchant_id, action: 'ACTIVEPAY' }, effect: { type: 'delay', ms: 60_000 }, times: 5 }) })).status, 201)
  const held = ['HELD1', 'HELD2', 'HELD3', 'HELD4', 'HELD5'].map((id) => activePay(server.url, id, receiver.url))
  await within((async () => {
    while (((await (await api('/requests?action=ACTIVEPAY')).json()) as { requests: unknown[] }).requests.length < 6) await new Promise((resolve) => setTimeout(resolve, 20))
  })(), 'the held requests to be processed')
  await within((async () => {
    while (receiver.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 20))
  })(), 'the callback to reach the hanging merchant')
  // A clock advance waits for the callbacks in flight: this request is held by the hanging merchant too.
  const advancing = api('/clock/advance', { method: 'POST', body: JSON.stringify({ ms: 1000 }) })

  // A burst of large orders racing the signal: each written before its answer, or refused.
  const burstIds = Array.from({ length: 40 }, (_, i) => `BURST${String(i).padStart(2, '0')}`)
  const burst = burstIds.map((id) => activePay(server.url, id, receiver.url, { note: 'x'.repeat(20_000) }))
  await new Promise((resolve) => setTimeout(resolve, 30))
  const signalled = performance.now()
  server.process.kill('SIGTERM')

  let refusedWhileAlive = false
  while (server.process.exitCode === null && server.process.signalCode === null) {
    if (await refused(port)) {
      refusedWhileAlive = server.process.exitCode === null
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const exit = await within(server.exited, 'the server to stop on SIGTERM')
  const took = performance.now() - signalled
  t.same(exit, { code: 0, signal: null }, 'exit code 0')
  t.ok(took < 8000, `stopped ${Math.round(took)} ms after SIGTERM, without waiting 30 s for the hanging merchant`)
  t.ok(refusedWhileAlive, 'new connections were refused while it was finishing')
  t.same(await Promise.all(held), ['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS'], 'the held answers went out')
  t.equal((await advancing).status, 200, 'the advance was answered once the callback was cut')
  const answers = await Promise.all(burst)
  t.ok(answers.every((a) => a === 'SUCCESS' || a === 'HTTP 503' || a.startsWith('network:')), `each burst request succeeded or was turned away: ${[...new Set(answers)].join(', ')}`)
  t.equal(server.stderr(), '')

  receiver.respond = 200
  const again = await startServer(t, env)
  const acknowledged = ['HANGCB', 'HELD1', 'HELD2', 'HELD3', 'HELD4', 'HELD5', ...burstIds.filter((_, i) => answers[i] === 'SUCCESS')]
  const missing: string[] = []
  for (const id of acknowledged) {
    const res = await fetch(`${again.url}/sandbox/api/orders/${id}?merchant_id=${TEA.merchant_id}`, { signal: AbortSignal.timeout(10_000) })
    if (res.status !== 200) missing.push(id)
  }
  t.same(missing, [], `all ${acknowledged.length} acknowledged orders are on disk`)
  // The cut callback is due at once after the restart: the scheduler's timer sends it.
  await within((async () => {
    while (!receiver.received.some((r) => r.headers['x-ottpay-sandbox-attempt'] === '2')) await new Promise((resolve) => setTimeout(resolve, 20))
  })(), 'the interrupted callback to be sent again')
  t.pass('the callback cut by the shutdown was sent again after the restart')
})
