import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { ConfigError, configWarnings, loadConfig } from '../../src/config/config.js'
import { FixtureError, loadFixtures } from '../../src/domain/fixtures.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url))

/** The error loadConfig throws for this environment. */
function configError (env: NodeJS.ProcessEnv): Error | undefined {
  try {
    loadConfig(env, '/srv/app')
  } catch (err) {
    return err as Error
  }
  return undefined
}

t.test('defaults', async (t) => {
  const config = loadConfig({}, '/srv/app')
  t.same(config, {
    port: 8080,
    host: '127.0.0.1',
    publicUrl: undefined,
    dbFile: resolve('/srv/app', 'data/sandbox.json'),
    fixturesDir: resolve('/srv/app', 'fixtures'),
    logLevel: 'info',
    logFormat: 'auto',
    bodyLimit: 1048576,
    callbackRetrySchedule: [15e3, 15e3, 30e3, 180e3, 600e3, 1200e3, 1800e3, 1800e3, 1800e3, 3600e3, 10800e3, 10800e3, 10800e3, 21600e3, 21600e3],
    callbackTimeoutMs: 10000,
    callbackConcurrency: 64,
    callbackConcurrencyPerHost: 8,
    autopayAfterMs: undefined,
    orderExpiryMs: 7200000,
    adminToken: undefined,
    allowedHosts: undefined,
    requestLogSize: 500,
    callbackAllowlist: undefined,
    retentionOrders: 100000,
    dbSync: 'none',
    journalLimitBytes: 32 * 1024 * 1024
  })
  t.ok(Object.isFrozen(config))
})

t.test('callback and schedule variables', async (t) => {
  const config = loadConfig({ CALLBACK_RETRY_SCHEDULE: '50ms, 1s,2m,1h', CALLBACK_TIMEOUT: '250ms', AUTOPAY_AFTER: '5s', ORDER_EXPIRY: '30m', CALLBACK_CONCURRENCY: '8', CALLBACK_CONCURRENCY_PER_HOST: '2' })
  t.same(config.callbackRetrySchedule, [50, 1000, 120000, 3600000])
  t.equal(config.callbackTimeoutMs, 250)
  t.equal(config.autopayAfterMs, 5000)
  t.equal(config.orderExpiryMs, 1800000)
  t.equal(config.callbackConcurrency, 8)
  t.equal(config.callbackConcurrencyPerHost, 2)
  t.equal(loadConfig({ CALLBACK_CONCURRENCY: '1' }).callbackConcurrencyPerHost, 8, 'may exceed CALLBACK_CONCURRENCY, which caps it')
  t.throws(() => loadConfig({ CALLBACK_CONCURRENCY_PER_HOST: '0' }), { name: 'ConfigError', message: 'CALLBACK_CONCURRENCY_PER_HOST must be a whole number from 1 to 1024, got "0"' })
  t.same(loadConfig({ CALLBACK_RETRY_SCHEDULE: 'none' }).callbackRetrySchedule, [])
  t.equal(loadConfig({ AUTOPAY_AFTER: 'off' }).autopayAfterMs, undefined)
  t.throws(() => loadConfig({ CALLBACK_RETRY_SCHEDULE: '15s,soon' }), { name: 'ConfigError', message: 'CALLBACK_RETRY_SCHEDULE must be a comma list of durations such as 15s,30s,3m (or "none"), got "15s,soon"' })
  t.throws(() => loadConfig({ CALLBACK_TIMEOUT: '10 sec' }), { message: 'CALLBACK_TIMEOUT must be a duration such as 500ms, 15s, 3m or 2h, got "10 sec"' })
  t.throws(() => loadConfig({ AUTOPAY_AFTER: 'tomorrow' }), { message: /^AUTOPAY_AFTER must be a duration/ })
  t.throws(() => loadConfig({ ORDER_EXPIRY: '-1h' }), { message: /^ORDER_EXPIRY must be a duration/ })
})

t.test('cwd defaults to process.cwd()', async (t) => {
  const config = loadConfig({})
  t.equal(config.dbFile, resolve(process.cwd(), 'data', 'sandbox.json'))
  t.equal(config.fixturesDir, resolve(process.cwd(), 'fixtures'))
})

t.test('blank values fall back to the defaults', async (t) => {
  const config = loadConfig({ PORT: '', HOST: '  ', DB_FILE: '', FIXTURES_DIR: ' ', LOG_LEVEL: '', BODY_LIMIT: ' ', PUBLIC_URL: '' }, '/srv/app')
  t.equal(config.port, 8080)
  t.equal(config.host, '127.0.0.1')
  t.equal(config.dbFile, '/srv/app/data/sandbox.json')
  t.equal(config.fixturesDir, '/srv/app/fixtures')
  t.equal(config.logLevel, 'info')
  t.equal(config.bodyLimit, 1048576)
  t.equal(config.publicUrl, undefined)
})

t.test('values are read, trimmed and resolved', async (t) => {
  const config = loadConfig({
    PORT: ' 0 ',
    HOST: '0.0.0.0',
    DB_FILE: 'var/db.json',
    FIXTURES_DIR: '/opt/fixtures',
    LOG_LEVEL: 'DEBUG',
    BODY_LIMIT: '2048',
    PUBLIC_URL: 'https://sandbox.example:8443/base',
    ADMIN_TOKEN: 'exposed-needs-a-token'
  }, '/srv/app')
  t.equal(config.port, 0, 'PORT=0 picks a free port')
  t.equal(config.host, '0.0.0.0')
  t.equal(config.dbFile, '/srv/app/var/db.json')
  t.equal(config.fixturesDir, '/opt/fixtures', 'absolute paths are kept')
  t.equal(config.logLevel, 'debug')
  t.equal(config.bodyLimit, 2048)
  t.equal(config.publicUrl, 'https://sandbox.example:8443/base')
  t.equal(loadConfig({ PORT: '65535' }).port, 65535)
  t.equal(loadConfig({ DB_FILE: '/abs/file.json' }).dbFile, '/abs/file.json')
})

t.test(':memory: is kept as is', async (t) => {
  t.equal(loadConfig({ DB_FILE: ':memory:' }, '/srv/app').dbFile, ':memory:')
  t.equal(loadConfig({ DB_FILE: ' :memory: ' }, '/srv/app').dbFile, ':memory:')
})

t.test('PUBLIC_URL loses its trailing slashes', async (t) => {
  t.equal(loadConfig({ PUBLIC_URL: 'http://localhost:8080/' }).publicUrl, 'http://localhost:8080')
  t.equal(loadConfig({ PUBLIC_URL: 'https://sandbox.example/base//' }).publicUrl, 'https://sandbox.example/base')
  t.equal(loadConfig({ PUBLIC_URL: ' http://localhost:8080 ' }).publicUrl, 'http://localhost:8080')
})

t.test('a bad PORT is refused with a message naming PORT', async (t) => {
  for (const raw of ['70000', 'abc', '-1', '80.5', '1e3', '0x50', '65536']) {
    const err = configError({ PORT: raw })
    t.type(err, ConfigError, raw)
    t.equal(err?.message, `PORT must be a whole number from 0 to 65535, got "${raw}"`)
  }
})

t.test('a bad BODY_LIMIT is refused with a message naming BODY_LIMIT', async (t) => {
  for (const raw of ['lots', '1023', '67108865', '1.5']) {
    const err = configError({ BODY_LIMIT: raw })
    t.type(err, ConfigError, raw)
    t.equal(err?.message, `BODY_LIMIT must be a whole number from 1024 to 67108864, got "${raw}"`)
  }
  t.equal(loadConfig({ BODY_LIMIT: '1024' }).bodyLimit, 1024)
  t.equal(loadConfig({ BODY_LIMIT: '67108864' }).bodyLimit, 67108864)
})

t.test('a bad PUBLIC_URL is refused with a message naming PUBLIC_URL', async (t) => {
  const relative = configError({ PUBLIC_URL: 'nope' })
  t.type(relative, ConfigError)
  t.equal(relative?.message, 'PUBLIC_URL must be an absolute http(s) URL such as http://localhost:8080, got "nope"')
  const ftp = configError({ PUBLIC_URL: 'ftp://files.example' })
  t.type(ftp, ConfigError)
  t.equal(ftp?.message, 'PUBLIC_URL must use http or https, got "ftp://files.example"')
})

t.test('ADMIN_TOKEN and REQUEST_LOG_SIZE are read and checked, and the token never appears in a message', async (t) => {
  const config = loadConfig({ ADMIN_TOKEN: 'let-me-in-42', REQUEST_LOG_SIZE: '0' })
  t.equal(config.adminToken, 'let-me-in-42')
  t.equal(config.requestLogSize, 0)
  t.equal(loadConfig({ ADMIN_TOKEN: '' }).adminToken, undefined)
  for (const bad of ['short', ' padded-token ', 'has a space in it']) {
    const err = t.throws(() => loadConfig({ ADMIN_TOKEN: bad }), { message: 'ADMIN_TOKEN must be 8 to 256 printable characters with no spaces' }) as Error
    t.notMatch(err.message, bad.trim())
  }
  t.throws(() => loadConfig({ REQUEST_LOG_SIZE: 'lots' }), { message: /^REQUEST_LOG_SIZE must be a whole number from 0 to 100000, got "lots"$/ })
})

t.test('a HOST other than loopback needs ADMIN_TOKEN: without it the start is refused, naming both', async (t) => {
  for (const host of ['0.0.0.0', '::', '192.168.1.20', 'sandbox.internal', '[::]']) {
    const err = configError({ HOST: host })
    t.type(err, ConfigError, host)
    t.equal(err?.message, `HOST=${host} exposes the control API and the admin UI (which pay orders and reveal sign keys) beyond this machine; set ADMIN_TOKEN (8 to 256 printable characters) to protect them, or listen on 127.0.0.1`)
    t.equal(loadConfig({ HOST: host, ADMIN_TOKEN: 'a-long-enough-token' }).host, host, `${host} with a token starts`)
  }
  for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) {
    t.equal(loadConfig({ HOST: host }).adminToken, undefined, `${host} is loopback: no token needed`)
  }
  t.throws(() => loadConfig({ HOST: '0.0.0.0', ADMIN_TOKEN: 'short' }), { message: /^ADMIN_TOKEN must be 8 to 256/ }, 'a bad token is named as such')
  t.throws(() => loadConfig({ HOST: '0.0.0.0', PORT: 'abc' }), { message: /^PORT must be/ }, 'a bad variable is named first')
})

t.test('CALLBACK_ALLOWLIST: hosts, host:port, *.domain; a bad entry is named', async (t) => {
  t.equal(loadConfig({ CALLBACK_ALLOWLIST: ' ' }).callbackAllowlist, undefined, 'blank: any host')
  t.same(loadConfig({ CALLBACK_ALLOWLIST: 'localhost, 127.0.0.1:3000,*.Example.COM,*.shop.example:8443,[::1]:9000,merchant.example.' }).callbackAllowlist, [
    { host: 'localhost', subdomains: false, port: undefined },
    { host: '127.0.0.1', subdomains: false, port: 3000 },
    { host: 'example.com', subdomains: true, port: undefined },
    { host: 'shop.example', subdomains: true, port: 8443 },
    { host: '::1', subdomains: false, port: 9000 },
    { host: 'merchant.example', subdomains: false, port: undefined }
  ])
  for (const bad of ['http://merchant.example', 'merchant.example/cb', 'a,,b', 'host:0', 'host:70000', '*', '*.', 'ex*ample.com', '*.[::1]', 'user@host']) {
    const err = configError({ CALLBACK_ALLOWLIST: bad })
    t.type(err, ConfigError, bad)
    t.match(err?.message, /^CALLBACK_ALLOWLIST must be a comma list of hosts such as localhost,127\.0\.0\.1:3000,\*\.example\.com; ".*" is not one$/, bad)
  }
  t.match(configError({ CALLBACK_ALLOWLIST: 'ok.example,bad/path' })?.message, /"bad\/path" is not one/, 'names the bad entry')
})

t.test('a bad LOG_LEVEL is refused with a message naming LOG_LEVEL', async (t) => {
  const err = configError({ LOG_LEVEL: 'loud' })
  t.type(err, ConfigError)
  t.equal(err?.message, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"')
  t.equal(err?.name, 'ConfigError')
  for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
    t.equal(loadConfig({ LOG_LEVEL: level }).logLevel, level)
  }
})

t.test('the shipped fixtures load: several merchants, unique ids, each with operators', async (t) => {
  const { merchants } = await loadFixtures(FIXTURES)
  t.ok(merchants.length >= 2, `${merchants.length} merchants`)
  const ids = merchants.map((m) => m.merchant_id)
  t.equal(new Set(ids).size, ids.length, 'merchant ids are unique')
  t.ok(ids.includes('QC00005496'))
  t.ok(ids.includes('ON00000097'))
  for (const merchant of merchants) {
    t.ok(merchant.operators.length >= 1, `${merchant.merchant_id} has operators`)
    t.ok(merchant.sign_key.length >= 8, `${merchant.merchant_id} has a sign key`)
  }
  const tea = merchants.find((m) => m.merchant_id === 'QC00005496')!
  t.equal(tea.sign_key, 'SANDBOXKEY000001')
  t.ok(tea.operators.includes('0000020156'))
})

t.test('the default FIXTURES_DIR of the project root is the shipped folder', async (t) => {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  t.equal(loadConfig({}, root).fixturesDir, FIXTURES)
})

t.test('broken fixture folders are refused with a FixtureError naming merchants.json', async (t) => {
  const good = { merchant_id: 'QC00000001', name: 'Tea', sign_key: 'KEY0000001', currency: 'CAD', operators: ['1'] }
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['missing file', {}, /merchants\.json: cannot be read/],
    ['broken JSON', { 'merchants.json': '[{' }, /merchants\.json: is not valid JSON/],
    ['empty list', { 'merchants.json': '[]' }, /merchants\.json: \(root\)/],
    ['missing sign_key', { 'merchants.json': JSON.stringify([{ ...good, sign_key: undefined }]) }, /merchants\.json: .*sign_key/],
    ['no operators', { 'merchants.json': JSON.stringify([{ ...good, operators: [] }]) }, /merchants\.json: \/0\/operators/],
    ['duplicate ids', { 'merchants.json': JSON.stringify([good, { ...good, name: 'Again' }]) }, /merchants\.json: merchant_id QC00000001 appears twice/]
  ]
  for (const [name, files, message] of cases) {
    const err = await loadFixtures(t.testdir(files)).then(() => undefined, (e: unknown) => e)
    t.type(err, FixtureError, name)
    t.match((err as Error).message, message, name)
  }
})

t.test('a warning at start when PUBLIC_URL names another machine and no ADMIN_TOKEN protects the control API', async (t) => {
  t.match(configWarnings(loadConfig({ PUBLIC_URL: 'https://sandbox.example.com' })), [/PUBLIC_URL names sandbox\.example\.com and ADMIN_TOKEN is unset/])
  t.same(configWarnings(loadConfig({ PUBLIC_URL: 'https://sandbox.example.com', ADMIN_TOKEN: 'a-long-token' })), [], 'a token protects it')
  t.same(configWarnings(loadConfig({ PUBLIC_URL: 'https://sandbox.example.com', ALLOWED_HOSTS: 'other' })), [], 'an explicit host list decides')
  t.same(configWarnings(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:9000' })), [], 'loopback')
  t.same(configWarnings(loadConfig({ PUBLIC_URL: 'http://localhost:9000' })), [], 'localhost')
  t.same(configWarnings(loadConfig({})), [], 'no PUBLIC_URL')
})
