/**
 * Phase (a), the ceiling: a bare node:http server that reads each request and answers one canned sealed
 * envelope, the same size and shape as an ACTIVEPAY answer. Nothing the sandbox does per request (parse, decrypt,
 * verify, validate, persist, encrypt) happens here, so no server on this machine can answer faster.
 * Run as its own process, like the sandbox: `PORT=… node bench/ceiling-server.mjs`.
 */
import { createServer } from 'node:http'
import { seal } from '../dist/crypto/index.js'
import { MERCHANT } from './envelopes.mjs'

const answer = Buffer.from(JSON.stringify({
  rsp_code: 'SUCCESS',
  rsp_msg: 'success',
  merchant_id: MERCHANT.id,
  ...seal({ bizpay_order_id: 'WX0000000000000001', code_url: 'weixin://wxpay/bizpayurl?pr=Ab3dE5gH7', order_id: 'CEIL00000000' }, MERCHANT.key)
}))

const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length })
    res.end(answer)
  })
})

server.listen(Number(process.env.PORT), '127.0.0.1')
process.once('SIGTERM', () => server.close(() => process.exit(0)))
