// The browser ApiClient against a real loopback HTTP server: POST /api/<method>, bearer key, results and errors as sent,
// and report downloads from GET /api/campaigns/:id/report.<format>.

import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ApiCallError, fileNameFromDisposition, httpClient } from '../../../src/renderer/src/lib/api'

/** The reader's zone goes with every report download (issue 11: the PDF printed UTC). */
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone

interface Seen {
  method: string
  url: string
  authorization: string | undefined
  contentType: string | undefined
  body: unknown
}

const seen: Seen[] = []
/** A zip's first bytes, as an xlsx starts. */
const XLSX_BYTES = Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5])
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
    } else if (req.url === `/api/campaigns/c1/report.xlsx?lang=es&tz=${encodeURIComponent(ZONE)}`) {
      res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      res.setHeader('content-disposition', 'attachment; filename="promo-de-verano-2025-10-13.xlsx"')
      res.writeHead(200).end(XLSX_BYTES)
    } else if (req.url?.startsWith('/api/campaigns/nope/')) {
      res.writeHead(404).end(JSON.stringify({ ok: false, error: { code: 'not_found', message: 'Campaign nope not found' } }))
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

  it('downloads a report with the bearer key, named as the server says', async () => {
    const saved: { bytes: Buffer; fileName: string }[] = []
    const api = httpClient('right-key', () => undefined, baseUrl, (blob, fileName) => {
      void blob.arrayBuffer().then((buffer) => saved.push({ bytes: Buffer.from(buffer), fileName }))
    })
    expect(await api.exportReport('c1', 'xlsx', 'es')).toEqual({ kind: 'downloaded', fileName: 'promo-de-verano-2025-10-13.xlsx', bytes: XLSX_BYTES.length })
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: `/api/campaigns/c1/report.xlsx?lang=es&tz=${encodeURIComponent(ZONE)}`, authorization: 'Bearer right-key' })
    await vi.waitFor(() => expect(saved).toHaveLength(1))
    expect(saved[0]).toEqual({ bytes: XLSX_BYTES, fileName: 'promo-de-verano-2025-10-13.xlsx' })
  })

  it('throws the server’s error for a report it cannot give, and downloads nothing', async () => {
    let downloads = 0
    const api = httpClient('right-key', () => undefined, baseUrl, () => (downloads += 1))
    const failure = await api.exportReport('nope', 'pdf', 'en').catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(ApiCallError)
    expect(failure).toMatchObject({ code: 'not_found', message: 'Campaign nope not found' })
    expect(downloads).toBe(0)
  })

  it('reports a rejected key on a report download too', async () => {
    let rejected = 0
    const api = httpClient('wrong-key', () => (rejected += 1), baseUrl, () => undefined)
    await expect(api.exportReport('c1', 'csv', 'en')).rejects.toMatchObject({ code: 'unauthorized' })
    expect(rejected).toBe(1)
  })

  it('reads the file name from plain and RFC 5987 Content-Disposition headers', () => {
    expect(fileNameFromDisposition('attachment; filename="promo-2025-01-15.pdf"')).toBe('promo-2025-01-15.pdf')
    expect(fileNameFromDisposition("attachment; filename*=UTF-8''promoci%C3%B3n.csv")).toBe('promoción.csv')
    expect(fileNameFromDisposition('inline')).toBeNull()
    expect(fileNameFromDisposition(null)).toBeNull()
  })
})
