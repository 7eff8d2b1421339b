// Raw webhook deliveries: stored before the webhook is answered, processed after, and replayed to relays.
// `_id` is the sequence number: each delivery takes the next one after the highest stored, so a reader
// of `after(seq)` can never see a later number before an earlier one (no gaps to skip over).
import type { WebhookInboxStore } from '../ports'
import { DURABLE, isDuplicateKey, serialQueue, type Mongo } from './db'

export function mongoInbox(mongo: Mongo): WebhookInboxStore {
  const { inbox } = mongo.col
  // Appends wait for each other, not for the ledger's writes.
  const serial = serialQueue()
  const highestSeq = async (): Promise<number> => {
    const [last] = await inbox.find({}).sort({ _id: -1 }).limit(1).toArray()
    return last ? (last._id as unknown as number) : 0
  }
  return {
    async append(body, receivedAt) {
      return serial(async () => {
        for (;;) {
          const seq = (await highestSeq()) + 1
          try {
            // In the journal (and on a majority) before Meta is answered: a delivery lost to a power cut
            // could be the status that settles an uncertain row.
            await inbox.insertOne({ _id: seq, body, receivedAt, processedAt: null }, { writeConcern: DURABLE })
            return seq
          } catch (err) {
            // Another process took this number first: take the next.
            if (!isDuplicateKey(err)) throw err
          }
        }
      })
    },

    async unprocessed(limit) {
      const docs = await inbox.find({ processedAt: null }).sort({ _id: 1 }).limit(limit).toArray()
      return docs.map((doc) => ({ seq: doc._id as unknown as number, body: doc.body as string }))
    },

    async markProcessed(seqs) {
      if (seqs.length === 0) return
      await inbox.updateMany({ _id: { $in: seqs }, processedAt: null }, { $set: { processedAt: Date.now() } })
    },

    async after(seq, limit) {
      const docs = await inbox.find({ _id: { $gt: seq } }).sort({ _id: 1 }).limit(limit).toArray()
      return docs.map((doc) => ({ seq: doc._id as unknown as number, body: doc.body as string, receivedAt: doc.receivedAt as number }))
    },
  }
}
