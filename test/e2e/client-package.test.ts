import { existsSync, readFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import type { AddressInfo } from 'node:net'
import { dirname, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { build, MERCHANT } from '../helpers/build.js'

// These tests read the built code in dist/ (npm test builds before running tap).
const root = fileURLToPath(new URL('../../', import.meta.url))
const dist = resolve(root, 'dist')
const entry = resolve(dist, 'client/index.js')

/** Every module specifier of an ES module emitted by tsc: static imports and re-exports, and dynamic imports. */
function specifiersOf (source: string): string[] {
  const found: string[] = []
  for (const pattern of [/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g]) {
    for (const match of source.matchAll(pattern)) found.push(match[1]!)
  }
  return found
}

t.test('ottpay-sandbox/client resolves to dist/client/index.js and exposes the client', async (t) => {
  t.ok(existsSync(entry), `${entry} exists (run npm run build)`)
  t.equal(fileURLToPath(import.meta.resolve('ottpay-sandbox/client')), entry)
  const client = await import('ottpay-sandbox/client')
  for (const name of ['createClient', 'verifyCallback', 'openCallback', 'ClientError', 'seal', 'open', 'CryptoError']) {
    t.type((client as Record<string, unknown>)[name], 'function', name)
  }
  t.ok(existsSync(resolve(dist, 'client/index.d.ts')), 'types ship beside it')
})

t.test('at run time the client loads only itself, the crypto core and node: builtins', async (t) => {
  const allowed = [resolve(dist, 'client') + sep, resolve(dist, 'crypto') + sep]
  const seen = new Set<string>()
  const problems: string[] = []
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('node:') && isBuiltin(specifier)) continue
      if (!specifier.startsWith('.')) {
        problems.push(`${relative(root, file)} imports ${specifier}`)
        continue
      }
      const target = resolve(dirname(file), specifier)
      if (!allowed.some((dir) => target.startsWith(dir))) problems.push(`${relative(root, file)} imports ${relative(root, target)}`)
      else visit(target)
    }
  }
  visit(entry)
  t.same(problems, [], 'no fastify, lowdb, typebox or server code')
  // The walk really followed the graph (a broken pattern would see nothing and pass).
  for (const file of ['client/create-client.js', 'client/read-answer.js', 'client/verify-callback.js', 'crypto/envelope.js', 'crypto/aes.js']) {
    t.ok(seen.has(resolve(dist, file)), `reached ${file}`)
  }
  t.same(specifiersOf("import { a } from './a.js'\nexport { b } from \"../b.js\"\nimport 'x'\nconst c = await import('./c.js')"), ['./a.js', '../b.js', 'x', './c.js'])
})

t.test('the built client completes a round trip against the real sandbox', async (t) => {
  const { createClient, verifyCallback, ClientError } = await import('ottpay-sandbox/client')
  const { app } = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const client = createClient({ baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, merchantId: MERCHANT.merchant_id, signKey: MERCHANT.sign_key })
  const created = await client.activePay({ order_id: 'DIST1', operator_id: '0000020156', amount: '100', biz_type: 'UNIONPAY', call_back_url: 'https://merchant.example/cb' })
  t.equal(created.rsp_code, 'SUCCESS')
  t.equal(created.data?.order_id, 'DIST1')
  t.throws(() => verifyCallback({ data: 'AAAA', md5: 'X' }, MERCHANT.sign_key), ClientError)
})
