// A MongoDB database of the MongoDB store (store/mongo) as portable collections: documents mapped to SQLite's
// rows field by field (mongoFields.ts), read in key order, written by key.

import { createHash } from 'node:crypto'
import { Binary, ObjectId, type Document, type Filter } from 'mongodb'
import { connectMongo, type Mongo } from '../mongo/db'
import { migrate } from '../mongo/migrations'
import { toMongoId } from '../mongo/seedDocuments'
import { redactMongoUri } from './location'
import type { CollectionSpec, Doc, DocKey } from './collections'
import { MONGO_COLLECTIONS, fromMongoValue, toMongoValue, type CollectionMap, type FieldKind } from './mongoFields'
import type { CopyProgress, PortableStore } from './portable'

const PROGRESS_ID = 'storeCopy'

export async function openMongoPortable(uri: string): Promise<PortableStore> {
  const mongo = await connectMongo({ uri })
  try {
    // A target gets the store's indexes and schema version, so `pregon serve --mongodb` opens it as its own.
    await migrate(mongo)
  } catch (error) {
    await mongo.client.close()
    throw error
  }
  const label = redactMongoUri(uri)
  const batchIds = batchIdCache(mongo)

  return {
    label,
    async identity() {
      const doc = await mongo.db.collection<Document>('installation_keys').findOne({ _id: 'callback' as never })
      return doc ? createHash('sha256').update(Buffer.from((doc.key as Binary).buffer)).digest('hex').slice(0, 32) : `empty:${label}`
    },
    async checkCopyable() {
      for (const [name, map] of Object.entries(MONGO_COLLECTIONS)) {
        if (!map.fields.some(([, field, kind]) => field === '_id' && kind === 'rowId')) continue
        const foreign = await mongo.db.collection(map.collection).findOne({ _id: { $type: 'objectId' } })
        if (foreign) fromMongoValue('rowId', foreign._id, name)
      }
    },
    async count(spec) {
      return mongo.db.collection(mapOf(spec).collection).countDocuments(await liveOnly(mongo, spec))
    },
    async read(spec, after, limit) {
      const map = mapOf(spec)
      const keys = keyFields(spec, map)
      const filter: Filter<Document> = { $and: [await liveOnly(mongo, spec), after ? afterFilter(keys, after) : {}] }
      const docs = await mongo.db
        .collection(map.collection)
        .find(filter)
        .sort(Object.fromEntries(keys.map(([, field]) => [field, 1])))
        .limit(limit)
        .toArray()
      return docs.map((doc) => fromMongoDoc(spec, map, doc))
    },
    async write(spec, docs) {
      if (docs.length === 0) return
      const map = mapOf(spec)
      const written = await Promise.all(docs.map(async (doc) => ({ ...toMongoDoc(map, doc), ...(await seedFields(spec, doc, batchIds)) })))
      await mongo.db.collection(map.collection).bulkWrite(
        written.map((doc) => ({ replaceOne: { filter: identityFilter(spec, map, doc), replacement: doc, upsert: true } })),
        { ordered: true },
      )
    },
    async loadProgress() {
      const doc = await mongo.col.meta.findOne({ _id: PROGRESS_ID })
      return doc ? (JSON.parse(doc.progress as string) as CopyProgress) : null
    },
    async saveProgress(progress) {
      if (!progress) await mongo.col.meta.deleteOne({ _id: PROGRESS_ID })
      else await mongo.col.meta.updateOne({ _id: PROGRESS_ID }, { $set: { progress: JSON.stringify(progress) } }, { upsert: true })
    },
    close: () => mongo.client.close(),
  }
}

function mapOf(spec: CollectionSpec): CollectionMap {
  const map = MONGO_COLLECTIONS[spec.name]
  if (!map) throw new Error(`No MongoDB collection for "${spec.name}".`)
  return map
}

/** The MongoDB fields (and kinds) of the spec's key columns. */
function keyFields(spec: CollectionSpec, map: CollectionMap): [string, string, FieldKind | undefined][] {
  return spec.key.map((column) => {
    const found = map.fields.find(([c]) => c === column)
    if (!found) throw new Error(`${spec.name}: key ${column} has no MongoDB field.`)
    return [column, found[1], found[2]]
  })
}

/**
 * Documents after a key, in MongoDB's order. Ids may be strings ('local', a SQLite UUID) or ObjectIds, and
 * MongoDB compares values of one type only: after a string come greater strings, then every ObjectId.
 */
function afterFilter(keys: [string, string, FieldKind | undefined][], after: DocKey): Filter<Document> {
  const greater = (field: string, kind: FieldKind | undefined, value: unknown): Filter<Document> => {
    const v = toMongoValue(kind, value)
    if (typeof v === 'string' && kind === 'ref') return { $or: [{ [field]: { $gt: v } }, { [field]: { $type: 'objectId' } }] }
    return { [field]: { $gt: v } }
  }
  const [[, first, firstKind], second] = keys
  if (!second) return greater(first, firstKind, after[0])
  return { $or: [greater(first, firstKind, after[0]), { [first]: toMongoValue(firstKind, after[0]), ...greater(second[1], second[2], after[1]) }] }
}

/** Rows of campaigns still being created (campaign_drafts) are not part of the installation yet. */
async function liveOnly(mongo: Mongo, spec: CollectionSpec): Promise<Filter<Document>> {
  if (spec.name !== 'recipients') return {}
  const drafts = await mongo.col.campaignDrafts.find({}).toArray()
  return drafts.length > 0 ? { campaignId: { $nin: drafts.map((d) => d._id) } } : {}
}

function fromMongoDoc(spec: CollectionSpec, map: CollectionMap, doc: Document): Doc {
  return Object.fromEntries(map.fields.map(([column, field, kind]) => [column, fromMongoValue(kind, doc[field], spec.name)]))
}

function toMongoDoc(map: CollectionMap, doc: Doc): Document {
  const out: Document = { ...(map.syntheticId ? { _id: map.syntheticId(doc) } : {}) }
  for (const [column, field, kind] of map.fields) out[field] = toMongoValue(kind, doc[column])
  return { ...out, ...map.extra }
}

/** By `_id` where the store keys by it; suppressions are unique on (accountId, phone) instead. */
function identityFilter(spec: CollectionSpec, map: CollectionMap, doc: Document): Filter<Document> {
  if (map.fields.some(([, field]) => field === '_id') || map.syntheticId) return { _id: doc._id }
  return Object.fromEntries(keyFields(spec, map).map(([, field]) => [field, doc[field]]))
}

/** The seed's send_logs and message_events carry their campaign's batchId, for `find({ batchId })`. */
async function seedFields(spec: CollectionSpec, doc: Doc, batchIds: (campaignId: string) => Promise<string | null>): Promise<Document> {
  if (spec.name !== 'send_logs' && spec.name !== 'message_events') return {}
  const campaignId = doc.campaign_id as string | null
  return { batchId: campaignId === null ? null : await batchIds(campaignId) }
}

function batchIdCache(mongo: Mongo): (campaignId: string) => Promise<string | null> {
  const cache = new Map<string, string | null>()
  return async (campaignId) => {
    if (!cache.has(campaignId)) {
      const id: ObjectId | string = toMongoId(campaignId)
      const campaign = await mongo.col.campaigns.findOne({ _id: id })
      cache.set(campaignId, (campaign?.batchId as string | undefined) ?? null)
    }
    return cache.get(campaignId) ?? null
  }
}
