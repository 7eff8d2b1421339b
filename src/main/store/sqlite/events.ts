// Webhook statuses and inbound messages as received, deduplicated on (wamid, status).
import type { MessageEvent, MessageEventStore } from '../ports'
import type { Statements } from './db'

interface EventRow {
  wamid: string
  kind: MessageEvent['kind']
  status: string
  campaign_id: string | null
  recipient_id: string | null
  phone: string | null
  at: number
  error_code: number | null
  payload: string
}

const toEvent = (row: EventRow): MessageEvent => ({
  wamid: row.wamid,
  kind: row.kind,
  status: row.status,
  campaignId: row.campaign_id,
  recipientId: row.recipient_id,
  phone: row.phone,
  at: row.at,
  errorCode: row.error_code,
  payload: row.payload,
})

export function sqliteEvents(sql: Statements): MessageEventStore {
  return {
    async insert(event) {
      return (
        sql
          .prepare(
            `INSERT OR IGNORE INTO message_events (wamid, kind, status, campaign_id, recipient_id, phone, at, error_code, payload)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(event.wamid, event.kind, event.status, event.campaignId, event.recipientId, event.phone, event.at, event.errorCode, event.payload)
          .changes > 0
      )
    },

    async lastStatusForAccount(accountId) {
      return (
        sql
          .prepare<{ at: number | null }>(
            `SELECT max(e.at) AS at FROM message_events e JOIN campaigns c ON c.id = e.campaign_id
             WHERE c.account_id = ? AND e.kind = 'status'`,
          )
          .get(accountId)?.at ?? null
      )
    },

    async list(campaignId, limit) {
      return sql
        .prepare<EventRow>(
          `SELECT wamid, kind, status, campaign_id, recipient_id, phone, at, error_code, payload FROM message_events
           WHERE campaign_id = ? ORDER BY at DESC, id DESC LIMIT ?`,
        )
        .all(campaignId, limit)
        .map(toEvent)
    },
  }
}
