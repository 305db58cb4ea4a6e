import { createDecipheriv, createHash } from 'node:crypto'
import t from 'tap'
import {
  canonicalString, compareCodePoints, CryptoError, decrypt, deriveKey, encrypt, md5Upper, open, openDetailed, seal
} from '../../src/crypto/index.js'
import { VECTORS as vectors } from '../helpers/vectors.js'

t.test('the official Appendix A example, step by step, as the docs print it', async (t) => {
  const data = { orderId: '1234567890', idCardName: '张三', idCardNum: '123456789012345678', bankCardNum: '62000000000010', mobile: '13711111111', idCardType: '1' }
  const signKey = '6698851A525C9433'
  t.equal(canonicalString(data), '62000000000010张三1234567890123456781137111111111234567890', 'step 1')
  t.equal(md5Upper(canonicalString(data)), 'C12F9560769C2CB55E6954935B325916', 'step 2')
  t.equal(deriveKey('C12F9560769C2CB55E6954935B325916', signKey), 'EF1712FC070C2C21', 'steps 3–4')
  const expected = 'Y2+GoqBBPc6EJ9JzXRFoOziKd+DqWg5FiUZY1IYoVBVv0xfFznT9/qanMpiNEamEN2NM7J+hxoRn8VGSJImA2soeip9nYr+VJvTXe7D8j4aXiKyFipuPVCQLiCDg3jkJP+S2EezYMf7crqKY/YAni1CCeIwr2aJfFVT1vYhsWIm8t3eyPL//cY4kwombAKhE2gAdEFXz6gVvencz80aRWQ=='
  t.same(seal(data, signKey), { data: expected, md5: 'C12F9560769C2CB55E6954935B325916' }, 'step 5')
  t.same(open({ data: expected, md5: 'C12F9560769C2CB55E6954935B325916' }, signKey), data, 'and back')
})

t.test('golden vectors: every step, checked against node:crypto directly', async (t) => {
  t.ok(vectors.length >= 8)
  for (const v of vectors) {
    t.test(v.name, async (t) => {
      t.equal(canonicalString(v.data), v.canonical)
      t.equal(md5Upper(v.canonical), v.md5)
      t.equal(createHash('md5').update(v.canonical, 'utf8').digest('hex').toUpperCase(), v.md5, 'md5 is plain MD5 of UTF-8')
      t.equal(deriveKey(v.md5, v.sign_key), v.key)
      t.equal(v.key, createHash('md5').update(v.md5 + v.sign_key).digest('hex').toUpperCase().slice(8, 24))
      t.equal(JSON.stringify(v.data), v.plaintext)
      t.equal(encrypt(v.plaintext, v.key), v.encrypted)
      const decipher = createDecipheriv('aes-128-ecb', Buffer.from(v.key, 'ascii'), null)
      const plain = Buffer.concat([decipher.update(Buffer.from(v.encrypted, 'base64')), decipher.final()]).toString('utf8')
      t.equal(plain, v.plaintext, 'an independent AES decryption reads the plaintext')
      t.equal(decrypt(v.encrypted, v.key), v.plaintext)
      t.same(seal(v.data, v.sign_key), { data: v.encrypted, md5: v.md5 })
      t.same(open({ data: v.encrypted, md5: v.md5 }, v.sign_key), v.data)
    })
  }
})

t.test('value spelling in the digest', async (t) => {
  t.equal(canonicalString({ b: null, a: '', c: 'x' }), 'x')
  t.equal(canonicalString({ a: 100, b: 6.5, c: true }), '1006.5true')
  t.equal(canonicalString({ a: 100, b: 6.5 }, 'java'), '100.06.5')
  t.equal(canonicalString({ n: { y: 1, x: [2] } }), '{"y":1,"x":[2]}')
})

t.test('keys sort by code point, not by UTF-16 unit', async (t) => {
  // U+FFFF sorts before U+1F375 by code point, after it by UTF-16 unit (the surrogate 0xD83C).
  const data = { '\u{1F375}': 'tea', '\uFFFF': 'max' }
  t.equal(canonicalString(data), 'maxtea')
  t.ok(compareCodePoints('B', 'a') < 0)
  t.ok(compareCodePoints('ab', 'a') > 0)
  t.equal(compareCodePoints('same', 'same'), 0)
})

t.test('open ignores whitespace inside Base64 (the docs wrap it)', async (t) => {
  const sealed = seal({ amount: '100', order_id: 'W1' }, 'KEY-FOR-WRAPPING')
  const wrapped = sealed.data.replace(/(.{10})/g, '$1\n ')
  t.same(open({ data: wrapped, md5: sealed.md5 }, 'KEY-FOR-WRAPPING'), { amount: '100', order_id: 'W1' })
})

t.test('open names the failing step in a typed error', async (t) => {
  const key = 'SIGNKEY-12345678'
  const good = seal({ amount: '100', order_id: 'E1' }, key)
  const aesOnly = (text: string, md5: string) => encrypt(text, deriveKey(md5, key))
  const cases: Array<{ name: string, sealed: { data: string, md5: string }, signKey?: string, code: string, message: RegExp }> = [
    { name: 'not base64', sealed: { data: '***', md5: good.md5 }, code: 'BAD_BASE64', message: /not valid Base64/ },
    { name: 'empty', sealed: { data: '', md5: good.md5 }, code: 'BAD_BASE64', message: /empty/ },
    { name: 'url-encoded', sealed: { data: good.data.replace(/\+/g, '%2B') + '%3D', md5: good.md5 }, code: 'BAD_BASE64', message: /URL-encoded/ },
    { name: 'url-safe alphabet', sealed: { data: 'ab-_ab-_ab-_ab-_', md5: good.md5 }, code: 'BAD_BASE64', message: /URL-safe/ },
    { name: 'not whole blocks', sealed: { data: Buffer.from('short').toString('base64'), md5: good.md5 }, code: 'DECRYPT_FAILED', message: /16-byte/ },
    { name: 'wrong key', sealed: good, signKey: 'ANOTHER-KEY-9999', code: 'DECRYPT_FAILED', message: /sign key/ },
    { name: 'not json', sealed: { data: aesOnly('hello', good.md5), md5: good.md5 }, code: 'NOT_JSON', message: /not JSON/ },
    { name: 'json array', sealed: { data: aesOnly('[1,2]', good.md5), md5: good.md5 }, code: 'NOT_JSON', message: /not an object/ },
    { name: 'md5 mismatch', sealed: { data: aesOnly('{"amount":"200","order_id":"E1"}', good.md5), md5: good.md5 }, code: 'MD5_MISMATCH', message: /expected [0-9A-F]{32}/ }
  ]
  for (const c of cases) {
    const err = (() => {
      try {
        open(c.sealed, c.signKey ?? key)
      } catch (e) {
        return e
      }
      return undefined
    })()
    t.type(err, CryptoError, c.name)
    t.equal((err as CryptoError).code, c.code, c.name)
    t.match((err as CryptoError).message, c.message, c.name)
  }
})

t.test('an md5 mismatch carries the diagnostics: plaintext, canonical string, expected md5', async (t) => {
  const key = 'SIGNKEY-12345678'
  const md5 = md5Upper('100E1')
  const text = '{"amount":"200","order_id":"E1"}'
  try {
    open({ data: encrypt(text, deriveKey(md5, key)), md5 }, key)
    t.fail('should throw')
  } catch (err) {
    const e = err as CryptoError
    t.equal(e.details.plaintext, text)
    t.equal(e.details.canonical, '200E1')
    t.equal(e.details.expectedMd5, md5Upper('200E1'))
    t.equal(e.details.receivedMd5, md5)
  }
})

t.test('a lowercase md5 is rejected with a message that says so', async (t) => {
  const key = 'SIGNKEY-12345678'
  const data = { amount: '100' }
  const lower = md5Upper('100').toLowerCase()
  t.throws(() => open({ data: encrypt(JSON.stringify(data), deriveKey(lower, key)), md5: lower }, key), { code: 'MD5_MISMATCH', message: /uppercase/ })
})

t.test('Java-style numbers: accepted, and reported as such', async (t) => {
  const key = 'SIGNKEY-12345678'
  const data = { amount: 100, order_id: 'J1' }
  const md5 = md5Upper(canonicalString(data, 'java'))
  const opened = openDetailed({ data: encrypt(JSON.stringify(data), deriveKey(md5, key)), md5 }, key)
  t.same(opened.data, data)
  t.equal(opened.numberStyle, 'java')
  t.equal(opened.canonical, '100.0J1')
})
