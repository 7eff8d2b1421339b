// The local SQLite mirror against a real wire-protocol server (jongodb): every campaign, send log and event of a
// data folder arrives in the seed's shape; a server restarted empty on the same port gets everything again, once;
// a server cut off mid-pass (a TCP proxy) is caught up from the saved cursor with nothing missing or doubled.

import { rm } from 'node:fs/promises'
// eslint-disable-next-line no-restricted-imports -- the test reads what the mirror wrote, as the seed's dashboards would
import { MongoClient } from 'mongodb'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../../bench/processes'
import { campaignDocument } from '../../../src/main/store/mongo/seedDocuments'
import { startMirror, type Mirror } from '../../../src/main/store/mirror/mirror'
import { openMirrorTarget, type MirrorTarget } from '../../../src/main/store/mirror/mongoTarget'
import { openMirrorSource } from '../../../src/main/store/mirror/sqliteSource'
import { buildInstallation, openWithKey, PHONE_NUMBER_ID } from '../storeTransfer/installation'
import { startJongodb, startTcpProxy, type Jongodb } from './jongodb'

let server: Jongodb
let port: number
const cleanups: (() => Promise<unknown>)[] = []

beforeAll(async () => {
  port = await freePort()
  server = await startJongodb(port)
})
afterAll(async () => {
  await server?.stop()
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

let dbCounter = 0
const freshDatabase = () => `mirror_${process.pid}_${++dbCounter}`

/** What the desktop's SQLite holds, as the mirror should have written it. */
async function expected(dataDir: string) {
  const store = openWithKey(dataDir)
  try {
    const campaigns = await store.campaigns.listByStatus(['scheduled', 'pending', 'processing', 'paused', 'completed', 'cancelled', 'failed'])
    const source = openMirrorSource(dataDir)
    const all = source.backlog(0, 0)
    source.close()
    return { campaigns: campaigns.map(campaignDocument), sendLogs: all.sendLogs, events: all.events }
  } finally {
    await store.close()
  }
}

async function inMongo(uri: string, database: string) {
  const client = new MongoClient(uri)
  try {
    const db = client.db(database)
    const sendLogs = await db.collection('send_logs').find({}).toArray()
    const events = await db.collection('message_events').find({}).toArray()
    return {
      campaigns: await db.collection('campaigns').find({}).toArray(),
      sendLogIds: sendLogs.map((d) => String(d._id)),
      sendLogs,
      eventKeys: events.map((e) => `${e.wamid}|${e.status}`),
    }
  } finally {
    await client.close()
  }
}

function run(dataDir: string, uri: string, wrap: (t: MirrorTarget) => MirrorTarget = (t) => t, batchSize = 500): Mirror {
  const mirror = startMirror({
    uri,
    source: openMirrorSource(dataDir),
    target: wrap(openMirrorTarget({ uri, timeoutMs: 700 })),
    // Passes only when the test asks (syncNow), so what each pass did is known.
    intervalMs: 3_600_000,
    retryMs: 3_600_000,
    batchSize,
  })
  cleanups.push(() => mirror.stop())
  return mirror
}

const byId = <T extends { _id: unknown }>(docs: T[]) => [...docs].sort((a, b) => String(a._id).localeCompare(String(b._id)))

describe('the local SQLite mirror', () => {
  it('writes every campaign, send log and event of the data folder in the seed shape, and a second pass writes nothing twice', async () => {
    const built = await buildInstallation(10)
    cleanups.push(() => rm(built.dataDir, { recursive: true, force: true }))
    const database = freshDatabase()
    const mirror = run(built.dataDir, server.uri(database))
    await mirror.syncNow()
    await mirror.syncNow()

    const want = await expected(built.dataDir)
    const got = await inMongo(server.uri(database), database)
    expect(byId(got.campaigns)).toEqual(byId(want.campaigns as never[]))
    expect(got.sendLogIds).toHaveLength(want.sendLogs)
    expect(new Set(got.sendLogIds).size).toBe(want.sendLogs)
    expect(new Set(got.eventKeys).size).toBe(want.events)
    expect(got.eventKeys).toHaveLength(want.events)
    // The seed's troubleshooting query finds a campaign's logs by its batchId.
    expect(got.sendLogs.filter((d) => d.batchId === 'cmp_4').length).toBeGreaterThan(0)
    expect(mirror.status()).toMatchObject({ health: 'caught_up', lastError: null, backlog: { sendLogs: 0, events: 0 } })
  })

  it('sends everything again, once, to a server restarted empty on the same port', async () => {
    const built = await buildInstallation(10)
    cleanups.push(() => rm(built.dataDir, { recursive: true, force: true }))
    const database = freshDatabase()
    const mirror = run(built.dataDir, server.uri(database))
    await mirror.syncNow()

    await server.stop()
    await expect(mirror.syncNow()).rejects.toThrow()
    expect(mirror.status()).toMatchObject({ health: 'unreachable' })
    expect(mirror.status().lastError).not.toContain('mongodb://')
    server = await startJongodb(port)
    expect((await inMongo(server.uri(database), database)).campaigns).toHaveLength(0)

    await mirror.syncNow()
    const want = await expected(built.dataDir)
    const got = await inMongo(server.uri(database), database)
    expect(byId(got.campaigns)).toEqual(byId(want.campaigns as never[]))
    expect([got.sendLogIds.length, new Set(got.sendLogIds).size]).toEqual([want.sendLogs, want.sendLogs])
    expect([got.eventKeys.length, new Set(got.eventKeys).size]).toEqual([want.events, want.events])
    expect(mirror.status().health).toBe('caught_up')
  })

  it('catches up from its cursor after the server was unreachable in the middle of a pass, missing and doubling nothing', async () => {
    const built = await buildInstallation(30)
    cleanups.push(() => rm(built.dataDir, { recursive: true, force: true }))
    const proxy = await startTcpProxy(await freePort(), port)
    cleanups.push(() => proxy.close())
    const database = freshDatabase()
    const viaProxy = `mongodb://127.0.0.1:${proxy.port}/${database}`
    let sendLogBatches = 0
    // The link goes down after the second batch of send logs is written: the pass stops half-way.
    const mirror = run(built.dataDir, viaProxy, (target) => ({
      ...target,
      sendLogs: async (docs) => {
        await target.sendLogs(docs)
        if (++sendLogBatches === 2) await proxy.cut()
      },
    }), 5)
    await expect(mirror.syncNow()).rejects.toThrow()
    expect(mirror.status().health).toBe('unreachable')
    const halfWay = await inMongo(server.uri(database), database)
    expect(halfWay.sendLogIds).toHaveLength(10)

    // Meanwhile the desktop goes on: a late status is recorded while the server is out of reach.
    const store = openWithKey(built.dataDir)
    const { campaignId, callbackData, phone } = built.lateStatus
    await store.ledger.applyStatuses([{ wamid: 'wamid.while-offline', callbackId: callbackData, status: 'delivered', at: Date.now(), recipientWaId: phone.slice(1), phoneNumberId: PHONE_NUMBER_ID }])
    await store.events.insert({ wamid: 'wamid.while-offline', kind: 'status', status: 'delivered', campaignId, recipientId: null, phone, at: Date.now(), errorCode: null, payload: '{}' })
    await store.close()
    await expect(mirror.syncNow()).rejects.toThrow()

    await proxy.restore()
    await mirror.syncNow()
    const want = await expected(built.dataDir)
    const got = await inMongo(server.uri(database), database)
    expect(byId(got.campaigns)).toEqual(byId(want.campaigns as never[]))
    expect([got.sendLogIds.length, new Set(got.sendLogIds).size]).toEqual([want.sendLogs, want.sendLogs])
    expect([got.eventKeys.length, new Set(got.eventKeys).size]).toEqual([want.events, want.events])
    expect(got.eventKeys).toContain('wamid.while-offline|delivered')
    // The first ten were kept, not written again from zero: the server was the same one all along.
    expect(got.sendLogIds.slice(0, 10)).toEqual(halfWay.sendLogIds)
  })
})
