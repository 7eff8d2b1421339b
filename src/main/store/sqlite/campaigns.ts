// Campaigns and, while they are drafts, their recipient rows appended batch by batch; status changes are
// compare-and-set.
import { randomUUID } from 'node:crypto'
import { AppError, notFound } from '../../../shared/errors'
import type { Campaign, CampaignError, CampaignStatus, PacingProfile, TemplateSpec } from '../../../shared/types'
import { TERMINAL_CAMPAIGN_STATUSES, CAMPAIGN_STATUSES } from '../../../shared/types'
import type { CampaignPatch, CampaignStore, NewCampaign, NewRecipient } from '../ports'
import { isoNow, placeholders, type Statements } from './db'

interface CampaignRow {
  id: string
  user_id: string
  account_id: string
  campaign_name: string
  batch_id: string
  template: string
  status: string
  pacing: string
  processed: number
  success_count: number
  failed_count: number
  contacts_count: number
  delivered_count: number
  read_count: number
  replied_count: number
  skipped_count: number
  uncertain_count: number
  created_at: string
  started_at: string | null
  last_processed_at: string | null
  completed_at: string | null
  paused_at: string | null
  resume_at: string | null
  error: string | null
  error_detail: string | null
}

const toCampaign = (row: CampaignRow): Campaign => ({
  id: row.id,
  userId: row.user_id,
  accountId: row.account_id,
  campaignName: row.campaign_name,
  batchId: row.batch_id,
  template: JSON.parse(row.template) as TemplateSpec,
  status: row.status as CampaignStatus,
  pacing: JSON.parse(row.pacing) as PacingProfile,
  processed: row.processed,
  successCount: row.success_count,
  failedCount: row.failed_count,
  contactsCount: row.contacts_count,
  deliveredCount: row.delivered_count,
  readCount: row.read_count,
  repliedCount: row.replied_count,
  skippedCount: row.skipped_count,
  uncertainCount: row.uncertain_count,
  createdAt: row.created_at,
  startedAt: row.started_at,
  lastProcessedAt: row.last_processed_at,
  completedAt: row.completed_at,
  pausedAt: row.paused_at,
  resumeAt: row.resume_at,
  error: row.error as CampaignError | null,
  errorDetail: row.error_detail,
})

const PATCH_COLUMNS: Record<keyof CampaignPatch, keyof CampaignRow> = {
  startedAt: 'started_at',
  lastProcessedAt: 'last_processed_at',
  completedAt: 'completed_at',
  pausedAt: 'paused_at',
  resumeAt: 'resume_at',
  error: 'error',
  errorDetail: 'error_detail',
  pacing: 'pacing',
}

/** `SET` clauses and values for a patch; `pacing` is stored as JSON. */
function patchSets(patch: CampaignPatch): { sets: string[]; values: unknown[] } {
  const sets: string[] = []
  const values: unknown[] = []
  for (const [field, value] of Object.entries(patch) as [keyof CampaignPatch, unknown][]) {
    if (value === undefined) continue
    const column = PATCH_COLUMNS[field]
    if (!column) throw new AppError('invalid_args', `Campaigns have no field "${field}" to update.`)
    sets.push(`${column} = ?`)
    values.push(field === 'pacing' ? JSON.stringify(value) : value)
  }
  return { sets, values }
}

function checkStatus(status: string): void {
  if (!(CAMPAIGN_STATUSES as readonly string[]).includes(status)) {
    throw new AppError('invalid_args', `"${status}" is not a campaign status; use one of ${CAMPAIGN_STATUSES.join(', ')}.`)
  }
}

const NEWEST_FIRST = 'ORDER BY created_at DESC, rowid DESC'

/** What a draft's status column holds until it is sealed (migration 60). */
const DRAFT = 'draft'

export function sqliteCampaigns(sql: Statements): CampaignStore {
  // A draft is never a campaign: every read of campaigns by id, list or status leaves it out.
  const byId = (id: string): CampaignRow | undefined =>
    sql.prepare<CampaignRow>(`SELECT * FROM campaigns WHERE id = ? AND status != '${DRAFT}'`).get(id)

  const begin = (input: NewCampaign): string => {
    const id = randomUUID()
    sql
      .prepare(
        `INSERT INTO campaigns (id, user_id, account_id, campaign_name, batch_id, template, status, draft_status, pacing,
           contacts_count, skipped_count, created_at, resume_at)
         VALUES (?, ?, ?, ?, ?, ?, '${DRAFT}', ?, ?, 0, 0, ?, ?)`,
      )
      .run(
        id,
        input.userId,
        input.accountId,
        input.campaignName,
        input.batchId,
        JSON.stringify(input.template),
        input.status,
        JSON.stringify(input.pacing),
        isoNow(),
        input.resumeAt ?? null,
      )
    return id
  }

  const append = sql.db.transaction((draftId: string, batch: NewRecipient[]): void => {
    const draft = sql.prepare<{ n: number }>(`SELECT contacts_count AS n FROM campaigns WHERE id = ? AND status = '${DRAFT}'`).get(draftId)
    if (!draft) throw notFound(`Campaign draft ${draftId}`)
    const now = Date.now()
    const insert = sql.prepare(
      `INSERT INTO recipients (campaign_id, position, phone, name, variables, state, skip_reason, error_message, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    let skipped = 0
    batch.forEach((r, i) => {
      const skip = r.skipReason ?? null
      if (skip) skipped++
      insert.run(draftId, draft.n + i, r.phone, r.name, JSON.stringify(r.variables), skip ? 'skipped' : 'queued', skip, skip ? (r.skipDetail ?? null) : null, now)
    })
    sql.prepare('UPDATE campaigns SET contacts_count = contacts_count + ?, skipped_count = skipped_count + ? WHERE id = ?').run(batch.length, skipped, draftId)
  })

  const seal = (draftId: string): Campaign => {
    const row = sql
      .prepare<CampaignRow>(
        `UPDATE campaigns SET status = draft_status, draft_status = NULL, created_at = ?
         WHERE id = ? AND status = '${DRAFT}' RETURNING *`,
      )
      .get(isoNow(), draftId)
    if (!row) throw notFound(`Campaign draft ${draftId}`)
    return toCampaign(row)
  }

  return {
    async begin(input) {
      return { id: begin(input) }
    },

    async appendRecipients(draftId, batch) {
      append.immediate(draftId, batch)
    },

    async seal(draftId) {
      return seal(draftId)
    },

    async discardDraft(draftId) {
      // Its rows go with it (ON DELETE CASCADE).
      return sql.prepare(`DELETE FROM campaigns WHERE id = ? AND status = '${DRAFT}'`).run(draftId).changes > 0
    },

    async discardUnsealed() {
      return sql.prepare(`DELETE FROM campaigns WHERE status = '${DRAFT}'`).run().changes
    },

    async create(input, recipients) {
      return sql.db.transaction(() => {
        const id = begin(input)
        append(id, recipients)
        return seal(id)
      })()
    },

    async get(id, userId) {
      const row = byId(id)
      return row && (userId === undefined || row.user_id === userId) ? toCampaign(row) : null
    },

    async list(userId, query) {
      const where = ['user_id = ?', `status != '${DRAFT}'`]
      const values: unknown[] = [userId]
      if (query.status !== undefined) {
        checkStatus(query.status)
        where.push('status = ?')
        values.push(query.status)
      }
      if (query.accountId !== undefined) {
        where.push('account_id = ?')
        values.push(query.accountId)
      }
      return sql
        .prepare<CampaignRow>(`SELECT * FROM campaigns WHERE ${where.join(' AND ')} ${NEWEST_FIRST} LIMIT ?`)
        .all(...values, query.limit)
        .map(toCampaign)
    },

    async listByStatus(statuses) {
      if (statuses.length === 0) return []
      statuses.forEach(checkStatus)
      return sql
        .prepare<CampaignRow>(`SELECT * FROM campaigns WHERE status IN (${placeholders(statuses.length)}) ${NEWEST_FIRST}`)
        .all(...statuses)
        .map(toCampaign)
    },

    async transition(id, from, to, patch = {}) {
      checkStatus(to)
      if (from.length === 0) return null
      const { sets, values } = patchSets(patch)
      const row = sql
        .prepare<CampaignRow>(
          `UPDATE campaigns SET ${['status = ?', ...sets].join(', ')}
           WHERE id = ? AND status IN (${placeholders(from.length)}) RETURNING *`,
        )
        .get(to, ...values, id, ...from)
      return row ? toCampaign(row) : null
    },

    async update(id, patch) {
      const { sets, values } = patchSets(patch)
      const row =
        sets.length > 0
          ? sql.prepare<CampaignRow>(`UPDATE campaigns SET ${sets.join(', ')} WHERE id = ? AND status != '${DRAFT}' RETURNING *`).get(...values, id)
          : byId(id)
      if (!row) throw notFound(`Campaign ${id}`)
      return toCampaign(row)
    },

    async findActiveByTemplate(wabaId, templateName) {
      // Every campaign that may still send (scheduled and paused included): a paused template stops them all.
      return sql
        .prepare<CampaignRow>(
          `SELECT campaigns.* FROM campaigns JOIN accounts ON accounts.id = campaigns.account_id
           WHERE accounts.waba_id = ? AND json_extract(campaigns.template, '$.name') = ?
             AND campaigns.status NOT IN ('${DRAFT}', ${placeholders(TERMINAL_CAMPAIGN_STATUSES.length)})
           ORDER BY campaigns.created_at DESC, campaigns.rowid DESC`,
        )
        .all(wabaId, templateName, ...TERMINAL_CAMPAIGN_STATUSES)
        .map(toCampaign)
    },
  }
}
