// The conformance suite on MongoDB (jongodb): once using the replica set's transactions, once writing as
// on a standalone mongod (no transactions); plus what only the MongoDB store has.
// eslint-disable-next-line no-restricted-imports -- these tests read the database with the plain driver
import { MongoClient, ObjectId, type CommandStartedEvent } from 'mongodb'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { databaseNameOf, LATEST_MONGO_SCHEMA_VERSION, openMongoStore, redactUri } from '../../src/main/store/mongo'
import type { Store } from '../../src/main/store/ports'
import { createSecretBox } from '../../src/main/store/secrets'
import { startJongodb, type TestMongo } from '../support/jongodb'
import { describeStoreConformance } from './storeConformance'

// jongodb answers in milliseconds where mongod takes microseconds: the random sequence's 250 steps need minutes on a busy machine.
vi.setConfig({ testTimeout: 120_000 })

const secrets = createSecretBox(Buffer.alloc(32, 7))
let server: Promise<TestMongo> | null = null
const mongo = (): Promise<TestMongo> => (server ??= startJongodb())
afterAll(async () => {
  if (server) await (await server).stop()
})

for (const transactions of ['auto', 'off'] as const) {
  describeStoreConformance(`mongodb (transactions ${transactions === 'auto' ? 'on' : 'off'})`, async () => {
    const uri = (await mongo()).freshDatabase()
    return { store: await openMongoStore({ uri, secrets, transactions }), cleanup: async () => undefined }
  }, { batchRows: 200 })
}

describe('mongodb store, what only it has', () => {
  const clients: MongoClient[] = []
  const stores: Store[] = []
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close()
    for (const client of clients.splice(0)) await client.close()
  })
  const open = async (uri: string, transactions: 'auto' | 'off' = 'auto', monitor?: (e: CommandStartedEvent) => void): Promise<Store> => {
    const store = await openMongoStore({ uri, secrets, transactions, ...(monitor ? { onCommand: monitor } : {}) })
    stores.push(store)
    return store
  }
  const plain = async (uri: string) => {
    const client = new MongoClient(uri, { serverMonitoringMode: 'poll' })
    clients.push(client)
    await client.connect()
    return client.db(databaseNameOf(uri))
  }
  const setup = async (store: Store, n: number) => {
    const user = await store.users.ensureLocal()
    const account = await store.accounts.create({ userId: user.id, label: 'x', phoneNumberId: '1111', wabaId: 'w', accessToken: 'EAAG-very-recognisable-token', defaultCountry: 'CO' })
    const campaign = await store.campaigns.create(
      { userId: user.id, accountId: account.id, campaignName: 'Promo', batchId: 'cmp_1', template: { name: 't', language: 'es' }, pacing: { kind: 'off' }, status: 'pending' },
      Array.from({ length: n }, (_, i) => ({ phone: `+5730000${String(i).padStart(5, '0')}`, name: null, variables: { 'Sr.': 'x', $precio: '10' } })),
    )
    return { account, campaign }
  }

  it('names the database from the URI’s path, pregon when none, and never shows the password', () => {
    expect(databaseNameOf('mongodb://127.0.0.1:27017')).toBe('pregon')
    expect(databaseNameOf('mongodb://127.0.0.1:27017/')).toBe('pregon')
    expect(databaseNameOf('mongodb://u:p@h1:1,h2:2/tienda?replicaSet=rs0')).toBe('tienda')
    expect(databaseNameOf('mongodb+srv://u:p@cluster0.example.net/ventas?retryWrites=true')).toBe('ventas')
    expect(redactUri('mongodb://ana:s3cr3t@h1:1,h2:2/tienda?replicaSet=rs0')).toBe('mongodb://h1:1,h2:2/tienda?replicaSet=rs0')
    expect(redactUri('mongodb://127.0.0.1:27017/x')).toBe('mongodb://127.0.0.1:27017/x')
  })

  it('records the schema version, makes the indexes on start, and refuses a database of a newer Pregón', async () => {
    const uri = (await mongo()).freshDatabase()
    await (await open(uri)).close()
    stores.pop()
    const db = await plain(uri)
    expect(await db.collection('pregon_meta').findOne({ _id: 'schemaVersion' as never })).toMatchObject({ version: LATEST_MONGO_SCHEMA_VERSION })
    const unique = (await db.collection('message_events').indexes()).find((index) => index.unique && index.name !== '_id_')
    expect(unique?.key).toEqual({ wamid: 1, status: 1 })
    // Opened again: same version, same data.
    await (await open(uri)).users.ensureLocal()
    await db.collection('pregon_meta').updateOne({ _id: 'schemaVersion' as never }, { $set: { version: LATEST_MONGO_SCHEMA_VERSION + 10 } })
    await expect(openMongoStore({ uri, secrets })).rejects.toThrow(/written by a newer Pregón/)
  })

  it('journals each claim on a majority before it resolves', async () => {
    const seen: CommandStartedEvent[] = []
    const store = await open((await mongo()).freshDatabase(), 'auto', (e) => seen.push(e))
    const { campaign } = await setup(store, 3)
    seen.length = 0
    expect(await store.ledger.claim(campaign.id, 2, 1)).toHaveLength(2)
    const claimWrite = seen.find((e) => e.commandName === 'update' && JSON.stringify(e.command.updates).includes('"sending"'))
    expect(claimWrite?.command.writeConcern).toEqual({ w: 'majority', j: true })
    seen.length = 0
    await store.inbox.append('{}', 1)
    expect(seen.find((e) => e.commandName === 'insert')?.command.writeConcern).toEqual({ w: 'majority', j: true })
  })

  it('lets two stores sharing one database never claim the same row', async () => {
    const uri = (await mongo()).freshDatabase()
    const one = await open(uri)
    const two = await open(uri)
    const { campaign } = await setup(one, 300)
    const claimedBy = async (store: Store): Promise<string[]> => {
      const ids: string[] = []
      for (;;) {
        const rows = await store.ledger.claim(campaign.id, 7, 1)
        if (rows.length === 0) return ids
        ids.push(...rows.map((r) => r.id))
      }
    }
    const [a, b] = await Promise.all([claimedBy(one), claimedBy(two)])
    expect(a.length).toBeGreaterThan(0)
    expect(b.length).toBeGreaterThan(0)
    expect(new Set([...a, ...b]).size).toBe(300)
    expect(a.length + b.length).toBe(300)
  })

  it('without transactions, recounts a campaign whose write a crash cut between its rows and its counters', async () => {
    const uri = (await mongo()).freshDatabase()
    const store = await open(uri, 'off')
    const { campaign } = await setup(store, 4)
    const [a, b] = await store.ledger.claim(campaign.id, 2, 1)
    await store.ledger.record(campaign.id, [{ kind: 'sent', recipientId: a.id, wamid: 'wamid.a', waId: null, log: { httpStatus: 200, latencyMs: 5 } }], 2)
    expect(await store.campaigns.get(campaign.id)).toMatchObject({ successCount: 1, processed: 1 })
    // What a process killed mid-write leaves: its marker raised, a row moved, the counters not yet.
    const db = await plain(uri)
    const id = new ObjectId(campaign.id)
    await db.collection('campaigns').updateOne({ _id: id }, { $inc: { writesInFlight: 1 } })
    await db.collection('recipients').updateOne({ _id: new ObjectId(b.id) }, { $set: { state: 'failed', errorCode: 131026 } })
    expect(await store.campaigns.get(campaign.id)).toMatchObject({ failedCount: 0 })
    // The next start's recovery finds the marker and counts the rows again.
    expect(await store.ledger.markInterruptedUncertain(3)).toBe(0)
    expect(await store.campaigns.get(campaign.id)).toMatchObject({ successCount: 1, failedCount: 1, processed: 2, contactsCount: 4 })
    expect(await db.collection('campaigns').findOne({ _id: id })).toMatchObject({ writesInFlight: 0 })
  })

  it('keeps contact fields whose names MongoDB would not take as keys, and never stores a token in plain text', async () => {
    const uri = (await mongo()).freshDatabase()
    const store = await open(uri)
    const { campaign } = await setup(store, 1)
    const [row] = await store.ledger.claim(campaign.id, 1, 1)
    expect(row.variables).toEqual({ 'Sr.': 'x', $precio: '10' })
    const db = await plain(uri)
    const everything = JSON.stringify(await Promise.all(['accounts', 'campaigns', 'recipients', 'users'].map((c) => db.collection(c).find({}).toArray())))
    expect(everything).not.toContain('very-recognisable')
    expect((await db.collection('accounts').findOne({}))?.accessToken).toMatch(/^v1:/)
  })
})
