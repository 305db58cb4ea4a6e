import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { ClientError, createClient } from '../../src/client/index.js'
import { CryptoError, open, seal } from '../../src/crypto/index.js'
import { build, MERCHANT } from '../helpers/build.js'
import type { Tap } from '../helpers/tap.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** A stand-in gateway on port 0 that answers whatever the test says: the misbehaviours a real network has. */
async function fakeGateway (t: Tap, handler: Handler) {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => handler(req, res))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise((resolve) => server.close(resolve))
  })
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return createClient({ baseUrl, merchantId: MERCHANT.merchant_id, signKey: MERCHANT.sign_key, timeoutMs: 300 })
}

const answer = (status: number, body: unknown): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body))
}

async function clientError (promise: Promise<unknown>): Promise<ClientError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof ClientError) return err
    throw err
  }
  throw new Error('expected a ClientError, nothing was thrown')
}

const query = { order_id: 'A1' }
const sealed = seal({ order_id: 'A1', order_status: 'init' }, MERCHANT.sign_key)

t.test('an answer whose data does not verify throws VERIFY_FAILED with the CryptoError as cause', async (t) => {
  const cases = [
    { name: 'wrong md5', body: { ...sealed, md5: seal({ order_id: 'A2' }, MERCHANT.sign_key).md5 }, cause: /^(MD5_MISMATCH|DECRYPT_FAILED|NOT_JSON)$/ },
    { name: 'another key', body: seal({ order_id: 'A1' }, 'ANOTHER-KEY-0001'), cause: /^(DECRYPT_FAILED|NOT_JSON)$/ },
    { name: 'data not Base64', body: { ...sealed, data: '%%%not base64%%%' }, cause: /^BAD_BASE64$/ }
  ]
  for (const c of cases) {
    const client = await fakeGateway(t, answer(200, { rsp_code: 'SUCCESS', rsp_msg: 'success', merchant_id: MERCHANT.merchant_id, ...c.body }))
    const err = await clientError(client.statusQuery(query))
    t.equal(err.code, 'VERIFY_FAILED', c.name)
    t.ok(err.cause instanceof CryptoError, `${c.name}: cause is the CryptoError`)
    t.match((err.cause as CryptoError).code, c.cause, c.name)
    t.equal(err.status, 200, c.name)
    t.match(err.answer, { rsp_code: 'SUCCESS' }, `${c.name}: the raw answer is kept`)
    t.match(err.message, /^the answer to STATUS_QUERY 1\.0 \(POST http:\/\/127\.0\.0\.1:\d+\/processV2\) does not verify with the sign key/)
    t.notMatch(err.message, MERCHANT.sign_key, 'the sign key never appears in a message')
  }
})

t.test('a status outside 2xx throws HTTP_STATUS with the status, the body and the envelope when there is one', async (t) => {
  const proxy = await fakeGateway(t, (_req, res) => { res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>') })
  const err = await clientError(proxy.statusQuery(query))
  t.equal(err.code, 'HTTP_STATUS')
  t.equal(err.status, 502)
  t.equal(err.body, '<html>Bad Gateway</html>')
  t.match(err.message, /answered HTTP 502, not 2xx: "<html>Bad Gateway<\/html>"/)

  // The real sandbox answers 413 with a PARAM_ERROR envelope for a body over BODY_LIMIT.
  const { app } = await build(t, { env: { BODY_LIMIT: '1024' } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const client = createClient({ baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, merchantId: MERCHANT.merchant_id, signKey: MERCHANT.sign_key })
  const big = await clientError(client.request('STATUS_QUERY', '1.0', { order_id: 'A1', padding: 'x'.repeat(2000) }))
  t.equal(big.code, 'HTTP_STATUS')
  t.equal(big.status, 413)
  t.match(big.answer, { rsp_code: 'PARAM_ERROR' })
  t.match(big.message, /answered HTTP 413, not 2xx: PARAM_ERROR "parameter format error: the body is larger/)
})

t.test('an answer that is not JSON, or not an envelope, throws NOT_JSON or NOT_ENVELOPE', async (t) => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['html', '<html>maintenance</html>', 'NOT_JSON', /is not JSON: "<html>maintenance<\/html>"/],
    ['array', [], 'NOT_ENVELOPE', /is not an envelope/],
    ['no rsp_msg', { rsp_code: 'SUCCESS' }, 'NOT_ENVELOPE', /is not an envelope/],
    ['SUCCESS without data', { rsp_code: 'SUCCESS', rsp_msg: 'success' }, 'NOT_ENVELOPE', /SUCCESS without data and md5/],
    ['data without md5', { rsp_code: 'SUCCESS', rsp_msg: 'success', data: sealed.data }, 'NOT_ENVELOPE', /data without md5/],
    ['md5 without data', { rsp_code: 'SUCCESS', rsp_msg: 'success', md5: sealed.md5 }, 'NOT_ENVELOPE', /md5 without data/]
  ]
  for (const [name, body, code, message] of cases) {
    const client = await fakeGateway(t, answer(200, body))
    const err = await clientError(client.statusQuery(query))
    t.equal(err.code, code, name)
    t.match(err.message, message, name)
    t.equal(err.status, 200, name)
  }
})

t.test('a dropped connection or a refused one throws NETWORK; no answer in time throws TIMEOUT', async (t) => {
  const dropping = await fakeGateway(t, (req) => { req.socket.destroy() })
  const dropped = await clientError(dropping.statusQuery(query))
  t.equal(dropped.code, 'NETWORK')
  t.match(dropped.message, /^STATUS_QUERY 1\.0 \(POST .*\) failed: /)

  const hanging = await fakeGateway(t, () => {})
  const started = process.hrtime.bigint()
  const slow = await clientError(hanging.statusQuery(query))
  t.equal(slow.code, 'TIMEOUT')
  t.match(slow.message, /got no answer within 300 ms/)
  t.ok(process.hrtime.bigint() - started < 5_000_000_000n, 'gave up after timeoutMs, not later')

  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const { port } = closed.address() as AddressInfo
  await new Promise((resolve) => closed.close(resolve))
  const refusedClient = createClient({ baseUrl: `http://127.0.0.1:${port}`, merchantId: MERCHANT.merchant_id, signKey: MERCHANT.sign_key })
  const refused = await clientError(refusedClient.statusQuery(query))
  t.equal(refused.code, 'NETWORK')
  t.match(refused.message, /ECONNREFUSED/)
})

t.test('the fetch option is used, and the request is the sealed envelope', async (t) => {
  let seen: { url: string, init: RequestInit | undefined } | undefined
  const client = createClient({
    baseUrl: 'https://gateway.example/ottpay',
    merchantId: MERCHANT.merchant_id,
    signKey: MERCHANT.sign_key,
    fetch: async (url, init) => {
      seen = { url: String(url), init }
      return Response.json({ rsp_code: 'SUCCESS', rsp_msg: 'success', merchant_id: MERCHANT.merchant_id, ...sealed })
    }
  })
  const result = await client.statusQuery(query)
  t.same(result, { rsp_code: 'SUCCESS', rsp_msg: 'success', data: { order_id: 'A1', order_status: 'init' } })
  t.equal(seen?.url, 'https://gateway.example/ottpay/processV2', 'a path prefix in baseUrl is kept')
  t.equal(seen?.init?.method, 'POST')
  t.match(seen?.init?.headers, { 'content-type': 'application/json' })
  const body = JSON.parse(String(seen?.init?.body)) as Record<string, string>
  t.same(Object.keys(body), ['action', 'version', 'merchant_id', 'data', 'md5'])
  t.match(body, { action: 'STATUS_QUERY', version: '1.0', merchant_id: MERCHANT.merchant_id })
  t.same(open({ data: body.data!, md5: body.md5! }, MERCHANT.sign_key), query)
})

t.test('bad options throw a TypeError naming the option, never showing the sign key', async (t) => {
  const ok = { baseUrl: 'http://127.0.0.1:8080', merchantId: 'QC00000001', signKey: 'SECRET-KEY-00001' }
  t.throws(() => createClient({ ...ok, baseUrl: 'localhost:8080' }), new TypeError('createClient: baseUrl must be an http(s) URL, got "localhost:8080"'))
  t.throws(() => createClient({ ...ok, baseUrl: '127.0.0.1' }), { name: 'TypeError', message: /baseUrl must be an absolute http\(s\) URL/ })
  t.throws(() => createClient({ ...ok, merchantId: '' }), { name: 'TypeError', message: /merchantId must be a non-empty string/ })
  t.throws(() => createClient({ ...ok, signKey: undefined as unknown as string }), { name: 'TypeError', message: /signKey must be a non-empty string/ })
  t.throws(() => createClient({ ...ok, timeoutMs: 0 }), { name: 'TypeError', message: /timeoutMs must be a number of milliseconds > 0, got 0/ })
  t.throws(() => createClient({ ...ok, path: 'processV2' }), { name: 'TypeError', message: /path must start with "\/"/ })
  t.notMatch(JSON.stringify(createClient(ok)), /SECRET-KEY-00001/, 'the client object does not expose the sign key')
})
