// Campaign counters as deltas of row state changes, and — where a server has no transactions — a
// marker that lets recovery recompute them from the rows when a crash split a write in two.
import type { ClientSession, Document } from 'mongodb'
import type { RecipientState } from '../../../shared/types'
import { inTransaction, type Mongo } from './db'
import { toMongoId } from './seedDocuments'

const COUNTERS = ['successCount', 'failedCount', 'uncertainCount', 'skippedCount', 'deliveredCount', 'readCount', 'repliedCount', 'processed'] as const
type Counters = Record<(typeof COUNTERS)[number], number>

const zero = (): Counters => Object.fromEntries(COUNTERS.map((key) => [key, 0])) as Counters

/** What one row in `state` adds to its campaign's counters (replies are counted apart). */
function contribution(state: RecipientState): Counters {
  const success = state === 'sent' || state === 'delivered' || state === 'read' ? 1 : 0
  const failed = state === 'failed' ? 1 : 0
  const uncertain = state === 'uncertain' ? 1 : 0
  return {
    successCount: success,
    failedCount: failed,
    uncertainCount: uncertain,
    skippedCount: state === 'skipped' ? 1 : 0,
    deliveredCount: state === 'delivered' || state === 'read' ? 1 : 0,
    readCount: state === 'read' ? 1 : 0,
    repliedCount: 0,
    processed: success + failed + uncertain,
  }
}

/** Collects counter changes while rows move; deriving them from each row's old and new state keeps them equal to the rows. */
export class CounterDeltas {
  private readonly byCampaign = new Map<string, Counters>()

  move(campaignId: string, from: RecipientState, to: RecipientState, rows = 1): void {
    if (from === to || rows === 0) return
    const before = contribution(from)
    const after = contribution(to)
    const delta = this.deltaOf(campaignId)
    for (const key of COUNTERS) delta[key] += (after[key] - before[key]) * rows
  }

  replied(campaignId: string): void {
    this.deltaOf(campaignId).repliedCount += 1
  }

  entries(): [string, Counters][] {
    return [...this.byCampaign]
  }

  private deltaOf(campaignId: string): Counters {
    let delta = this.byCampaign.get(campaignId)
    if (!delta) {
      delta = zero()
      this.byCampaign.set(campaignId, delta)
    }
    return delta
  }
}

/**
 * Runs ledger writes that move counters of `campaignIds`, then writes the counters. In a transaction
 * when the server has them. On a standalone mongod each campaign's `writesInFlight` is raised first and
 * lowered in the same single-document write that adds its counters: one left above 0 by a crash (or a
 * failed write) says the rows may be ahead of the counters, and `recount` makes them equal again.
 * `lastProcessedAt` (ISO) is stamped on every campaign in `campaignIds` when given.
 */
export async function withCounters<T>(
  mongo: Mongo,
  campaignIds: readonly string[],
  lastProcessedAt: string | null,
  work: (counters: CounterDeltas, session: ClientSession | undefined) => Promise<T>,
): Promise<T> {
  const ids = [...new Set(campaignIds)]
  const marked = mongo.transactions ? [] : ids
  if (marked.length > 0) await mongo.col.campaigns.updateMany({ _id: { $in: marked.map(toMongoId) } }, { $inc: { writesInFlight: 1 } })
  try {
    return await inTransaction(mongo, async (session) => {
      const counters = new CounterDeltas()
      const result = await work(counters, session)
      const deltas = new Map(counters.entries())
      for (const id of new Set([...ids, ...deltas.keys()])) {
        const update: Document = { $inc: { ...(deltas.get(id) ?? {}), ...(marked.includes(id) ? { writesInFlight: -1 } : {}) } }
        if (lastProcessedAt !== null && ids.includes(id)) update.$set = { lastProcessedAt }
        if (Object.keys(update.$inc as Document).length > 0 || update.$set) {
          await mongo.col.campaigns.updateOne({ _id: toMongoId(id) }, update, { session })
        }
      }
      return result
    })
  } catch (err) {
    if (marked.length > 0) await recount(mongo, marked, true)
    throw err
  }
}

/** Sets each campaign's counters to what its rows say; `settleMarker` lowers the marker this process raised. */
export async function recount(mongo: Mongo, campaignIds: readonly string[], settleMarker = false): Promise<void> {
  for (const id of campaignIds) {
    const campaignId = toMongoId(id)
    const groups = await mongo.col.recipients.aggregate<{ _id: RecipientState; n: number }>([
      { $match: { campaignId } },
      { $group: { _id: '$state', n: { $sum: 1 } } },
    ]).toArray()
    const counters = zero()
    let contactsCount = 0
    for (const { _id: state, n } of groups) {
      contactsCount += n
      const each = contribution(state)
      for (const key of COUNTERS) counters[key] += each[key] * n
    }
    counters.repliedCount = await mongo.col.recipients.countDocuments({ campaignId, repliedAt: { $ne: null } })
    const update: Document = { $set: { ...counters, contactsCount } }
    if (settleMarker) update.$inc = { writesInFlight: -1 }
    else update.$set.writesInFlight = 0
    await mongo.col.campaigns.updateOne({ _id: campaignId }, update)
  }
}
