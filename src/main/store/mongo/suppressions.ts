// Numbers an account must not message (opt-outs), unique on (account, phone).
import type { Document } from 'mongodb'
import type { Suppression, SuppressionStore } from '../ports'
import { isDuplicateKey, isoNow, type Mongo } from './db'
import { fromMongoId, toMongoId } from './seedDocuments'

const toSuppression = (doc: Document): Suppression => ({
  accountId: fromMongoId(doc.accountId),
  phone: doc.phone,
  reason: doc.reason,
  source: doc.source,
  createdAt: doc.createdAt,
})

export function mongoSuppressions(mongo: Mongo): SuppressionStore {
  const { suppressions } = mongo.col
  return {
    async add(entry) {
      try {
        await suppressions.insertOne({ accountId: toMongoId(entry.accountId), phone: entry.phone, reason: entry.reason, source: entry.source, createdAt: isoNow() })
        return true
      } catch (err) {
        if (isDuplicateKey(err)) return false
        throw err
      }
    },

    async remove(accountId, phone) {
      return (await suppressions.deleteOne({ accountId: toMongoId(accountId), phone })).deletedCount > 0
    },

    async filter(accountId, phones) {
      if (phones.length === 0) return new Set()
      const found = await suppressions.find({ accountId: toMongoId(accountId), phone: { $in: phones } }).toArray()
      return new Set(found.map((doc) => doc.phone as string))
    },

    async list(accountId) {
      return (await suppressions.find({ accountId: toMongoId(accountId) }).sort({ createdAt: 1, phone: 1 }).toArray()).map(toSuppression)
    },
  }
}
