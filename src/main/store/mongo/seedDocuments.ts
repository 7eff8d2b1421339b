// Our domain records ↔ the documents of the seed's MongoDB collections (`campaigns`, `send_logs`,
// `message_events`). Pure functions: the MongoDB store writes and reads through them, and the desktop
// mirror copies SQLite rows into MongoDB with them, so both produce the very same documents.
//
// The seed's field names are kept where the seed has them (campaignName, batchId, processed,
// successCount, failedCount, contactsCount, createdAt, startedAt … ISO-8601 strings for the campaign's
// times, as its documents show). Ids the seed keeps as ObjectId (`_id`, `userId`) are ObjectIds when
// ours are 24 hex digits, so `db.campaigns.findOne({ _id: ObjectId("…") })` works as the seed says; any
// other id (a SQLite campaign's UUID, the desktop's `local` user) is stored as the string it is.
import { ObjectId } from 'mongodb'
import type { Campaign, CampaignError, CampaignStatus, PacingProfile, TemplateSpec } from '../../../shared/types'
import type { MessageEvent, SendOutcome } from '../ports'

/** What `_id` and references hold: an ObjectId for 24 hex digits, else the id itself. */
export type MongoId = ObjectId | string

const OBJECT_ID = /^[0-9a-f]{24}$/

export const toMongoId = (id: string): MongoId => (OBJECT_ID.test(id) ? new ObjectId(id) : id)

export const fromMongoId = (id: MongoId): string => (typeof id === 'string' ? id : id.toHexString())

/** Nullable references (an inbound event with no campaign). */
const toMongoRef = (id: string | null): MongoId | null => (id === null ? null : toMongoId(id))
const fromMongoRef = (id: MongoId | null | undefined): string | null => (id === null || id === undefined ? null : fromMongoId(id))

// ───────────────────────────── campaigns ─────────────────────────────

/** A document of the seed's `campaigns` collection, with our extra counters and fields beside the seed's. */
export interface CampaignDocument {
  _id: MongoId
  userId: MongoId
  accountId: MongoId
  campaignName: string
  batchId: string
  template: TemplateSpec
  status: CampaignStatus
  pacing: PacingProfile
  processed: number
  successCount: number
  failedCount: number
  contactsCount: number
  deliveredCount: number
  readCount: number
  repliedCount: number
  skippedCount: number
  uncertainCount: number
  createdAt: string
  startedAt: string | null
  lastProcessedAt: string | null
  completedAt: string | null
  pausedAt: string | null
  resumeAt: string | null
  error: CampaignError | null
  errorDetail: string | null
}

export function campaignDocument(campaign: Campaign): CampaignDocument {
  const { id, userId, accountId, ...fields } = campaign
  return { _id: toMongoId(id), userId: toMongoId(userId), accountId: toMongoId(accountId), ...fields }
}

export function campaignFromDocument(doc: CampaignDocument): Campaign {
  return {
    id: fromMongoId(doc._id),
    userId: fromMongoId(doc.userId),
    accountId: fromMongoId(doc.accountId),
    campaignName: doc.campaignName,
    batchId: doc.batchId,
    template: doc.template,
    status: doc.status,
    pacing: doc.pacing,
    processed: doc.processed,
    successCount: doc.successCount,
    failedCount: doc.failedCount,
    contactsCount: doc.contactsCount,
    deliveredCount: doc.deliveredCount,
    readCount: doc.readCount,
    repliedCount: doc.repliedCount,
    skippedCount: doc.skippedCount,
    uncertainCount: doc.uncertainCount,
    createdAt: doc.createdAt,
    startedAt: doc.startedAt ?? null,
    lastProcessedAt: doc.lastProcessedAt ?? null,
    completedAt: doc.completedAt ?? null,
    pausedAt: doc.pausedAt ?? null,
    resumeAt: doc.resumeAt ?? null,
    error: doc.error ?? null,
    errorDetail: doc.errorDetail ?? null,
  }
}

// ───────────────────────────── send_logs ─────────────────────────────

/** One send attempt as the ledger keeps it (SQLite's `send_logs` row, in our names). */
export interface SendLogEntry {
  campaignId: string
  recipientId: string
  /** Epoch ms. */
  at: number
  outcome: SendOutcome['kind']
  httpStatus: number | null
  errorCode: number | null
  wamid: string | null
  latencyMs: number
  summary: string | null
}

/**
 * A document of the seed's `send_logs`: one per attempt, findable by the campaign's `batchId` as the
 * seed's troubleshooting guide does (`db.send_logs.find({ batchId })`). `at` is a BSON date, so the
 * mongo shell shows it readably and date queries work.
 */
export interface SendLogDocument {
  campaignId: MongoId
  batchId: string
  recipientId: MongoId
  at: Date
  outcome: SendOutcome['kind']
  httpStatus: number | null
  errorCode: number | null
  wamid: string | null
  latencyMs: number
  summary: string | null
}

export function sendLogDocument(entry: SendLogEntry, batchId: string): SendLogDocument {
  return {
    campaignId: toMongoId(entry.campaignId),
    batchId,
    recipientId: toMongoId(entry.recipientId),
    at: new Date(entry.at),
    outcome: entry.outcome,
    httpStatus: entry.httpStatus,
    errorCode: entry.errorCode,
    wamid: entry.wamid,
    latencyMs: Math.round(entry.latencyMs),
    summary: entry.summary,
  }
}

export function sendLogFromDocument(doc: SendLogDocument): SendLogEntry {
  return {
    campaignId: fromMongoId(doc.campaignId),
    recipientId: fromMongoId(doc.recipientId),
    at: doc.at.getTime(),
    outcome: doc.outcome,
    httpStatus: doc.httpStatus ?? null,
    errorCode: doc.errorCode ?? null,
    wamid: doc.wamid ?? null,
    latencyMs: doc.latencyMs,
    summary: doc.summary ?? null,
  }
}

// ───────────────────────────── message_events ─────────────────────────────

/**
 * A document of the seed's `message_events`: one per webhook status or inbound message, unique on
 * (wamid, status), findable by `batchId` (null for an event of no campaign of ours). `payload` stays the
 * exact JSON text received, so nothing in it is lost or reordered.
 */
export interface MessageEventDocument {
  wamid: string
  kind: MessageEvent['kind']
  status: string
  campaignId: MongoId | null
  batchId: string | null
  recipientId: MongoId | null
  phone: string | null
  at: Date
  errorCode: number | null
  payload: string
}

export function messageEventDocument(event: MessageEvent, batchId: string | null): MessageEventDocument {
  return {
    wamid: event.wamid,
    kind: event.kind,
    status: event.status,
    campaignId: toMongoRef(event.campaignId),
    batchId: event.campaignId === null ? null : batchId,
    recipientId: toMongoRef(event.recipientId),
    phone: event.phone,
    at: new Date(event.at),
    errorCode: event.errorCode,
    payload: event.payload,
  }
}

export function messageEventFromDocument(doc: MessageEventDocument): MessageEvent {
  return {
    wamid: doc.wamid,
    kind: doc.kind,
    status: doc.status,
    campaignId: fromMongoRef(doc.campaignId),
    recipientId: fromMongoRef(doc.recipientId),
    phone: doc.phone ?? null,
    at: doc.at.getTime(),
    errorCode: doc.errorCode ?? null,
    payload: doc.payload,
  }
}
