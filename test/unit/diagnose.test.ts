import { createCipheriv, createDecipheriv, createHash } from 'node:crypto'
import t, { type Test } from 'tap'
import {
  canonicalString, CryptoError, deriveKey, diagnose, digestValue, encrypt, md5Upper, numberHints, openDetailed, seal,
  type CandidateKey, type DataObject, type Hint, type Sealed
} from '../../src/crypto/index.js'
import { activePayData, MERCHANT, OTHER_MERCHANT } from '../helpers/build.js'
import { VECTORS as vectors } from '../helpers/vectors.js'

const KEY = MERCHANT.sign_key
const CANDIDATES: CandidateKey[] = [{ label: `merchant ${OTHER_MERCHANT.merchant_id}`, signKey: OTHER_MERCHANT.sign_key }]

const codes = (hints: Hint[]): string[] => hints.map((h) => h.code)

/** The correct md5 of a data object (Appendix A, steps 1–2). */
const rightMd5 = (data: DataObject): string => md5Upper(canonicalString(data))

/** `plaintext` encrypted with AES-128-ECB under a raw key (a 16-character text key is used as its ASCII bytes). */
function aes (plaintext: string, key: string | Buffer): string {
  const cipher = createCipheriv('aes-128-ecb', typeof key === 'string' ? Buffer.from(key, 'utf8') : key, null)
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64')
}

/** True when the Base64 ciphertext decrypts under this 16-character key with valid PKCS#5 padding. */
function paddingValid (base64: string, key: string): boolean {
  const decipher = createDecipheriv('aes-128-ecb', Buffer.from(key, 'utf8'), null)
  try {
    decipher.update(Buffer.from(base64, 'base64'))
    decipher.final()
    return true
  } catch {
    return false
  }
}

/** The code of the CryptoError opening fails with. */
function failureOf (sealed: Sealed, signKey: string): string {
  try {
    openDetailed(sealed, signKey)
  } catch (err) {
    if (err instanceof CryptoError) return err.code
    throw err
  }
  throw new Error('the envelope opens')
}

/** An envelope whose data is `plaintext` sealed correctly for `md5` (the key derived from that md5 and the sign key). */
function sealedFor (plaintext: string, md5: string, signKey = KEY): Sealed {
  return { data: encrypt(plaintext, deriveKey(md5, signKey)), md5 }
}

/** Asserts exactly these hint codes, in this order, each with a non-empty message. */
function assertHints (t: Test, hints: Hint[], expected: string[], message?: string): void {
  t.same(codes(hints), expected, message ?? `hints ${expected.join(', ') || '(none)'}`)
  for (const hint of hints) t.ok(hint.message.length > 20, `${hint.code} explains itself`)
}

const data = activePayData()
const good = seal(data, KEY)

t.test('a correct envelope gets no hints', async (t) => {
  assertHints(t, diagnose(good, KEY), [])
  assertHints(t, diagnose(good, KEY, CANDIDATES), [], 'nor with candidate keys')
  assertHints(t, diagnose(seal({ ...data, cc_number: '5160736813962037', remarks: 'Café 茶' }, KEY), KEY), [], 'with non-ASCII text')
})

t.test('the Appendix A example (fixtures/crypto-vectors.json) gets no hints', async (t) => {
  const example = vectors.find((v) => v.name === 'appendix-a')!
  t.ok(example, 'the vector exists')
  assertHints(t, diagnose({ data: example.encrypted, md5: example.md5 }, example.sign_key), [])
  for (const v of vectors.filter((v) => !Object.values(v.data).some((value) => typeof value === 'number'))) {
    assertHints(t, diagnose({ data: v.encrypted, md5: v.md5 }, v.sign_key), [], `vector ${v.name}`)
  }
})

t.test('transport mistakes on the Base64 text', async (t) => {
  t.match(good.data, /\+/, 'precondition: the sealed data has a "+"')
  t.match(good.data, /\//, 'precondition: the sealed data has a "/"')

  t.test('URL-encoded data → URL_ENCODED_BASE64, saying it opens once decoded', async (t) => {
    const sealed = { data: encodeURIComponent(good.data), md5: good.md5 }
    t.match(sealed.data, /%2B/, 'precondition: encoded "+"')
    const hints = diagnose(sealed, KEY)
    assertHints(t, hints, ['URL_ENCODED_BASE64'])
    t.match(hints[0]!.message, /opens once URL-decoded/)
  })

  t.test('URL-encoded data that would not open anyway does not claim it would', async (t) => {
    const sealed = { data: encodeURIComponent(seal(data, 'SOMEONE-ELSE-KEY').data), md5: good.md5 }
    const hints = diagnose(sealed, KEY)
    assertHints(t, hints, ['URL_ENCODED_BASE64'])
    t.notMatch(hints[0]!.message, /opens once/)
  })

  t.test('"+" turned into spaces → PLUS_BECAME_SPACE, and nothing about the key', async (t) => {
    // Several order ids, so both outcomes of stripping the spaces are covered: text that is no longer
    // valid Base64, and Base64 that decodes to bytes the right key cannot decrypt.
    const failures = new Set<string>()
    for (const orderId of ['ORDER0001', 'ORDER0002', 'ORDER0003', 'ORDER0004', 'ORDER0005', 'ORDER0006', 'ORDER0007', 'ORDER0008']) {
      const sealed = seal(activePayData({ order_id: orderId }), KEY)
      if (!sealed.data.includes('+')) continue
      const spaced = { data: sealed.data.replace(/\+/g, ' '), md5: sealed.md5 }
      failures.add(failureOf(spaced, KEY))
      assertHints(t, diagnose(spaced, KEY, CANDIDATES), ['PLUS_BECAME_SPACE'], orderId)
    }
    t.same([...failures].sort(), ['BAD_BASE64', 'DECRYPT_FAILED'], 'both ways of failing were tried')
  })

  t.test('URL-safe alphabet → URL_SAFE_BASE64', async (t) => {
    const sealed = { data: good.data.replace(/\+/g, '-').replace(/\//g, '_'), md5: good.md5 }
    assertHints(t, diagnose(sealed, KEY), ['URL_SAFE_BASE64'])
  })

  t.test('URL-safe alphabet with the padding dropped (Node\'s base64url) → URL_SAFE_BASE64', async (t) => {
    const padded = seal(activePayData({ remarks: 'sixteen chars..!' }), KEY)
    t.match(padded.data, /=$/, 'precondition: the sealed data is padded')
    t.match(padded.data, /\+/, 'precondition: the sealed data has a "+"')
    t.match(padded.data, /\//, 'precondition: the sealed data has a "/"')
    const sealed = { data: Buffer.from(padded.data, 'base64').toString('base64url'), md5: padded.md5 }
    t.notMatch(sealed.data, /[=+/]/, 'precondition: URL-safe, unpadded')
    assertHints(t, diagnose(sealed, KEY), ['URL_SAFE_BASE64'])
  })
})

t.test('key mistakes: the data does not decrypt with the derived key', async (t) => {
  const plaintext = JSON.stringify(data)
  const md5 = rightMd5(data)

  t.test('key derived from the lowercase md5, uppercase md5 sent → MD5_CASE_CHANGED_AFTER_ENCRYPTION', async (t) => {
    const sealed = { data: encrypt(plaintext, deriveKey(md5.toLowerCase(), KEY)), md5 }
    const hints = diagnose(sealed, KEY, CANDIDATES)
    assertHints(t, hints, ['MD5_CASE_CHANGED_AFTER_ENCRYPTION'])
    t.match(hints[0]!.message, md5.toLowerCase(), 'names the spelling the key came from')
  })

  t.test('key derived from the uppercase md5, lowercase md5 sent → MD5_CASE_CHANGED_AFTER_ENCRYPTION', async (t) => {
    const sealed = { data: encrypt(plaintext, deriveKey(md5, KEY)), md5: md5.toLowerCase() }
    const hints = diagnose(sealed, KEY, CANDIDATES)
    assertHints(t, hints, ['MD5_CASE_CHANGED_AFTER_ENCRYPTION'])
    t.match(hints[0]!.message, md5)
  })

  t.test('key from the lowercase hex of MD5(md5 + sign key) → KEY_FROM_LOWERCASE_HEX', async (t) => {
    const key = createHash('md5').update(md5 + KEY).digest('hex').slice(8, 24)
    t.equal(key, deriveKey(md5, KEY).toLowerCase(), 'precondition')
    t.not(key, deriveKey(md5, KEY), 'precondition: the hex has letters')
    assertHints(t, diagnose({ data: aes(plaintext, key), md5 }, KEY, CANDIDATES), ['KEY_FROM_LOWERCASE_HEX'])
  })

  t.test('raw 16 bytes of the hex-decoded MD5 as the key → KEY_HEX_DECODED', async (t) => {
    const key = createHash('md5').update(md5 + KEY).digest()
    t.equal(key.length, 16)
    assertHints(t, diagnose({ data: aes(plaintext, key), md5 }, KEY, CANDIDATES), ['KEY_HEX_DECODED'])
  })

  t.test('the sign key itself as the AES key → SIGN_KEY_USED_DIRECTLY', async (t) => {
    assertHints(t, diagnose({ data: aes(plaintext, KEY), md5 }, KEY, CANDIDATES), ['SIGN_KEY_USED_DIRECTLY'])
  })

  t.test('another merchant\'s sign key → WRONG_SIGN_KEY naming the candidate', async (t) => {
    const sealed = seal(data, OTHER_MERCHANT.sign_key)
    const hints = diagnose(sealed, KEY, CANDIDATES)
    assertHints(t, hints, ['WRONG_SIGN_KEY'])
    t.match(hints[0]!.message, `merchant ${OTHER_MERCHANT.merchant_id}`)
    const several = diagnose(sealed, KEY, [{ label: 'the first', signKey: 'UNRELATED-KEY-01' }, { label: 'the culprit', signKey: OTHER_MERCHANT.sign_key }])
    assertHints(t, several, ['WRONG_SIGN_KEY'], 'only the candidate that opens it is named')
    t.match(several[0]!.message, 'the culprit')
    t.same(codes(diagnose(sealed, KEY)), ['CHECK_KEY_RECIPE'], 'without candidates it can only say what to check')
  })

  t.test('a wrong key whose garbage happens to have valid padding still gets the key hints', async (t) => {
    // About 1 in 256 wrong keys decrypt to bytes with valid PKCS#5 padding: the failure is then NOT_JSON, not DECRYPT_FAILED.
    let found: Sealed | undefined
    for (let i = 0; i < 5000 && found === undefined; i++) {
      const sealed = seal(activePayData({ order_id: `LUCKY${i}` }), OTHER_MERCHANT.sign_key)
      if (paddingValid(sealed.data, deriveKey(sealed.md5, KEY))) found = sealed
    }
    t.ok(found, 'precondition: such an envelope was found')
    t.equal(failureOf(found!, KEY), 'NOT_JSON', 'precondition: it fails as NOT_JSON')
    assertHints(t, diagnose(found!, KEY, CANDIDATES), ['WRONG_SIGN_KEY'])
    assertHints(t, diagnose(found!, KEY), ['CHECK_KEY_RECIPE'], 'without candidates: what to check')
  })

  t.test('a key matching none of the mistakes → CHECK_KEY_RECIPE', async (t) => {
    const hints = diagnose(seal(data, 'NOBODYS-KEY-0000'), KEY, CANDIDATES)
    assertHints(t, hints, ['CHECK_KEY_RECIPE'])
    t.match(hints[0]!.message, /characters 8 to 24 of uppercase MD5/)
  })
})

t.test('md5 mistakes: the data decrypts, but the md5 is not the digest of its values', async (t) => {
  // The client derives the AES key from the md5 it sends, so the data opens and only the digest input is wrong.
  const plaintext = JSON.stringify(data)
  const sorted = Object.fromEntries(Object.keys(data).sort().map((k) => [k, data[k]]))
  t.not(JSON.stringify(sorted), plaintext, 'precondition: the data is not sent in key order')
  t.not(Object.values(data).join(''), canonicalString(data), 'precondition: the values are not in key order')
  const cases: Array<{ name: string, md5: string, plaintext?: string, code: string }> = [
    { name: 'md5 over the JSON with sorted keys', md5: md5Upper(JSON.stringify(sorted)), code: 'MD5_OF_SORTED_JSON' },
    { name: 'md5 over the JSON text sent', md5: md5Upper(plaintext), code: 'MD5_OF_JSON' },
    {
      name: 'md5 over the compact JSON, pretty JSON encrypted',
      md5: md5Upper(plaintext),
      plaintext: JSON.stringify(data, null, 2),
      code: 'MD5_OF_JSON'
    },
    { name: 'md5 over the values in the order sent', md5: md5Upper(Object.values(data).join('')), code: 'MD5_OF_UNSORTED_VALUES' },
    {
      name: 'md5 over key=value pairs',
      md5: md5Upper(Object.keys(sorted).map((k) => `${k}=${String(data[k])}`).join('&')),
      code: 'MD5_OF_KEY_VALUE_PAIRS'
    },
    { name: 'md5 over comma-separated values', md5: md5Upper(Object.values(sorted).join(',')), code: 'MD5_WITH_SEPARATORS' },
    { name: 'the right md5 in lowercase', md5: rightMd5(data).toLowerCase(), code: 'MD5_LOWERCASE' },
    { name: 'md5 of the sorted JSON in lowercase', md5: md5Upper(JSON.stringify(sorted)).toLowerCase(), code: 'MD5_OF_SORTED_JSON' },
    { name: 'md5 of something else', md5: md5Upper('something else'), code: 'MD5_OF_OTHER_CONTENT' }
  ]
  for (const c of cases) {
    t.test(`${c.name} → ${c.code}`, async (t) => {
      assertHints(t, diagnose(sealedFor(c.plaintext ?? plaintext, c.md5), KEY, CANDIDATES), [c.code])
    })
  }

  t.test('keys sorted ignoring case → MD5_CASE_INSENSITIVE_SORT', async (t) => {
    const mixed = { b: '2', Zeta: '3', alpha: '1' }
    t.equal(canonicalString(mixed), '312', 'precondition: code-point order puts "Zeta" first')
    assertHints(t, diagnose(sealedFor(JSON.stringify(mixed), md5Upper('123')), KEY), ['MD5_CASE_INSENSITIVE_SORT'])
  })

  t.test('keys sorted ignoring case as Java, PHP and Python do it (code points of the lowercase keys)', async (t) => {
    // Java's String.CASE_INSENSITIVE_ORDER, PHP's strcasecmp and Python's key=str.lower put "a1" before "a_1"
    // ("1" is U+0031, "_" U+005F); a locale collation puts "a_1" first.
    const mixed = { a_1: 'y', B: 'x', a1: 'z' }
    t.equal(canonicalString(mixed), 'xzy', 'precondition: code-point order B, a1, a_1')
    const caseInsensitive = Object.keys(mixed).sort((a, b) => {
      const [x, y] = [a.toLowerCase(), b.toLowerCase()]
      return x < y ? -1 : x > y ? 1 : 0
    })
    t.same(caseInsensitive, ['a1', 'a_1', 'B'])
    const md5 = md5Upper(caseInsensitive.map((k) => digestValue(mixed[k as keyof typeof mixed])).join(''))
    assertHints(t, diagnose(sealedFor(JSON.stringify(mixed), md5), KEY), ['MD5_CASE_INSENSITIVE_SORT'])
  })

  t.test('a wrong md5 over number values also gets NUMBERS_NOT_STRINGS', async (t) => {
    const withNumber = activePayData({ amount: 100 })
    assertHints(t, diagnose(sealedFor(JSON.stringify(withNumber), md5Upper('other')), KEY), ['MD5_OF_OTHER_CONTENT', 'NUMBERS_NOT_STRINGS'])
  })
})

t.test('plaintext mistakes: the data decrypts to something other than a JSON object', async (t) => {
  const md5 = rightMd5(data)

  t.test('JSON encoded twice → JSON_ENCODED_TWICE, and nothing about the key', async (t) => {
    const twice = JSON.stringify(JSON.stringify(data))
    assertHints(t, diagnose(sealedFor(twice, md5), KEY, CANDIDATES), ['JSON_ENCODED_TWICE'])
  })

  t.test('a query string encrypted → QUERY_STRING_NOT_JSON, and nothing about the key', async (t) => {
    const query = Object.entries(data).map(([k, v]) => `${k}=${String(v)}`).join('&')
    assertHints(t, diagnose(sealedFor(query, md5), KEY, CANDIDATES), ['QUERY_STRING_NOT_JSON'])
  })

  t.test('a JSON array or string of the right key is not blamed on the key', async (t) => {
    for (const text of ['[{"amount":"100"}]', '"100"', '42']) {
      t.notOk(codes(diagnose(sealedFor(text, md5), KEY, CANDIDATES)).includes('CHECK_KEY_RECIPE'), text)
    }
  })
})

t.test('numbers instead of strings → NUMBERS_NOT_STRINGS', async (t) => {
  t.test('numberHints names every number field', async (t) => {
    t.same(numberHints({ amount: '100', tip: '0' }), [], 'strings only: no hint')
    t.same(numberHints({}), [])
    const one = numberHints({ amount: 100, biz_type: 'WECHATPAY' })
    assertHints(t, one, ['NUMBERS_NOT_STRINGS'])
    t.match(one[0]!.message, /"amount" is a number/)
    const two = numberHints({ amount: 100, tip: 0.5, ok: true, nested: { n: 1 } })
    assertHints(t, two, ['NUMBERS_NOT_STRINGS'])
    t.match(two[0]!.message, /"amount", "tip" are numbers/)
    t.notMatch(two[0]!.message, /"ok"|"nested"/, 'booleans and nested values are not named')
  })

  t.test('an envelope that opens but carries numbers gets the hint', async (t) => {
    assertHints(t, diagnose(seal(activePayData({ amount: 100 }), KEY), KEY), ['NUMBERS_NOT_STRINGS'])
  })

  t.test('also when the md5 only matched in the Java spelling (100.0)', async (t) => {
    const withNumber = activePayData({ amount: 100 })
    const sealed = sealedFor(JSON.stringify(withNumber), md5Upper(canonicalString(withNumber, 'java')))
    assertHints(t, diagnose(sealed, KEY), ['NUMBERS_NOT_STRINGS'])
  })
})

t.test('diagnose is pure: same input, same hints; the input is not changed', async (t) => {
  const sealed = seal(data, OTHER_MERCHANT.sign_key)
  const copy = { ...sealed }
  t.same(diagnose(sealed, KEY, CANDIDATES), diagnose(sealed, KEY, CANDIDATES))
  t.same(sealed, copy)
})
