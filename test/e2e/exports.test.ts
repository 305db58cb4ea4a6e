import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'

// Node resolves a package's own name through its "exports" map, so these imports test the map itself
// against the built code in dist/ (npm test builds before running tap).
const root = new URL('../../', import.meta.url)

t.test('ottpay-sandbox/crypto resolves to the built crypto core and has the contract names', async (t) => {
  const resolved = import.meta.resolve('ottpay-sandbox/crypto')
  t.equal(fileURLToPath(resolved), fileURLToPath(new URL('dist/crypto/index.js', root)))
  const crypto = await import('ottpay-sandbox/crypto')
  for (const name of ['canonicalString', 'md5Upper', 'deriveKey', 'encrypt', 'decrypt', 'seal', 'open', 'openDetailed', 'CryptoError']) {
    t.type((crypto as Record<string, unknown>)[name], 'function', name)
  }
  const sealed = crypto.seal({ amount: '100' }, 'EXPORT-TEST-KEY1')
  t.same(crypto.open(sealed, 'EXPORT-TEST-KEY1'), { amount: '100' })
})

t.test('the package root exports the app builder', async (t) => {
  t.equal(fileURLToPath(import.meta.resolve('ottpay-sandbox')), fileURLToPath(new URL('dist/index.js', root)))
  const pkg = await import('ottpay-sandbox')
  t.type(pkg.buildApp, 'function')
  t.type(pkg.loadConfig, 'function')
  t.type(pkg.createStore, 'function')
})

t.test('the golden vectors ship as ottpay-sandbox/fixtures/crypto-vectors.json', async (t) => {
  const file = fileURLToPath(import.meta.resolve('ottpay-sandbox/fixtures/crypto-vectors.json'))
  const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as { vectors: Array<{ name: string }> }
  t.ok(vectors.some((v) => v.name === 'appendix-a'))
})

t.test('package.json publishes dist and fixtures', async (t) => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { files: string[], type: string }
  t.same(pkg.files, ['dist', '!dist/**/*.map', 'fixtures'], 'source maps stay out: they point at src/, which is not published')
  t.equal(pkg.type, 'module')
})
