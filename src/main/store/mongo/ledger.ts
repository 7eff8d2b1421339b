// The ledger on MongoDB: one `recipients` document per (campaign, recipient), one `send_logs` document per
// attempt, webhook statuses in `message_events`, counters kept in step (counters.ts).
//
// Every row write is a compare-and-set — on the state it must leave (claims, bulk moves) or on the
// version it was read at (rows.ts) — so two processes sharing the database never both move one row.
// Mutations of this process run one at a time (`mongo.serial`), as SQLite's single writer does.
import { randomUUID } from 'node:crypto'
import type { ClientSession, Document } from 'mongodb'
import { AppError, notFound } from '../../../shared/errors'
import { RECIPIENT_STATES, type RecipientState, type SkipReason } from '../../../shared/types'
import { callbackDataFor, isAddressedTo, isFromAnotherSender, rowIdFromCallback, type RowAddress } from '../correlation'
import type { ClaimedRecipient, LedgerStore, SendOutcome, StatusApplyResult, StatusUpdate } from '../ports'
import { recount, withCounters, type CounterDeltas } from './counters'
import { DURABLE, isDuplicateKey, isoAt, type Mongo } from './db'
import { batchIdOf } from './events'
import { afterOutcome, afterStatus, awaitsStatus, toRecipient, toRow, writeRows, type Row } from './rows'
import { fromMongoId, messageEventDocument, sendLogDocument, toMongoId, type MongoId, type SendLogEntry } from './seedDocuments'

const OPTED_OUT_CODE = 131050
const INTERRUPTED = 'Pregón stopped while this message was being sent; it may or may not have left.'
/** A row another process moved meanwhile is read and decided again, this many times at most. */
const MAX_ROUNDS = 5

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** `callbackKey` signs each claim's callback data (store/correlation.ts): the installation's own. */
export function mongoLedger(mongo: Mongo, callbackKey: Buffer): LedgerStore {
  const { campaigns, recipients, sendLogs, messageEvents, accountRecipients, accounts } = mongo.col

  const rowsById = async (ids: readonly string[], session?: ClientSession): Promise<Map<string, Row>> => {
    const docs = await recipients.find({ _id: { $in: ids.map(toMongoId) } }, { session }).toArray()
    return new Map(docs.map((doc) => [fromMongoId(doc._id), toRow(doc)]))
  }
  const campaignDoc = async (campaignId: string): Promise<Document> => {
    const doc = await campaigns.findOne({ _id: toMongoId(campaignId) })
    if (!doc) throw notFound(`Campaign ${campaignId}`)
    return doc
  }

  /**
   * Moves rows by `decide` (null: no change), re-reading any another process changed meanwhile, and
   * counts each move. Returns the rows as written.
   */
  async function moveRows(ids: readonly string[], decide: (row: Row) => Row | null, counters: CounterDeltas, session?: ClientSession): Promise<Row[]> {
    const written: Row[] = []
    let pending = [...new Set(ids)]
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) throw new AppError('conflict', `Recipients ${pending.join(', ')} kept changing under this write; try again.`)
      const rows = await rowsById(pending, session)
      const changes = pending.flatMap((id) => {
        const before = rows.get(id)
        const after = before ? decide(before) : null
        return before && after ? [{ before, after }] : []
      })
      const moved = new Set(await writeRows(mongo, changes, session))
      for (const { before, after } of changes) {
        if (moved.has(before.id)) continue
        counters.move(before.campaignId, before.state, after.state)
        written.push(after)
      }
      pending = [...moved]
    }
    return written
  }

  /** The moving-24 h messaging tier: each number this account reached, with its last send. */
  async function touchTier(accountId: string, phones: string[], at: number, session?: ClientSession): Promise<void> {
    if (phones.length === 0) return
    const keys = [...new Set(phones)].map((phone) => `${accountId}:${phone}`)
    // `$max` would do this in one write; it is not in every server that speaks the protocol, this is.
    await accountRecipients.updateMany({ _id: { $in: keys }, lastSentAt: { $lt: at } }, { $set: { lastSentAt: at } }, { session })
    const known = new Set((await accountRecipients.find({ _id: { $in: keys } }, { session }).toArray()).map((doc) => doc._id as unknown as string))
    for (const key of keys.filter((k) => !known.has(k))) {
      try {
        await accountRecipients.insertOne({ _id: key, accountId: toMongoId(accountId), phone: key.slice(accountId.length + 1), lastSentAt: at }, { session })
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
      }
    }
  }

  const logEntry = (campaignId: string, outcome: SendOutcome, now: number): SendLogEntry | null => {
    // Attempts that never left the machine have nothing to log; a refused one keeps Meta's answer.
    const log = outcome.kind === 'requeue' ? outcome.refused?.log : outcome.kind === 'skipped' ? null : outcome.log
    if (!log) return null
    const errorCode =
      outcome.kind === 'retry' || outcome.kind === 'failed' ? outcome.errorCode : outcome.kind === 'requeue' ? (outcome.refused?.errorCode ?? null) : null
    return {
      campaignId,
      recipientId: outcome.recipientId,
      at: now,
      outcome: outcome.kind,
      httpStatus: log.httpStatus,
      errorCode,
      wamid: outcome.kind === 'sent' ? outcome.wamid : null,
      latencyMs: log.latencyMs,
      summary: log.summary ?? null,
    }
  }

  /** Up to `limit` due rows of a campaign in position order: queued ones and retries whose time has come. */
  async function dueRows(campaignId: string, limit: number, now: number): Promise<Document[]> {
    const id = toMongoId(campaignId)
    const queued = await recipients.find({ campaignId: id, state: 'queued' }).sort({ position: 1 }).limit(limit).toArray()
    const due = await recipients.find({ campaignId: id, state: 'retry_wait', nextAttemptAt: { $lte: now } }).sort({ position: 1 }).limit(limit).toArray()
    return [...queued, ...due].sort((a, b) => a.position - b.position).slice(0, limit)
  }

  /**
   * One compare-and-set for a batch: each row moves only if it is still due, and the token names the rows
   * this call moved — a row another process claimed first is not among them. Journaled on a majority
   * before it resolves, so a power cut cannot make a claimed row look unclaimed.
   */
  async function claimAmong(picked: Document[], now: number): Promise<Document[]> {
    const token = randomUUID()
    const ids = picked.map((doc) => doc._id as MongoId)
    await recipients.updateMany(
      { _id: { $in: ids }, $or: [{ state: 'queued' }, { state: 'retry_wait', nextAttemptAt: { $lte: now } }] },
      { $set: { state: 'sending', nextAttemptAt: null, updatedAt: now, claim: token }, $inc: { attempts: 1, v: 1 } },
      { writeConcern: DURABLE },
    )
    return recipients.find({ _id: { $in: ids }, claim: token }).toArray()
  }

  async function claim(campaignId: string, limit: number, now: number): Promise<ClaimedRecipient[]> {
    // Rows of an unsealed draft (no campaign yet) wait for its seal: a crash before it sends nothing.
    if (!(await campaigns.findOne({ _id: toMongoId(campaignId) }))) return []
    const mine: Document[] = []
    // Rows another process took between our read and our write are replaced by the next due ones.
    for (let round = 0; round < MAX_ROUNDS && mine.length < limit; round++) {
      const picked = await dueRows(campaignId, limit - mine.length, now)
      if (picked.length === 0) break
      const won = await claimAmong(picked, now)
      mine.push(...won)
      if (won.length === picked.length) break
    }
    return mine
      .map(toRow)
      .sort((a, b) => a.position - b.position)
      .map((row) => ({
        id: row.id,
        campaignId,
        position: row.position,
        phone: row.phone,
        name: row.name,
        variables: row.variables,
        state: 'sending' as const,
        attempts: row.attempts,
        callbackData: callbackDataFor(callbackKey, row.id),
      }))
  }

  async function record(campaignId: string, outcomes: SendOutcome[], now: number): Promise<void> {
    const campaign = await campaignDoc(campaignId)
    const known = await rowsById(outcomes.map((o) => o.recipientId))
    for (const outcome of outcomes) {
      if (known.get(outcome.recipientId)?.campaignId !== campaignId) {
        throw new AppError('invalid_args', `Recipient ${outcome.recipientId} is not part of campaign ${campaignId}.`)
      }
    }
    const byRow = new Map(outcomes.map((o) => [o.recipientId, o]))
    await withCounters(mongo, [campaignId], isoAt(now), async (counters, session) => {
      await moveRows([...byRow.keys()], (row) => {
        const next = afterOutcome(row, byRow.get(row.id) as SendOutcome, now)
        return next === row ? null : next
      }, counters, session)
      const logs = outcomes.flatMap((o) => logEntry(campaignId, o, now) ?? [])
      if (logs.length > 0) await sendLogs.insertMany(logs.map((entry) => sendLogDocument(entry, campaign.batchId)), { ordered: true, session })
      const sentPhones = outcomes.flatMap((o) => (o.kind === 'sent' ? [(known.get(o.recipientId) as Row).phone] : []))
      await touchTier(fromMongoId(campaign.accountId), sentPhones, now, session)
    })
  }

  /** The sender number of each campaign (null when its account is gone), for the correlation checks. */
  function sendersCache(): (campaignId: string) => Promise<string | null> {
    const cache = new Map<string, Promise<string | null>>()
    return (campaignId) => {
      let sender = cache.get(campaignId)
      if (!sender) {
        sender = (async () => {
          const campaign = await campaigns.findOne({ _id: toMongoId(campaignId) })
          const account = campaign ? await accounts.findOne({ _id: campaign.accountId }) : null
          return (account?.phoneNumberId as string | undefined) ?? null
        })()
        cache.set(campaignId, sender)
      }
      return sender
    }
  }

  async function applyStatuses(updates: StatusUpdate[]): Promise<StatusApplyResult> {
    const result: StatusApplyResult = { applied: 0, duplicates: 0, unknown: 0, optedOut: [], campaignIds: [] }
    const key = callbackKey
    const senderOf = sendersCache()
    const addressOf = async (row: Row): Promise<RowAddress> => ({ phoneNumberId: await senderOf(row.campaignId), phone: row.phone, waId: row.waId })
    // The newest row with each wamid; then the rows named by callback data.
    const byWamid = new Map<string, Row>()
    const withWamid = await recipients.find({ wamid: { $in: [...new Set(updates.map((u) => u.wamid))] } }).sort({ _id: 1 }).toArray()
    for (const doc of withWamid) byWamid.set(doc.wamid as string, toRow(doc))
    const callbackIds = updates.flatMap((u) => (byWamid.has(u.wamid) ? [] : (rowIdFromCallback(key, u.callbackId) ?? [])))
    const byCallback = await rowsById(callbackIds)

    // Each update in order against a working copy, as if applied one by one: a row that gains a wamid
    // from one status is found by it for the next, and is no longer awaiting a callback status.
    const current = new Map<string, Row>()
    const latest = (row: Row): Row => current.get(row.id) ?? row
    const rowFor = async (update: StatusUpdate): Promise<Row | undefined> => {
      const known = byWamid.get(update.wamid)
      if (known) return isFromAnotherSender(await addressOf(known), update) ? undefined : latest(known)
      const found = byCallback.get(rowIdFromCallback(key, update.callbackId) ?? '')
      const candidate = found && latest(found)
      return candidate && awaitsStatus(candidate) && isAddressedTo(await addressOf(candidate), update) ? candidate : undefined
    }
    const stored = await messageEvents.find({ wamid: { $in: updates.map((u) => u.wamid) } }).toArray()
    const seen = new Set(stored.map((doc) => `${doc.status as string} ${doc.wamid as string}`))
    const now = Date.now()
    const fresh: { update: StatusUpdate; row: Row }[] = []
    for (const update of updates) {
      const row = await rowFor(update)
      if (!row) {
        result.unknown++
        continue
      }
      const pair = `${update.status} ${update.wamid}`
      if (seen.has(pair)) {
        result.duplicates++
        continue
      }
      seen.add(pair)
      fresh.push({ update, row })
      const next = afterStatus(row, update, now)
      if (next) {
        current.set(row.id, next)
        if (next.wamid) byWamid.set(next.wamid, next)
      }
    }
    if (fresh.length === 0) return result

    const campaignIds = [...new Set(fresh.map(({ row }) => row.campaignId))]
    const batchIds = new Map(await Promise.all(campaignIds.map(async (id) => [id, await batchIdOf(mongo, id)] as const)))
    const updatesOf = new Map<string, StatusUpdate[]>()
    for (const { update, row } of fresh) updatesOf.set(row.id, [...(updatesOf.get(row.id) ?? []), update])
    await withCounters(mongo, campaignIds, null, async (counters, session) => {
      // Rows first, events after: if a crash falls between them, the webhook's replay finds no event,
      // applies again, and the row (already moved, statuses only go forward) changes no more.
      await moveRows([...updatesOf.keys()], (row) => {
        let next: Row | null = null
        for (const update of updatesOf.get(row.id) ?? []) next = afterStatus(next ?? row, update, now) ?? next
        return next
      }, counters, session)
      for (const { update, row } of fresh) {
        const event = messageEventDocument(
          { wamid: update.wamid, kind: 'status', status: update.status, campaignId: row.campaignId, recipientId: row.id, phone: row.phone, at: update.at, errorCode: update.errorCode ?? null, payload: JSON.stringify(update) },
          batchIds.get(row.campaignId) ?? null,
        )
        try {
          await messageEvents.insertOne(event, { session })
        } catch (err) {
          // Another process stored the same status meanwhile: it counted it.
          if (!isDuplicateKey(err)) throw err
          result.duplicates++
          continue
        }
        result.applied++
        if (update.errorCode === OPTED_OUT_CODE) {
          const campaign = await campaigns.findOne({ _id: toMongoId(row.campaignId) }, { session })
          if (campaign) result.optedOut.push({ accountId: fromMongoId(campaign.accountId), phone: row.phone })
        }
      }
    })
    result.campaignIds = campaignIds
    return result
  }

  async function markReplied(contextWamid: string, at: number): Promise<string | null> {
    const [doc] = await recipients.find({ wamid: contextWamid }).sort({ _id: -1 }).limit(1).toArray()
    if (!doc) return null
    const row = toRow(doc)
    if (row.repliedAt === null) {
      await withCounters(mongo, [row.campaignId], null, async (counters, session) => {
        const marked = await recipients.updateOne({ _id: doc._id, repliedAt: null }, { $set: { repliedAt: at, updatedAt: Date.now() }, $inc: { v: 1 } }, { session })
        if (marked.modifiedCount > 0) counters.replied(row.campaignId)
      })
    }
    return row.campaignId
  }

  /** Moves every row of a campaign matching `filter` to `to` with `set`, counting the move from `from`. */
  async function moveAll(campaignId: string, from: RecipientState, to: RecipientState, filter: Document, set: Document): Promise<number> {
    return withCounters(mongo, [campaignId], null, async (counters, session) => {
      const moved = await recipients.updateMany({ ...filter, campaignId: toMongoId(campaignId), state: from }, { $set: { ...set, state: to }, $inc: { v: 1 } }, { session })
      counters.move(campaignId, from, to, moved.modifiedCount)
      return moved.modifiedCount
    })
  }

  async function markInterruptedUncertain(now: number): Promise<number> {
    let total = 0
    const interrupted = await recipients.distinct('campaignId', { state: 'sending' })
    for (const campaignId of interrupted.map((id) => fromMongoId(id))) {
      total += await moveAll(campaignId, 'sending', 'uncertain', {}, { errorMessage: INTERRUPTED, updatedAt: now })
    }
    // A crash between a standalone write's rows and its counters left its marker raised: count those rows again.
    const split = await campaigns.find({ writesInFlight: { $gt: 0 } }).toArray()
    await recount(mongo, split.map((doc) => fromMongoId(doc._id)))
    return total
  }

  const serial = mongo.serial
  return {
    claim: (campaignId, limit, now) => (limit > 0 ? serial(() => claim(campaignId, Math.floor(limit), now)) : Promise.resolve([])),
    record: (campaignId, outcomes, now) => (outcomes.length > 0 ? serial(() => record(campaignId, outcomes, now)) : Promise.resolve()),
    applyStatuses: (updates) =>
      updates.length > 0 ? serial(() => applyStatuses(updates)) : Promise.resolve({ applied: 0, duplicates: 0, unknown: 0, optedOut: [], campaignIds: [] }),
    markReplied: (contextWamid, at) => serial(() => markReplied(contextWamid, at)),
    markInterruptedUncertain: (now) => serial(() => markInterruptedUncertain(now)),

    skipRemaining: (campaignId: string, reason: SkipReason, now: number) =>
      serial(async () => {
        const set = { skipReason: reason, nextAttemptAt: null, updatedAt: now }
        // queued and retry_wait count for nothing, so both move like queued.
        return (await moveAll(campaignId, 'queued', 'skipped', {}, set)) + (await moveAll(campaignId, 'retry_wait', 'skipped', {}, set))
      }),

    requeue: (campaignId, states, now) =>
      serial(async () => {
        let total = 0
        for (const state of new Set(states)) {
          if (state !== 'uncertain' && state !== 'failed') {
            throw new AppError('invalid_args', `Only uncertain or failed rows can be sent again, not "${String(state)}".`)
          }
          // The old wamid and outcome go: the row starts over and a new send brings its own (send_logs keep history).
          const set: Document = {
            nextAttemptAt: null, wamid: null, waId: null, errorCode: null, errorMessage: null,
            sentAt: null, deliveredAt: null, readAt: null, failedAt: null, updatedAt: now,
          }
          if (state === 'uncertain') set.resolution = 'resent'
          total += await moveAll(campaignId, state, 'queued', {}, set)
        }
        return total
      }),

    requeueUnreported: (campaignId, uncertainBefore, now) =>
      serial(async () => {
        const [last] = await messageEvents.find({ campaignId: toMongoId(campaignId), kind: 'status' }).sort({ at: -1 }).limit(1).toArray()
        if (!last) return 0
        const lastStatusAt = (last.at as Date).getTime()
        return moveAll(campaignId, 'uncertain', 'queued', { updatedAt: { $lte: uncertainBefore, $lt: lastStatusAt } }, {
          resolution: 'no_status', errorMessage: null, updatedAt: now,
        })
      }),

    async nextRetryAt(campaignId) {
      const [next] = await recipients.find({ campaignId: toMongoId(campaignId), state: 'retry_wait' }).sort({ nextAttemptAt: 1 }).limit(1).toArray()
      return (next?.nextAttemptAt as number | undefined) ?? null
    },

    async pendingCount(campaignId) {
      // The counters equal the rows, so this needs no scan of a large campaign.
      const c = await campaigns.findOne({ _id: toMongoId(campaignId) })
      return c ? c.contactsCount - c.successCount - c.failedCount - c.uncertainCount - c.skippedCount : 0
    },

    async settledAmong(campaignId, recipientIds) {
      if (recipientIds.length === 0) return []
      const docs = await recipients.find({ _id: { $in: recipientIds.map(toMongoId) }, campaignId: toMongoId(campaignId), state: { $ne: 'sending' } }).toArray()
      return docs.map((doc) => fromMongoId(doc._id))
    },

    async get(campaignId, recipientId) {
      const doc = await recipients.findOne({ _id: toMongoId(recipientId), campaignId: toMongoId(campaignId) })
      return doc ? toRecipient(toRow(doc)) : null
    },

    async findByWamid(wamid) {
      const [doc] = await recipients.find({ wamid }).sort({ _id: -1 }).limit(1).toArray()
      return doc ? toRecipient(toRow(doc)) : null
    },

    async page(campaignId, query) {
      const filter: Document = { campaignId: toMongoId(campaignId) }
      if (query.state !== undefined) {
        const states = Array.isArray(query.state) ? query.state : [query.state]
        for (const state of states) {
          if (!RECIPIENT_STATES.includes(state)) {
            throw new AppError('invalid_args', `"${state}" is not a recipient state; use one of ${RECIPIENT_STATES.join(', ')}.`)
          }
        }
        filter.state = { $in: states }
      }
      if (query.search) filter.phone = { $regex: escapeRegex(query.search) }
      const docs = await recipients.find(filter).sort({ position: 1 }).skip(query.offset).limit(query.limit).toArray()
      return { rows: docs.map((doc) => toRecipient(toRow(doc))), total: await recipients.countDocuments(filter) }
    },

    async *iterate(campaignId, batchSize) {
      if (!(batchSize >= 1)) throw new AppError('invalid_args', `batchSize must be at least 1, got ${batchSize}.`)
      const size = Math.floor(batchSize)
      let after = -1
      for (;;) {
        const docs = await recipients.find({ campaignId: toMongoId(campaignId), position: { $gt: after } }).sort({ position: 1 }).limit(size).toArray()
        if (docs.length === 0) return
        after = docs[docs.length - 1].position as number
        yield docs.map((doc) => toRecipient(toRow(doc)))
        if (docs.length < size) return
      }
    },

    async stateCounts(campaignId) {
      const counts = Object.fromEntries(RECIPIENT_STATES.map((s) => [s, 0])) as Record<RecipientState, number>
      const groups = await recipients.aggregate<{ _id: RecipientState; n: number }>([
        { $match: { campaignId: toMongoId(campaignId) } },
        { $group: { _id: '$state', n: { $sum: 1 } } },
      ]).toArray()
      for (const { _id, n } of groups) counts[_id] = n
      return counts
    },

    async errorBreakdown(campaignId) {
      // Sorted so that `$first` picks the greatest message of each code, as SQLite's max() does.
      const groups = await recipients.aggregate<{ _id: number | null; count: number; errorMessage: string | null }>([
        { $match: { campaignId: toMongoId(campaignId), state: 'failed' } },
        { $sort: { errorMessage: -1 } },
        { $group: { _id: '$errorCode', count: { $sum: 1 }, errorMessage: { $first: '$errorMessage' } } },
      ]).toArray()
      return groups
        .map(({ _id, count, errorMessage }) => ({ errorCode: _id ?? null, count, errorMessage: errorMessage ?? null }))
        .sort((a, b) => b.count - a.count || (a.errorCode ?? -1) - (b.errorCode ?? -1))
    },

    async sendTimeline(campaignId, bucketMs) {
      const bucket = Math.floor(bucketMs)
      if (!(bucket >= 1)) throw new AppError('invalid_args', `bucketMs must be at least 1, got ${bucketMs}.`)
      const slots = new Map<number, { at: number; sent: number; failed: number }>()
      for await (const doc of sendLogs.find({ campaignId: toMongoId(campaignId) }).sort({ at: 1 })) {
        const at = (doc.at as Date).getTime()
        const slot = at - (at % bucket)
        const entry = slots.get(slot) ?? { at: slot, sent: 0, failed: 0 }
        if (doc.outcome === 'sent') entry.sent++
        if (doc.outcome === 'failed') entry.failed++
        slots.set(slot, entry)
      }
      return [...slots.values()]
    },

    async uniqueRecipientsSince(accountId, since) {
      return accountRecipients.countDocuments({ accountId: toMongoId(accountId), lastSentAt: { $gte: since } })
    },

    async oldestRecipientSince(accountId, since) {
      const [oldest] = await accountRecipients.find({ accountId: toMongoId(accountId), lastSentAt: { $gte: since } }).sort({ lastSentAt: 1 }).limit(1).toArray()
      return (oldest?.lastSentAt as number | undefined) ?? null
    },
  }
}
