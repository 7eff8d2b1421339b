// Group commit for claims: what is synced, in which order, and how callers share syncs.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { walSyncer } from '../../../src/main/store/sqlite/walSync'

/** An fsync that records its calls and finishes only when told to. */
function gatedFsync() {
  const calls: string[] = []
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = []
  const fsync = (path: string, flags: string) => {
    calls.push(`${path} ${flags}`)
    return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }))
  }
  const settle = async (error?: Error) => {
    const next = pending.shift()
    if (!next) throw new Error('no fsync is waiting')
    if (error) next.reject(error)
    else next.resolve()
    // Let the syncer's continuations run.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
  }
  return { calls, fsync, settle }
}

const states = (promises: Promise<void>[]) => {
  const seen = promises.map(() => 'pending')
  promises.forEach((p, i) => p.then(() => (seen[i] = 'done'), () => (seen[i] = 'failed')))
  return seen
}

const FILE = join(tmpdir(), 'walsync-test', 'pregon.db')
const folderSync = process.platform === 'win32' ? [] : [`${dirname(FILE)} r`]

describe('walSyncer', () => {
  it('syncs the WAL, its folder once, and gives callers that arrive during a sync the next one, shared', async () => {
    const { calls, fsync, settle } = gatedFsync()
    const sync = walSyncer(FILE, fsync)
    const first = sync()
    // Committed while the first sync may already be past their writes: they wait for a second one.
    const seen = states([first, sync(), sync()])
    expect(calls).toEqual([`${FILE}-wal r+`])
    await settle()
    if (folderSync.length) await settle()
    expect(seen).toEqual(['done', 'pending', 'pending'])
    expect(calls).toEqual([`${FILE}-wal r+`, ...folderSync, `${FILE}-wal r+`])
    await settle()
    expect(seen).toEqual(['done', 'done', 'done'])
    sync()
    expect(calls).toHaveLength(3 + folderSync.length)
  })

  it('fails the callers of a failed sync, and starts afresh for the next caller', async () => {
    const { calls, fsync, settle } = gatedFsync()
    const sync = walSyncer(FILE, fsync)
    const seen = states([sync()])
    await settle(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }))
    expect(seen).toEqual(['failed'])
    const again = states([sync()])
    expect(calls).toEqual([`${FILE}-wal r+`, `${FILE}-wal r+`])
    await settle()
    if (folderSync.length) await settle()
    expect(again).toEqual(['done'])
  })

  describe('on real files', () => {
    let dir = ''
    afterEach(() => rmSync(dir, { recursive: true, force: true }))

    it('syncs the WAL of a database, or the database itself when SQLite kept no WAL', async () => {
      dir = mkdtempSync(join(tmpdir(), 'pregon-walsync-'))
      const db = join(dir, 'pregon.db')
      writeFileSync(db, 'database')
      await expect(walSyncer(db)()).resolves.toBeUndefined()
      writeFileSync(`${db}-wal`, 'frames')
      await expect(walSyncer(db)()).resolves.toBeUndefined()
      await expect(walSyncer(join(dir, 'missing.db'))()).rejects.toThrow(/ENOENT/)
    })
  })
})
