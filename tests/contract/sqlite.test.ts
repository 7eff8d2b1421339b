// The conformance suite against a real pregon.db in a temp dir, plus what only SQLite has: WAL, migrations, the file.
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// eslint-disable-next-line no-restricted-imports -- these tests inspect the SQLite file itself
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSecretBox } from '../../src/main/store/secrets'
import { LATEST_SCHEMA_VERSION, openSqliteStore } from '../../src/main/store/sqlite'
import { sqliteAccounts } from '../../src/main/store/sqlite/accounts'
import { sqliteCampaigns } from '../../src/main/store/sqlite/campaigns'
import { openDatabase, Statements } from '../../src/main/store/sqlite/db'
import { sqliteInbox } from '../../src/main/store/sqlite/inbox'
import { sqliteLedger } from '../../src/main/store/sqlite/ledger'
import { MIGRATIONS, migrate } from '../../src/main/store/sqlite/migrations'
import { sqliteUsers } from '../../src/main/store/sqlite/users'
import { describeStoreConformance } from './storeConformance'

const secrets = createSecretBox(Buffer.alloc(32, 7))
const tempDir = () => mkdtemp(join(tmpdir(), 'pregon-sqlite-'))

describeStoreConformance('sqlite', async () => {
  const dataDir = await tempDir()
  return { store: openSqliteStore({ dataDir, secrets }), cleanup: () => rm(dataDir, { recursive: true, force: true }) }
})

describe('sqlite store on disk', () => {
  let dataDir: string
  beforeEach(async () => {
    dataDir = join(await tempDir(), 'nested', 'data')
  })
  afterEach(async () => {
    await rm(join(dataDir, '..', '..'), { recursive: true, force: true })
  })

  const inspect = <T>(query: (db: Database.Database) => T): T => {
    const db = new Database(join(dataDir, 'pregon.db'), { readonly: true })
    try {
      return query(db)
    } finally {
      db.close()
    }
  }

  it('creates the data directory and opens pregon.db in WAL mode with foreign keys on', async () => {
    const store = openSqliteStore({ dataDir, secrets })
    await store.users.ensureLocal()
    expect(await readdir(dataDir)).toContain('pregon.db')
    expect(inspect((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal')
    expect(inspect((db) => db.pragma('user_version', { simple: true }))).toBe(LATEST_SCHEMA_VERSION)
    await store.close()
  })

  it('reopens an existing database without re-running migrations, keeping the data', async () => {
    const first = openSqliteStore({ dataDir, secrets })
    const user = await first.users.ensureLocal()
    const account = await first.accounts.create({ userId: user.id, label: 'Tienda', phoneNumberId: '1', wabaId: 'w', accessToken: 'tok', defaultCountry: 'CO' })
    const campaign = await first.campaigns.create(
      { userId: user.id, accountId: account.id, campaignName: 'Promo', batchId: 'b', template: { name: 't', language: 'es' }, pacing: { kind: 'seed' }, status: 'pending' },
      [{ phone: '+573001112233', name: 'Ana', variables: {} }],
    )
    const [row] = await first.ledger.claim(campaign.id, 1, 1)
    await first.close()

    const second = openSqliteStore({ dataDir, secrets })
    expect(await second.accounts.getAccessToken(account.id)).toBe('tok')
    expect((await second.campaigns.get(campaign.id))?.contactsCount).toBe(1)
    // A restart finds the row still `sending`, exactly what recovery needs.
    expect((await second.ledger.get(campaign.id, row.id))?.state).toBe('sending')
    expect(await second.ledger.markInterruptedUncertain(2)).toBe(1)
    await second.close()
    expect(inspect((db) => db.pragma('user_version', { simple: true }))).toBe(LATEST_SCHEMA_VERSION)
  })

  it('upgrades a database of the first schema in place: queued rows are claimed through the partial index', async () => {
    const file = join(dataDir, 'pregon.db')
    await mkdir(dataDir, { recursive: true })
    const old = new Database(file)
    migrate(old, MIGRATIONS.slice(0, 1))
    old.close()
    const first = openSqliteStore({ dataDir, secrets })
    const user = await first.users.ensureLocal()
    const account = await first.accounts.create({ userId: user.id, label: 'Tienda', phoneNumberId: '1', wabaId: 'w', accessToken: 'tok', defaultCountry: 'CO' })
    const campaign = await first.campaigns.create(
      { userId: user.id, accountId: account.id, campaignName: 'Promo', batchId: 'b', template: { name: 't', language: 'es' }, pacing: { kind: 'off' }, status: 'pending' },
      [{ phone: '+573001112233', name: 'Ana', variables: { Nombre: 'Ana' } }, { phone: '+573001112234', name: 'Luis', variables: {} }],
    )
    expect((await first.ledger.claim(campaign.id, 5, 1)).map((r) => [r.position, r.state, r.attempts, r.variables])).toEqual([
      [0, 'sending', 1, { Nombre: 'Ana' }],
      [1, 'sending', 1, {}],
    ])
    await first.close()
    const planOf = (query: string): string =>
      (inspect((db) => db.prepare(`EXPLAIN QUERY PLAN ${query}`).all('x', 1)) as { detail: string }[]).map((step) => step.detail).join(' ')
    expect(planOf(`SELECT id, position FROM recipients WHERE campaign_id = ? AND state = 'queued' ORDER BY position LIMIT ?`)).toContain('recipients_queued')
    // The detail page's "failed" filter, as ledger.page writes it.
    expect(planOf(`SELECT * FROM recipients WHERE campaign_id = ? AND state = 'failed' ORDER BY position LIMIT ?`)).toContain('recipients_failed')
    expect(inspect((db) => db.pragma('user_version', { simple: true }))).toBe(LATEST_SCHEMA_VERSION)
  })

  it('keeps the rows of a database from before signed callbacks: claimed, signed and resolved, with one key across opens', async () => {
    const file = join(dataDir, 'pregon.db')
    await mkdir(dataDir, { recursive: true })
    const old = new Database(file)
    migrate(old, MIGRATIONS.filter((m) => m.version <= 20))
    old.exec(`
      INSERT INTO users (id, name, created_at) VALUES ('u', 'shop', '2026-01-01T00:00:00Z');
      INSERT INTO accounts (id, user_id, label, phone_number_id, waba_id, access_token, default_country, max_mps, created_at)
        VALUES ('a', 'u', 'Tienda', '1111', 'w', 'v1:sealed', 'CO', 80, '2026-01-01T00:00:00Z');
      INSERT INTO campaigns (id, user_id, account_id, campaign_name, batch_id, template, status, pacing, contacts_count, created_at)
        VALUES ('c', 'u', 'a', 'Promo', 'b', '{"name":"t","language":"es"}', 'pending', '{"kind":"off"}', 2, '2026-01-01T00:00:00Z');
      INSERT INTO recipients (id, campaign_id, position, phone, variables, state, updated_at) VALUES
        (1, 'c', 0, '+573001112233', '{}', 'queued', 0),
        (2, 'c', 1, '+573001112234', '{}', 'queued', 0);
    `)
    old.close()

    const first = openSqliteStore({ dataDir, secrets })
    const [row] = await first.ledger.claim('c', 1, 1)
    expect(row).toMatchObject({ id: '1', phone: '+573001112233' })
    await first.close()
    // Reopened (a restart, another process): the same key reads the callback data sent before.
    const second = openSqliteStore({ dataDir, secrets })
    expect(await second.ledger.markInterruptedUncertain(2)).toBe(1)
    const status = { callbackId: row.callbackData, phoneNumberId: '1111', recipientWaId: '573001112233', status: 'delivered' as const, at: 3 }
    expect(await second.ledger.applyStatuses([{ ...status, wamid: 'wamid.late' }])).toMatchObject({ applied: 1, unknown: 0 })
    expect(await second.ledger.get('c', '1')).toMatchObject({ state: 'delivered', wamid: 'wamid.late' })
    expect((await second.ledger.claim('c', 5, 4)).map((r) => r.callbackData)).toEqual([expect.stringMatching(/^2\./)])
    await second.close()
    expect(inspect((db) => db.prepare('SELECT count(*) FROM installation_keys').pluck().get())).toBe(1)
  })

  it('resolves a claim only after a sync of the WAL that began once the claim was committed', async () => {
    const db = openDatabase(join(dataDir, 'pregon.db'))
    try {
      const sql = new Statements(db)
      let release: () => void = () => undefined
      const seenAtSync: string[][] = []
      const ledger = sqliteLedger(sql, async () => {
        // What a restart would read if the power went now: the claim is already committed.
        seenAtSync.push(inspect((other) => other.prepare('SELECT state FROM recipients ORDER BY position').pluck().all() as string[]))
        await new Promise<void>((resolve) => (release = resolve))
      })
      const user = await sqliteUsers(sql).ensureLocal()
      const account = await sqliteAccounts(sql, secrets).create({ userId: user.id, label: 'x', phoneNumberId: '1', wabaId: 'w', accessToken: 't', defaultCountry: 'CO' })
      const campaign = await sqliteCampaigns(sql).create(
        { userId: user.id, accountId: account.id, campaignName: 'Promo', batchId: 'b', template: { name: 't', language: 'es' }, pacing: { kind: 'off' }, status: 'pending' },
        [{ phone: '+573001112233', name: null, variables: {} }, { phone: '+573001112234', name: null, variables: {} }],
      )
      let claimed: unknown = null
      const claiming = ledger.claim(campaign.id, 1, 1).then((rows) => (claimed = rows))
      await new Promise((resolve) => setImmediate(resolve))
      expect(seenAtSync).toEqual([['sending', 'queued']])
      expect(claimed).toBeNull()
      release()
      expect(await claiming).toHaveLength(1)
      // Nothing to claim, nothing to wait for.
      await ledger.claim(campaign.id, 0, 2)
      expect(seenAtSync).toHaveLength(1)
    } finally {
      db.close()
    }
  })

  it('answers a stored webhook delivery only after a sync of the WAL that began once it was committed', async () => {
    // Meta stops retrying once answered; a delivery lost to a power cut could take with it the status
    // that settles an uncertain row, and the evidence rule would then send that row again.
    const db = openDatabase(join(dataDir, 'pregon.db'))
    try {
      let release: () => void = () => undefined
      const seenAtSync: string[][] = []
      const inbox = sqliteInbox(new Statements(db), async () => {
        seenAtSync.push(inspect((other) => other.prepare('SELECT body FROM webhook_inbox ORDER BY seq').pluck().all() as string[]))
        await new Promise<void>((resolve) => (release = resolve))
      })
      let stored: number | null = null
      const storing = inbox.append('{"object":"whatsapp_business_account"}', 1).then((seq) => (stored = seq))
      await new Promise((resolve) => setImmediate(resolve))
      expect(seenAtSync).toEqual([['{"object":"whatsapp_business_account"}']])
      expect(stored).toBeNull()
      release()
      expect(await storing).toBe(1)
    } finally {
      db.close()
    }
  })

  it('keeps a draft a process left unsealed invisible in the file until recovery removes it with its rows', async () => {
    const first = openSqliteStore({ dataDir, secrets })
    const user = await first.users.ensureLocal()
    const account = await first.accounts.create({ userId: user.id, label: 'Tienda', phoneNumberId: '1', wabaId: 'w', accessToken: 'tok', defaultCountry: 'CO' })
    const draft = await first.campaigns.begin({ userId: user.id, accountId: account.id, campaignName: 'Grande', batchId: 'b', template: { name: 't', language: 'es' }, pacing: { kind: 'off' }, status: 'pending' })
    await first.campaigns.appendRecipients(draft.id, [{ phone: '+573001112233', name: null, variables: {} }, { phone: '+573001112234', name: null, variables: {} }])
    await first.close()

    const second = openSqliteStore({ dataDir, secrets })
    expect(await second.campaigns.listByStatus(['pending'])).toEqual([])
    expect(await second.ledger.claim(draft.id, 5, 1)).toEqual([])
    expect(await second.campaigns.discardUnsealed()).toBe(1)
    await second.close()
    expect(inspect((db) => db.prepare('SELECT (SELECT count(*) FROM campaigns) + (SELECT count(*) FROM recipients)').pluck().get())).toBe(0)
  })

  it('refuses a database written by a newer Pregón', async () => {
    await openSqliteStore({ dataDir, secrets }).close()
    const db = new Database(join(dataDir, 'pregon.db'))
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`)
    db.close()
    expect(() => openSqliteStore({ dataDir, secrets })).toThrow(/written by a newer Pregón/)
  })

  it('never writes an access token in plain text to the database files', async () => {
    const token = 'EAAG-very-recognisable-access-token-0123456789'
    const store = openSqliteStore({ dataDir, secrets })
    const user = await store.users.ensureLocal()
    const account = await store.accounts.create({ userId: user.id, label: 'x', phoneNumberId: '1', wabaId: 'w', accessToken: token, defaultCountry: 'CO' })
    await store.accounts.update(account.id, { accessToken: token + '-rotated' })
    await store.close()
    for (const file of await readdir(dataDir)) {
      expect((await readFile(join(dataDir, file))).includes(Buffer.from('very-recognisable'))).toBe(false)
    }
    const stored = inspect((db) => db.prepare('SELECT access_token FROM accounts').pluck().get()) as string
    expect(stored.startsWith('v1:')).toBe(true)
  })

  it('uses the file name it is given', async () => {
    const store = openSqliteStore({ dataDir, secrets, fileName: 'other.db' })
    await store.close()
    expect(await readdir(dataDir)).toContain('other.db')
  })
})
