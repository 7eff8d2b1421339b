// Campaigns (the seed's `campaigns` documents) and, at creation, their ledger rows; status changes are compare-and-set.
import { ObjectId, type Document } from 'mongodb'
import { AppError, notFound } from '../../../shared/errors'
import { CAMPAIGN_STATUSES, TERMINAL_CAMPAIGN_STATUSES, type Campaign, type CampaignStatus } from '../../../shared/types'
import type { CampaignPatch, CampaignStore, NewCampaign, NewRecipient } from '../ports'
import { isoNow, type Doc, type Mongo } from './db'
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

const zeroCounters = () => ({ processed: 0, successCount: 0, failedCount: 0, deliveredCount: 0, readCount: 0, repliedCount: 0, uncertainCount: 0 })

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
  const { campaigns, accounts, recipients: rows, campaignDrafts: drafts } = mongo.col
  const byId = (id: string) => campaigns.findOne({ _id: toMongoId(id) })
  /** The draft, unless it is gone or already sealed (a crash between seal's two writes leaves both). */
  const liveDraft = async (id: string): Promise<Doc | null> => {
    const draft = await drafts.findOne({ _id: toMongoId(id) })
    return draft && !(await byId(id)) ? draft : null
  }

  const store: CampaignStore = {
    // A draft is a `campaign_drafts` document with the campaign's input and rows in `recipients` under
    // its id; `campaigns` gets the campaign only at seal, so the seed's collection never shows a
    // half-made one and the ledger (which claims only rows of a campaign) never sends from one.
    async begin(input: NewCampaign) {
      const _id = new ObjectId()
      await drafts.insertOne({ _id, input: { ...input, resumeAt: input.resumeAt ?? null } })
      return { id: _id.toHexString() }
    },

    async appendRecipients(draftId, batch) {
      const draft = await liveDraft(draftId)
      if (!draft) throw notFound(`Campaign draft ${draftId}`)
      if (batch.length === 0) return
      // The next position follows the rows already in: nothing to keep in step with them.
      const [last] = await rows.find({ campaignId: draft._id }).sort({ position: -1 }).limit(1).toArray()
      const first = last ? (last.position as number) + 1 : 0
      for (let offset = 0; offset < batch.length; offset += INSERT_BATCH) {
        await rows.insertMany(recipientDocuments(draft._id as ObjectId, batch.slice(offset, offset + INSERT_BATCH), first + offset, Date.now()), { ordered: true })
      }
    },

    async seal(draftId) {
      const draft = await liveDraft(draftId)
      if (!draft) throw notFound(`Campaign draft ${draftId}`)
      const input = draft.input as NewCampaign
      // Counted from the rows themselves, so the counters start equal to the ledger.
      const contactsCount = await rows.countDocuments({ campaignId: draft._id })
      const skippedCount = await rows.countDocuments({ campaignId: draft._id, state: 'skipped' })
      const campaign: Campaign = {
        ...input,
        id: draftId,
        resumeAt: input.resumeAt ?? null,
        ...zeroCounters(),
        contactsCount,
        skippedCount,
        createdAt: isoNow(),
        startedAt: null,
        lastProcessedAt: null,
        completedAt: null,
        pausedAt: null,
        error: null,
        errorDetail: null,
      }
      // The one write that makes it a campaign; the draft document left behind by a crash here is
      // recognised by its campaign and removed alone (discardUnsealed).
      await campaigns.insertOne({ ...campaignDocument(campaign), writesInFlight: 0 })
      await drafts.deleteOne({ _id: draft._id })
      return campaign
    },

    async discardDraft(draftId) {
      const draft = await liveDraft(draftId)
      if (!draft) return false
      await drafts.deleteOne({ _id: draft._id })
      await rows.deleteMany({ campaignId: draft._id })
      return true
    },

    async discardUnsealed() {
      let discarded = 0
      for (const draft of await drafts.find({}).toArray()) {
        if (await campaigns.findOne({ _id: draft._id })) {
          await drafts.deleteOne({ _id: draft._id })
          continue
        }
        await drafts.deleteOne({ _id: draft._id })
        await rows.deleteMany({ campaignId: draft._id })
        discarded++
      }
      return discarded
    },

    async create(input: NewCampaign, recipients: NewRecipient[]) {
      const draft = await store.begin(input)
      await store.appendRecipients(draft.id, recipients)
      return store.seal(draft.id)
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
  return store
}
