// OTT Pay processV2 reference client in Node: ACTIVEPAY, pay, callback, STATUS_QUERY, REFUND.
// Written from the OTT Pay docs (Common Specifications, Appendix A) with node:crypto only, no package:
//   SANDBOX_URL=http://127.0.0.1:8080 node examples/node/activepay.mjs
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto'
import { createServer } from 'node:http'

const SANDBOX_URL = (process.env.SANDBOX_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '')
const MERCHANT_ID = process.env.MERCHANT_ID ?? 'QC00005496'
const SIGN_KEY = process.env.SIGN_KEY ?? 'SANDBOXKEY000001'
const OPERATOR_ID = process.env.OPERATOR_ID ?? '0000020156'

// --- Appendix A ---------------------------------------------------------------------------------------------

const md5Hex = (text) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase()

/** How one value enters the digest. Send every value as a string ("100" cents, never 100 or 1.00): a number's
 * text differs between languages (Java writes 100.0), strings cannot. */
function digestValue (value) {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

/** Steps 1-2: values sorted by key, concatenated without separator; uppercase MD5 of the UTF-8. Plain sort()
 * compares UTF-16 code units, which is code-point order for the ASCII keys OTT Pay uses. */
function md5Of (data) {
  return md5Hex(Object.keys(data).sort().map((key) => digestValue(data[key])).join(''))
}

/** Steps 3-4: "16-bit MD5" = characters 8..24 of the uppercase MD5 of md5 + signkey, as 16 ASCII bytes (not hex-decoded). */
const aesKey = (md5, signKey) => Buffer.from(md5Hex(md5 + signKey).slice(8, 24), 'ascii')

/** Encrypts request data: { data: Base64(AES-128-ECB/PKCS5(JSON)), md5 }. */
function seal (data, signKey) {
  const md5 = md5Of(data)
  // JSON.stringify already writes what the docs encrypt: compact, in the object's own key order, `/` and
  // non-ASCII unescaped. AES-128-ECB takes no IV; Node pads with PKCS#7, which is PKCS5 for 16-byte blocks.
  const cipher = createCipheriv('aes-128-ecb', aesKey(md5, signKey), null)
  const sealed = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()])
  return { data: sealed.toString('base64'), md5 }
}

/** Decrypts an answer's or a callback's data with the key derived from its md5, then checks that md5 is the
 * digest of what it decrypted. */
function openSealed (body, signKey) {
  // The docs print Base64 wrapped over several lines: drop whitespace before decoding.
  const decipher = createDecipheriv('aes-128-ecb', aesKey(body.md5, signKey), null)
  const raw = Buffer.from(body.data.replace(/\s+/g, ''), 'base64')
  const plaintext = Buffer.concat([decipher.update(raw), decipher.final()]).toString('utf8')
  const data = JSON.parse(plaintext)
  if (md5Of(data) !== body.md5) throw new Error(`md5 mismatch: received ${body.md5}, the decrypted data digests to ${md5Of(data)}`)
  return { plaintext, data }
}

/** The docs' worked example, byte for byte: proves the digest, the key and the UTF-8 JSON are right. */
function checkAppendixA () {
  const data = { orderId: '1234567890', idCardName: '张三', idCardNum: '123456789012345678', bankCardNum: '62000000000010', mobile: '13711111111', idCardType: '1' }
  const sealed = seal(data, '6698851A525C9433')
  const expected = 'Y2+GoqBBPc6EJ9JzXRFoOziKd+DqWg5FiUZY1IYoVBVv0xfFznT9/qanMpiNEamEN2NM7J+hxoRn8VGSJImA2soeip9nYr+VJvTXe7D8j4aX' +
    'iKyFipuPVCQLiCDg3jkJP+S2EezYMf7crqKY/YAni1CCeIwr2aJfFVT1vYhsWIm8t3eyPL//cY4kwombAKhE2gAdEFXz6gVvencz80aRWQ=='
  if (sealed.md5 !== 'C12F9560769C2CB55E6954935B325916' || aesKey(sealed.md5, '6698851A525C9433').toString() !== 'EF1712FC070C2C21' || sealed.data !== expected) {
    throw new Error('the Appendix A worked example does not match')
  }
}

// --- processV2 ----------------------------------------------------------------------------------------------

async function postJson (url, body, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000)
  })
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}: ${await res.text()}`)
  return res.json()
}

/** POSTs one sealed request to processV2; returns the verified, decrypted answer data. */
async function call (action, data) {
  const answer = await postJson(`${SANDBOX_URL}/processV2`, { action, version: '1.0', merchant_id: MERCHANT_ID, ...seal(data, SIGN_KEY) })
  if (answer.rsp_code !== 'SUCCESS') throw new Error(`${action}: ${answer.rsp_code} ${answer.rsp_msg}`)
  const { plaintext, data: opened } = openSealed(answer, SIGN_KEY)
  console.log(`${action}: SUCCESS, md5 verified: ${plaintext}`)
  return opened
}

/** What a callback handler at call_back_url does with the POSTed JSON: verify, decrypt, check the merchant. */
function openCallback (rawBody) {
  const body = JSON.parse(rawBody)
  if (body.merchant_id !== MERCHANT_ID) throw new Error(`callback for another merchant: ${body.merchant_id}`)
  return { rspCode: body.rsp_code, ...openSealed(body, SIGN_KEY) }
}

/** A listener on a free port that resolves with the first callback it receives. */
async function listenForCallback () {
  let settle
  const received = new Promise((resolve, reject) => { settle = { resolve, reject } })
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      try {
        const callback = openCallback(Buffer.concat(chunks).toString('utf8'))
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"rsp_code":"SUCCESS","rsp_msg":"success"}')
        settle.resolve(callback)
      } catch (err) { // a callback that does not verify is refused, and the run fails
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"rsp_code":"FAIL","rsp_msg":"failure."}')
        settle.reject(err)
      }
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const timer = setTimeout(() => settle.reject(new Error('no callback within 10 s')), 10_000)
  const callback = received.finally(() => { clearTimeout(timer); server.close() })
  callback.catch(() => {}) // awaited below; this only keeps an early rejection from counting as unhandled
  return { url: `http://127.0.0.1:${server.address().port}/ottpay/callback`, callback }
}

async function main () {
  checkAppendixA()
  console.log('Appendix A example: md5, AES key and ciphertext match the docs')

  const listener = await listenForCallback()
  const orderId = `NODE${Date.now()}`
  const amount = '1250' // cents, as a string: 12.50

  const created = await call('ACTIVEPAY', {
    order_id: orderId,
    operator_id: OPERATOR_ID,
    amount,
    tip: '0',
    biz_type: 'WECHATPAY',
    call_back_url: listener.url
  })
  if (created.order_id !== orderId || !created.code_url) throw new Error('ACTIVEPAY answered another order or no code_url')

  // The payer scans code_url. In the sandbox, its control API pays the order (not part of OTT Pay's API).
  const token = process.env.ADMIN_TOKEN
  await postJson(`${SANDBOX_URL}/sandbox/api/orders/${orderId}/pay?merchant_id=${MERCHANT_ID}`, {}, token ? { 'x-admin-token': token } : {})
  console.log(`pay: order ${orderId} paid through the sandbox control API`)

  const { rspCode, plaintext, data: paid } = await listener.callback
  if (rspCode !== 'SUCCESS' || paid.order_id !== orderId || paid.amount !== amount) throw new Error(`unexpected callback: ${rspCode} ${plaintext}`)
  console.log(`callback: SUCCESS, md5 verified: ${plaintext}`)

  const status = await call('STATUS_QUERY', { order_id: orderId })
  if (status.order_status !== 'success') throw new Error(`order_status is ${status.order_status}, not success`)

  const refund = await call('REFUND', { order_id: `${orderId}R1`, ori_order_id: orderId, refund_amt: '250' })
  if (refund.refund_amt !== '250') throw new Error('REFUND answered another amount')
  console.log('all steps passed')
}

main().catch((err) => {
  console.error(`FAILED: ${err.message}`)
  process.exitCode = 1
})
