// A real `pregon serve` against a hostile Graph API (a loopback server that echoes the request headers and
// the token in every kind of error body): the access token must appear in no stored byte, log line or answer.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request, startServe, tempDir, waitFor, type ServeProcess } from './httpHarness'

const KEY = 'key-hostile-upstream-0123456789'
const TOKEN = 'EAAGhostileUpstreamToken0123456789abcdefXYZ'
/** A cut through the token (a snippet limit) must not leave a readable piece of it either. */
const TOKEN_PIECES = [TOKEN, TOKEN.slice(0, 16), TOKEN.slice(-16)]
const PHONE_ID = '100000000000777'
const WABA_ID = '200000000000777'
const REJECTED_PHONE_ID = '100000000000666'
const HELLO = { name: 'hello_world', language: { code: 'en_US' } }

/** What each recipient gets, in order of attempts (the last answer repeats). */
type Answer = (req: IncomingMessage, res: ServerResponse) => void

function echoedHeaders(req: IncomingMessage): string {
  return Object.entries(req.headers)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join('\n')
}

const proxyPage = (status: number): Answer => (req, res) => {
  res.writeHead(status, { 'content-type': 'text/html' })
  res.end(`<html><body><h1>${status} Bad Gateway</h1><pre>${echoedHeaders(req)}</pre></body></html>`)
}

/** The token straddles the 300th character, where the client cuts its snippet. */
const cutPlainText: Answer = (req, res) => {
  res.writeHead(500, { 'content-type': 'text/plain' })
  res.end(`${'x'.repeat(290)} Authorization: ${String(req.headers.authorization)} and more`)
}

const jsonEcho = (code: number): Answer => (req, res) => {
  res.writeHead(400, { 'content-type': 'application/json' })
  res.end(
    JSON.stringify({
      error: {
        message: `(#${code}) Bad request from ${String(req.headers.authorization)}`,
        code,
        error_data: { details: `token=${TOKEN} authorization: ${String(req.headers.authorization)}` },
        error_user_msg: `echo ${TOKEN}`,
      },
    }),
  )
}

const okHtml: Answer = (req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' })
  res.end(`<html>${echoedHeaders(req)}</html>`)
}

const PLAN: Record<string, Answer[]> = {
  '573001000001': [proxyPage(502), jsonEcho(131026)],
  '573001000002': [jsonEcho(131026)],
  '573001000003': [cutPlainText, jsonEcho(131026)],
  '573001000004': [okHtml],
}

let upstream: Server
let upstreamUrl: string
let serve: ServeProcess
const answers: string[] = []

function hostileGraph(): Server {
  const attempts = new Map<string, number>()
  return createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://upstream')
      if (req.method === 'GET' && url.pathname.endsWith(`/${PHONE_ID}`)) {
        res.writeHead(200, { 'content-type': 'application/json' })
        return res.end(JSON.stringify({ id: PHONE_ID, verified_name: 'Hostile Shop', display_phone_number: '+1 555 0100', quality_rating: 'GREEN' }))
      }
      // Saving credentials checks the number belongs to the WABA and the token reads its templates.
      if (req.method === 'GET' && url.pathname.endsWith(`/${WABA_ID}/phone_numbers`)) {
        res.writeHead(200, { 'content-type': 'application/json' })
        return res.end(JSON.stringify({ data: [{ id: PHONE_ID }] }))
      }
      if (req.method === 'GET' && url.pathname.endsWith(`/${WABA_ID}/message_templates`)) {
        res.writeHead(200, { 'content-type': 'application/json' })
        const hello = { id: '1', name: 'hello_world', language: 'en_US', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello' }] }
        return res.end(JSON.stringify({ data: [hello] }))
      }
      if (req.method === 'POST' && url.pathname.endsWith('/messages')) {
        const to = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string }).to).replace(/^\+/, '')
        const n = attempts.get(to) ?? 0
        attempts.set(to, n + 1)
        const plan = PLAN[to] ?? [proxyPage(502)]
        return plan[Math.min(n, plan.length - 1)](req, res)
      }
      // Every other read (the rejected number, the template list): a proxy page echoing the headers.
      return proxyPage(502)(req, res)
    })
  })
}

/** Records every API answer so that the final check covers them all. */
async function api(pathname: string, init: { method?: string; body?: unknown } = {}) {
  const reply = await request(`${serve.url}${pathname}`, { key: KEY, ...init })
  answers.push(JSON.stringify(reply.body))
  return reply
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? filesUnder(full) : [full]
  })
}

beforeAll(async () => {
  upstream = hostileGraph()
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  serve = await startServe({ dataDir: tempDir('hostile') }, { PREGON_API_KEYS: `${KEY}:owner`, PREGON_GRAPH_URL: upstreamUrl, PREGON_LOG_LEVEL: 'info' })
})

afterAll(async () => {
  await serve?.stop()
  await new Promise((resolve) => upstream?.close(resolve))
})

describe('a run against a Graph API that echoes the access token', () => {
  it('keeps the token out of the database file, the log files, the output and every API answer', async () => {
    const rejected = await api('/api/accounts.validate', { body: { phoneNumberId: REJECTED_PHONE_ID, wabaId: WABA_ID, accessToken: TOKEN } })
    expect(rejected.status).toBe(502)

    const put = await api('/api/user/meta-credentials', { method: 'PUT', body: { phoneNumberId: PHONE_ID, wabaId: WABA_ID, accessToken: TOKEN } })
    expect(put.status, JSON.stringify(put.body)).toBe(200)
    const contacts = Object.keys(PLAN).map((numero) => ({ numero, Nombre: 'Cliente' }))
    const created = await api('/api/campaigns/create', { body: { contacts, template: HELLO, campaignName: 'Hostil', pacing: { kind: 'off' } } })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const id = (created.body as { campaignId: string }).campaignId

    await waitFor('every recipient to settle', async () => {
      const page = await api('/api/campaigns.recipients', { body: { id, limit: 50 } })
      const counts = (page.body as { value: { counts: Record<string, number> } }).value.counts
      return counts.failed + counts.uncertain === contacts.length
    })
    const page = await api('/api/campaigns.recipients', { body: { id, limit: 50 } })
    const rows = (page.body as { value: { rows: { errorMessage: string | null }[] } }).value.rows
    // The proof the hostile bodies were read: their (masked) text is what the rows say.
    expect(rows.map((r) => r.errorMessage).join(' ')).toMatch(/Bad request from Bearer \[token\]/)
    await api(`/api/campaigns/${id}/status`)
    await api('/api/campaigns.errors', { body: { id } })
    await api('/api/campaigns.get', { body: { id } })
    await api('/api/accounts.list', { body: {} })
    await api('/api/templates.list', { body: { refresh: true } })
    const test = await api('/api/campaigns.sendTest', { body: { to: '573001000002', template: HELLO } })
    expect(test.status).toBe(502)
    await api('/api/user/meta-credentials')
    const report = await request(`${serve.url}/api/campaigns/${id}/report.csv`, { key: KEY })
    answers.push(typeof report.body === 'string' ? report.body : JSON.stringify(report.body))
    await serve.stop()

    const stored = filesUnder(serve.dataDir).map((file) => ({ file, text: readFileSync(file).toString('latin1') }))
    expect(stored.some((s) => s.file.endsWith('.log'))).toBe(true)
    const places = [...stored, { file: 'stdout/stderr', text: serve.output() }, { file: 'API answers', text: answers.join('\n') }]
    for (const piece of TOKEN_PIECES) {
      expect(places.filter((p) => p.text.includes(piece)).map((p) => p.file), `"${piece}" found`).toEqual([])
    }
    expect(places.filter((p) => /Bearer (?!\[token\])\S/i.test(p.text)).map((p) => p.file)).toEqual([])
  })
})
