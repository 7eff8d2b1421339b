// The MongoDB the desktop mirrors into: the seed's `campaigns`, `send_logs` and `message_events`, written by
// key (so a batch written twice is one copy), and one marker per installation that tells the mirror whether
// this is still the database it wrote to (a wiped or replaced one has no marker: everything is sent again).

import { randomUUID } from 'node:crypto'
import { MongoClient, type AnyBulkWriteOperation, type Document } from 'mongodb'
import { mongoDatabaseName } from '../transfer/location'
import type { CampaignDocument, MessageEventDocument, SendLogDocument } from '../mongo/seedDocuments'

export const MIRROR_MARKERS = 'pregon_mirror'

export interface MirrorTargetOptions {
  uri: string
  /** How long an operation waits for an unreachable server before it fails (the mirror then retries later). */
  timeoutMs: number
}

export interface MirrorTarget {
  /** This installation's marker in the target: the same while the target keeps what was written to it. */
  epoch(installationId: string): Promise<string>
  campaigns(docs: CampaignDocument[]): Promise<void>
  sendLogs(docs: (SendLogDocument & { _id: string })[]): Promise<void>
  events(docs: MessageEventDocument[]): Promise<void>
  close(): Promise<void>
}

export function openMirrorTarget(opts: MirrorTargetOptions): MirrorTarget {
  const client = new MongoClient(opts.uri, {
    serverSelectionTimeoutMS: opts.timeoutMs,
    connectTimeoutMS: opts.timeoutMs,
    socketTimeoutMS: opts.timeoutMs * 4,
    // Few, short writes: one connection is enough and keeps the desktop light.
    maxPoolSize: 2,
    appName: 'pregon-mirror',
  })
  const db = client.db(mongoDatabaseName(opts.uri))
  const write = async <T extends Document>(collection: string, ops: AnyBulkWriteOperation<T>[]) => {
    if (ops.length > 0) await db.collection<T>(collection).bulkWrite(ops, { ordered: true })
  }

  return {
    async epoch(installationId) {
      const markers = db.collection<{ _id: string; epoch: string; createdAt: Date }>(MIRROR_MARKERS)
      await markers.updateOne({ _id: installationId }, { $setOnInsert: { epoch: randomUUID(), createdAt: new Date() } }, { upsert: true })
      const marker = await markers.findOne({ _id: installationId })
      if (!marker) throw new Error('The mirror marker vanished as it was written; the next pass tries again.')
      return marker.epoch
    },
    campaigns: (docs) =>
      write<CampaignDocument>('campaigns', docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } }))),
    sendLogs: (docs) =>
      write<SendLogDocument & { _id: string }>('send_logs', docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } }))),
    // Keyed like the store's own unique index, (wamid, status): a status the server also stored is one document.
    events: (docs) =>
      write<MessageEventDocument>(
        'message_events',
        docs.map((doc) => ({ replaceOne: { filter: { wamid: doc.wamid, status: doc.status }, replacement: doc, upsert: true } })),
      ),
    close: () => client.close(),
  }
}
