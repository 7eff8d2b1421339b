// A Pregón data folder (its pregon.db) as portable collections: rows read in key order, written by upsert.

import { createHash } from 'node:crypto'
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase, type Db } from '../sqlite/db'
import { DEFAULT_DB_FILE } from '../sqlite'
import { PRIVATE_FILE_MODE } from '../../fs/privateFiles'
import type { CollectionSpec, Doc, DocKey } from './collections'
import type { CopyProgress, PortableStore } from './portable'

export const COPY_PROGRESS_FILE = 'store-copy-progress.json'

/**
 * Campaigns still being created from a stream (status 'draft') are not part of the installation yet: neither
 * they nor their rows are copied, and `draft_status` (NULL once sealed) is not data of a sealed campaign.
 */
const LIVE_ONLY: Record<string, string> = {
  campaigns: "status != 'draft'",
  recipients: "campaign_id NOT IN (SELECT id FROM campaigns WHERE status = 'draft')",
}
const NOT_COPIED: Record<string, readonly string[]> = { campaigns: ['draft_status'] }

export interface SqlitePortableOptions {
  dataDir: string
  /** A source must already hold a database; a target is created when missing. */
  mustExist: boolean
}

export function openSqlitePortable(opts: SqlitePortableOptions): PortableStore {
  const file = join(opts.dataDir, DEFAULT_DB_FILE)
  if (opts.mustExist && !existsSync(file)) {
    throw new Error(`${opts.dataDir} is not a Pregón data folder (no ${DEFAULT_DB_FILE} in it). Check the path.`)
  }
  const db = openDatabase(file)
  const progressFile = join(opts.dataDir, COPY_PROGRESS_FILE)
  const columnsOf = tableColumns(db)

  return {
    label: opts.dataDir,
    async identity() {
      const row = db.prepare("SELECT key FROM installation_keys WHERE name = 'callback'").get() as { key: Buffer } | undefined
      return row ? createHash('sha256').update(row.key).digest('hex').slice(0, 32) : `empty:${file}`
    },
    async count(spec) {
      const where = LIVE_ONLY[spec.name] ? `WHERE ${LIVE_ONLY[spec.name]}` : ''
      return (db.prepare(`SELECT count(*) AS n FROM ${spec.name} ${where}`).get() as { n: number }).n
    },
    async read(spec, after, limit) {
      const keys = spec.key.join(', ')
      const conditions = [
        ...(LIVE_ONLY[spec.name] ? [LIVE_ONLY[spec.name]] : []),
        ...(after ? [`(${keys}) > (${spec.key.map(() => '?').join(', ')})`] : []),
      ]
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''
      const rows = db.prepare(`SELECT * FROM ${spec.name} ${where} ORDER BY ${keys} LIMIT ?`).all(...(after ?? []), limit) as Doc[]
      return rows.map((row) => fromRow(spec, row))
    },
    async write(spec, docs) {
      if (docs.length === 0) return
      const allowed = columnsOf(spec.name)
      const insert = upsertStatement(db, spec, docs, allowed)
      db.transaction(() => {
        for (const doc of docs) insert.run(...insert.fields.map((field) => toColumn(spec, field, doc[field])))
      })()
    },
    async loadProgress() {
      return existsSync(progressFile) ? (JSON.parse(readFileSync(progressFile, 'utf8')) as CopyProgress) : null
    },
    async saveProgress(progress) {
      if (!progress) return rmSync(progressFile, { force: true })
      const tmp = `${progressFile}.tmp`
      writeFileSync(tmp, JSON.stringify(progress), { mode: PRIVATE_FILE_MODE })
      renameSync(tmp, progressFile)
    },
    async close() {
      if (db.open) db.close()
    },
  }
}

/** A table's columns, read once: document fields are checked against them before they reach SQL. */
function tableColumns(db: Db): (table: string) => Set<string> {
  const cache = new Map<string, Set<string>>()
  return (table) => {
    let columns = cache.get(table)
    if (!columns) {
      columns = new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name))
      cache.set(table, columns)
    }
    return columns
  }
}

function fromRow(spec: CollectionSpec, row: Doc): Doc {
  const doc: Doc = { ...row }
  for (const column of NOT_COPIED[spec.name] ?? []) delete doc[column]
  for (const field of spec.json ?? []) if (typeof doc[field] === 'string') doc[field] = JSON.parse(doc[field] as string)
  for (const field of spec.bytes ?? []) if (Buffer.isBuffer(doc[field])) doc[field] = (doc[field] as Buffer).toString('base64')
  return doc
}

/** The batch's fields this table has; a field it lacks is refused unless no document has a value in it. */
function fieldsOf(spec: CollectionSpec, docs: Doc[], allowed: Set<string>): string[] {
  const fields = [...new Set(docs.flatMap((d) => Object.keys(d)))]
  const unknown = fields.filter((f) => !allowed.has(f) && docs.some((d) => d[f] !== null && d[f] !== undefined))
  if (unknown.length > 0) {
    throw new Error(`The source's ${spec.name} have fields this Pregón does not know (${unknown.join(', ')}): update Pregón first.`)
  }
  return fields.filter((f) => allowed.has(f))
}

// One statement per batch's field set; every document of a collection has the same fields.
function upsertStatement(db: Db, spec: CollectionSpec, docs: Doc[], allowed: Set<string>) {
  const fields = fieldsOf(spec, docs, allowed)
  const updates = fields.filter((f) => !spec.key.includes(f)).map((f) => `${f} = excluded.${f}`)
  const onConflict = updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'
  const stmt = db.prepare(
    `INSERT INTO ${spec.name} (${fields.join(', ')}) VALUES (${fields.map(() => '?').join(', ')})
     ON CONFLICT (${spec.key.join(', ')}) ${onConflict}`,
  )
  return { run: (...values: unknown[]) => stmt.run(...values), fields }
}

function toColumn(spec: CollectionSpec, field: string, value: unknown): unknown {
  // JSON columns are NOT NULL: a JSON null is the text 'null'.
  if (spec.json?.includes(field)) return JSON.stringify(value ?? null)
  if (value === undefined || value === null) return null
  if (spec.bytes?.includes(field)) return Buffer.from(String(value), 'base64')
  return typeof value === 'boolean' ? Number(value) : value
}

export type { DocKey }
