// Opens pregon.db: the pragmas every connection needs, migrations, and a cache of prepared statements.
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { makePrivateDir, makePrivateFile } from '../../fs/privateFiles'
import { migrate } from './migrations'
import { registerSearchFunctions } from './search'

export type Db = Database.Database

/** `nativeBinding`: the .node file to load instead of better-sqlite3's own build (a packaged app's unpacked copy). */
export function openDatabase(file: string, nativeBinding?: string): Db {
  makePrivateDir(dirname(file))
  makePrivateFile(file)
  const db = new Database(file, nativeBinding ? { nativeBinding } : {})
  try {
    db.pragma('journal_mode = WAL')
    // Commits reach the disk at checkpoints: in WAL mode a power cut may lose the last ones, never corrupt
    // the file. What must survive one (a claim before its request leaves, a webhook delivery before it is
    // answered) is synced by walSync.ts.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    // better-sqlite3 builds SQLite with a 16 MB page cache per connection; the engine's working set is
    // the rows it is claiming and recording, and the OS caches the file anyway. 4 MB saves ~12 MB RSS.
    db.pragma('cache_size = -4000')
    // Workers and the desktop app may share the file; wait for a writer instead of failing at once.
    db.pragma('busy_timeout = 5000')
    migrate(db)
    registerSearchFunctions(db)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

/** Prepared statements keyed by their SQL: preparing is the slow part of a small query. */
export class Statements {
  private readonly cache = new Map<string, Database.Statement>()

  constructor(readonly db: Db) {}

  prepare<Row = unknown>(sql: string): Database.Statement<unknown[], Row> {
    let stmt = this.cache.get(sql)
    if (!stmt) {
      stmt = this.db.prepare(sql)
      this.cache.set(sql, stmt)
    }
    return stmt as Database.Statement<unknown[], Row>
  }
}

/** `?, ?, ?` for an IN list of `n` values. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ')

export const isoNow = (): string => new Date().toISOString()
export const isoAt = (epochMs: number): string => new Date(epochMs).toISOString()
