// Ledger rows (`recipients`) as documents, and how a row changes after a send outcome or a webhook
// status — the same rules as the SQLite ledger, on our Recipient shape.
import type { ClientSession, Document } from 'mongodb'
import { assertNever } from '../../../shared/assertNever'
import { DELIVERY_RANK, type Recipient, type RecipientState } from '../../../shared/types'
import type { SendOutcome, StatusUpdate } from '../ports'
import type { Mongo } from './db'
import { fromMongoId, toMongoId } from './seedDocuments'

/** A row as read, with the version every write compares and bumps (so two writers never overwrite each other). */
export type Row = Recipient & { v: number }

/** Contact fields as name/value pairs: a column named `Sr.` or `$precio` is a valid field name nowhere else. */
export const variablesDocument = (variables: Record<string, string>): { name: string; value: string }[] =>
  Object.entries(variables).map(([name, value]) => ({ name, value }))

export const toRow = (doc: Document): Row => ({
  id: fromMongoId(doc._id),
  campaignId: fromMongoId(doc.campaignId),
  position: doc.position,
  phone: doc.phone,
  name: doc.name ?? null,
  variables: Object.fromEntries((doc.variables as { name: string; value: string }[]).map((v) => [v.name, v.value])),
  state: doc.state,
  attempts: doc.attempts,
  nextAttemptAt: doc.nextAttemptAt ?? null,
  wamid: doc.wamid ?? null,
  waId: doc.waId ?? null,
  errorCode: doc.errorCode ?? null,
  errorMessage: doc.errorMessage ?? null,
  skipReason: doc.skipReason ?? null,
  sentAt: doc.sentAt ?? null,
  deliveredAt: doc.deliveredAt ?? null,
  readAt: doc.readAt ?? null,
  failedAt: doc.failedAt ?? null,
  repliedAt: doc.repliedAt ?? null,
  updatedAt: doc.updatedAt,
  resolution: doc.resolution ?? null,
  v: doc.v ?? 0,
})

export const toRecipient = ({ v: _v, ...recipient }: Row): Recipient => recipient

/** The fields a write may change (everything but identity and contact data). */
const mutable = (row: Row): Document => ({
  state: row.state,
  attempts: row.attempts,
  nextAttemptAt: row.nextAttemptAt,
  wamid: row.wamid,
  waId: row.waId,
  errorCode: row.errorCode,
  errorMessage: row.errorMessage,
  skipReason: row.skipReason,
  sentAt: row.sentAt,
  deliveredAt: row.deliveredAt,
  readAt: row.readAt,
  failedAt: row.failedAt,
  repliedAt: row.repliedAt,
  updatedAt: row.updatedAt,
  resolution: row.resolution,
})

/**
 * Writes each row over the version it was read at. Returns the ids whose version had moved meanwhile
 * (another process wrote them): their change was not made, the caller reads and decides again.
 */
export async function writeRows(mongo: Mongo, changes: { before: Row; after: Row }[], session?: ClientSession): Promise<string[]> {
  if (changes.length === 0) return []
  const token = `${process.pid}.${Date.now()}.${Math.random()}`
  const result = await mongo.col.recipients.bulkWrite(
    changes.map(({ before, after }) => ({
      updateOne: { filter: { _id: toMongoId(before.id), v: before.v }, update: { $set: { ...mutable(after), v: before.v + 1, writtenBy: token } } },
    })),
    { ordered: true, session },
  )
  if (result.matchedCount === changes.length) return []
  const ids = changes.map(({ before }) => toMongoId(before.id))
  const written = await mongo.col.recipients.find({ _id: { $in: ids }, writtenBy: token }, { session }).toArray()
  const done = new Set(written.map((doc) => fromMongoId(doc._id)))
  return changes.map(({ before }) => before.id).filter((id) => !done.has(id))
}

const SUCCESS_STATES: readonly RecipientState[] = ['sent', 'delivered', 'read']

/** Rows whose send never got an answer (or failed without a wamid) learn their fate from a webhook. */
export const awaitsStatus = (row: Row): boolean =>
  row.state === 'sending' || row.state === 'uncertain' || (row.state === 'failed' && row.wamid === null)

/** The row after one send outcome; outcomes other than `sent` apply only to a row still `sending`. */
export function afterOutcome(row: Row, outcome: SendOutcome, now: number): Row {
  const base = { ...row, updatedAt: now }
  if (outcome.kind === 'sent') {
    // A webhook may have got here first (matched by callback id): keep what it learned.
    const settled = SUCCESS_STATES.includes(row.state) || row.state === 'failed'
    return {
      ...base,
      state: settled ? row.state : 'sent',
      wamid: row.wamid ?? outcome.wamid,
      waId: outcome.waId ?? row.waId,
      sentAt: row.sentAt ?? now,
      nextAttemptAt: null,
      errorCode: settled ? row.errorCode : null,
      errorMessage: settled ? row.errorMessage : null,
    }
  }
  if (row.state !== 'sending') return row
  switch (outcome.kind) {
    case 'retry':
      return { ...base, state: 'retry_wait', nextAttemptAt: outcome.nextAttemptAt, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage }
    case 'failed':
      return { ...base, state: 'failed', failedAt: now, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage }
    case 'uncertain':
      return { ...base, state: 'uncertain', errorMessage: outcome.errorMessage }
    // Neither left the machine, so the attempt the claim counted did not happen.
    case 'requeue':
      return { ...base, state: 'queued', attempts: Math.max(0, row.attempts - 1) }
    case 'skipped':
      return { ...base, state: 'skipped', attempts: Math.max(0, row.attempts - 1), skipReason: outcome.reason, errorMessage: outcome.detail }
    default:
      return assertNever(outcome, 'send outcome')
  }
}

/** The row after a webhook status, or null when it changes nothing (statuses only move forward). */
export function afterStatus(row: Row, update: StatusUpdate, now: number): Row | null {
  const unresolved = awaitsStatus(row)
  const base: Row = {
    ...row,
    wamid: row.wamid ?? update.wamid,
    waId: row.waId ?? update.recipientWaId ?? null,
    updatedAt: now,
    resolution: row.state === 'uncertain' ? 'status' : row.resolution,
  }
  if (update.status === 'failed') {
    if (!unresolved && row.state !== 'sent' && row.state !== 'delivered') return null
    return { ...base, state: 'failed', failedAt: update.at, errorCode: update.errorCode ?? null, errorMessage: update.errorMessage ?? null, nextAttemptAt: null }
  }
  const target = DELIVERY_RANK[update.status] as number
  const current = DELIVERY_RANK[row.state]
  if (!unresolved && (current === undefined || current >= target)) return null
  const resolved = unresolved ? { errorCode: null, errorMessage: null, failedAt: null, nextAttemptAt: null } : {}
  return {
    ...base,
    ...resolved,
    state: update.status,
    sentAt: row.sentAt ?? update.at,
    // A read without a delivered counts as both.
    deliveredAt: target >= 2 ? (row.deliveredAt ?? update.at) : row.deliveredAt,
    readAt: target >= 3 ? (row.readAt ?? update.at) : row.readAt,
  }
}
