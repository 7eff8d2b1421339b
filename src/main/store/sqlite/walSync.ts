// Group commit for claims and webhook deliveries: one fsync of pregon.db-wal, on a libuv thread, makes
// every commit before it durable. synchronous=FULL would do the same on the engine's only thread, once
// per claim, and halved its rate in the engine benchmark; here commits made while a sync runs share the next one.
import { open } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Resolves once everything committed before the call is on disk. */
export type SyncWal = () => Promise<void>

/**
 * fsync works on the file, not the descriptor: syncing our own handle flushes what SQLite wrote. Files
 * open for writing (Windows flushes only such handles), folders for reading.
 */
async function fsyncPath(path: string, flags: 'r+' | 'r'): Promise<void> {
  const handle = await open(path, flags)
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export function walSyncer(databaseFile: string, fsync: (path: string, flags: 'r+' | 'r') => Promise<void> = fsyncPath): SyncWal {
  const wal = `${databaseFile}-wal`
  // The WAL may be newer than the last sync of its folder; its name must survive a power cut too. Windows
  // cannot open a folder to sync it (NTFS journals the name itself).
  let folderSynced = process.platform === 'win32'
  let running: Promise<void> | null = null
  let next: Promise<void> | null = null

  const run = (): Promise<void> => {
    const sync = (async () => {
      try {
        await fsync(wal, 'r+')
      } catch (error) {
        // No WAL: SQLite kept a rollback journal (a file system without shared memory), and commits went
        // straight into the database file.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        await fsync(databaseFile, 'r+')
      }
      if (!folderSynced) {
        await fsync(dirname(wal), 'r')
        folderSynced = true
      }
    })().finally(() => {
      if (running === sync) running = null
    })
    running = sync
    return sync
  }

  return () => {
    if (!running) return run()
    // The sync under way may have started before the caller's commit: the caller needs the next one
    // (or one another caller started after it).
    const after = () => {
      next = null
      return running ?? run()
    }
    next ??= running.then(after, after)
    return next
  }
}
