// The SQLite Store: one pregon.db in the data directory, every port over one better-sqlite3 connection.
import { join } from 'node:path'
import type { SecretBox, Store } from '../ports'
import { openDatabase, Statements } from './db'
import { sqliteAccounts } from './accounts'
import { sqliteCampaigns } from './campaigns'
import { sqliteEvents } from './events'
import { sqliteInbox } from './inbox'
import { sqliteLedger } from './ledger'
import { sqliteSettings } from './settings'
import { sqliteSuppressions } from './suppressions'
import { sqliteUsers } from './users'
import { walSyncer } from './walSync'

export { LATEST_SCHEMA_VERSION, NewerSchemaError } from './migrations'
export { LOCAL_USER_ID } from './users'

export const DEFAULT_DB_FILE = 'pregon.db'

export interface SqliteStoreOptions {
  /** Created when missing. */
  dataDir: string
  secrets: SecretBox
  fileName?: string
  /** The packaged desktop app's better_sqlite3.node, outside app.asar; default: the module's own build. */
  nativeBinding?: string
}

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  const file = join(opts.dataDir, opts.fileName ?? DEFAULT_DB_FILE)
  const db = openDatabase(file, opts.nativeBinding)
  const sql = new Statements(db)
  // One group commit for claims and webhook deliveries: what commits while a sync runs shares the next.
  const syncWal = walSyncer(file)
  return {
    users: sqliteUsers(sql),
    accounts: sqliteAccounts(sql, opts.secrets),
    campaigns: sqliteCampaigns(sql),
    ledger: sqliteLedger(sql, syncWal),
    suppressions: sqliteSuppressions(sql),
    events: sqliteEvents(sql),
    inbox: sqliteInbox(sql, syncWal),
    settings: sqliteSettings(sql),
    async close() {
      if (db.open) db.close()
    },
  }
}
