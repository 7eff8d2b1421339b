// The mirror in the process that sends: a real `pregon serve` sending to the simulator (which posts signed status
// webhooks back), its operator turning on "Mirror to MongoDB" over the API as Settings → Storage does. The campaign
// appears in MongoDB while it sends; MongoDB is then killed mid-campaign and a fresh, empty one started on the same
// port after a pause ("a minute", shortened by PREGON_MIRROR_* settings): the mirror catches up, and MongoDB ends
// with exactly what the SQLite holds — the campaign's document, every send log and every event, none twice.

import { afterAll, describe, expect, it } from 'vitest'
// eslint-disable-next-line no-restricted-imports -- the test reads MongoDB as the seed's dashboards would
import { MongoClient } from 'mongodb'
import { freePort } from '../../../bench/processes'
import { DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator } from '../../../src/sim'
import { campaignDocument } from '../../../src/main/store/mongo/seedDocuments'
import { openMirrorSource } from '../../../src/main/store/mirror/sqliteSource'
import { readStore, request, startServe, tempDir, waitFor, type ServeProcess } from '../httpHarness'
import { startJongodb, type Jongodb } from './jongodb'

const KEY = 'key-mirror-while-sending-0123'
const ADMIN = 'admin-key-mirror-0123456789abcdef'
const SECRET = 'app-secret-mirror'
const TOKEN = 'sim-token-mirror'
const RECIPIENTS = 150
const OFFLINE_MS = 2_500

let serve: ServeProcess | null = null
let sim: Simulator | null = null
let mongo: Jongodb | null = null

afterAll(async () => {
  const stopping = Date.now()
  await serve?.stop()
  // A mirror waiting on an unreachable MongoDB must not hold up a clean stop.
  expect(Date.now() - stopping).toBeLessThan(10_000)
  await sim?.stop()
  await mongo?.stop()
})

async function mongoSide(uri: string, database: string) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000 })
  try {
    const db = client.db(database)
    const logs = await db.collection('send_logs').find({}).toArray()
    const events = await db.collection('message_events').find({}).toArray()
    return {
      campaigns: await db.collection('campaigns').find({}).toArray(),
      sendLogs: logs.length,
      uniqueSendLogs: new Set(logs.map((d) => String(d._id))).size,
      events: events.length,
      uniqueEvents: new Set(events.map((e) => `${e.wamid}|${e.status}`)).size,
    }
  } finally {
    await client.close()
  }
}

describe('the mirror of a desktop that is sending', () => {
  it('shows the campaign in MongoDB while it sends, and catches up after MongoDB was down, missing and doubling nothing', async () => {
    const mongoPort = await freePort()
    mongo = await startJongodb(mongoPort)
    const database = 'tienda'
    const uri = mongo.uri(database)
    const port = await freePort()
    sim = await startSimulator({
      accessTokens: [TOKEN],
      phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }],
      pairLimit: false,
      webhook: { url: `http://127.0.0.1:${port}/webhook`, appSecret: SECRET, statuses: true, readRate: 0.5, deliverDelayMs: 100, batchSize: 5 },
    })
    const dataDir = tempDir('mirror-serve')
    serve = await startServe(
      { dataDir, port, graphUrl: sim.url },
      {
        PREGON_API_KEYS: `${KEY}:tienda`, PREGON_ADMIN_KEY: ADMIN, PREGON_APP_SECRET: SECRET,
        PREGON_MIRROR_INTERVAL_MS: '200', PREGON_MIRROR_RETRY_MS: '300', PREGON_MIRROR_TIMEOUT_MS: '500',
      },
    )
    const mirrorOn = await request<{ ok: boolean; value: { mirror: { enabled: boolean; target: string } } }>(`${serve.url}/api/storage.setMirror`, {
      key: ADMIN,
      body: { enabled: true, uri },
    })
    expect(mirrorOn.status, JSON.stringify(mirrorOn.body)).toBe(200)
    expect(mirrorOn.body.value.mirror).toMatchObject({ enabled: true, target: `mongodb://127.0.0.1:${mongoPort}/${database}` })
    // A tenant may not point the server's mirror anywhere.
    expect((await request(`${serve.url}/api/storage.setMirror`, { key: KEY, body: { enabled: true, uri } })).status).toBe(403)

    const put = await request(`${serve.url}/api/user/meta-credentials`, {
      method: 'PUT',
      key: KEY,
      body: { phoneNumberId: DEFAULT_PHONE_NUMBERS[0].id, wabaId: DEFAULT_PHONE_NUMBERS[0].wabaId, accessToken: TOKEN, maxMessagesPerSecond: 1000 },
    })
    expect(put.status, JSON.stringify(put.body)).toBe(200)
    const contacts = Array.from({ length: RECIPIENTS }, (_, i) => ({ numero: `57304${String(i).padStart(7, '0')}` }))
    const created = await request<{ campaignId: string }>(`${serve.url}/api/campaigns/create`, {
      key: KEY,
      body: { contacts, template: { name: 'hello_world', language: { code: 'en_US' } }, campaignName: 'Espejo', pacing: { kind: 'custom', intervalMs: 50 } },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const id = created.body.campaignId
    const statusOf = async () => (await request<{ status: string; processed: number }>(`${serve!.url}/api/campaigns/${id}/status`, { key: KEY })).body

    // While it sends, the seed's dashboards see it in MongoDB, counting.
    const seen = await waitFor('the campaign in MongoDB while sending', async () => {
      const doc = (await mongoSide(uri, database)).campaigns.find((c) => String(c._id) === id)
      return doc && doc.status === 'processing' && doc.successCount > 0 ? doc : null
    })
    expect(seen).toMatchObject({ campaignName: 'Espejo', batchId: expect.any(String), contactsCount: RECIPIENTS })
    expect((await statusOf()).status).toBe('processing')

    // MongoDB goes away mid-campaign; the desktop keeps sending meanwhile.
    await mongo.stop()
    const processedWhenDown = (await statusOf()).processed
    await new Promise((resolve) => setTimeout(resolve, OFFLINE_MS))
    const processedAfterPause = (await statusOf()).processed
    expect(processedAfterPause).toBeGreaterThan(processedWhenDown)
    const down = await request<{ value: { mirror: { status: { health: string; lastError: string } } } }>(`${serve.url}/api/storage.get`, { key: ADMIN, body: {} })
    expect(down.body.value.mirror.status.health).toBe('unreachable')
    // A fresh, empty server on the same port (jongodb keeps nothing across a restart).
    mongo = await startJongodb(mongoPort)

    await waitFor('the campaign to finish', async () => ((await statusOf()).status === 'completed' ? true : null), 60_000)
    const final = await waitFor(
      'MongoDB to hold exactly what the SQLite holds',
      async () => {
        const [campaign, sqlite, got] = await Promise.all([
          readStore(dataDir, (store) => store.campaigns.get(id)),
          Promise.resolve().then(() => {
            const source = openMirrorSource(dataDir)
            try {
              return source.backlog(0, 0)
            } finally {
              source.close()
            }
          }),
          mongoSide(uri, database),
        ])
        const doc = got.campaigns.find((c) => String(c._id) === id)
        const same = JSON.stringify(doc) === JSON.stringify(campaignDocument(campaign!)) && got.sendLogs === sqlite.sendLogs && got.events === sqlite.events
        return same ? { got, sqlite, campaign } : null
      },
      30_000,
    )
    expect(final.campaign).toMatchObject({ status: 'completed', successCount: RECIPIENTS })
    expect(final.got.sendLogs).toBeGreaterThanOrEqual(RECIPIENTS)
    expect(final.got.uniqueSendLogs).toBe(final.got.sendLogs)
    expect(final.got.uniqueEvents).toBe(final.got.events)
    expect(final.got.events).toBeGreaterThan(0)
    expect(serve.output()).not.toMatch(/mongodb:\/\/[^\s"]*@/)
  }, 120_000)
})
