// Campaigns (the seed's `campaigns` documents) and, at creation, their ledger rows; status changes are compare-and-set.
import { ObjectId, type Document } from 'mongodb'
import { AppError, notFound } from '../../../shared/errors'
import { CAMPAIGN_STATUSES, TERMINAL_CAMPAIGN_STATUSES, type Campaign, type CampaignStatus } from '../../../shared/types'
import type { CampaignPatch, CampaignStore, NewCampaign, NewRecipient } from '../ports'
import { isoNow, type Mongo } from './db'
import { variablesDocument } from './rows'
import { campaignDocument, campaignFromDocument, toMongoId, type CampaignDocument } from './seedDocuments'

const PATCH_FIELDS: readonly (keyof CampaignPatch)[] = ['startedAt', 'lastProcessedAt', 'completedAt', 'pausedAt', 'resumeAt', 'error', 'errorDetail', 'pacing']

/** Rows are inserted this many at a time: one round trip each, well under the 48 MB message limit. */
const INSERT_BATCH = 1_000

function patchSet(patch: CampaignPatch): Document {
  const set: Document = {}
  for (const [field, value] of Object.entries(patch) as [keyof CampaignPatch, unknown][]) {
    if (value === undefined) continue
    if (!PATCH_FIELDS.includes(field)) throw new AppError('invalid_args', `Campaigns have no field "${field}" to update.`)
    set[field] = value
  }
  return set
}

function checkStatus(status: string): void {
  if (!(CAMPAIGN_STATUSES as readonly string[]).includes(status)) {
    throw new AppError('invalid_args', `"${status}" is not a campaign status; use one of ${CAMPAIGN_STATUSES.join(', ')}.`)
  }
}

const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const

export const campaignOf = (doc: Document): Campaign => campaignFromDocument(doc as CampaignDocument)

/** The ledger rows of a new campaign, positions from `first` on. */
function recipientDocuments(campaignId: ObjectId, recipients: NewRecipient[], first: number, now: number): Document[] {
  return recipients.map((r, i) => {
    const skip = r.skipReason ?? null
    return {
      _id: new ObjectId(),
      campaignId,
      position: first + i,
      phone: r.phone,
      name: r.name,
      variables: variablesDocument(r.variables),
      state: skip ? 'skipped' : 'queued',
      attempts: 0,
      nextAttemptAt: null,
      wamid: null,
      waId: null,
      errorCode: null,
      errorMessage: skip ? (r.skipDetail ?? null) : null,
      skipReason: skip,
      sentAt: null,
      deliveredAt: null,
      readAt: null,
      failedAt: null,
      repliedAt: null,
      updatedAt: now,
      resolution: null,
      v: 0,
    }
  })
}

export function mongoCampaigns(mongo: Mongo): CampaignStore {
  const { campaigns, accounts, recipients: rows } = mongo.col
  const byId = (id: string) => campaigns.findOne({ _id: toMongoId(id) })

  return {
    async create(input: NewCampaign, recipients: NewRecipient[]) {
      const _id = new ObjectId()
      const now = Date.now()
      // Rows first, the campaign last: a campaign is visible only once all its rows are in, so a crash
      // halfway leaves rows of no campaign (never read) rather than a campaign missing rows.
      for (let first = 0; first < recipients.length; first += INSERT_BATCH) {
        await rows.insertMany(recipientDocuments(_id, recipients.slice(first, first + INSERT_BATCH), first, now), { ordered: true })
      }
      const campaign: Campaign = {
        id: _id.toHexString(),
        userId: input.userId,
        accountId: input.accountId,
        campaignName: input.campaignName,
        batchId: input.batchId,
        template: input.template,
        status: input.status,
        pacing: input.pacing,
        processed: 0,
        successCount: 0,
        failedCount: 0,
        contactsCount: recipients.length,
        deliveredCount: 0,
        readCount: 0,
        repliedCount: 0,
        skippedCount: recipients.filter((r) => r.skipReason).length,
        uncertainCount: 0,
        createdAt: isoNow(),
        startedAt: null,
        lastProcessedAt: null,
        completedAt: null,
        pausedAt: null,
        resumeAt: input.resumeAt ?? null,
        error: null,
        errorDetail: null,
      }
      await campaigns.insertOne({ ...campaignDocument(campaign), writesInFlight: 0 })
      return campaign
    },

    async get(id, userId) {
      const doc = await byId(id)
      const campaign = doc ? campaignOf(doc) : null
      return campaign && (userId === undefined || campaign.userId === userId) ? campaign : null
    },

    async list(userId, query) {
      const filter: Document = { userId: toMongoId(userId) }
      if (query.status !== undefined) {
        checkStatus(query.status)
        filter.status = query.status
      }
      if (query.accountId !== undefined) filter.accountId = toMongoId(query.accountId)
      return (await campaigns.find(filter).sort(NEWEST_FIRST).limit(query.limit).toArray()).map(campaignOf)
    },

    async listByStatus(statuses) {
      if (statuses.length === 0) return []
      statuses.forEach(checkStatus)
      return (await campaigns.find({ status: { $in: statuses } }).sort(NEWEST_FIRST).toArray()).map(campaignOf)
    },

    async transition(id, from, to, patch = {}) {
      checkStatus(to)
      if (from.length === 0) return null
      const moved = await campaigns.updateOne({ _id: toMongoId(id), status: { $in: [...from] } }, { $set: { ...patchSet(patch), status: to } })
      if (moved.matchedCount === 0) return null
      const doc = await byId(id)
      return doc ? campaignOf(doc) : null
    },

    async update(id, patch) {
      const set = patchSet(patch)
      if (Object.keys(set).length > 0) await campaigns.updateOne({ _id: toMongoId(id) }, { $set: set })
      const doc = await byId(id)
      if (!doc) throw notFound(`Campaign ${id}`)
      return campaignOf(doc)
    },

    async findActiveByTemplate(wabaId, templateName) {
      // Every campaign that may still send (scheduled and paused included): a paused template stops them all.
      const senders = (await accounts.find({ wabaId }).toArray()).map((doc) => doc._id)
      if (senders.length === 0) return []
      const docs = await campaigns
        .find({ accountId: { $in: senders }, 'template.name': templateName, status: { $nin: [...TERMINAL_CAMPAIGN_STATUSES] as CampaignStatus[] } })
        .sort(NEWEST_FIRST)
        .toArray()
      return docs.map(campaignOf)
    },
  }
}
