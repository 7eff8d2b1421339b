// The ledger: one row per (campaign, recipient), its send attempts and webhook statuses, with counters kept in step.
import { AppError, notFound } from '../../../shared/errors'
import { assertNever } from '../../../shared/assertNever'
import { DELIVERY_RANK, RECIPIENT_STATES } from '../../../shared/types'
import type { Recipient, RecipientState, SkipReason, UncertainResolution } from '../../../shared/types'
import { callbackDataFor, isAddressedTo, isFromAnotherSender, newCallbackKey, rowIdFromCallback, type RowAddress } from '../correlation'
import type { AttemptLog, ClaimedRecipient, LedgerStore, SendOutcome, StatusApplyResult, StatusUpdate } from '../ports'
import { CounterDeltas } from './counters'
import { isoAt, type Statements } from './db'
import { installationKey } from './keys'
import type { SyncWal } from './walSync'

interface RecipientRow {
  id: number
  campaign_id: string
  position: number
  phone: string
  name: string | null
  variables: string
  state: RecipientState
  attempts: number
  next_attempt_at: number | null
  wamid: string | null
  wa_id: string | null
  error_code: number | null
  error_message: string | null
  skip_reason: SkipReason | null
  sent_at: number | null
  delivered_at: number | null
  read_at: number | null
  failed_at: number | null
  replied_at: number | null
  updated_at: number
  resolution: UncertainResolution | null
}

type ClaimedRow = Pick<RecipientRow, 'id' | 'position' | 'phone' | 'name' | 'variables' | 'attempts'>

const toRecipient = (row: RecipientRow): Recipient => ({
  id: String(row.id),
  campaignId: row.campaign_id,
  position: row.position,
  phone: row.phone,
  name: row.name,
  variables: JSON.parse(row.variables) as Record<string, string>,
  state: row.state,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  wamid: row.wamid,
  waId: row.wa_id,
  errorCode: row.error_code,
  errorMessage: row.error_message,
  skipReason: row.skip_reason,
  sentAt: row.sent_at,
  deliveredAt: row.delivered_at,
  readAt: row.read_at,
  failedAt: row.failed_at,
  repliedAt: row.replied_at,
  updatedAt: row.updated_at,
  resolution: row.resolution,
})

/** Recipient ids are integer rowids shown as strings; anything else matches no row. */
const rowIdOf = (id: string | null): number | null => (id !== null && /^\d{1,15}$/.test(id) ? Number(id) : null)

const SUCCESS_STATES: readonly RecipientState[] = ['sent', 'delivered', 'read']
const OPTED_OUT_CODE = 131050
const INTERRUPTED = 'Pregón stopped while this message was being sent; it may or may not have left.'

/** Rows whose send never got an answer (or failed without a wamid) learn their fate from a webhook. */
const awaitsStatus = (row: RecipientRow): boolean =>
  row.state === 'sending' || row.state === 'uncertain' || (row.state === 'failed' && row.wamid === null)

/** The row after a webhook status, or null when it changes nothing (statuses only move forward). */
function afterStatus(row: RecipientRow, update: StatusUpdate): RecipientRow | null {
  const unresolved = awaitsStatus(row)
  const base = {
    ...row,
    wamid: row.wamid ?? update.wamid,
    wa_id: row.wa_id ?? update.recipientWaId ?? null,
    updated_at: Date.now(),
    resolution: row.state === 'uncertain' ? ('status' as const) : row.resolution,
  }
  if (update.status === 'failed') {
    if (!unresolved && row.state !== 'sent' && row.state !== 'delivered') return null
    return {
      ...base,
      state: 'failed',
      failed_at: update.at,
      error_code: update.errorCode ?? null,
      error_message: update.errorMessage ?? null,
      next_attempt_at: null,
    }
  }
  const target = DELIVERY_RANK[update.status] as number
  const current = DELIVERY_RANK[row.state]
  if (!unresolved && (current === undefined || current >= target)) return null
  const resolved = unresolved ? { error_code: null, error_message: null, failed_at: null, next_attempt_at: null } : {}
  return {
    ...base,
    ...resolved,
    state: update.status,
    sent_at: row.sent_at ?? update.at,
    // A read without a delivered counts as both.
    delivered_at: target >= 2 ? (row.delivered_at ?? update.at) : row.delivered_at,
    read_at: target >= 3 ? (row.read_at ?? update.at) : row.read_at,
  }
}

/** `syncWal` makes the claims durable (walSync.ts); every other commit may wait for the next checkpoint. */
export function sqliteLedger(sql: Statements, syncWal: SyncWal): LedgerStore {
  const db = sql.db
  const callbackKey = installationKey(sql, 'callback', newCallbackKey)
  const byId = (id: number): RecipientRow | undefined => sql.prepare<RecipientRow>('SELECT * FROM recipients WHERE id = ?').get(id)
  const byWamid = (wamid: string): RecipientRow | undefined =>
    sql.prepare<RecipientRow>('SELECT * FROM recipients WHERE wamid = ? ORDER BY id DESC LIMIT 1').get(wamid)
  const accountOf = (campaignId: string): string => {
    const row = sql.prepare<{ account_id: string }>('SELECT account_id FROM campaigns WHERE id = ?').get(campaignId)
    if (!row) throw notFound(`Campaign ${campaignId}`)
    return row.account_id
  }
  /** The phone number id a campaign sends from; null when its account was removed. */
  const senderOf = (campaignId: string): string | null =>
    sql
      .prepare<{ phone_number_id: string }>('SELECT a.phone_number_id FROM campaigns c JOIN accounts a ON a.id = c.account_id WHERE c.id = ?')
      .get(campaignId)?.phone_number_id ?? null

  const write = (row: RecipientRow): void => {
    sql
      .prepare(
        `UPDATE recipients SET state = @state, attempts = @attempts, next_attempt_at = @next_attempt_at, wamid = @wamid,
           wa_id = @wa_id, error_code = @error_code, error_message = @error_message, skip_reason = @skip_reason,
           sent_at = @sent_at, delivered_at = @delivered_at, read_at = @read_at, failed_at = @failed_at,
           replied_at = @replied_at, updated_at = @updated_at, resolution = @resolution
         WHERE id = @id`,
      )
      .run({ ...row })
  }

  const insertLog = (campaignId: string, recipientId: number, outcome: SendOutcome, entry: AttemptLog, now: number): void => {
    const errorCode =
      outcome.kind === 'retry' || outcome.kind === 'failed' ? outcome.errorCode : outcome.kind === 'requeue' ? (outcome.refused?.errorCode ?? null) : null
    const wamid = outcome.kind === 'sent' ? outcome.wamid : null
    sql
      .prepare(
        `INSERT INTO send_logs (campaign_id, recipient_id, at, outcome, http_status, error_code, wamid, latency_ms, summary)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(campaignId, recipientId, now, outcome.kind, entry.httpStatus, errorCode, wamid, Math.round(entry.latencyMs), entry.summary ?? null)
  }

  /** The row after one send outcome; outcomes other than `sent` apply only to a row still `sending`. */
  const afterOutcome = (row: RecipientRow, outcome: SendOutcome, now: number): RecipientRow => {
    const base = { ...row, updated_at: now }
    if (outcome.kind === 'sent') {
      // A webhook may have got here first (matched by callback id): keep what it learned.
      const settled = SUCCESS_STATES.includes(row.state) || row.state === 'failed'
      return {
        ...base,
        state: settled ? row.state : 'sent',
        wamid: row.wamid ?? outcome.wamid,
        wa_id: outcome.waId ?? row.wa_id,
        sent_at: row.sent_at ?? now,
        next_attempt_at: null,
        error_code: settled ? row.error_code : null,
        error_message: settled ? row.error_message : null,
      }
    }
    if (row.state !== 'sending') return row
    switch (outcome.kind) {
      case 'retry':
        return { ...base, state: 'retry_wait', next_attempt_at: outcome.nextAttemptAt, error_code: outcome.errorCode, error_message: outcome.errorMessage }
      case 'failed':
        return { ...base, state: 'failed', failed_at: now, error_code: outcome.errorCode, error_message: outcome.errorMessage }
      case 'uncertain':
        return { ...base, state: 'uncertain', error_message: outcome.errorMessage }
      // Neither left the machine, so the attempt claim counted did not happen.
      case 'requeue':
        return { ...base, state: 'queued', attempts: Math.max(0, row.attempts - 1) }
      case 'skipped':
        return { ...base, state: 'skipped', attempts: Math.max(0, row.attempts - 1), skip_reason: outcome.reason, error_message: outcome.detail }
      default:
        return assertNever(outcome, 'send outcome')
    }
  }

  // No RETURNING on the hot path: better-sqlite3 runs such a statement through a temporary table, which
  // costs ~10 µs a row — more than the update itself. A read, then plain writes, in one transaction.
  const claim = db.transaction((campaignId: string, limit: number, now: number): ClaimedRecipient[] => {
    // A draft's rows wait for its seal (migration 60): a crash before it leaves nothing to send.
    if (sql.prepare(`SELECT 1 FROM campaigns WHERE id = ? AND status = 'draft'`).get(campaignId) !== undefined) return []
    // Two partial-index range reads merged by position: an OR over both states would sort every queued row.
    const queued = sql
      .prepare<ClaimedRow>(
        `SELECT id, position, phone, name, variables, attempts FROM recipients WHERE campaign_id = ? AND state = 'queued'
         ORDER BY position LIMIT ?`,
      )
      .all(campaignId, limit)
    const due = sql
      .prepare<ClaimedRow>(
        `SELECT id, position, phone, name, variables, attempts FROM recipients
         WHERE campaign_id = ? AND state = 'retry_wait' AND next_attempt_at <= ? ORDER BY position LIMIT ?`,
      )
      .all(campaignId, now, limit)
    const picked = due.length === 0 ? queued : [...queued, ...due].sort((a, b) => a.position - b.position).slice(0, limit)
    const mark = sql.prepare(
      `UPDATE recipients SET state = 'sending', attempts = attempts + 1, next_attempt_at = NULL, updated_at = ? WHERE id = ?`,
    )
    return picked.map((row) => {
      mark.run(now, row.id)
      return {
        id: String(row.id),
        campaignId,
        position: row.position,
        phone: row.phone,
        name: row.name,
        variables: JSON.parse(row.variables) as Record<string, string>,
        state: 'sending',
        attempts: row.attempts + 1,
        callbackData: callbackDataFor(callbackKey, String(row.id)),
      }
    })
  })

  const record = db.transaction((campaignId: string, outcomes: SendOutcome[], now: number): void => {
    const accountId = accountOf(campaignId)
    const counters = new CounterDeltas(sql)
    const touchTier = sql.prepare(
      `INSERT INTO account_recipients (account_id, phone, last_sent_at) SELECT ?, phone, ? FROM recipients WHERE id = ?
       ON CONFLICT (account_id, phone) DO UPDATE SET last_sent_at = max(last_sent_at, excluded.last_sent_at)`,
    )
    // The usual case, a row still `sending` that Meta accepted, in one statement instead of a read and a write.
    const markSent = sql.prepare(
      `UPDATE recipients SET state = 'sent', wamid = coalesce(wamid, ?), wa_id = coalesce(?, wa_id), sent_at = coalesce(sent_at, ?),
         next_attempt_at = NULL, error_code = NULL, error_message = NULL, updated_at = ?
       WHERE id = ? AND campaign_id = ? AND state = 'sending'`,
    )
    for (const outcome of outcomes) {
      const id = rowIdOf(outcome.recipientId)
      if (outcome.kind === 'sent' && id !== null && markSent.run(outcome.wamid, outcome.waId, now, now, id, campaignId).changes > 0) {
        counters.move(campaignId, 'sending', 'sent')
        touchTier.run(accountId, now, id)
        if (outcome.log) insertLog(campaignId, id, outcome, outcome.log, now)
        continue
      }
      const row = id === null ? undefined : byId(id)
      if (!row || row.campaign_id !== campaignId) {
        throw new AppError('invalid_args', `Recipient ${outcome.recipientId} is not part of campaign ${campaignId}.`)
      }
      const next = afterOutcome(row, outcome, now)
      if (next !== row) {
        write(next)
        counters.move(campaignId, row.state, next.state)
      }
      if (outcome.kind === 'sent') touchTier.run(accountId, now, row.id)
      // Attempts that never left the machine have nothing to log; a refused one keeps Meta's answer.
      const entry = outcome.kind === 'requeue' ? outcome.refused?.log : outcome.kind === 'skipped' ? null : outcome.log
      if (entry) insertLog(campaignId, row.id, outcome, entry, now)
    }
    counters.flush(isoAt(now))
  })

  const applyStatuses = db.transaction((updates: StatusUpdate[]): StatusApplyResult => {
    const result: StatusApplyResult = { applied: 0, duplicates: 0, unknown: 0, optedOut: [], campaignIds: [] }
    const campaigns = new Set<string>()
    const counters = new CounterDeltas(sql)
    const insertEvent = sql.prepare(
      `INSERT OR IGNORE INTO message_events (wamid, kind, status, campaign_id, recipient_id, phone, at, error_code, payload)
       VALUES (?, 'status', ?, ?, ?, ?, ?, ?, ?)`,
    )
    const senders = new Map<string, string | null>()
    const addressOf = (row: RecipientRow): RowAddress => {
      if (!senders.has(row.campaign_id)) senders.set(row.campaign_id, senderOf(row.campaign_id))
      return { phoneNumberId: senders.get(row.campaign_id) ?? null, phone: row.phone, waId: row.wa_id }
    }
    /** Our row this status is about; undefined when it is about none of ours (another installation's, say). */
    const rowFor = (update: StatusUpdate): RecipientRow | undefined => {
      const known = byWamid(update.wamid)
      if (known) return isFromAnotherSender(addressOf(known), update) ? undefined : known
      const id = rowIdOf(rowIdFromCallback(callbackKey, update.callbackId))
      const candidate = id === null ? undefined : byId(id)
      return candidate && awaitsStatus(candidate) && isAddressedTo(addressOf(candidate), update) ? candidate : undefined
    }
    for (const update of updates) {
      const row = rowFor(update)
      if (!row) {
        result.unknown++
        continue
      }
      const fresh = insertEvent.run(
        update.wamid, update.status, row.campaign_id, String(row.id), row.phone, update.at, update.errorCode ?? null, JSON.stringify(update),
      ).changes
      if (!fresh) {
        result.duplicates++
        continue
      }
      result.applied++
      campaigns.add(row.campaign_id)
      const next = afterStatus(row, update)
      if (next) {
        write(next)
        counters.move(row.campaign_id, row.state, next.state)
      }
      if (update.errorCode === OPTED_OUT_CODE) result.optedOut.push({ accountId: accountOf(row.campaign_id), phone: row.phone })
    }
    counters.flush()
    result.campaignIds = [...campaigns]
    return result
  })

  const markReplied = db.transaction((contextWamid: string, at: number): string | null => {
    const row = byWamid(contextWamid)
    if (!row) return null
    if (row.replied_at === null) {
      write({ ...row, replied_at: at, updated_at: Date.now() })
      const counters = new CounterDeltas(sql)
      counters.replied(row.campaign_id)
      counters.flush()
    }
    return row.campaign_id
  })

  const markInterruptedUncertain = db.transaction((now: number): number => {
    const groups = sql
      .prepare<{ campaign_id: string; n: number }>(`SELECT campaign_id, count(*) AS n FROM recipients WHERE state = 'sending' GROUP BY campaign_id`)
      .all()
    const changed = sql
      .prepare(`UPDATE recipients SET state = 'uncertain', error_message = ?, updated_at = ? WHERE state = 'sending'`)
      .run(INTERRUPTED, now).changes
    const counters = new CounterDeltas(sql)
    for (const { campaign_id, n } of groups) counters.move(campaign_id, 'sending', 'uncertain', n)
    counters.flush()
    return changed
  })

  const skipRemaining = db.transaction((campaignId: string, reason: SkipReason, now: number): number => {
    const changed = sql
      .prepare(
        `UPDATE recipients SET state = 'skipped', skip_reason = ?, next_attempt_at = NULL, updated_at = ?
         WHERE campaign_id = ? AND state IN ('queued', 'retry_wait')`,
      )
      .run(reason, now, campaignId).changes
    const counters = new CounterDeltas(sql)
    // queued and retry_wait count for nothing, so both move like queued.
    counters.move(campaignId, 'queued', 'skipped', changed)
    counters.flush()
    return changed
  })

  const requeue = db.transaction((campaignId: string, states: ('uncertain' | 'failed')[], now: number): number => {
    const counters = new CounterDeltas(sql)
    let total = 0
    for (const state of new Set(states)) {
      if (state !== 'uncertain' && state !== 'failed') {
        throw new AppError('invalid_args', `Only uncertain or failed rows can be sent again, not "${String(state)}".`)
      }
      // The old wamid and outcome go: the row starts over and a new send brings its own (send_logs keep history).
      const changed = sql
        .prepare(
          `UPDATE recipients SET state = 'queued', next_attempt_at = NULL, wamid = NULL, wa_id = NULL, error_code = NULL,
             error_message = NULL, sent_at = NULL, delivered_at = NULL, read_at = NULL, failed_at = NULL, updated_at = ?,
             resolution = CASE WHEN state = 'uncertain' THEN 'resent' ELSE resolution END
           WHERE campaign_id = ? AND state = ?`,
        )
        .run(now, campaignId, state).changes
      counters.move(campaignId, state, 'queued', changed)
      total += changed
    }
    counters.flush()
    return total
  })

  const requeueUnreported = db.transaction((campaignId: string, uncertainBefore: number, now: number): number => {
    const lastStatusAt = sql
      .prepare<{ at: number | null }>(`SELECT max(at) AS at FROM message_events WHERE campaign_id = ? AND kind = 'status'`)
      .get(campaignId)?.at
    if (lastStatusAt === null || lastStatusAt === undefined) return 0
    const changed = sql
      .prepare(
        `UPDATE recipients SET state = 'queued', resolution = 'no_status', error_message = NULL, updated_at = ?
         WHERE campaign_id = ? AND state = 'uncertain' AND updated_at <= ? AND updated_at < ?`,
      )
      .run(now, campaignId, uncertainBefore, lastStatusAt).changes
    const counters = new CounterDeltas(sql)
    counters.move(campaignId, 'uncertain', 'queued', changed)
    counters.flush()
    return changed
  })

  return {
    async claim(campaignId, limit, now) {
      const rows = limit > 0 ? claim.immediate(campaignId, Math.floor(limit), now) : []
      // On disk before the caller sends: a claim lost to a power cut would send its rows again.
      if (rows.length > 0) await syncWal()
      return rows
    },

    async record(campaignId, outcomes, now) {
      if (outcomes.length > 0) record.immediate(campaignId, outcomes, now)
    },

    async nextRetryAt(campaignId) {
      return (
        sql.prepare<{ at: number | null }>(`SELECT min(next_attempt_at) AS at FROM recipients WHERE campaign_id = ? AND state = 'retry_wait'`).get(campaignId)
          ?.at ?? null
      )
    },

    async pendingCount(campaignId) {
      // The counters equal the rows (same transactions), so this needs no scan of a large campaign.
      const row = sql
        .prepare<{ n: number }>(
          `SELECT contacts_count - success_count - failed_count - uncertain_count - skipped_count AS n FROM campaigns WHERE id = ?`,
        )
        .get(campaignId)
      return row?.n ?? 0
    },

    async markInterruptedUncertain(now) {
      return markInterruptedUncertain.immediate(now)
    },

    async skipRemaining(campaignId, reason, now) {
      return skipRemaining.immediate(campaignId, reason, now)
    },

    async requeue(campaignId, states, now) {
      return requeue.immediate(campaignId, states, now)
    },

    async requeueUnreported(campaignId, uncertainBefore, now) {
      return requeueUnreported.immediate(campaignId, uncertainBefore, now)
    },

    async applyStatuses(updates) {
      return updates.length > 0 ? applyStatuses.immediate(updates) : { applied: 0, duplicates: 0, unknown: 0, optedOut: [], campaignIds: [] }
    },

    async markReplied(contextWamid, at) {
      return markReplied.immediate(contextWamid, at)
    },

    async get(campaignId, recipientId) {
      const id = rowIdOf(recipientId)
      const row = id === null ? undefined : byId(id)
      return row && row.campaign_id === campaignId ? toRecipient(row) : null
    },

    async settledAmong(campaignId, recipientIds) {
      const ids = recipientIds.map(rowIdOf).filter((id) => id !== null)
      if (ids.length === 0) return []
      return sql
        .prepare<{ id: number }>(
          `SELECT id FROM recipients WHERE campaign_id = ? AND state != 'sending' AND id IN (SELECT value FROM json_each(?))`,
        )
        .all(campaignId, JSON.stringify(ids))
        .map((row) => String(row.id))
    },

    async findByWamid(wamid) {
      const row = byWamid(wamid)
      return row ? toRecipient(row) : null
    },

    async page(campaignId, query) {
      const where = ['campaign_id = ?']
      const values: unknown[] = [campaignId]
      const states = query.state === undefined ? [] : Array.isArray(query.state) ? query.state : [query.state]
      for (const state of states) {
        if (!RECIPIENT_STATES.includes(state)) {
          throw new AppError('invalid_args', `"${state}" is not a recipient state; use one of ${RECIPIENT_STATES.join(', ')}.`)
        }
      }
      if (query.state !== undefined) {
        // Literals, checked against the list above, and `=` for one state: SQLite picks a partial index
        // (failed, uncertain …) only for `state = 'failed'`, not through a parameter or an IN list.
        const literals = states.map((state) => `'${state}'`)
        where.push(literals.length === 1 ? `state = ${literals[0]}` : `state IN (${literals.join(', ') || 'NULL'})`)
      }
      if (query.search) {
        where.push('instr(phone, ?) > 0')
        values.push(query.search)
      }
      const filter = where.join(' AND ')
      const rows = sql
        .prepare<RecipientRow>(`SELECT * FROM recipients WHERE ${filter} ORDER BY position LIMIT ? OFFSET ?`)
        .all(...values, query.limit, query.offset)
      const total = sql.prepare<{ n: number }>(`SELECT count(*) AS n FROM recipients WHERE ${filter}`).get(...values)?.n ?? 0
      return { rows: rows.map(toRecipient), total }
    },

    async *iterate(campaignId, batchSize) {
      if (!(batchSize >= 1)) throw new AppError('invalid_args', `batchSize must be at least 1, got ${batchSize}.`)
      const next = sql.prepare<RecipientRow>('SELECT * FROM recipients WHERE campaign_id = ? AND position > ? ORDER BY position LIMIT ?')
      let after = -1
      for (;;) {
        const rows = next.all(campaignId, after, Math.floor(batchSize))
        if (rows.length === 0) return
        after = rows[rows.length - 1].position
        yield rows.map(toRecipient)
        if (rows.length < batchSize) return
      }
    },

    async stateCounts(campaignId) {
      const counts = Object.fromEntries(RECIPIENT_STATES.map((s) => [s, 0])) as Record<RecipientState, number>
      const rows = sql
        .prepare<{ state: RecipientState; n: number }>('SELECT state, count(*) AS n FROM recipients WHERE campaign_id = ? GROUP BY state')
        .all(campaignId)
      for (const { state, n } of rows) counts[state] = n
      return counts
    },

    async errorBreakdown(campaignId) {
      return sql
        .prepare<{ errorCode: number | null; count: number; errorMessage: string | null }>(
          `SELECT error_code AS errorCode, count(*) AS count, max(error_message) AS errorMessage
           FROM recipients WHERE campaign_id = ? AND state = 'failed'
           GROUP BY error_code ORDER BY count DESC, error_code`,
        )
        .all(campaignId)
    },

    async sendTimeline(campaignId, bucketMs) {
      const bucket = Math.floor(bucketMs)
      if (!(bucket >= 1)) throw new AppError('invalid_args', `bucketMs must be at least 1, got ${bucketMs}.`)
      return sql
        .prepare<{ slot: number; sent: number; failed: number }>(
          `SELECT at - at % ? AS slot, sum(outcome = 'sent') AS sent, sum(outcome = 'failed') AS failed
           FROM send_logs WHERE campaign_id = ? GROUP BY slot ORDER BY slot`,
        )
        .all(bucket, campaignId)
        .map(({ slot, sent, failed }) => ({ at: slot, sent, failed }))
    },

    async uniqueRecipientsSince(accountId, since) {
      return (
        sql.prepare<{ n: number }>('SELECT count(*) AS n FROM account_recipients WHERE account_id = ? AND last_sent_at >= ?').get(accountId, since)?.n ?? 0
      )
    },

    async oldestRecipientSince(accountId, since) {
      return (
        sql
          .prepare<{ at: number | null }>('SELECT min(last_sent_at) AS at FROM account_recipients WHERE account_id = ? AND last_sent_at >= ?')
          .get(accountId, since)?.at ?? null
      )
    },
  }
}
