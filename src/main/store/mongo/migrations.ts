// The schema of a Pregón MongoDB database: its indexes, made on every start, and numbered migrations
// tracked in one `schemaVersion` document, as SQLite tracks them in PRAGMA user_version.
import type { Db } from 'mongodb'
import { isDuplicateKey, type Mongo } from './db'

interface Migration {
  version: number
  name: string
  /** Must be safe to run twice: two processes starting together may both run it. */
  up(db: Db): Promise<void>
}

export const MONGO_MIGRATIONS: readonly Migration[] = [
  // The first schema is the collections and indexes below; nothing to transform.
  { version: 10, name: 'initial collections', up: async () => undefined },
]

export const LATEST_MONGO_SCHEMA_VERSION = MONGO_MIGRATIONS[MONGO_MIGRATIONS.length - 1].version

export class NewerMongoSchemaError extends Error {
  constructor(found: number) {
    super(
      `this database was written by a newer Pregón (schema version ${found}; this version knows up to ` +
        `${LATEST_MONGO_SCHEMA_VERSION}). Update Pregón, or point it at another database.`,
    )
    this.name = 'NewerMongoSchemaError'
  }
}

const SCHEMA_ID = 'schemaVersion'

export async function schemaVersionOf(mongo: Mongo): Promise<number> {
  const doc = await mongo.col.meta.findOne({ _id: SCHEMA_ID })
  return typeof doc?.version === 'number' ? doc.version : 0
}

/** Every index the stores rely on; unique ones are the guarantees the ports promise. */
async function ensureIndexes(mongo: Mongo): Promise<void> {
  const { col } = mongo
  await col.users.createIndex({ name: 1 }, { unique: true })
  await col.apiKeys.createIndex({ userId: 1 })
  await col.accounts.createIndex({ userId: 1, createdAt: 1 })
  await col.accounts.createIndex({ phoneNumberId: 1 })
  await col.accounts.createIndex({ wabaId: 1 })
  await col.campaigns.createIndex({ userId: 1, createdAt: -1 })
  await col.campaigns.createIndex({ status: 1 })
  await col.campaigns.createIndex({ writesInFlight: 1 })
  // claim reads one campaign's queued rows in position order straight off this index.
  await col.recipients.createIndex({ campaignId: 1, state: 1, position: 1 })
  await col.recipients.createIndex({ campaignId: 1, position: 1 }, { unique: true })
  await col.recipients.createIndex({ wamid: 1 })
  // Recovery after a crash looks only at rows left sending.
  await col.recipients.createIndex({ state: 1 })
  await col.sendLogs.createIndex({ campaignId: 1, at: 1 })
  await col.sendLogs.createIndex({ batchId: 1 })
  await col.messageEvents.createIndex({ wamid: 1, status: 1 }, { unique: true })
  await col.messageEvents.createIndex({ campaignId: 1, at: -1 })
  await col.messageEvents.createIndex({ batchId: 1 })
  await col.suppressions.createIndex({ accountId: 1, phone: 1 }, { unique: true })
  await col.accountRecipients.createIndex({ accountId: 1, lastSentAt: 1 })
  await col.inbox.createIndex({ processedAt: 1, _id: 1 })
}

/** Refuses a newer schema, then applies what is missing, each step moving the version by compare-and-set. */
export async function migrate(mongo: Mongo, migrations: readonly Migration[] = MONGO_MIGRATIONS): Promise<void> {
  const latest = migrations[migrations.length - 1].version
  const found = await schemaVersionOf(mongo)
  if (found > latest) throw new NewerMongoSchemaError(found)
  await ensureIndexes(mongo)
  for (const migration of migrations) {
    const current = await schemaVersionOf(mongo)
    if (current >= migration.version) continue
    await migration.up(mongo.db)
    if (current === 0) {
      await mongo.col.meta.updateOne({ _id: SCHEMA_ID }, { $setOnInsert: { version: migration.version } }, { upsert: true }).catch((err: unknown) => {
        // Another process made the document first: the compare-and-set below decides.
        if (!isDuplicateKey(err)) throw err
      })
    }
    await mongo.col.meta.updateOne({ _id: SCHEMA_ID, version: { $lt: migration.version } }, { $set: { version: migration.version } })
  }
}
