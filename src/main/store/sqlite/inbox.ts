// Raw webhook deliveries: stored before the webhook is answered, processed after, and replayed to relays.
import type { WebhookInboxStore } from '../ports'
import type { Statements } from './db'
import type { SyncWal } from './walSync'

/** `syncWal` makes a delivery durable before it is answered (walSync.ts). */
export function sqliteInbox(sql: Statements, syncWal: SyncWal): WebhookInboxStore {
  return {
    async append(body, receivedAt) {
      const seq = Number(sql.prepare('INSERT INTO webhook_inbox (body, received_at) VALUES (?, ?)').run(body, receivedAt).lastInsertRowid)
      // Meta stops retrying once answered: a delivery lost to a power cut could be the status that settles
      // an uncertain row, and without it the evidence rule would send that row again.
      await syncWal()
      return seq
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

    async contains(text, since) {
      return Boolean(sql.prepare('SELECT 1 FROM webhook_inbox WHERE received_at >= ? AND instr(body, ?) > 0 LIMIT 1').get(since, text))
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
