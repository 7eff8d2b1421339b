// Numbers an account must not message (opt-outs), keyed by (account, phone).
import type { Suppression, SuppressionStore } from '../ports'
import { isoNow, type Statements } from './db'

interface SuppressionRow {
  account_id: string
  phone: string
  reason: string
  source: Suppression['source']
  created_at: string
}

const toSuppression = (row: SuppressionRow): Suppression => ({
  accountId: row.account_id,
  phone: row.phone,
  reason: row.reason,
  source: row.source,
  createdAt: row.created_at,
})

export function sqliteSuppressions(sql: Statements): SuppressionStore {
  return {
    async add(entry) {
      return (
        sql
          .prepare('INSERT OR IGNORE INTO suppressions (account_id, phone, reason, source, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(entry.accountId, entry.phone, entry.reason, entry.source, isoNow()).changes > 0
      )
    },

    async remove(accountId, phone) {
      return sql.prepare('DELETE FROM suppressions WHERE account_id = ? AND phone = ?').run(accountId, phone).changes > 0
    },

    async filter(accountId, phones) {
      if (phones.length === 0) return new Set()
      // One statement for any list size: the phones travel as a JSON array.
      const rows = sql
        .prepare<{ phone: string }>('SELECT phone FROM suppressions WHERE account_id = ? AND phone IN (SELECT value FROM json_each(?))')
        .all(accountId, JSON.stringify(phones))
      return new Set(rows.map((r) => r.phone))
    },

    async list(accountId) {
      return sql.prepare<SuppressionRow>('SELECT * FROM suppressions WHERE account_id = ? ORDER BY created_at, phone').all(accountId).map(toSuppression)
    },
  }
}
