import { createServer } from 'node:net'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { createOwnListener, isLoopbackAlias } from '../../src/engine/callbacks/own-listener.js'
import { activePayData, build, callGateway, envelope, MERCHANT, prepayInitData } from '../helpers/build.js'

// A merchant that sets call_back_url to the sandbox's own /sandbox/api/reset and pays would have the sandbox
// wipe every merchant's data: such a URL is refused when the order is created, and again before a callback goes.

/** A port free right now: the sandbox will listen on it later. */
async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function listen (app: FastifyInstance, port = 0): Promise<number> {
  await app.listen({ port, host: '127.0.0.1' })
  return (app.server.address() as { port: number }).port
}

t.test('an order whose callback URL is the sandbox itself is refused with PARAM_INVALID', async (t) => {
  const { app, store } = await build(t)
  const port = await listen(app)
  const own = [
    `http://127.0.0.1:${port}/sandbox/api/reset`,
    `http://localhost:${port}/sandbox/api/reset`,
    `http://LOCALHOST.:${port}/x`,
    `http://127.9.9.9:${port}/x`,
    `http://[::1]:${port}/x`,
    `http://[::ffff:127.0.0.1]:${port}/x`,
    `http://0.0.0.0:${port}/x`,
    `http://0:${port}/x`,
    `http://2130706433:${port}/x`,
    `http://0x7f.1:${port}/x`,
    `http://user@127.0.0.1:${port}/x`
  ]
  for (const [i, url] of own.entries()) {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `SELF${i}`, call_back_url: url })))
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', url)
    t.match(answer.body.rsp_msg, /is the sandbox's own address/, `${url}: says why`)
    t.equal(store.orders.find(MERCHANT.merchant_id, `SELF${i}`), undefined, `${url}: no order`)
  }
  const checkout = await callGateway(app, envelope('PREPAY_INIT', '1.0', prepayInitData({ call_back_url: `http://localhost:${port}/sandbox/api/reset` })))
  t.equal(checkout.body.rsp_code, 'PARAM_INVALID', 'PREPAY_INIT too')
  for (const [i, url] of [`http://127.0.0.1:${port === 65535 ? 65534 : port + 1}/cb`, `http://127.0.0.1@merchant.example:${port}/cb`, 'https://merchant.example/cb'].entries()) {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `OTHER${i}`, call_back_url: url })))
    t.equal(answer.body.rsp_code, 'SUCCESS', `${url}: another receiver`)
  }
})

t.test('PUBLIC_URL\'s origin is the sandbox too, listening or not', async (t) => {
  const { app } = await build(t, { env: { PUBLIC_URL: 'https://sandbox.test:8443' } })
  const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ call_back_url: 'https://sandbox.test:8443/sandbox/api/reset' })))
  t.equal(answer.body.rsp_code, 'PARAM_INVALID')
  const other = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ call_back_url: 'https://sandbox.test:9443/cb' })))
  t.equal(other.body.rsp_code, 'SUCCESS', 'another port of the same host is another receiver')
})

t.test('a stored order that names the sandbox gets no callback: failed at once, nothing reset', async (t) => {
  const port = await freePort()
  const { app, store } = await build(t)
  const url = `http://127.0.0.1:${port}/sandbox/api/reset`
  // Created before the sandbox listens on that port (as after a restart on another PORT): accepted then.
  t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'STORED1', call_back_url: url })))).body.rsp_code, 'SUCCESS')
  t.equal((await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: 'KEEP1' })))).body.rsp_code, 'SUCCESS')
  await listen(app, port)
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/api/orders/STORED1/pay', payload: {} })).statusCode, 200)
  await app.sandbox.idle()
  const [delivery] = (await app.inject('/sandbox/api/orders/STORED1')).json().callbacks as Array<{ id: string, status: string, attempts: Array<{ status: number | null, error: string | null }> }>
  t.equal(delivery!.status, 'failed', 'given up at once')
  t.same(delivery!.attempts.map((a) => [a.status, a.error]), [[null, `not sent: 127.0.0.1:${port} is the sandbox itself (a callback there would drive its own control API)`]])
  const again = await app.inject({ method: 'POST', url: `/sandbox/api/callbacks/${delivery!.id}/redeliver`, payload: {} })
  t.match(again.json(), { attempt: { error: /is the sandbox itself/ } }, 'a redelivery is refused too')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'KEEP1')?.status, 'init', 'nothing was reset')
  t.equal(store.orders.find(MERCHANT.merchant_id, 'STORED1')?.status, 'success')
})

t.test('isLoopbackAlias and createOwnListener', async (t) => {
  for (const host of ['localhost', 'a.localhost', '127.0.0.1', '127.255.0.9', '::1', '::', '0.0.0.0', '::ffff:7f00:1', '::ffff:0:0']) t.ok(isLoopbackAlias(host), host)
  for (const host of ['localhost.example', '128.0.0.1', '::2', '::ffff:a00:1', '10.0.0.1']) t.notOk(isLoopbackAlias(host), host)
  const idle = createOwnListener({ address: () => null, publicUrl: undefined })
  t.notOk(idle.targets('http://127.0.0.1:8080/'), 'not listening: no port to compare')
  const listening = createOwnListener({ address: () => ({ address: '127.0.0.1', family: 'IPv4', port: 80 }), publicUrl: undefined })
  t.ok(listening.targets('http://localhost/sandbox/api/reset'), 'the default port of http')
  t.notOk(listening.targets('https://localhost/'), 'https is port 443')
  t.notOk(listening.targets('not a url'))
})
