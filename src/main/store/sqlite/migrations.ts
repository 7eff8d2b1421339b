// The schema of pregon.db as numbered migrations (steps of 10), applied at open and tracked in PRAGMA user_version.
import type { Db } from './db'

interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 10,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );

      -- Only sha256 of a key is kept: a leaked database does not leak working keys.
      CREATE TABLE api_keys (
        key_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL
      );

      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        phone_number_id TEXT NOT NULL,
        waba_id TEXT NOT NULL,
        access_token TEXT NOT NULL, -- sealed by the SecretBox, never plain
        default_country TEXT NOT NULL,
        max_mps INTEGER NOT NULL,
        verified_name TEXT,
        display_phone_number TEXT,
        quality_rating TEXT,
        messaging_limit_tier TEXT,
        throughput_level TEXT,
        validated_at TEXT,
        simulated INTEGER NOT NULL DEFAULT 0,
        graph_url TEXT,
        webhook_verify_token TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX accounts_user ON accounts(user_id);
      CREATE INDEX accounts_phone_number_id ON accounts(phone_number_id);

      -- account_id is not a foreign key: a campaign's history outlives the sender it used.
      CREATE TABLE campaigns (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        campaign_name TEXT NOT NULL,
        batch_id TEXT NOT NULL,
        template TEXT NOT NULL,
        status TEXT NOT NULL,
        pacing TEXT NOT NULL,
        processed INTEGER NOT NULL DEFAULT 0,
        success_count INTEGER NOT NULL DEFAULT 0,
        failed_count INTEGER NOT NULL DEFAULT 0,
        contacts_count INTEGER NOT NULL DEFAULT 0,
        delivered_count INTEGER NOT NULL DEFAULT 0,
        read_count INTEGER NOT NULL DEFAULT 0,
        replied_count INTEGER NOT NULL DEFAULT 0,
        skipped_count INTEGER NOT NULL DEFAULT 0,
        uncertain_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        started_at TEXT,
        last_processed_at TEXT,
        completed_at TEXT,
        paused_at TEXT,
        resume_at TEXT,
        error TEXT,
        error_detail TEXT
      );
      CREATE INDEX campaigns_user_created ON campaigns(user_id, created_at);
      CREATE INDEX campaigns_status ON campaigns(status);

      CREATE TABLE recipients (
        id INTEGER PRIMARY KEY,
        campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        phone TEXT NOT NULL,
        name TEXT,
        variables TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        wamid TEXT,
        wa_id TEXT,
        error_code INTEGER,
        error_message TEXT,
        skip_reason TEXT,
        sent_at INTEGER,
        delivered_at INTEGER,
        read_at INTEGER,
        failed_at INTEGER,
        replied_at INTEGER,
        updated_at INTEGER NOT NULL
      );
      -- claim reads queued rows of one campaign in position order straight off this index.
      CREATE INDEX recipients_claim ON recipients(campaign_id, state, position);
      CREATE UNIQUE INDEX recipients_position ON recipients(campaign_id, position);
      CREATE INDEX recipients_wamid ON recipients(wamid) WHERE wamid IS NOT NULL;
      -- Recovery after a crash looks only at in-flight rows.
      CREATE INDEX recipients_in_flight ON recipients(campaign_id) WHERE state = 'sending';

      CREATE TABLE send_logs (
        id INTEGER PRIMARY KEY,
        campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        recipient_id INTEGER NOT NULL,
        at INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        http_status INTEGER,
        error_code INTEGER,
        wamid TEXT,
        latency_ms INTEGER NOT NULL,
        summary TEXT
      );
      CREATE INDEX send_logs_campaign_at ON send_logs(campaign_id, at);

      CREATE TABLE message_events (
        id INTEGER PRIMARY KEY,
        wamid TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        campaign_id TEXT,
        recipient_id TEXT,
        phone TEXT,
        at INTEGER NOT NULL,
        error_code INTEGER,
        payload TEXT NOT NULL,
        UNIQUE (wamid, status)
      );
      CREATE INDEX message_events_campaign_at ON message_events(campaign_id, at);

      CREATE TABLE suppressions (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        phone TEXT NOT NULL,
        reason TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (account_id, phone)
      ) WITHOUT ROWID;

      -- The moving-24 h messaging tier: one row per number an account reached, with its last send.
      CREATE TABLE account_recipients (
        account_id TEXT NOT NULL,
        phone TEXT NOT NULL,
        last_sent_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, phone)
      ) WITHOUT ROWID;
      CREATE INDEX account_recipients_window ON account_recipients(account_id, last_sent_at);

      CREATE TABLE webhook_inbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        body TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        processed_at INTEGER
      );
      CREATE INDEX webhook_inbox_unprocessed ON webhook_inbox(seq) WHERE processed_at IS NULL;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 20,
    name: 'partial indexes for the rows the engine works from',
    // Every send moves a row queued → sending → sent. An index over (campaign_id, state, position) was
    // rewritten twice per message; partial indexes over only some states are touched when a row enters
    // or leaves one of them: the states the engine reads from, and the two a shop owner acts on (failed,
    // unconfirmed), which are rare. Filters on the common states (sent, read …) scan one campaign.
    sql: `
      DROP INDEX recipients_claim;
      CREATE INDEX recipients_queued ON recipients(campaign_id, position) WHERE state = 'queued';
      CREATE INDEX recipients_retry_due ON recipients(campaign_id, next_attempt_at) WHERE state = 'retry_wait';
      CREATE INDEX recipients_failed ON recipients(campaign_id, position) WHERE state = 'failed';
      CREATE INDEX recipients_uncertain ON recipients(campaign_id, position) WHERE state = 'uncertain';
    `,
  },
  {
    version: 30,
    name: 'how each uncertain row was settled (a status came, none came while webhooks worked, a user resent it)',
    sql: `ALTER TABLE recipients ADD COLUMN resolution TEXT;`,
  },
  {
    version: 40,
    name: 'the messaging tier a user sets while Meta says none',
    sql: `ALTER TABLE accounts ADD COLUMN user_messaging_limit_tier TEXT;`,
  },
  {
    version: 50,
    name: 'installation keys',
    // Secrets made once per database that never leave it. `callback` signs each send's callback data,
    // so a status meant for another installation can never name one of our rows (store/correlation.ts).
    // The key itself is written at open (store/sqlite/keys.ts) from the OS's random source.
    sql: `
      CREATE TABLE installation_keys (
        name TEXT PRIMARY KEY,
        key BLOB NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 60,
    name: 'campaigns created from a stream: a draft is invisible and unclaimable until sealed',
    // A draft's status is 'draft' (no query by a real status finds it, no transition moves it) and
    // draft_status holds the status it takes when sealed; NULL for every sealed campaign.
    sql: `ALTER TABLE campaigns ADD COLUMN draft_status TEXT;`,
  },
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version

export class NewerSchemaError extends Error {
  constructor(found: number) {
    super(
      `this database was written by a newer Pregón (schema version ${found}; this version knows up to ` +
        `${LATEST_SCHEMA_VERSION}). Update Pregón, or point it at another data directory.`,
    )
    this.name = 'NewerSchemaError'
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Applies every migration newer than the file, each in its own transaction with its version bump. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations[migrations.length - 1].version
  const found = schemaVersion(db)
  if (found > latest) throw new NewerSchemaError(found)
  for (const migration of migrations) {
    // Re-read inside the write lock: another process may have migrated the file meanwhile.
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return
      db.exec(migration.sql)
      db.pragma(`user_version = ${migration.version}`)
    }).immediate()
  }
}
