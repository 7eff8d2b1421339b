// The Cloud API client against a real HTTP server on loopback: results, errors, paging, keep-alive and network phases.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCloudApi, createTemplateCache, graphDefaults } from '../../../src/main/whatsapp/client'
import { GraphApiError, type CloudApi, type GraphCredentials } from '../../../src/main/whatsapp/types'
import type { ApprovedTemplate } from '../../../src/shared/types'
import { DEFAULT_ACCESS_TOKEN, DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator, type SimulatorOptions } from '../../../src/sim'

const TOKEN = 'EAAG-secret-token-value'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
  remotePort: number | undefined
}

interface TestServer {
  url: string
  seen: Seen[]
  sockets: Set<Socket>
  connections: number
  close(): Promise<void>
}

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.()
  vi.unstubAllEnvs()
})

async function startServer(handler: Handler): Promise<TestServer> {
  const sockets = new Set<Socket>()
  const state = { connections: 0 }
  const seen: Seen[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, remotePort: req.socket.remotePort })
      handler(req, body, res)
    })
  })
  server.on('connection', (socket) => {
    state.connections += 1
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
  cleanups.push(close)
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    sockets,
    get connections() {
      return state.connections
    },
    close,
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

function api(opts?: Parameters<typeof createCloudApi>[0]): CloudApi {
  const client = createCloudApi(opts)
  cleanups.push(() => client.close())
  return client
}

const credsFor = (graphUrl: string): GraphCredentials => ({
  graphUrl,
  version: 'v25.0',
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  accessToken: TOKEN,
})

const template = { name: 'promo_mayo', language: { code: 'es_CO' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Juan' }] }] }

const accepted = (wamid = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3NDc0NDFDRUI3NTA0Q0UA') => ({
  messaging_product: 'whatsapp',
  contacts: [{ input: '+16505551234', wa_id: '16505551234' }],
  messages: [{ id: wamid, message_status: 'accepted' }],
})

describe('sendTemplate', () => {
  it('posts the template to /{version}/{phone}/messages and returns the wamid and wa_id', async () => {
    const server = await startServer((_req, _body, res) => json(res, 200, accepted()))
    const result = await api().sendTemplate(credsFor(server.url), '+16505551234', template, 'rcp_1')

    expect(result).toMatchObject({
      ok: true,
      wamid: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3NDc0NDFDRUI3NTA0Q0UA',
      waId: '16505551234',
      messageStatus: 'accepted',
      httpStatus: 200,
    })
    const [request] = server.seen
    expect(request.method).toBe('POST')
    expect(request.url).toBe('/v25.0/106540352242922/messages')
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(request.headers['content-type']).toBe('application/json')
    expect(JSON.parse(request.body)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+16505551234',
      type: 'template',
      template,
      biz_opaque_callback_data: 'rcp_1',
    })
  })

  it('treats message_status and wa_id as optional', async () => {
    const server = await startServer((_req, _body, res) => json(res, 200, { messages: [{ id: 'wamid.X' }] }))
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result).toMatchObject({ ok: true, wamid: 'wamid.X', waId: null, messageStatus: null })
  })

  it('keeps a path prefix of the Graph URL', async () => {
    const server = await startServer((_req, _body, res) => json(res, 200, accepted()))
    await api().sendTemplate(credsFor(`${server.url}/sim/graph/`), '+1', template, 'r')
    expect(server.seen[0].url).toBe('/sim/graph/v25.0/106540352242922/messages')
  })

  it('reads the error envelope and the wait Meta asks for, in ms', async () => {
    const server = await startServer((_req, _body, res) =>
      json(
        res,
        400,
        {
          error: {
            message: '(#130429) Rate limit hit',
            type: 'OAuthException',
            code: 130429,
            error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
            error_subcode: 2494055,
            fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam',
          },
        },
        {
          'x-business-use-case-usage': JSON.stringify({
            '102290129340398': [{ type: 'whatsapp', call_count: 100, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 5 }],
          }),
        },
      ),
    )
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result).toMatchObject({
      ok: false,
      kind: 'api',
      code: 130429,
      subcode: 2494055,
      message: '(#130429) Rate limit hit',
      details: 'Cloud API message throughput has been reached.',
      httpStatus: 400,
      retryAfterMs: 300_000,
    })
  })

  it('leaves retryAfterMs null when Meta gives no wait', async () => {
    const server = await startServer((_req, _body, res) =>
      json(res, 400, { error: { message: '(#132001) Template name does not exist in the translation', code: 132001, error_data: { details: 'template name (x) does not exist in en' } } }),
    )
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result).toMatchObject({ ok: false, kind: 'api', code: 132001, subcode: null, retryAfterMs: null })
  })

  it('treats a 5xx without an error envelope as an unknown transient API error (code 1)', async () => {
    const server = await startServer((_req, _body, res) => {
      res.writeHead(502, { 'content-type': 'text/html' })
      res.end('<html>Bad Gateway</html>')
    })
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result).toMatchObject({ ok: false, kind: 'api', code: 1, httpStatus: 502, details: '<html>Bad Gateway</html>' })
  })

  it('marks a 200 without a message id as uncertain (after_write), never as failed', async () => {
    const server = await startServer((_req, _body, res) => json(res, 200, { messaging_product: 'whatsapp' }))
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result).toMatchObject({ ok: false, kind: 'network', phase: 'after_write' })
  })

  it('never puts the access token in an error message, even when the server echoes it', async () => {
    const server = await startServer((req, _body, res) =>
      json(res, 401, { error: { message: `(#190) Invalid OAuth access token - Cannot parse access token ${req.headers.authorization}`, code: 190, error_data: { details: `token ${TOKEN}` } } }),
    )
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result.ok).toBe(false)
    expect(JSON.stringify(result)).not.toContain(TOKEN)
    expect(result).toMatchObject({ code: 190, message: expect.stringContaining('Invalid OAuth access token') })
  })

  it('reuses kept-alive sockets for many sequential requests instead of connecting per request', async () => {
    let n = 0
    const server = await startServer((_req, _body, res) => json(res, 200, accepted(`wamid.${++n}`)))
    const client = api({ connections: 4 })
    for (let i = 0; i < 30; i++) {
      const result = await client.sendTemplate(credsFor(server.url), '+1', template, `r${i}`)
      expect(result.ok).toBe(true)
    }
    expect(server.seen).toHaveLength(30)
    // With pipelining 1 undici lets a freed socket rest one event-loop turn before reuse, so a caller that sends
    // again at once lands on a second pooled socket: two sockets carry everything, never one per request.
    expect(server.connections).toBeLessThanOrEqual(2)
    expect(new Set(server.seen.map((s) => s.remotePort)).size).toBe(server.connections)
  })

  it('sends every request over the same socket when bounded to one connection', async () => {
    const server = await startServer((_req, _body, res) => json(res, 200, accepted()))
    const client = api({ connections: 1 })
    for (let i = 0; i < 20; i++) await client.sendTemplate(credsFor(server.url), '+1', template, `r${i}`)
    await Promise.all(Array.from({ length: 10 }, (_, i) => client.sendTemplate(credsFor(server.url), '+1', template, `c${i}`)))
    expect(server.seen).toHaveLength(30)
    expect(server.connections).toBe(1)
    expect(new Set(server.seen.map((s) => s.remotePort)).size).toBe(1)
  })

  it('never opens more sockets than its connection bound under concurrency', async () => {
    const server = await startServer((_req, _body, res) => setTimeout(() => json(res, 200, accepted()), 5))
    const client = api({ connections: 3 })
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => client.sendTemplate(credsFor(server.url), '+1', template, `r${i}`)))
    expect(results.every((r) => r.ok)).toBe(true)
    expect(server.connections).toBeLessThanOrEqual(3)
  })

  it('reports a refused connection as before_write: the request never left', async () => {
    const server = await startServer(() => {})
    const url = server.url
    await server.close()
    const result = await api().sendTemplate(credsFor(url), '+1', template, 'r')
    expect(result).toMatchObject({ ok: false, kind: 'network', phase: 'before_write', message: expect.stringContaining('ECONNREFUSED') })
  })

  it('reports a server that reads the request and never answers as after_write, within the timeout', async () => {
    const server = await startServer(() => {})
    const started = Date.now()
    const result = await api({ timeoutMs: 300 }).sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result).toMatchObject({ ok: false, kind: 'network', phase: 'after_write' })
    expect(server.seen).toHaveLength(1)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('reports a connection reset after the body was read as after_write', async () => {
    const server = await startServer((req) => req.socket.resetAndDestroy())
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result).toMatchObject({ ok: false, kind: 'network', phase: 'after_write' })
    expect(server.seen).toHaveLength(1)
  })

  it('refuses a Graph URL that is not http(s) with a message saying what to fix', async () => {
    await expect(api().sendTemplate(credsFor('graph.facebook.com'), '+1', template, 'r')).rejects.toThrow(/not a valid URL/)
    await expect(api().sendTemplate(credsFor('ftp://graph.facebook.com'), '+1', template, 'r')).rejects.toThrow(/https:\/\//)
  })
})

describe('sendTemplate against answers as strict as Meta', () => {
  const throttledBy = (headers: Record<string, string>) =>
    startServer((_req, _body, res) =>
      json(res, 429, { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'A1' } }, headers),
    )
  const usage = (minutes: unknown) => JSON.stringify({ '102290129340398': [{ type: 'whatsapp', call_count: 100, estimated_time_to_regain_access: minutes }] })

  it('takes the wait from Retry-After in seconds when the usage header asks for none', async () => {
    const server = await throttledBy({ 'retry-after': '3', 'x-business-use-case-usage': usage(0), 'x-app-usage': '{"call_count":100}' })
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result).toMatchObject({ ok: false, kind: 'api', code: 130429, httpStatus: 429, retryAfterMs: 3_000 })
  })

  it('takes the longer wait when Retry-After and estimated_time_to_regain_access disagree, capping neither', async () => {
    const longerRetryAfter = await throttledBy({ 'retry-after': '120', 'x-business-use-case-usage': usage(1) })
    expect(await api().sendTemplate(credsFor(longerRetryAfter.url), '+1', template, 'r')).toMatchObject({ retryAfterMs: 120_000 })
    const longerUsage = await throttledBy({ 'retry-after': '1', 'x-business-use-case-usage': usage(15) })
    expect(await api().sendTemplate(credsFor(longerUsage.url), '+1', template, 'r')).toMatchObject({ retryAfterMs: 900_000 })
  })

  it('reads a Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 60_000)
    const server = await throttledBy({ 'retry-after': at.toUTCString() })
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    if (result.ok || result.kind !== 'api') throw new Error('expected an API error')
    // The date has whole seconds: the wait is what is left of the minute, never more.
    expect(result.retryAfterMs).toBeGreaterThan(0)
    expect(result.retryAfterMs).toBeLessThanOrEqual(60_000)
  })

  it.each([
    ['unreadable JSON', { 'x-business-use-case-usage': '{not json', 'x-app-usage': '%%%', 'retry-after': 'soon' }],
    ['the wrong shapes', { 'x-business-use-case-usage': '[1,2]', 'x-app-usage': 'null', 'retry-after': '-5' }],
    ['a wait that is not a number', { 'x-business-use-case-usage': usage('a while'), 'retry-after': '' }],
    ['entries that are not objects', { 'x-business-use-case-usage': '{"1":[null,7,"x"],"2":"y"}', 'retry-after': 'Infinity' }],
    ['a date in the past', { 'retry-after': new Date(Date.now() - 60_000).toUTCString() }],
  ])('classifies by code and reports no wait when the rate-limit headers carry %s', async (_what, headers) => {
    const server = await throttledBy(headers)
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result).toMatchObject({ ok: false, kind: 'api', code: 130429, retryAfterMs: null })
  })

  it('classifies an envelope with no error_data, error_subcode or fbtrace_id by its code', async () => {
    const server = await startServer((_req, _body, res) => json(res, 400, { error: { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026 } }))
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result).toMatchObject({ ok: false, kind: 'api', code: 131026, subcode: null, details: null, message: '(#131026) Message undeliverable' })
  })

  it('reads error_data sent as a JSON string, or as plain text, as Graph sometimes does', async () => {
    const encoded = await startServer((_req, _body, res) =>
      json(res, 400, { error: { message: '(#100) Invalid parameter', code: 100, error_data: JSON.stringify({ messaging_product: 'whatsapp', details: 'Parameter name is missing' }) } }),
    )
    expect(await api().sendTemplate(credsFor(encoded.url), '+1', template, 'r')).toMatchObject({ code: 100, details: 'Parameter name is missing' })
    const plain = await startServer((_req, _body, res) => json(res, 400, { error: { message: '(#100) Invalid parameter', code: 100, error_data: 'to is required' } }))
    expect(await api().sendTemplate(credsFor(plain.url), '+1', template, 'r')).toMatchObject({ code: 100, details: 'to is required' })
  })

  it.each([
    ['fields of the wrong types', { error: { code: '131026', message: 42, error_subcode: 'x', error_data: [], fbtrace_id: 7 } }, 131026],
    ['no code at all (unknown: code 1)', { error: { message: 'Something broke', type: 'OAuthException' } }, 1],
    ['an empty error', { error: {} }, 1],
    ['an error that is not an object', { error: 'boom' }, 1],
  ])('never crashes on an envelope with %s', async (_what, body, code) => {
    const server = await startServer((_req, _body, res) => json(res, 400, body))
    const result = await api().sendTemplate(credsFor(server.url), '+1', template, 'r')
    expect(result).toMatchObject({ ok: false, kind: 'api', code })
    if (result.ok || result.kind !== 'api') throw new Error('expected an API error')
    expect(typeof result.message).toBe('string')
  })
})

describe('the client against the simulator', () => {
  async function simulator(opts: SimulatorOptions): Promise<{ creds: GraphCredentials; sim: Simulator }> {
    const sim = await startSimulator({ seed: 5, ...opts })
    cleanups.push(() => sim.stop())
    const creds = { graphUrl: sim.url, version: 'v25.0', phoneNumberId: sim.phoneNumbers[0].id, wabaId: sim.phoneNumbers[0].wabaId, accessToken: DEFAULT_ACCESS_TOKEN }
    return { creds, sim }
  }
  const promo = { name: 'promo_verano', language: { code: 'es' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '2x1' }] }] }

  it("reads the simulator's throttled answer: HTTP 429, code 130429 and the wait it asks for", async () => {
    const { creds } = await simulator({ failures: [{ code: 130429, rate: 1 }], throttle: { retryAfterSeconds: 7 } })
    expect(await api().sendTemplate(creds, '+573001234567', promo, 'r')).toMatchObject({ ok: false, kind: 'api', code: 130429, subcode: 2494055, httpStatus: 429, retryAfterMs: 7_000 })
  })

  it('reports the 15 minutes of estimated_time_to_regain_access as they are, for the engine to cap', async () => {
    const { creds } = await simulator({ failures: [{ code: 130429, rate: 1 }], throttle: { regainAccessMinutes: 15 } })
    expect(await api().sendTemplate(creds, '+573001234567', promo, 'r')).toMatchObject({ code: 130429, retryAfterMs: 900_000 })
  })

  it('asks for about a second when the number is over its throughput', async () => {
    const { creds, sim } = await simulator({ pairLimit: false, phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 2 }] })
    const client = api()
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => client.sendTemplate(creds, `+57300123456${i}`, promo, `r${i}`)))
    const throttled = results.filter((r) => !r.ok)
    expect(throttled.length).toBeGreaterThan(0)
    for (const result of throttled) expect(result).toMatchObject({ kind: 'api', code: 130429, httpStatus: 429, retryAfterMs: 1_000 })
    expect(sim.sentMessages.size).toBe(6 - throttled.length)
  })

  it('classifies the sparse envelopes by code alone', async () => {
    const { creds } = await simulator({ sparseErrors: true, failures: [{ code: 131000, rate: 1 }] })
    expect(await api().sendTemplate(creds, '+573001234567', promo, 'r')).toMatchObject({ ok: false, kind: 'api', code: 131000, subcode: null, details: null })
  })

  it("reads a bad token's OAuthException, which has no error_data, on sends and reads", async () => {
    const { creds } = await simulator({})
    const wrong = { ...creds, accessToken: 'expired-token' }
    expect(await api().sendTemplate(wrong, '+573001234567', promo, 'r')).toMatchObject({
      ok: false,
      kind: 'api',
      code: 190,
      httpStatus: 401,
      details: null,
      message: 'Invalid OAuth access token - Cannot parse access token',
    })
    const failure = await api().getPhoneNumber(wrong).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(GraphApiError)
    expect(failure).toMatchObject({ code: 190, httpStatus: 401, details: null })
  })

  it('sees a failure delivered by webhook as an accepted send: the 200 says nothing of it', async () => {
    const { creds, sim } = await simulator({
      failures: [{ code: 131026, rate: 1, delivery: 'webhook' }],
      webhook: { url: 'http://127.0.0.1:9/unused', appSecret: 's', statuses: true, maxAttempts: 1 },
    })
    const result = await api().sendTemplate(creds, '+573001234567', promo, 'r')
    if (!result.ok) throw new Error(`expected an accepted send, got ${result.message}`)
    expect(result.messageStatus).toBe('accepted')
    expect(sim.sentMessages.get(result.wamid)?.webhookFailure).toBe(131026)
  })
})

describe('getPhoneNumber', () => {
  it('reads the number, its quality, tier and throughput', async () => {
    const server = await startServer((_req, _body, res) =>
      json(res, 200, {
        verified_name: 'Lucky Shrub',
        display_phone_number: '+1 555-078-3881',
        quality_rating: 'GREEN',
        throughput: { level: 'STANDARD' },
        whatsapp_business_manager_messaging_limit: 'TIER_2K',
        status: 'CONNECTED',
        account_mode: 'LIVE',
        name_status: 'APPROVED',
        id: '106540352242922',
      }),
    )
    const info = await api().getPhoneNumber(credsFor(server.url))
    expect(info).toEqual({
      id: '106540352242922',
      verifiedName: 'Lucky Shrub',
      displayPhoneNumber: '+1 555-078-3881',
      qualityRating: 'GREEN',
      messagingLimitTier: 'TIER_2K',
      throughputLevel: 'STANDARD',
      status: 'CONNECTED',
      accountMode: 'LIVE',
    })
    const url = new URL(server.seen[0].url, server.url)
    expect(url.pathname).toBe('/v25.0/106540352242922')
    expect(url.searchParams.get('fields')?.split(',')).toEqual([
      'verified_name',
      'display_phone_number',
      'quality_rating',
      'throughput',
      'whatsapp_business_manager_messaging_limit',
      'status',
      'account_mode',
      'name_status',
    ])
    expect(server.seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`)
  })

  it("throws GraphApiError carrying Meta's reason for a bad token", async () => {
    const server = await startServer((_req, _body, res) =>
      json(res, 401, { error: { message: '(#190) Invalid OAuth access token', type: 'OAuthException', code: 190, fbtrace_id: 'x' } }),
    )
    const failure = await api().getPhoneNumber(credsFor(server.url)).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(GraphApiError)
    expect(failure).toMatchObject({ message: '(#190) Invalid OAuth access token', code: 190, httpStatus: 401 })
  })

  it('falls back to the deprecated messaging_limit_tier when the current tier field is missing', async () => {
    const server = await startServer((req, _body, res) => {
      const fields = new URL(req.url ?? '/', 'http://x').searchParams.get('fields')
      if (fields === 'messaging_limit_tier') return json(res, 200, { messaging_limit_tier: 'TIER_1K', id: '106540352242922' })
      json(res, 200, { verified_name: 'Lucky Shrub', quality_rating: 'GREEN', id: '106540352242922' })
    })
    const info = await api().getPhoneNumber(credsFor(server.url))
    expect(info.messagingLimitTier).toBe('TIER_1K')
  })

  it('falls back to the deprecated field when the current one is unreadable, and says unknown when both are', async () => {
    let deprecated: unknown = 'TIER_10K'
    const server = await startServer((req, _body, res) => {
      const fields = new URL(req.url ?? '/', 'http://x').searchParams.get('fields')
      if (fields === 'messaging_limit_tier') return json(res, 200, { messaging_limit_tier: deprecated, id: '106540352242922' })
      json(res, 200, { whatsapp_business_manager_messaging_limit: 'TIER_NOT_SET', id: '106540352242922' })
    })
    expect((await api().getPhoneNumber(credsFor(server.url))).messagingLimitTier).toBe('TIER_10K')
    deprecated = 'TIER_SOMETHING_NEW'
    expect((await api().getPhoneNumber(credsFor(server.url))).messagingLimitTier).toBeNull()
  })

  it('says the tier is unknown, not that validation failed, when Meta refuses the deprecated field', async () => {
    const server = await startServer((req, _body, res) => {
      const fields = new URL(req.url ?? '/', 'http://x').searchParams.get('fields')
      if (fields === 'messaging_limit_tier') {
        return json(res, 400, { error: { message: '(#100) Tried accessing nonexisting field (messaging_limit_tier)', code: 100 } })
      }
      json(res, 200, { verified_name: 'Lucky Shrub', id: '106540352242922' })
    })
    const info = await api().getPhoneNumber(credsFor(server.url))
    expect(info).toMatchObject({ verifiedName: 'Lucky Shrub', messagingLimitTier: null })
  })

  it('throws GraphApiError saying the Graph API could not be reached', async () => {
    const server = await startServer(() => {})
    const url = server.url
    await server.close()
    const failure = await api().getPhoneNumber(credsFor(url)).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(GraphApiError)
    expect((failure as Error).message).toMatch(/Could not reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/)
    expect((failure as Error).message).not.toContain(TOKEN)
  })
})

describe('listTemplates', () => {
  const raw = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    parameter_format: 'POSITIONAL',
    components: [{ type: 'BODY', text: 'Hola {{1}}', example: { body_text: [['Ana']] } }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] }],
    language: 'es',
    status: 'APPROVED',
    category: 'MARKETING',
    id: `id-${name}`,
    ...extra,
  })

  it('follows paging.next until it is absent, sending the token as a header only', async () => {
    const server = await startServer((req, _body, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.searchParams.get('after') === 'P2') {
        json(res, 200, { data: [raw('c', { parameter_format: 'NAMED' })], paging: { cursors: { before: 'P1' } } })
      } else {
        json(res, 200, {
          data: [raw('a'), raw('b')],
          paging: { cursors: { after: 'P2' }, next: `${server.url}/v25.0/102290129340398/message_templates?limit=100&after=P2&access_token=${TOKEN}` },
        })
      }
    })
    const templates = await api().listTemplates(credsFor(server.url))

    expect(templates.map((t) => t.name)).toEqual(['a', 'b', 'c'])
    expect(templates[2].parameterFormat).toBe('NAMED')
    expect(templates[0]).toEqual<ApprovedTemplate>({
      id: 'id-a',
      name: 'a',
      language: 'es',
      status: 'APPROVED',
      category: 'MARKETING',
      parameterFormat: 'POSITIONAL',
      components: [
        { type: 'BODY', text: 'Hola {{1}}', example: { body_text: [['Ana']] } },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
      ],
    })
    expect(server.seen).toHaveLength(2)
    const first = new URL(server.seen[0].url, server.url)
    expect(first.pathname).toBe('/v25.0/102290129340398/message_templates')
    expect(first.searchParams.get('fields')).toBe('name,language,status,category,components,parameter_format,id')
    expect(first.searchParams.get('limit')).toBe('100')
    expect(server.seen[1].url).not.toContain(TOKEN)
    expect(server.seen[1].headers.authorization).toBe(`Bearer ${TOKEN}`)
  })

  it('refuses to follow a next page on another host', async () => {
    const other = await startServer((_req, _body, res) => json(res, 200, { data: [] }))
    const server = await startServer((_req, _body, res) => json(res, 200, { data: [raw('a')], paging: { next: `${other.url}/v25.0/x/message_templates?after=2` } }))
    await expect(api().listTemplates(credsFor(server.url))).rejects.toThrow(/another host/)
    expect(other.seen).toHaveLength(0)
  })

  it('stops when a server keeps returning the same next page', async () => {
    const server = await startServer((_req, _body, res) => json(res, 200, { data: [raw('a')], paging: { next: `${server.url}/v25.0/102290129340398/message_templates?after=same` } }))
    await expect(api().listTemplates(credsFor(server.url))).rejects.toThrow(/did not end/)
  })

  it('throws GraphApiError with Meta’s message on an error page', async () => {
    const server = await startServer((_req, _body, res) =>
      json(res, 400, { error: { message: '(#100) Unsupported get request. Object with ID does not exist', code: 100, error_subcode: 33 } }),
    )
    await expect(api().listTemplates(credsFor(server.url))).rejects.toMatchObject({ name: 'GraphApiError', code: 100, httpStatus: 400 })
  })
})

describe('listPhoneNumberIds', () => {
  it('lists the ids of every number of the WABA across pages', async () => {
    const server = await startServer((req, _body, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.searchParams.get('after') === '2') return json(res, 200, { data: [{ id: '333' }] })
      json(res, 200, { data: [{ id: '111' }, { id: '222' }], paging: { next: `${server.url}/v25.0/102290129340398/phone_numbers?fields=id&after=2` } })
    })
    expect(await api().listPhoneNumberIds(credsFor(server.url))).toEqual(['111', '222', '333'])
    expect(new URL(server.seen[0].url, server.url).pathname).toBe('/v25.0/102290129340398/phone_numbers')
  })
})

describe('createTemplateCache', () => {
  function countingApi(result: () => Promise<ApprovedTemplate[]>) {
    const calls: GraphCredentials[] = []
    const fake: CloudApi = {
      sendTemplate: () => Promise.reject(new Error('not used')),
      getPhoneNumber: () => Promise.reject(new Error('not used')),
      listPhoneNumberIds: () => Promise.reject(new Error('not used')),
      listTemplates: (creds) => {
        calls.push(creds)
        return result()
      },
      close: () => Promise.resolve(),
    }
    return { fake, calls }
  }
  const one: ApprovedTemplate[] = [{ id: '1', name: 'a', language: 'es', status: 'APPROVED', category: 'UTILITY', parameterFormat: 'POSITIONAL', components: [] }]

  it('serves the list from memory until the TTL passes, and refetches on refresh', async () => {
    let now = 0
    const { fake, calls } = countingApi(() => Promise.resolve(one))
    const cache = createTemplateCache(fake, 60_000, () => now)
    const creds = credsFor('http://127.0.0.1:1')
    expect(await cache.get(creds)).toEqual(one)
    now = 59_999
    await cache.get(creds)
    expect(calls).toHaveLength(1)
    await cache.get(creds, { refresh: true })
    expect(calls).toHaveLength(2)
    now = 59_999 + 60_000
    await cache.get(creds)
    expect(calls).toHaveLength(3)
  })

  it('shares one fetch between concurrent callers and keeps accounts apart', async () => {
    const { fake, calls } = countingApi(() => new Promise((resolve) => setTimeout(() => resolve(one), 10)))
    const cache = createTemplateCache(fake, 60_000)
    const creds = credsFor('http://127.0.0.1:1')
    await Promise.all([cache.get(creds), cache.get(creds), cache.get({ ...creds, wabaId: 'other' })])
    expect(calls.map((c) => c.wabaId)).toEqual(['102290129340398', 'other'])
  })

  it('does not cache a failure', async () => {
    let fail = true
    const { fake, calls } = countingApi(() => (fail ? Promise.reject(new GraphApiError('(#190) Invalid OAuth access token', 190, 401)) : Promise.resolve(one)))
    const cache = createTemplateCache(fake, 60_000)
    const creds = credsFor('http://127.0.0.1:1')
    await expect(cache.get(creds)).rejects.toThrow(/190/)
    fail = false
    expect(await cache.get(creds)).toEqual(one)
    expect(calls).toHaveLength(2)
  })
})

describe('graphDefaults', () => {
  it('uses Meta’s Graph URL and v25.0 unless the environment says otherwise', () => {
    vi.stubEnv('PREGON_GRAPH_URL', '')
    vi.stubEnv('PREGON_GRAPH_VERSION', '')
    expect(graphDefaults()).toEqual({ graphUrl: 'https://graph.facebook.com', version: 'v25.0' })
    vi.stubEnv('PREGON_GRAPH_URL', 'http://127.0.0.1:4010')
    vi.stubEnv('PREGON_GRAPH_VERSION', 'v24.0')
    expect(graphDefaults()).toEqual({ graphUrl: 'http://127.0.0.1:4010', version: 'v24.0' })
  })
})
