// Opens pregon.db: the pragmas every connection needs, migrations, and a cache of prepared statements.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { migrate } from './migrations'

export type Db = Database.Database

/**
 * Commits are on disk at checkpoints only: in WAL mode a power cut may lose the last ones, never corrupt
 * the file. What must survive one (a claim before its request leaves) runs through `onDisk`.
 */
const SYNCHRONOUS = 'NORMAL'

export function openDatabase(file: string): Db {
  mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${SYNCHRONOUS}`)
    db.pragma('foreign_keys = ON')
    // better-sqlite3 builds SQLite with a 16 MB page cache per connection; the engine's working set is
    // the rows it is claiming and recording, and the OS caches the file anyway. 4 MB saves ~12 MB RSS.
    db.pragma('cache_size = -4000')
    // Workers and the desktop app may share the file; wait for a writer instead of failing at once.
    db.pragma('busy_timeout = 5000')
    migrate(db)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

/**
 * `fn` (a transaction) with synchronous=FULL: the WAL is synced at its commit, so it is on disk, with
 * every commit before it, when `fn` returns. SQLite applies this pragma when it compiles it, and not
 * inside a transaction, so it runs afresh around `fn`, never from a cached statement.
 */
export function onDisk<A extends unknown[], R>(db: Db, fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    db.pragma('synchronous = FULL')
    try {
      return fn(...args)
    } finally {
      db.pragma(`synchronous = ${SYNCHRONOUS}`)
    }
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
