// Settings → Storage's "Test connection": reach the MongoDB, authenticate, write and read back a document in the
// database named, and say which of those failed. The address's credentials never appear in the answer.

import { MongoClient, MongoServerError } from 'mongodb'
import { mongoDatabaseName, parseStoreLocation } from '../transfer/location'

export type ConnectionFailure = 'invalid_address' | 'unreachable' | 'auth_failed' | 'not_writable'

export type ConnectionTestResult =
  | { ok: true; target: string; serverVersion: string | null }
  | { ok: false; target: string; reason: ConnectionFailure; detail: string }

const AUTH_CODES = new Set([13, 18]) // Unauthorized, AuthenticationFailed

export async function testMongoConnection(uri: string, timeoutMs = 5_000): Promise<ConnectionTestResult> {
  let target = 'mongodb://'
  try {
    const location = parseStoreLocation(uri)
    if (location.kind !== 'mongodb') throw new Error('A MongoDB address starts with mongodb:// or mongodb+srv://.')
    target = location.label
  } catch (error) {
    return { ok: false, target, reason: 'invalid_address', detail: (error as Error).message }
  }
  let client: MongoClient
  try {
    client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs, maxPoolSize: 1, appName: 'pregon-test' })
  } catch (error) {
    return { ok: false, target, reason: 'invalid_address', detail: scrub((error as Error).message, uri, target) }
  }
  try {
    const db = client.db(mongoDatabaseName(uri))
    const info = (await db.admin().command({ buildInfo: 1 }).catch(() => null)) as { version?: string } | null
    const probes = db.collection<{ _id: string; at: Date }>('pregon_mirror')
    await probes.updateOne({ _id: 'connection-test' }, { $set: { at: new Date() } }, { upsert: true })
    if (!(await probes.findOne({ _id: 'connection-test' }))) return { ok: false, target, reason: 'not_writable', detail: 'written, not read back' }
    return { ok: true, target, serverVersion: info?.version ?? null }
  } catch (error) {
    const detail = scrub((error as Error).message, uri, target)
    if (error instanceof MongoServerError && AUTH_CODES.has(Number(error.code))) return { ok: false, target, reason: 'auth_failed', detail }
    if (error instanceof MongoServerError) return { ok: false, target, reason: 'not_writable', detail }
    return { ok: false, target, reason: 'unreachable', detail }
  } finally {
    await client.close().catch(() => undefined)
  }
}

const scrub = (message: string, uri: string, label: string): string => message.replaceAll(uri, label)
