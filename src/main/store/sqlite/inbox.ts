// Raw webhook deliveries: stored before the webhook is answered, processed after, and replayed to relays.
import type { WebhookInboxStore } from '../ports'
import type { Statements } from './db'

export function sqliteInbox(sql: Statements): WebhookInboxStore {
  return {
    async append(body, receivedAt) {
      return Number(sql.prepare('INSERT INTO webhook_inbox (body, received_at) VALUES (?, ?)').run(body, receivedAt).lastInsertRowid)
    },

    async unprocessed(limit) {
      return sql
        .prepare<{ seq: number; body: string }>('SELECT seq, body FROM webhook_inbox WHERE processed_at IS NULL ORDER BY seq LIMIT ?')
        .all(limit)
    },

    async markProcessed(seqs) {
      if (seqs.length === 0) return
      sql
        .prepare('UPDATE webhook_inbox SET processed_at = ? WHERE processed_at IS NULL AND seq IN (SELECT value FROM json_each(?))')
        .run(Date.now(), JSON.stringify(seqs))
    },

    async after(seq, limit) {
      return sql
        .prepare<{ seq: number; body: string; receivedAt: number }>(
          'SELECT seq, body, received_at AS receivedAt FROM webhook_inbox WHERE seq > ? ORDER BY seq LIMIT ?',
        )
        .all(seq, limit)
    },
  }
}
