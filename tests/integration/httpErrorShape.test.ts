// Errors the web framework (and Node's HTTP parser under it) raise by themselves answer like every other API
// error: `{ok:false, error:{code, message}}` with the status that fits, over raw sockets to a real `pregon serve`.

import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, tempDir, type ServeProcess } from './httpHarness'

const KEY = 'key-error-shape-0123456789'
const AUTH = `Authorization: Bearer ${KEY}\r\n`
let serve: ServeProcess

interface RawReply {
  status: number
  body: unknown
}

/** Sends `head` (and `body`) as typed, byte for byte, and reads the answer until the server closes. */
function rawRequest(head: string, body = ''): Promise<RawReply> {
  const { hostname, port } = new URL(serve.url)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(`${head}\r\n\r\n${body}`))
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
      const payload = text.slice(text.indexOf('\r\n\r\n') + 4)
      let parsed: unknown = payload
      try {
        parsed = JSON.parse(payload)
      } catch {
        // not JSON: the assertion below shows it
      }
      resolve({ status, body: parsed })
    })
  })
}

const oneShape = (code: string) => ({ ok: false, error: { code, message: expect.stringMatching(/\w{3,}.*\./) } })

beforeAll(async () => {
  serve = await startServe({ dataDir: tempDir('shape') }, { PREGON_API_KEYS: `${KEY}:shape` })
})

afterAll(async () => {
  await serve?.stop()
})

describe('errors raised by the framework itself', () => {
  it.each([
    ['an id longer than any id', `GET /api/campaigns/${'a'.repeat(300)}/status HTTP/1.1\r\nHost: x\r\n${AUTH}Connection: close`, 414],
    ['an over-long id without a key', `GET /api/campaigns/${'a'.repeat(5_000)}/status HTTP/1.1\r\nHost: x\r\nConnection: close`, 414],
    ['bad URL encoding in a path', `GET /api/campaigns/%E0%A4%A/status HTTP/1.1\r\nHost: x\r\n${AUTH}Connection: close`, 400],
    ['bad URL encoding in a method name', `POST /api/campaigns.get%ZZ HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Length: 0\r\nConnection: close`, 400],
    ['bad URL encoding in a report address', `GET /api/campaigns/%FF/report.csv HTTP/1.1\r\nHost: x\r\n${AUTH}Connection: close`, 400],
    ['a request line that is not HTTP', 'HELLO', 400],
    ['a broken chunked body', `POST /api/app.info HTTP/1.1\r\nHost: x\r\n${AUTH}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0`, 400],
    ['headers larger than the server takes', `GET /api/campaigns HTTP/1.1\r\nHost: x\r\n${AUTH}X-Big: ${'b'.repeat(20_000)}\r\nConnection: close`, 431],
    ['a body shorter than its Content-Length', `POST /api/app.info HTTP/1.1\r\nHost: x\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 10\r\nConnection: close\r\n\r\n{}`, 400],
  ])('answers %s in the one error shape', async (_, head, status) => {
    const reply = await rawRequest(head)
    expect(reply).toEqual({ status, body: oneShape('invalid_args') })
  })

  it('answers a request without a Host header like any other request', async () => {
    const reply = await rawRequest(`GET /api/campaigns HTTP/1.1\r\n${AUTH}Connection: close`)
    expect(reply).toMatchObject({ status: 200, body: { ok: true } })
  })

  it('answers an unknown verb on the API with 404 in the one shape', async () => {
    expect(await rawRequest(`PROPFIND /api/campaigns HTTP/1.1\r\nHost: x\r\n${AUTH}Connection: close`)).toEqual({ status: 404, body: oneShape('not_found') })
  })
})
