// Seed compatibility: a campaign sent through `pregon serve --mongodb` (a real child process, real HTTP to
// its demo simulator) leaves `campaigns`, `send_logs` and `message_events` documents with the seed's
// field names and values, read here with the plain driver as the seed's own code and guide read them.
// eslint-disable-next-line no-restricted-imports -- the point is to read the documents as the seed does
import { MongoClient, ObjectId } from 'mongodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJongodb, type TestMongo } from '../support/jongodb'
import { request, startServe, tempDir, waitFor, type ServeProcess } from './httpHarness'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
const CONTACTS = [
  { numero: '573001234567', Nombre: 'Juan' },
  { numero: '573001234568', Nombre: 'Ana' },
  { numero: '573001234569', Nombre: 'Luis' },
  { numero: '573001234570', Nombre: 'Sofía' },
]

let server: TestMongo
let serve: ServeProcess
let client: MongoClient
let uri: string

beforeAll(async () => {
  server = await startJongodb()
  uri = server.freshDatabase('seed')
  serve = await startServe({ dataDir: tempDir('mongo-seed'), demo: true, mongodb: uri })
  client = await new MongoClient(uri, { serverMonitoringMode: 'poll' }).connect()
}, 60_000)

afterAll(async () => {
  await client?.close()
  await serve?.stop()
  await server?.stop()
})

describe('pregon serve --mongodb', () => {
  it('says where its data is, and keeps the seed’s documents for a campaign it sent', async () => {
    expect(serve.output()).toContain(`(data: MongoDB ${uri.replace(/\?.*$/, '')})`)
    const key = /#key=(\S+)/.exec(serve.output())?.[1] as string
    const created = await request<{ ok: boolean; campaignId: string; status: string; total: number }>(`${serve.url}/api/campaigns/create`, {
      key,
      body: { contacts: CONTACTS, template: { name: 'hello_world', language: { code: 'en_US' } }, campaignName: 'Promoción Verano', batchId: 'cmp_seed_compat' },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const campaignId = created.body.campaignId
    expect(campaignId).toMatch(/^[0-9a-f]{24}$/)
    await waitFor('the campaign to complete', async () => {
      const status = await request<{ status: string }>(`${serve.url}/api/campaigns/${campaignId}/status`, { key })
      return status.body.status === 'completed'
    }, 60_000)

    const db = client.db()
    // The seed's troubleshooting guide: db.campaigns.findOne({ _id: ObjectId("…") })
    const campaign = await db.collection('campaigns').findOne({ _id: new ObjectId(campaignId) })
    expect(campaign).toMatchObject({
      campaignName: 'Promoción Verano',
      batchId: 'cmp_seed_compat',
      template: { name: 'hello_world' },
      status: 'completed',
      processed: 4,
      successCount: 4,
      failedCount: 0,
      contactsCount: 4,
      error: null,
    })
    expect(campaign?.userId).toBeInstanceOf(ObjectId)
    for (const field of ['createdAt', 'startedAt', 'lastProcessedAt', 'completedAt']) expect(campaign?.[field]).toMatch(ISO)
    // db.campaigns.find({ userId }).sort({ createdAt: -1 })
    expect((await db.collection('campaigns').find({ userId: campaign?.userId }).sort({ createdAt: -1 }).toArray()).map((c) => String(c._id))).toEqual([campaignId])

    // db.send_logs.find({ batchId }): one per attempt.
    const logs = await db.collection('send_logs').find({ batchId: 'cmp_seed_compat' }).toArray()
    expect(logs).toHaveLength(4)
    for (const log of logs) {
      expect(log).toMatchObject({ outcome: 'sent', httpStatus: 200, wamid: expect.stringMatching(/^wamid\./) })
      expect(log.campaignId).toEqual(new ObjectId(campaignId))
      expect(log.at).toBeInstanceOf(Date)
    }

    // db.message_events.find({ batchId }): the simulator's signed status webhooks, one per (wamid, status).
    const events = await waitFor('the status webhooks', async () => {
      const found = await db.collection('message_events').find({ batchId: 'cmp_seed_compat' }).toArray()
      return found.filter((e) => e.status === 'delivered').length === 4 ? found : null
    }, 30_000)
    const sentWamids = new Set(logs.map((log) => log.wamid as string))
    for (const event of events) {
      expect(event).toMatchObject({ kind: 'status', campaignId: new ObjectId(campaignId), batchId: 'cmp_seed_compat' })
      expect(sentWamids.has(event.wamid as string)).toBe(true)
      expect(['sent', 'delivered', 'read']).toContain(event.status)
    }
    expect(new Set(events.map((e) => `${e.wamid as string} ${e.status as string}`)).size).toBe(events.length)
    expect(await db.collection('campaigns').findOne({ _id: new ObjectId(campaignId) })).toMatchObject({ deliveredCount: 4 })
  }, 120_000)

  it('never shows the password of a URI it cannot use, and says which server it could not use', async () => {
    const withPassword = uri.replace('mongodb://', 'mongodb://ana:s3cr3t-pw@')
    // jongodb has no authentication: the login is refused, as a wrong password would be.
    const failed = await startServe({ dataDir: tempDir('mongo-auth'), mongodb: withPassword }).then(
      (running) => running.stop().then(() => 'started'),
      (error: Error) => error.message,
    )
    expect(failed).toMatch(/exited with 1/)
    expect(failed).toContain(`Could not reach MongoDB at ${uri}`)
    expect(failed).not.toContain('s3cr3t-pw')
  }, 60_000)
})
