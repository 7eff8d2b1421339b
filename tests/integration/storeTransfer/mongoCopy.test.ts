// `pregon store copy` both ways between a data folder and MongoDB (jongodb, a wire-compatible server): a folder
// with campaigns in every status goes into MongoDB and back into a new folder, verified by count and checksum per
// collection each way; the MongoDB copy is a working MongoDB store (the MongoDB store opens it, tokens and the
// callback key included); a copy cut off mid-way by the server going away resumes and verifies.

import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../../bench/processes'
import { copyInstallation } from '../../../src/main/app/storeCopy'
import { openMongoStore } from '../../../src/main/store/mongo'
import { createSecretBox, loadHeadlessKey } from '../../../src/main/store/secrets'
import { COLLECTIONS } from '../../../src/main/store/transfer/collections'
import { copyStore } from '../../../src/main/store/transfer/copy'
import { openMongoPortable } from '../../../src/main/store/transfer/mongoPortable'
import { openSqlitePortable } from '../../../src/main/store/transfer/sqlitePortable'
import type { PortableStore } from '../../../src/main/store/transfer/portable'
import { startJongodb, startTcpProxy, type Jongodb } from '../mirror/jongodb'
import { ACCESS_TOKEN, PHONE_NUMBER_ID, buildInstallation, openWithKey } from './installation'

let server: Jongodb
const dirs: string[] = []
beforeAll(async () => {
  server = await startJongodb(await freePort())
})
afterAll(async () => {
  await server?.stop()
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})
const emptyDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pregon-copy-back-'))
  dirs.push(dir)
  return dir
}
let n = 0
const database = () => `copy_${process.pid}_${++n}`

describe('pregon store copy with MongoDB', () => {
  it('copies a data folder into MongoDB and back into a new folder, verified both ways, and each copy works', async () => {
    const built = await buildInstallation(8)
    dirs.push(built.dataDir)
    const uri = server.uri(database())

    const there = await copyInstallation(built.dataDir, uri)
    expect(there.ok).toBe(true)
    for (const check of there.collections) expect(check.target, check.name).toEqual(check.source)
    expect(there.keyNotice).toMatch(/secret\.key/)
    expect(JSON.stringify(there)).not.toContain('@')

    const back = await emptyDir()
    const returned = await copyInstallation(uri, back)
    expect(returned.ok).toBe(true)
    expect(returned.keyNotice).toContain(`copy its secret.key into ${back}`)
    // As the notice says: the server's key goes with the data.
    await copyFile(join(built.dataDir, 'secret.key'), join(back, 'secret.key'))
    for (const check of returned.collections) expect(check.target, check.name).toEqual(check.source)
    // Back in a folder: every collection as in the original, row for row.
    const copy = openSqlitePortable({ dataDir: back, mustExist: true })
    const source = openSqlitePortable({ dataDir: built.dataDir, mustExist: true })
    try {
      for (const spec of COLLECTIONS) expect(await copy.read(spec, null, 10_000), spec.name).toEqual(await source.read(spec, null, 10_000))
    } finally {
      await copy.close()
      await source.close()
    }
    const [account] = await (async () => {
      const store = openWithKey(back)
      try {
        return [await store.accounts.getAccessToken((await store.accounts.listAll())[0].id)]
      } finally {
        await store.close()
      }
    })()
    expect(account).toBe(ACCESS_TOKEN)
  })

  it('leaves a working MongoDB store: tokens open with the folder key, late statuses match; rows it then makes are not copied back into a folder', async () => {
    const built = await buildInstallation(8)
    dirs.push(built.dataDir)
    const uri = server.uri(database())
    expect((await copyInstallation(built.dataDir, uri)).ok).toBe(true)

    const mongoStore = await openMongoStore({ uri, secrets: createSecretBox(loadHeadlessKey(built.dataDir, {})) })
    try {
      const [account] = await mongoStore.accounts.listAll()
      expect(await mongoStore.accounts.getAccessToken(account.id)).toBe(ACCESS_TOKEN)
      expect(new Set((await mongoStore.campaigns.listByStatus(['scheduled', 'pending', 'processing', 'paused', 'completed', 'cancelled', 'failed'])).map((c) => c.status)).size).toBe(7)
      const { campaignId, recipientId, callbackData, phone } = built.lateStatus
      const applied = await mongoStore.ledger.applyStatuses([
        { wamid: 'wamid.in-mongo', callbackId: callbackData, status: 'delivered', at: Date.now(), recipientWaId: phone.slice(1), phoneNumberId: PHONE_NUMBER_ID },
      ])
      expect(applied).toMatchObject({ applied: 1, unknown: 0 })
      expect(await mongoStore.ledger.get(campaignId, recipientId)).toMatchObject({ state: 'delivered', resolution: 'status' })
    } finally {
      await mongoStore.close()
    }
    // The MongoDB store numbered that event its own way (an ObjectId): a folder cannot take it, and says so
    // before writing anything.
    const back = await emptyDir()
    await expect(copyInstallation(uri, back)).rejects.toThrow(/message_events has ids made by MongoDB.*mongodump/)
    const target = openSqlitePortable({ dataDir: back, mustExist: true })
    expect(await target.count(COLLECTIONS.find((c) => c.name === 'campaigns')!)).toBe(0)
    await target.close()
  })

  it('resumes a copy into MongoDB that the server cut off, and verifies', async () => {
    const built = await buildInstallation(30)
    dirs.push(built.dataDir)
    const proxy = await startTcpProxy(await freePort(), server.port)
    const db = database()
    const viaProxy = `mongodb://127.0.0.1:${proxy.port}/${db}`
    const source = openSqlitePortable({ dataDir: built.dataDir, mustExist: true })
    const target = await openMongoPortable(viaProxy)
    let writes = 0
    const cutting: PortableStore = Object.assign(Object.create(target) as PortableStore, {
      write: async (...args: Parameters<PortableStore['write']>) => {
        await target.write(...args)
        if (++writes === 6) await proxy.cut()
      },
    })
    await expect(copyStore(source, cutting, { pageSize: 20 })).rejects.toThrow()
    await target.close().catch(() => undefined)
    await proxy.restore()

    const resumed = await copyInstallation(built.dataDir, viaProxy)
    expect(resumed).toMatchObject({ resumed: true, ok: true })
    expect(resumed.collections.find((c) => c.name === 'recipients')!.target.count).toBe(7 * 31)
    await source.close()
    await proxy.close()
  })
})
