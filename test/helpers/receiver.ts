import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Tap } from './tap.js'

export interface Received {
  headers: IncomingHttpHeaders
  body: Record<string, string>
}

export interface Receiver {
  url: string
  received: Received[]
  /** What the next requests are answered: an HTTP status, `hang` (never answer) or `reset` (drop the connection). */
  respond: number | 'hang' | 'reset'
}

/** A real merchant callback endpoint on port 0 that records every request. */
export async function startReceiver (t: Tap, respond: Receiver['respond'] = 200): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], respond }
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk: Buffer) => { text += chunk.toString('utf8') })
    req.on('end', () => {
      receiver.received.push({ headers: req.headers, body: JSON.parse(text) as Record<string, string> })
      if (receiver.respond === 'hang') return
      if (receiver.respond === 'reset') {
        req.socket.resetAndDestroy()
        return
      }
      res.writeHead(receiver.respond, { 'content-type': 'text/plain' }).end(receiver.respond < 300 ? 'SUCCESS' : 'merchant error')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ottpay/callback`
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise((resolve) => server.close(resolve))
  })
  return receiver
}
