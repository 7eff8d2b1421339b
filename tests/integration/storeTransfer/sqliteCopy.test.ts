// `pregon store copy` between two data folders: every collection arrives, verified by count and checksum; the
// copied installation opens its sealed tokens and still matches late statuses of messages sent before the copy;
// a copy stopped half-way resumes where it was; a target that holds data is refused.

import { rm } from 'node:fs/promises'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { copyInstallation } from '../../../src/main/app/storeCopy'
import { COLLECTIONS } from '../../../src/main/store/transfer/collections'
import { copyStore } from '../../../src/main/store/transfer/copy'
import type { PortableStore } from '../../../src/main/store/transfer/portable'
import { openSqlitePortable } from '../../../src/main/store/transfer/sqlitePortable'
import { ACCESS_TOKEN, PHONE_NUMBER_ID, buildInstallation, openWithKey } from './installation'

const dirs: string[] = []
const emptyDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pregon-copy-dst-'))
  dirs.push(dir)
  return dir
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

/** A target whose writes fail after `okWrites` pages: a disk or a server going away mid-copy. */
function failingAfter(store: PortableStore, okWrites: number): PortableStore & { writes: number } {
  const wrapped = Object.create(store) as PortableStore & { writes: number }
  wrapped.writes = 0
  wrapped.write = async (spec, docs) => {
    if (wrapped.writes >= okWrites) throw new Error('connection lost')
    wrapped.writes++
    return store.write(spec, docs)
  }
  return wrapped
}

describe('pregon store copy, data folder to data folder', () => {
  it('copies campaigns in every status with their ledger, logs, events, opt-outs and settings, and verifies each collection', async () => {
    const built = await buildInstallation()
    dirs.push(built.dataDir)
    const target = await emptyDir()

    const report = await copyInstallation(built.dataDir, target)

    expect(report.ok).toBe(true)
    expect(report.collections.map((c) => c.name)).toEqual(COLLECTIONS.map((c) => c.name))
    for (const check of report.collections) expect(check.target).toEqual(check.source)
    const counts = Object.fromEntries(report.collections.map((c) => [c.name, c.source.count]))
    expect(counts).toMatchObject({ users: 2, api_keys: 1, accounts: 1, campaigns: 7, recipients: 7 * 13, suppressions: 1, webhook_inbox: 1, installation_keys: 1 })
    expect(counts.send_logs).toBeGreaterThan(0)
    expect(counts.message_events).toBeGreaterThan(0)

    const before = openWithKey(built.dataDir)
    const after = openWithKey(target)
    try {
      const [account] = await after.accounts.listAll()
      expect(await after.accounts.getAccessToken(account.id)).toBe(ACCESS_TOKEN)
      // By id: campaigns created in the same millisecond (as here) list in insertion order, which a copy does not keep.
      const listed = async (s: typeof before) =>
        (await s.campaigns.listByStatus(['scheduled', 'pending', 'processing', 'paused', 'completed', 'cancelled', 'failed'])).sort((a, b) => a.id.localeCompare(b.id))
      expect(await listed(after)).toEqual(await listed(before))
      expect(new Set((await listed(after)).map((c) => c.status)).size).toBe(7)
      for (const id of Object.values(built.campaignIds)) {
        expect(await after.ledger.stateCounts(id)).toEqual(await before.ledger.stateCounts(id))
      }
      // The signing key came along: a status for a message sent before the copy still finds its row.
      const { campaignId, recipientId, callbackData, phone } = built.lateStatus
      const applied = await after.ledger.applyStatuses([
        { wamid: 'wamid.after-copy', callbackId: callbackData, status: 'delivered', at: Date.now(), recipientWaId: phone.slice(1), phoneNumberId: PHONE_NUMBER_ID },
      ])
      expect(applied).toMatchObject({ applied: 1, unknown: 0 })
      expect(await after.ledger.get(campaignId, recipientId)).toMatchObject({ state: 'delivered', resolution: 'status' })
    } finally {
      await before.close()
      await after.close()
    }
  })

  it('resumes a copy that stopped half-way from the last page it wrote, and the result verifies', async () => {
    const built = await buildInstallation(40)
    dirs.push(built.dataDir)
    const target = await emptyDir()

    const source = openSqlitePortable({ dataDir: built.dataDir, mustExist: true })
    const broken = failingAfter(openSqlitePortable({ dataDir: target, mustExist: false }), 6)
    await expect(copyStore(source, broken, { pageSize: 25 })).rejects.toThrow('connection lost')
    const stoppedAt = await broken.loadProgress()
    await broken.close()
    expect(stoppedAt?.current).toMatchObject({ collection: 'recipients' })

    const counting = failingAfter(openSqlitePortable({ dataDir: target, mustExist: false }), Infinity)
    const report = await copyStore(source, counting, { pageSize: 25 })
    expect(report).toMatchObject({ resumed: true, ok: true })
    // Users, keys, accounts and campaigns were not written again; recipients went on after the saved key.
    const recipientsPages = Math.ceil((7 * 41) / 25)
    expect(counting.writes).toBeLessThan(recipientsPages + COLLECTIONS.length)
    expect(await counting.loadProgress()).toBeNull()
    await counting.close()
    await source.close()
  })

  it('refuses a target that already holds campaigns, and changes nothing there', async () => {
    const first = await buildInstallation(8)
    const second = await buildInstallation(8)
    dirs.push(first.dataDir, second.dataDir)
    await expect(copyInstallation(first.dataDir, second.dataDir)).rejects.toThrow(/already (holds \d+ (accounts|campaigns)|has another secret.key).*empty/)
    const target = openSqlitePortable({ dataDir: second.dataDir, mustExist: true })
    expect(await target.count(COLLECTIONS.find((c) => c.name === 'campaigns')!)).toBe(7)
    await target.close()
  })

  it('says what is wrong with a source that is not a data folder', async () => {
    const target = await emptyDir()
    await expect(copyInstallation(join(target, 'nope'), await emptyDir())).rejects.toThrow(/is not a Pregón data folder/)
  })

  it('finds a difference after the copy: a changed row fails verification for its collection only', async () => {
    const built = await buildInstallation(8)
    dirs.push(built.dataDir)
    const target = await emptyDir()
    await copyInstallation(built.dataDir, target)
    const store = openWithKey(target)
    await store.settings.set('tampered', true)
    await store.close()
    const source = openSqlitePortable({ dataDir: built.dataDir, mustExist: true })
    const copy = openSqlitePortable({ dataDir: target, mustExist: true })
    const { verify } = await import('../../../src/main/store/transfer/copy')
    const failed = (await verify(source, copy)).filter((c) => !c.ok).map((c) => c.name)
    expect(failed).toEqual(['settings'])
    await source.close()
    await copy.close()
  })
})
