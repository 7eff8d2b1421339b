// Where a store lives, as a person types it: a data folder or a MongoDB connection string. A connection
// string's user and password are never shown back: every message uses `label`.

import path from 'node:path'

export type StoreLocation = { kind: 'sqlite'; dataDir: string; label: string } | { kind: 'mongodb'; uri: string; label: string }

const MONGO_SCHEME = /^mongodb(\+srv)?:\/\//i

export function parseStoreLocation(text: string): StoreLocation {
  const trimmed = text.trim()
  if (!trimmed) throw new Error('Give a data folder (e.g. ~/.config/pregon) or a MongoDB address (mongodb://host:27017/pregon).')
  if (MONGO_SCHEME.test(trimmed)) return { kind: 'mongodb', uri: trimmed, label: redactMongoUri(trimmed) }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new Error(`"${trimmed.split('://')[0]}://" is not a store Pregón knows: use a data folder or a mongodb:// address.`)
  }
  const dataDir = path.resolve(trimmed)
  return { kind: 'sqlite', dataDir, label: dataDir }
}

/** `mongodb://ana:secret@host/db?…` → `mongodb://…@host/db` (credentials and options left out). */
export function redactMongoUri(uri: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/)(?:[^@/]*@)?([^/?]*)(\/[^?]*)?/i.exec(uri.trim())
  if (!match) return 'mongodb://(address)'
  const [, scheme, hosts, dbPath] = match
  const hadCredentials = /^mongodb(?:\+srv)?:\/\/[^@/]*@/i.test(uri.trim())
  return `${scheme}${hadCredentials ? '…@' : ''}${hosts}${dbPath ?? ''}`
}

/** The database a MongoDB address names (`/pregon`), or `fallback`. */
export function mongoDatabaseName(uri: string, fallback = 'pregon'): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]+)/i.exec(uri.trim())
  return match ? decodeURIComponent(match[1]) : fallback
}
