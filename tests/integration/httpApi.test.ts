// The seed's REST API and the typed contract over HTTP, against a real `pregon serve` process and the simulator.

import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildContactFixtures } from '../fixtures/contacts/build'
import { startSimulator, type Simulator } from '../../src/sim'
import { request, startServe, tempDir, waitFor, type ServeProcess } from './httpHarness'
import { freePort } from '../../bench/processes'

const KEY_A = 'key-alice-0123456789'
const KEY_B = 'key-bob-0123456789'
const TOKEN = 'sim-token-for-http-tests'
const PHONE_ID = '100000000000001'
const WABA_ID = '200000000000001'
const HELLO = { name: 'hello_world', language: { code: 'en_US' } }
/** A start a week away: the campaign stays `scheduled`. */
const LATER = new Date(Date.now() + 7 * 24 * 3_600_000).toISOString()

let serve: ServeProcess
let sim: Simulator
let base: string

const contacts = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ numero: `57300${String(1_000_000 + from + i).padStart(7, '0')}`, Nombre: `Cliente ${i}` }))

async function createCampaign(body: Record<string, unknown>, key = KEY_A) {
  return request<{ ok: boolean; campaignId: string; status: string; total: number; message: string }>(`${base}/api/campaigns/create`, {
    key,
    body,
  })
}

beforeAll(async () => {
  // The simulator is this installation's Graph API, so it starts first, on the port serve will take.
  const port = await freePort()
  sim = await startSimulator({ accessTokens: [TOKEN], webhook: { url: `http://127.0.0.1:${port}/webhook`, appSecret: 'unused', statuses: false } })
  serve = await startServe({ dataDir: tempDir('http'), port, graphUrl: sim.url }, { PREGON_API_KEYS: `${KEY_A}:alice,${KEY_B}:bob` })
  base = serve.url
  const put = await request(`${base}/api/user/meta-credentials`, {
    method: 'PUT',
    key: KEY_A,
    body: { phoneNumberId: PHONE_ID, wabaId: WABA_ID, accessToken: TOKEN, maxMessagesPerSecond: 1000 },
  })
  expect(put.status, JSON.stringify(put.body)).toBe(200)
})

afterAll(async () => {
  await serve?.stop()
  await sim?.stop()
})

describe('authentication and tenants', () => {
  it('answers 401 to API calls without a key or with an unknown key, and /healthz to anyone', async () => {
    expect((await request(`${base}/api/campaigns`)).status).toBe(401)
    const wrong = await request(`${base}/api/campaigns`, { key: 'not-a-key' })
    expect(wrong.status).toBe(401)
    expect(wrong.body).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    expect((await request(`${base}/api/app.info`, { body: {} })).status).toBe(401)
    expect((await request(`${base}/healthz`)).status).toBe(200)
  })

  it('shows user B a 404 for user A\'s campaign and an empty list', async () => {
    const created = await createCampaign({ contacts: contacts(1, 900), template: HELLO, campaignName: 'Solo de Alice', scheduledAt: LATER })
    expect(created.status).toBe(200)
    const id = created.body.campaignId
    expect((await request(`${base}/api/campaigns/${id}/status`, { key: KEY_B })).status).toBe(404)
    expect((await request(`${base}/api/campaigns/${id}/cancel`, { key: KEY_B, method: 'POST' })).status).toBe(404)
    expect((await request(`${base}/api/campaigns.get`, { key: KEY_B, body: { id } })).status).toBe(404)
    const listB = await request<{ campaigns: unknown[] }>(`${base}/api/campaigns`, { key: KEY_B })
    expect(listB.body.campaigns).toEqual([])
    expect((await request(`${base}/api/campaigns/${id}/status`, { key: KEY_A })).status).toBe(200)
  })
})

describe('the seed\'s endpoints', () => {
  it('shows the meta credentials with a masked token, and refuses bad ones with Meta\'s reason', async () => {
    const got = await request(`${base}/api/user/meta-credentials`, { key: KEY_A })
    expect(got.status).toBe(200)
    expect(got.body).toMatchObject({
      ok: true,
      configured: true,
      phoneNumberId: PHONE_ID,
      verifiedName: 'Pregón Demo',
      displayPhoneNumber: '+1 555-010-0001',
      qualityRating: 'GREEN',
      messagingLimitTier: 'TIER_UNLIMITED',
    })
    expect(got.body.throughputLevel).toBeTruthy()
    expect(JSON.stringify(got.body)).not.toContain(TOKEN)
    expect(got.body.accessToken).toBe(`…${TOKEN.slice(-4)}`)

    const refused = await request(`${base}/api/user/meta-credentials`, {
      method: 'PUT',
      key: KEY_A,
      body: { phoneNumberId: PHONE_ID, wabaId: WABA_ID, accessToken: 'definitely-not-valid' },
    })
    expect(refused.status).toBe(502)
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'graph_error' } })
    expect(String((refused.body.error as { message: string }).message)).toMatch(/Meta did not accept/)

    const bad = await request(`${base}/api/user/meta-credentials`, { method: 'PUT', key: KEY_A, body: { phoneNumberId: 'abc', wabaId: WABA_ID, accessToken: TOKEN } })
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ error: { details: { field: 'phoneNumberId' } } })
    expect((await request(`${base}/api/user/meta-credentials`, { key: KEY_B })).body).toMatchObject({ ok: true, configured: false })
  })

  it('creates a campaign from the seed\'s body and answers with the seed\'s shape', async () => {
    const created = await createCampaign({ contacts: contacts(3), template: HELLO, campaignName: 'Promoción Verano', batchId: 'cmp_123abc' })
    expect(created.status).toBe(200)
    expect(created.body).toMatchObject({ ok: true, status: 'pending', total: 3, message: 'Campaña creada y procesándose en segundo plano' })
    expect(typeof created.body.campaignId).toBe('string')

    const id = created.body.campaignId
    const done = await waitFor('the campaign to complete', async () => {
      const status = await request(`${base}/api/campaigns/${id}/status`, { key: KEY_A })
      return status.body.status === 'completed' ? status : null
    })
    expect(done.body).toMatchObject({
      _id: id,
      campaignName: 'Promoción Verano',
      batchId: 'cmp_123abc',
      status: 'completed',
      processed: 3,
      successCount: 3,
      failedCount: 0,
      contactsCount: 3,
    })
    expect(done.body).toHaveProperty('inMemory')
    expect(done.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/)

    const csv = await request(`${base}/api/campaigns/${id}/report.csv?lang=en`, { key: KEY_A })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    expect(csv.headers.get('content-disposition')).toMatch(/promocion-verano-.*\.csv/)
    expect(String(csv.body)).toContain('573001000002')
    expect((await request(`${base}/api/campaigns/${id}/report.csv`, { key: KEY_B })).status).toBe(404)
    expect((await request(`${base}/api/campaigns/${id}/report.doc`, { key: KEY_A })).status).toBe(400)
  })

  it('reports inMemory from the live engine while a campaign runs', async () => {
    const created = await createCampaign({ contacts: contacts(40, 100), template: HELLO, campaignName: 'Lenta', pacing: { kind: 'custom', intervalMs: 200 } })
    const id = created.body.campaignId
    const live = await waitFor('live stats', async () => {
      const status = await request<{ inMemory: Record<string, unknown> | null; status: string }>(`${base}/api/campaigns/${id}/status`, { key: KEY_A })
      return status.body.inMemory ? status.body : null
    })
    expect(live.inMemory).toMatchObject({ total: 40, status: 'processing' })
    expect(live.inMemory).toHaveProperty('processed')
    expect(live.inMemory).toHaveProperty('success')
    expect(live.inMemory).toHaveProperty('failed')
    await request(`${base}/api/campaigns/${id}/cancel`, { key: KEY_A, method: 'POST' })
  })

  it('pauses, resumes and cancels, and answers 409 with the current status to invalid transitions', async () => {
    const created = await createCampaign({ contacts: contacts(60, 200), template: HELLO, campaignName: 'Control', pacing: { kind: 'custom', intervalMs: 300 } })
    const id = created.body.campaignId
    const paused = await request(`${base}/api/campaigns/${id}/pause`, { key: KEY_A, method: 'POST' })
    expect(paused.status).toBe(200)
    expect(paused.body).toMatchObject({ ok: true, status: 'paused' })

    const again = await request(`${base}/api/campaigns/${id}/pause`, { key: KEY_A, method: 'POST' })
    expect(again.status).toBe(409)
    expect(again.body).toMatchObject({ ok: false, status: 'paused', error: { code: 'invalid_transition' } })

    const resumed = await request(`${base}/api/campaigns/${id}/resume`, { key: KEY_A, method: 'POST' })
    expect(resumed.status).toBe(200)
    expect(['pending', 'processing']).toContain(resumed.body.status)

    const cancelled = await request(`${base}/api/campaigns/${id}/cancel`, { key: KEY_A, method: 'POST' })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body).toMatchObject({ ok: true, status: 'cancelled' })

    const resumeCancelled = await request(`${base}/api/campaigns/${id}/resume`, { key: KEY_A, method: 'POST' })
    expect(resumeCancelled.status).toBe(409)
    expect(resumeCancelled.body).toMatchObject({ status: 'cancelled' })
    expect((await request(`${base}/api/campaigns/nope/pause`, { key: KEY_A, method: 'POST' })).status).toBe(404)
  })

  it('lists newest first, filters by status, defaults to 50 and clamps the limit to 200', async () => {
    const later = { template: HELLO, scheduledAt: LATER }
    for (let i = 0; i < 52; i++) {
      const created = await createCampaign({ ...later, contacts: contacts(1, 300 + i), campaignName: `Programada ${i}` })
      expect(created.status).toBe(200)
    }
    const all = await request<{ ok: boolean; campaigns: { campaignName: string; status: string }[] }>(`${base}/api/campaigns`, { key: KEY_A })
    expect(all.status).toBe(200)
    expect(all.body.campaigns).toHaveLength(50)
    expect(all.body.campaigns[0].campaignName).toBe('Programada 51')

    const scheduled = await request<{ campaigns: { status: string }[] }>(`${base}/api/campaigns?status=scheduled&limit=200`, { key: KEY_A })
    expect(scheduled.body.campaigns.length).toBeGreaterThanOrEqual(53)
    expect(scheduled.body.campaigns.every((c) => c.status === 'scheduled')).toBe(true)

    const clamped = await request<{ campaigns: unknown[] }>(`${base}/api/campaigns?limit=500`, { key: KEY_A })
    expect(clamped.status).toBe(200)
    expect(clamped.body.campaigns.length).toBeLessThanOrEqual(200)
    expect(clamped.body.campaigns.length).toBeGreaterThan(50)

    const two = await request<{ campaigns: unknown[] }>(`${base}/api/campaigns?limit=2&status=`, { key: KEY_A })
    expect(two.body.campaigns).toHaveLength(2)
    const wrong = await request(`${base}/api/campaigns?status=sleeping`, { key: KEY_A })
    expect(wrong.status).toBe(400)
    expect(wrong.body).toMatchObject({ error: { code: 'invalid_args', details: { field: 'status' } } })
    expect((await request(`${base}/api/campaigns?limit=0`, { key: KEY_A })).status).toBe(400)
  })
})

describe('request validation', () => {
  it('answers 400 naming the problem for malformed JSON, wrong types and unknown fields', async () => {
    const malformed = await request(`${base}/api/campaigns/create`, { key: KEY_A, raw: '{"contacts": [' })
    expect(malformed.status).toBe(400)
    expect(String((malformed.body.error as { message: string }).message)).toMatch(/not valid JSON/)

    const wrongType = await createCampaign({ contacts: 'everyone', template: HELLO, campaignName: 'x' })
    expect(wrongType.status).toBe(400)
    expect(wrongType.body).toMatchObject({ ok: false, error: { code: 'invalid_args', details: { field: 'contacts' } } })

    const unknown = await createCampaign({ contacts: contacts(1), template: HELLO, campaignName: 'x', sendTwice: true })
    expect(unknown.status).toBe(400)
    expect(JSON.stringify(unknown.body)).toMatch(/sendTwice/)

    const missing = await createCampaign({ contacts: contacts(1), template: HELLO })
    expect(missing.status).toBe(400)
    expect(missing.body).toMatchObject({ error: { details: { field: 'campaignName' } } })
  })
})

describe('the typed contract at POST /api/<method>', () => {
  it('runs contract methods for the caller and maps error codes to HTTP statuses', async () => {
    const info = await request<{ ok: boolean; value: { user: { name: string }; mode: string } }>(`${base}/api/app.info`, { key: KEY_B, body: {} })
    expect(info.status).toBe(200)
    expect(info.body.value).toMatchObject({ mode: 'headless', user: { name: 'bob' } })

    const accounts = await request<{ value: { phoneNumberId: string; accessTokenHint: string }[] }>(`${base}/api/accounts.list`, { key: KEY_A, body: {} })
    expect(accounts.body.value[0]).toMatchObject({ phoneNumberId: PHONE_ID, accessTokenHint: `…${TOKEN.slice(-4)}` })

    expect((await request(`${base}/api/no.such`, { key: KEY_A, body: {} })).status).toBe(404)
    const invalid = await request(`${base}/api/campaigns.get`, { key: KEY_A, body: { id: 5 } })
    expect(invalid.status).toBe(400)
    expect(invalid.body).toMatchObject({ ok: false, error: { code: 'invalid_args', details: { field: 'id' } } })
    expect((await request(`${base}/api/campaigns.get`, { key: KEY_A, body: { id: 'missing' } })).status).toBe(404)
  })
})

describe('accounts.update over HTTP', () => {
  it('replaces the access token only after Meta accepts the new one', async () => {
    type Listed = { value: { id: string; accessTokenHint: string }[] }
    const [account] = (await request<Listed>(`${base}/api/accounts.list`, { key: KEY_A, body: {} })).body.value
    const refused = await request<{ ok: boolean; error: { details?: { metaCode?: number } } }>(`${base}/api/accounts.update`, {
      key: KEY_A,
      body: { id: account.id, accessToken: 'an-expired-token' },
    })
    expect(refused.status).toBeGreaterThanOrEqual(400)
    expect(refused.body).toMatchObject({ ok: false, error: { details: { metaCode: 190 } } })
    const [kept] = (await request<Listed>(`${base}/api/accounts.list`, { key: KEY_A, body: {} })).body.value
    expect(kept.accessTokenHint).toBe(`…${TOKEN.slice(-4)}`)

    const accepted = await request<{ value: { accessTokenHint: string } }>(`${base}/api/accounts.update`, { key: KEY_A, body: { id: account.id, accessToken: TOKEN } })
    expect(accepted.status).toBe(200)
    expect(accepted.body.value.accessTokenHint).toBe(`…${TOKEN.slice(-4)}`)
    // Another user cannot touch it.
    expect((await request(`${base}/api/accounts.update`, { key: KEY_B, body: { id: account.id, accessToken: TOKEN } })).status).toBe(404)
  })
})

describe('contacts.import over HTTP', () => {
  it('reads the first sheet of a workbook, names every sheet, and reads another when asked', async () => {
    const fixtures = await buildContactFixtures(tempDir('xlsx'))
    const dataBase64 = (await readFile(fixtures.path('contacts.xlsx'))).toString('base64')
    type Imported = { value: { sheet: string | null; sheets: string[]; columns: string[]; summary: { valid: number } } }
    const first = await request<Imported>(`${base}/api/contacts.import`, { key: KEY_A, body: { fileName: 'contacts.xlsx', dataBase64 } })
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect(first.body.value).toMatchObject({ sheet: 'Clientes', sheets: ['Clientes', 'Otros'], summary: { valid: 5 } })

    const other = await request<Imported>(`${base}/api/contacts.import`, { key: KEY_A, body: { fileName: 'contacts.xlsx', dataBase64, sheet: 'Otros' } })
    expect(other.body.value).toMatchObject({ sheet: 'Otros', columns: ['Teléfono', 'Nombre'], summary: { valid: 1 } })

    const csv = await request<Imported>(`${base}/api/contacts.import`, {
      key: KEY_A,
      body: { fileName: 'clientes.csv', dataBase64: Buffer.from('Telefono,Nombre\n3001234567,Juan\n').toString('base64') },
    })
    expect(csv.body.value).toMatchObject({ sheet: null, sheets: [] })
  })
})

describe('live events over SSE', () => {
  it('streams only the caller\'s events with ids, and replays after Last-Event-ID', async () => {
    const streamA = await openStream(`${base}/api/events?key=${KEY_A}`)
    const streamB = await openStream(`${base}/api/events`, { authorization: `Bearer ${KEY_B}` })
    const created = await createCampaign({ contacts: contacts(2, 700), template: HELLO, campaignName: 'Con eventos' })
    const events = await waitFor('a status event', async () => {
      const parsed = parseSse(streamA.text())
      return parsed.some((e) => e.event === 'campaign:status' && e.data.includes(created.body.campaignId)) ? parsed : null
    })
    expect(events.every((e) => Number(e.id) > 0)).toBe(true)
    expect(streamB.text()).not.toContain(created.body.campaignId)

    const firstId = events[0].id
    const resumed = await openStream(`${base}/api/events?key=${KEY_A}`, { 'last-event-id': firstId })
    const replay = await waitFor('the replay', async () => {
      const parsed = parseSse(resumed.text())
      return parsed.length >= events.length - 1 ? parsed : null
    })
    // The resumed stream starts right after Last-Event-ID and carries the same events, in order.
    const live = parseSse(streamA.text()).map((e) => e.id)
    expect(replay.map((e) => e.id)).toEqual(live.slice(1, replay.length + 1))
    expect(Number(replay[0].id)).toBeGreaterThan(Number(firstId))
    for (const s of [streamA, streamB, resumed]) s.close()
    expect((await request(`${base}/api/events?key=wrong`)).status).toBe(401)
  })
})

describe('rate limiting', () => {
  it('is off by default (many calls pass) and, when on, answers 429 with Retry-After per key', async () => {
    for (let i = 0; i < 30; i++) expect((await request(`${base}/api/campaigns?limit=1`, { key: KEY_A })).status).toBe(200)

    const limited = await startServe({ dataDir: tempDir('ratelimit') }, {
      PREGON_API_KEYS: `${KEY_A}:alice,${KEY_B}:bob`,
      ENABLE_RATE_LIMIT: '1',
      RATE_LIMIT_WINDOW_MS: '60000',
      RATE_LIMIT_MAX: '5',
    })
    try {
      for (let i = 0; i < 5; i++) expect((await request(`${limited.url}/api/campaigns`, { key: KEY_A })).status).toBe(200)
      const over = await request(`${limited.url}/api/campaigns`, { key: KEY_A })
      expect(over.status).toBe(429)
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(over.body).toMatchObject({ ok: false, error: { code: 'rate_limited' } })
      // Another key has its own window; webhooks are never limited.
      expect((await request(`${limited.url}/api/campaigns`, { key: KEY_B })).status).toBe(200)
      expect((await request(`${limited.url}/webhook?hub.mode=subscribe`)).status).toBe(403)
    } finally {
      await limited.stop()
    }
  })
})

interface Stream {
  text(): string
  close(): void
}

async function openStream(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  const abort = new AbortController()
  const response = await fetch(url, { headers, signal: abort.signal })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/)
  let text = ''
  const reader = response.body!.getReader()
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        text += Buffer.from(value).toString('utf8')
      }
    } catch {
      // Aborted by close().
    }
  })()
  return { text: () => text, close: () => abort.abort() }
}

function parseSse(text: string): { id: string; event: string; data: string }[] {
  return text
    .split('\n\n')
    .map((block) => {
      const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? ''
      return { id: field('id'), event: field('event'), data: field('data') }
    })
    .filter((e) => e.id !== '')
}
