// What the mirror reads from the desktop's pregon.db, over its own connection: every campaign, and the send
// logs and message events after a cursor (their integer ids grow in commit order: SQLite has one writer).

import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { MessageEvent } from '../ports'
import { CAMPAIGN_STATUSES, type Campaign } from '../../../shared/types'
import { DEFAULT_DB_FILE } from '../sqlite'
import { sqliteCampaigns } from '../sqlite/campaigns'
import { openDatabase, Statements } from '../sqlite/db'
import type { SendLogEntry } from '../mongo/seedDocuments'

export interface Cursored<T> {
  id: number
  batchId: string | null
  entry: T
}

export interface MirrorSource {
  /** Names this installation in a shared MongoDB (its callback key's fingerprint). */
  installationId: string
  campaigns(): Promise<Campaign[]>
  sendLogsAfter(id: number, limit: number): Cursored<SendLogEntry>[]
  eventsAfter(id: number, limit: number): Cursored<MessageEvent>[]
  /** The mirror's own state, kept in this database's settings. */
  loadState<T>(key: string): T | null
  saveState<T>(key: string, value: T): void
  /** Rows the mirror has not sent yet, for Settings → Storage. */
  backlog(sendLogId: number, eventId: number): { sendLogs: number; events: number }
  close(): void
}

interface SendLogRow {
  id: number
  campaign_id: string
  recipient_id: number
  at: number
  outcome: SendLogEntry['outcome']
  http_status: number | null
  error_code: number | null
  wamid: string | null
  latency_ms: number
  summary: string | null
  batch_id: string | null
}

interface EventRow {
  id: number
  wamid: string
  kind: MessageEvent['kind']
  status: string
  campaign_id: string | null
  recipient_id: string | null
  phone: string | null
  at: number
  error_code: number | null
  payload: string
  batch_id: string | null
}

export function openMirrorSource(dataDir: string): MirrorSource {
  const db = openDatabase(join(dataDir, DEFAULT_DB_FILE))
  const sql = new Statements(db)
  const campaigns = sqliteCampaigns(sql)
  const key = sql.prepare<{ key: Buffer }>("SELECT key FROM installation_keys WHERE name = 'callback'").get()?.key
  const installationId = key ? createHash('sha256').update(key).digest('hex').slice(0, 16) : 'unsigned'

  return {
    installationId,
    campaigns: () => campaigns.listByStatus([...CAMPAIGN_STATUSES]),
    sendLogsAfter(id, limit) {
      return sql
        .prepare<SendLogRow>(
          `SELECT s.*, c.batch_id FROM send_logs s LEFT JOIN campaigns c ON c.id = s.campaign_id WHERE s.id > ? ORDER BY s.id LIMIT ?`,
        )
        .all(id, limit)
        .map((r) => ({
          id: r.id,
          batchId: r.batch_id,
          entry: {
            campaignId: r.campaign_id, recipientId: String(r.recipient_id), at: r.at, outcome: r.outcome, httpStatus: r.http_status,
            errorCode: r.error_code, wamid: r.wamid, latencyMs: r.latency_ms, summary: r.summary,
          },
        }))
    },
    eventsAfter(id, limit) {
      return sql
        .prepare<EventRow>(`SELECT e.*, c.batch_id FROM message_events e LEFT JOIN campaigns c ON c.id = e.campaign_id WHERE e.id > ? ORDER BY e.id LIMIT ?`)
        .all(id, limit)
        .map((r) => ({
          id: r.id,
          batchId: r.batch_id,
          entry: {
            wamid: r.wamid, kind: r.kind, status: r.status, campaignId: r.campaign_id, recipientId: r.recipient_id, phone: r.phone,
            at: r.at, errorCode: r.error_code, payload: r.payload,
          },
        }))
    },
    loadState(stateKey) {
      const row = sql.prepare<{ value: string }>('SELECT value FROM settings WHERE key = ?').get(stateKey)
      return row ? JSON.parse(row.value) : null
    },
    saveState(stateKey, value) {
      sql.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(stateKey, JSON.stringify(value))
    },
    backlog(sendLogId, eventId) {
      const count = (table: string, after: number) => (sql.prepare<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE id > ?`).get(after) as { n: number }).n
      return { sendLogs: count('send_logs', sendLogId), events: count('message_events', eventId) }
    },
    close() {
      if (db.open) db.close()
    },
  }
}
