// A relay (`pregon serve --relay`) receives the simulator's signed webhooks; a desktop-side `pregon serve`
// pulls them. Both are killed and restarted mid-stream, and every status is applied exactly once.

import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator } from '../../src/sim'
import { parseWebhook } from '../../src/main/whatsapp/webhook'
import { RELAY_CURSOR_KEY } from '../../src/main/app/relayConsumer'
import { readStore, request, startServe, tempDir, waitFor, type ServeProcess } from './httpHarness'
import { freePort } from '../../bench/processes'

const SECRET = 'relay-app-secret'
const RELAY_KEY = 'relay-key-for-the-desktop'
const DESK_KEY = 'desktop-key-0123456789'
const TOKEN = 'sim-token-for-relay-tests'
const RECIPIENTS = 300

const running: ServeProcess[] = []
let sim: Simulator | null = null

afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL')
  await sim?.stop()
})

const cursorOf = (dataDir: string): Promise<number> =>
  readStore(dataDir, async (store) => (await store.settings.get<number>(RELAY_CURSOR_KEY)) ?? 0)
const relayBodies = (dataDir: string): Promise<{ seq: number; body: string }[]> =>
  readStore(dataDir, (store) => store.inbox.after(0, 1_000_000))
const appliedStatuses = (dataDir: string, campaignId: string): Promise<string[]> =>
  readStore(dataDir, async (store) =>
    (await store.events.list(campaignId, 1_000_000))
      .filter((e) => e.kind === 'status')
      .map((e) => `${e.wamid}:${e.status}`)
      .sort(),
  )
const unprocessed = (dataDir: string): Promise<number> => readStore(dataDir, async (store) => (await store.inbox.unprocessed(1_000)).length)

describe('the relay', () => {
  it('hands every webhook to a desktop exactly once across kills and restarts of both sides', async () => {
    const relayDir = tempDir('relay')
    const deskDir = tempDir('desk')
    const relayPort = await freePort()
    const relayEnv = { PREGON_API_KEYS: `${RELAY_KEY}:desk`, PREGON_APP_SECRET: SECRET }
    const startRelay = async () => {
      const p = await startServe({ dataDir: relayDir, relay: true, port: relayPort }, relayEnv)
      running.push(p)
      return p
    }
    let relay = await startRelay()

    sim = await startSimulator({
      accessTokens: [TOKEN],
      phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1000 }],
      pairLimit: false,
      webhook: { url: `${relay.url}/webhook`, appSecret: SECRET, statuses: true, readRate: 0.5, deliverDelayMs: 150, batchSize: 20, duplicates: true, reorder: true, maxAttempts: 20 },
    })
    const graphUrl = sim.url
    const startDesk = async () => {
      const p = await startServe({ dataDir: deskDir, relayUrl: relay.url, graphUrl }, { PREGON_API_KEYS: `${DESK_KEY}:shop`, PREGON_RELAY_API_KEY: RELAY_KEY })
      running.push(p)
      return p
    }
    let desk = await startDesk()

    // The feed needs the relay's key, and is served only by a relay.
    expect((await request(`${relay.url}/api/relay/events?after=0`)).status).toBe(401)
    expect((await request(`${desk.url}/api/relay/events?after=0`, { key: DESK_KEY })).status).toBe(404)

    const put = await request(`${desk.url}/api/user/meta-credentials`, {
      method: 'PUT',
      key: DESK_KEY,
      body: { phoneNumberId: DEFAULT_PHONE_NUMBERS[0].id, wabaId: DEFAULT_PHONE_NUMBERS[0].wabaId, accessToken: TOKEN, maxMessagesPerSecond: 1000 },
    })
    expect(put.status, JSON.stringify(put.body)).toBe(200)
    const contacts = Array.from({ length: RECIPIENTS }, (_, i) => ({ numero: `57302${String(1_000_000 + i).padStart(7, '0')}` }))
    const created = await request<{ campaignId: string }>(`${desk.url}/api/campaigns/create`, {
      key: DESK_KEY,
      body: { contacts, template: { name: 'hello_world', language: { code: 'en_US' } }, campaignName: 'Relay', pacing: { kind: 'custom', intervalMs: 15 } },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const id = created.body.campaignId

    // Mid-stream: the desktop dies without a chance to save anything more, then comes back.
    await waitFor('the desktop to pull some webhooks', async () => (await cursorOf(deskDir)) >= 30)
    await desk.stop('SIGKILL')
    await new Promise((r) => setTimeout(r, 800))
    desk = await startDesk()

    // The relay restarts too while deliveries still arrive; the desktop backs off and reconnects.
    await new Promise((r) => setTimeout(r, 500))
    await relay.stop('SIGTERM')
    relay = await startRelay()

    await waitFor('the campaign to finish', async () => {
      const doc = await request<{ status: string }>(`${desk.url}/api/campaigns/${id}/status`, { key: DESK_KEY })
      return doc.body.status === 'completed'
    }, 40_000)
    await sim.flushWebhooks()
    const stored = await relayBodies(relayDir)
    const lastSeq = stored[stored.length - 1].seq
    await waitFor('the desktop to catch up', async () => (await cursorOf(deskDir)) === lastSeq && (await unprocessed(deskDir)) === 0, 20_000)

    // What the relay received, as distinct (wamid, status) pairs: exactly what the desktop applied.
    const expected = new Set<string>()
    for (const row of stored) for (const s of parseWebhook(JSON.parse(row.body)).statuses) expected.add(`${s.wamid}:${s.status}`)
    expect(await appliedStatuses(deskDir, id)).toEqual([...expected].sort())

    const wamidsWith = (status: string) => new Set([...expected].filter((k) => k.endsWith(`:${status}`)).map((k) => k.split(':')[0]))
    const read = wamidsWith('read')
    const delivered = new Set([...wamidsWith('delivered'), ...read])
    const doc = await request<{ deliveredCount: number; readCount: number; successCount: number }>(`${desk.url}/api/campaigns/${id}/status`, { key: DESK_KEY })
    expect(doc.body.deliveredCount).toBe(delivered.size)
    expect(doc.body.readCount).toBe(read.size)
    expect(delivered.size).toBeGreaterThan(RECIPIENTS * 0.9)
  }, 90_000)
})
