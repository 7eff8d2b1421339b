// Webhook statuses and inbound messages as received (the seed's `message_events`), unique on (wamid, status).
import type { MessageEventStore } from '../ports'
import { isDuplicateKey, type Mongo } from './db'
import { messageEventDocument, messageEventFromDocument, toMongoId, type MessageEventDocument } from './seedDocuments'

/** The seed finds a campaign's events by its batchId: look it up once per event of a campaign. */
export async function batchIdOf(mongo: Mongo, campaignId: string | null): Promise<string | null> {
  if (campaignId === null) return null
  const campaign = await mongo.col.campaigns.findOne({ _id: toMongoId(campaignId) })
  return (campaign?.batchId as string | undefined) ?? null
}

export function mongoEvents(mongo: Mongo): MessageEventStore {
  const events = mongo.col.messageEvents
  return {
    async insert(event) {
      try {
        await events.insertOne(messageEventDocument(event, await batchIdOf(mongo, event.campaignId)))
        return true
      } catch (err) {
        if (isDuplicateKey(err)) return false
        throw err
      }
    },

    async list(campaignId, limit) {
      const docs = await events.find({ campaignId: toMongoId(campaignId) }).sort({ at: -1, _id: -1 }).limit(limit).toArray()
      return docs.map((doc) => messageEventFromDocument(doc as unknown as MessageEventDocument))
    },
  }
}
