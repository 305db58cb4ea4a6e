import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp, LOG_REDACT, LOG_SERIALIZERS, logUrl } from '../../src/app.js'
import { createManualClock } from '../../src/platform/clock.js'
import { loadConfig } from '../../src/config/config.js'
import { createStore } from '../../src/store/index.js'
import { activePayData, envelope, MERCHANT, offlineFetch, RATES, T0 } from '../helpers/build.js'

t.test('logUrl masks the merCode of payment links, whatever its place and case', async (t) => {
  t.equal(logUrl('/webPay?merCode=SECRET&amount=1'), '/webPay?merCode=***&amount=1')
  t.equal(logUrl('/h5Pay?orderId=A&mercode=SECRET'), '/h5Pay?orderId=A&mercode=***')
  t.equal(logUrl('/webPay?mer%43ode=SECRET&amount=1'), '/webPay?merCode=***&amount=1', 'an encoded name is read as fastify reads it')
  t.notMatch(logUrl('/webPay?merCode=A&merCode=SECRET'), 'SECRET', 'every copy')
  t.equal(logUrl('/sandbox/api/orders'), '/sandbox/api/orders')
})

t.test('with the server\'s logger options, no log line holds a merCode, a token, a sign key or a card number', async (t) => {
  const lines: string[] = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(chunk.toString('utf8')); done() } })
  const app = await buildApp({
    config: loadConfig({ DB_FILE: ':memory:', ADMIN_TOKEN: 'admin-token-123' }),
    merchants: [MERCHANT],
    store: await createStore(':memory:'),
    clock: createManualClock(T0),
    rates: RATES,
    fetch: offlineFetch,
    tickIntervalMs: 0,
    logger: { level: 'info', stream, redact: LOG_REDACT, serializers: LOG_SERIALIZERS }
  })
  t.teardown(() => app.close())
  const link = `/h5Pay?merCode=${MERCHANT.mer_code!}&orderId=LOG1&amount=100&newURL=${encodeURIComponent('https://merchant.example/done')}`
  t.equal((await app.inject(link)).statusCode, 302, 'the link works')
  await app.inject({ method: 'POST', url: '/processV2', payload: envelope('CC_PURCHASE', '2.0', { cc_number: '5160736813962037', ...activePayData() }) })
  await app.inject({ method: 'GET', url: '/sandbox/api/orders', headers: { 'x-admin-token': 'admin-token-123' } })
  const log = lines.join('')
  t.match(log, '/h5Pay?merCode=***', 'the request line is logged, masked')
  for (const secret of [MERCHANT.mer_code!, 'admin-token-123', MERCHANT.sign_key, '5160736813962037']) {
    t.notMatch(log, secret, `the log never holds ${secret.slice(0, 4)}…`)
  }
})
