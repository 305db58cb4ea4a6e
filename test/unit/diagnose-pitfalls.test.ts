import { createCipheriv, createHash } from 'node:crypto'
import t from 'tap'
import { canonicalString, deriveKey, diagnose, encrypt, md5Upper, seal, type DataObject, type Hint, type Sealed } from '../../src/crypto/index.js'
import { activePayData, MERCHANT } from '../helpers/build.js'

/** The classic pitfalls of the clients' languages (issue 15, item 5), each found from the request alone. */

const KEY = MERCHANT.sign_key
const codes = (hints: Hint[]): string[] => hints.map((h) => h.code)
const data = activePayData()
const md5 = md5Upper(canonicalString(data))
const key = deriveKey(md5, KEY)
const json = JSON.stringify(data)

/** `plaintext` encrypted with any AES variant under `keyBytes`, as Base64; `pad` false leaves the padding to the caller. */
function cipher (algorithm: string, plaintext: Buffer, keyBytes: Buffer, iv: Buffer | null, pad = true): string {
  const c = createCipheriv(algorithm, keyBytes, iv)
  c.setAutoPadding(pad)
  return Buffer.concat([c.update(plaintext), c.final()]).toString('base64')
}

const sealedWith = (encrypted: string): Sealed => ({ data: encrypted, md5 })

t.test('PHP: openssl_encrypt without OPENSSL_RAW_DATA, then base64_encode again → BASE64_TWICE', async (t) => {
  for (const extra of ['', 'x'.repeat(7), 'y'.repeat(20)]) {
    const d = activePayData({ remarks: extra })
    const right = seal(d, KEY)
    const hints = diagnose({ data: Buffer.from(right.data).toString('base64'), md5: right.md5 }, KEY)
    t.same(codes(hints), ['BASE64_TWICE'], `plaintext of ${JSON.stringify(d).length} characters`)
    t.match(hints[0]!.message, 'OPENSSL_RAW_DATA')
  }
})

t.test('Java "AES/CBC/PKCS5Padding" or a CBC default, not ECB → CBC_NOT_ECB', async (t) => {
  const bytes = Buffer.from(key)
  const zero = diagnose(sealedWith(cipher('aes-128-cbc', Buffer.from(json), bytes, Buffer.alloc(16))), KEY)
  t.same(codes(zero), ['CBC_NOT_ECB'])
  t.match(zero[0]!.message, 'AES-128-CBC and a zero IV')
  t.match(zero[0]!.message, 'Cipher.getInstance("AES/ECB/PKCS5Padding")')
  const keyIv = diagnose(sealedWith(cipher('aes-128-cbc', Buffer.from(json), bytes, bytes)), KEY)
  t.same(codes(keyIv), ['CBC_NOT_ECB'])
  t.match(keyIv[0]!.message, 'the key as IV')
})

t.test('PHP mcrypt (or NoPadding filled with zeros) → ZERO_PADDING', async (t) => {
  for (const text of [json, JSON.stringify({ ...data, x: 'x'.repeat(16 - (json.length + 8) % 16) })]) {
    const padded = Buffer.concat([Buffer.from(text), Buffer.alloc((16 - text.length % 16) % 16)])
    const hints = diagnose(sealedWith(cipher('aes-128-ecb', padded, Buffer.from(key), null, false)), KEY)
    t.same(codes(hints), ['ZERO_PADDING'], `${text.length % 16 === 0 ? 'no' : 'some'} zero bytes needed`)
  }
})

t.test('PHP openssl_encrypt "AES-256-ECB" with the 16-character key → AES_256_NOT_128', async (t) => {
  const hints = diagnose(sealedWith(cipher('aes-256-ecb', Buffer.from(json), Buffer.concat([Buffer.from(key), Buffer.alloc(16)]), null)), KEY)
  t.same(codes(hints), ['AES_256_NOT_128'])
})

t.test('json_encode\'s escapes in the digest input ("\\/", "\\u00e9") → MD5_OF_ESCAPED_VALUES', async (t) => {
  const d: DataObject = { ...data, call_back_url: 'https://merchant.example/callback', remarks: 'café 北京' }
  const escaped = Object.keys(d).sort().map((k) => JSON.stringify(d[k]).slice(1, -1).replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('')
  t.match(escaped, 'https:\\/\\/merchant.example\\/callback', 'PHP json_encode\'s default spelling')
  t.match(escaped, 'caf\\u00e9 \\u5317\\u4eac')
  const wrongMd5 = md5Upper(escaped)
  const hints = diagnose({ data: encrypt(JSON.stringify(d), deriveKey(wrongMd5, KEY)), md5: wrongMd5 }, KEY)
  t.same(codes(hints), ['MD5_OF_ESCAPED_VALUES'])
  t.match(hints[0]!.message, 'JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE')

  const plain = { ...data, order_id: 'NOSLASH1' }
  const other = md5Upper('something else')
  t.notOk(codes(diagnose({ data: encrypt(JSON.stringify(plain), deriveKey(other, KEY)), md5: other }, KEY)).includes('MD5_OF_ESCAPED_VALUES'), 'not claimed for another digest')
  t.same(diagnose(seal(d, KEY), KEY), [], 'escapes in the encrypted JSON itself are fine: JSON reads them back')
  const phpText = JSON.stringify(d).replace(/\//g, '\\/')
  const rightMd5 = md5Upper(canonicalString(d))
  t.match(phpText, '\\/')
  t.same(diagnose({ data: encrypt(phpText, deriveKey(rightMd5, KEY)), md5: rightMd5 }, KEY), [], 'json_encode\'s "\\/" in the encrypted text opens and gets no hint')
})

t.test('Java getBytes() without a charset in the digest → MD5_NOT_UTF8', async (t) => {
  const d: DataObject = { ...data, remarks: 'crème brûlée' }
  const latin1 = createHash('md5').update(canonicalString(d), 'latin1').digest('hex').toUpperCase()
  const hints = diagnose({ data: encrypt(JSON.stringify(d), deriveKey(latin1, KEY)), md5: latin1 }, KEY)
  t.same(codes(hints), ['MD5_NOT_UTF8'])
  t.match(hints[0]!.message, 'getBytes(StandardCharsets.UTF_8)')
})

t.test('JSON encrypted as Latin-1 bytes → PLAINTEXT_NOT_UTF8', async (t) => {
  const d: DataObject = { ...data, remarks: 'crème' }
  const right = md5Upper(canonicalString(d))
  const k = Buffer.from(deriveKey(right, KEY))
  const hints = diagnose({ data: cipher('aes-128-ecb', Buffer.from(JSON.stringify(d), 'latin1'), k, null), md5: right }, KEY)
  t.same(codes(hints), ['PLAINTEXT_NOT_UTF8'])
})
