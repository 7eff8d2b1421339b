// The browser ApiClient against a real loopback HTTP server: POST /api/<method>, bearer key, results and errors as sent.

import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpClient } from '../../../src/renderer/src/lib/api'

interface Seen {
  method: string
  url: string
  authorization: string | undefined
  contentType: string | undefined
  body: unknown
}

const seen: Seen[] = []
let server: Server
let baseUrl = ''

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = ''
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')))
    req.on('end', () => resolve(data))
  })
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req)
    seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], body: JSON.parse(body || 'null') })
    res.setHeader('content-type', 'application/json')
    if (req.headers.authorization !== 'Bearer right-key') {
      res.writeHead(401).end(JSON.stringify({ ok: false, error: { code: 'unauthorized', message: 'bad key' } }))
    } else if (req.url === '/api/campaigns.pause') {
      res.writeHead(409).end(JSON.stringify({ ok: false, error: { code: 'invalid_transition', message: 'A completed campaign cannot be paused.', details: { status: 'completed' } } }))
    } else {
      res.writeHead(200).end(JSON.stringify({ ok: true, value: { removed: true } }))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('the browser API client', () => {
  it('posts the args as JSON to /api/<method> with the bearer key and returns the result', async () => {
    const api = httpClient('right-key', () => undefined, baseUrl)
    const result = await api.invoke('suppressions.remove', { phone: '+573001234567' })
    expect(result).toEqual({ ok: true, value: { removed: true } })
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      url: '/api/suppressions.remove',
      authorization: 'Bearer right-key',
      contentType: 'application/json',
      body: { phone: '+573001234567' },
    })
  })

  it('sends an empty object for methods without args', async () => {
    const api = httpClient('right-key', () => undefined, baseUrl)
    await api.invoke('accounts.list', undefined)
    expect(seen.at(-1)?.body).toEqual({})
  })

  it('passes an error status body through as the failed result', async () => {
    const api = httpClient('right-key', () => undefined, baseUrl)
    expect(await api.invoke('campaigns.pause', { id: 'c1' })).toEqual({
      ok: false,
      error: { code: 'invalid_transition', message: 'A completed campaign cannot be paused.', details: { status: 'completed' } },
    })
  })

  it('reports a rejected key so the app can ask for it again', async () => {
    let rejected = 0
    const api = httpClient('wrong-key', () => (rejected += 1), baseUrl)
    const result = await api.invoke('accounts.list', undefined)
    expect(result.ok).toBe(false)
    expect(rejected).toBe(1)
  })

  it('says the server is not answering when nothing listens', async () => {
    const api = httpClient('right-key', () => undefined, 'http://127.0.0.1:9')
    const result = await api.invoke('accounts.list', undefined)
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } })
  })
})
