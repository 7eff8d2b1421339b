// The one conformance suite every Store backend passes, written only against the ports in store/ports.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ClaimedRecipient, NewRecipient, SendOutcome, StatusUpdate, Store } from '../../src/main/store/ports'
import type { Account, Campaign, Recipient, RecipientState } from '../../src/shared/types'
import { RECIPIENT_STATES } from '../../src/shared/types'

export type MakeStore = () => Promise<{ store: Store; cleanup(): Promise<void> }>

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0)
const LOG = { httpStatus: 200, latencyMs: 42, summary: 'template hello_world/es' }

const contacts = (n: number, prefix = '+5730000'): NewRecipient[] =>
  Array.from({ length: n }, (_, i) => ({
    phone: `${prefix}${String(i).padStart(5, '0')}`,
    name: `Contact ${i}`,
    variables: { Nombre: `Contact ${i}`, Ciudad: 'Cali' },
  }))

/** Every row of a campaign, through the port that streams them. */
async function allRows(store: Store, campaignId: string): Promise<Recipient[]> {
  const rows: Recipient[] = []
  for await (const batch of store.ledger.iterate(campaignId, 17)) rows.push(...batch)
  return rows
}

/** The counter invariants: a campaign's counters always equal what its rows say. */
async function expectCountersMatchRows(store: Store, campaignId: string): Promise<void> {
  const campaign = (await store.campaigns.get(campaignId)) as Campaign
  const counts = await store.ledger.stateCounts(campaignId)
  const rows = await allRows(store, campaignId)
  const success = counts.sent + counts.delivered + counts.read
  expect({
    successCount: campaign.successCount,
    failedCount: campaign.failedCount,
    uncertainCount: campaign.uncertainCount,
    skippedCount: campaign.skippedCount,
    processed: campaign.processed,
    deliveredCount: campaign.deliveredCount,
    readCount: campaign.readCount,
    repliedCount: campaign.repliedCount,
    contactsCount: campaign.contactsCount,
    pending: await store.ledger.pendingCount(campaignId),
  }).toEqual({
    successCount: success,
    failedCount: counts.failed,
    uncertainCount: counts.uncertain,
    skippedCount: counts.skipped,
    processed: success + counts.failed + counts.uncertain,
    deliveredCount: counts.delivered + counts.read,
    readCount: counts.read,
    repliedCount: rows.filter((r) => r.repliedAt !== null).length,
    contactsCount: rows.length,
    pending: counts.queued + counts.retry_wait + counts.sending,
  })
  expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(rows.length)
}

/** A small deterministic PRNG so a failing random sequence can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface ConformanceOptions {
  /**
   * Rows in the one-call batch test (default 1,000). A test server whose every write costs time in
   * proportion to its collections (jongodb: ~30 ms a write at 1,000 rows) runs it smaller; the real
   * server's volume is measured by the gated tests and the bench instead.
   */
  batchRows?: number
}

export function describeStoreConformance(name: string, makeStore: MakeStore, options: ConformanceOptions = {}): void {
  const batchRows = options.batchRows ?? 1000
  describe(`${name} store conformance`, () => {
    let store: Store
    let cleanup: () => Promise<void>
    let userId: string
    let account: Account

    beforeEach(async () => {
      ;({ store, cleanup } = await makeStore())
      userId = (await store.users.ensureLocal()).id
      account = await newAccount(userId)
    })
    afterEach(async () => {
      await store.close()
      await cleanup()
    })

    const newAccount = (owner: string, over: Partial<{ phoneNumberId: string; wabaId: string; label: string }> = {}) =>
      store.accounts.create({
        userId: owner,
        label: over.label ?? 'Tienda',
        phoneNumberId: over.phoneNumberId ?? '1111',
        wabaId: over.wabaId ?? 'waba-1',
        accessToken: 'EAAG-secret-token',
        defaultCountry: 'CO',
      })

    const newCampaign = (recipients: NewRecipient[], over: Partial<{ accountId: string; userId: string; templateName: string; name: string }> = {}) =>
      store.campaigns.create(
        {
          userId: over.userId ?? userId,
          accountId: over.accountId ?? account.id,
          campaignName: over.name ?? 'Promo',
          batchId: 'batch-1',
          template: { name: over.templateName ?? 'hello_world', language: 'es', bodyParams: [{ type: 'text', text: '{{Nombre}}' }] },
          pacing: { kind: 'standard' },
          status: 'pending',
        },
        recipients,
      )

    const sent = (r: Pick<Recipient, 'id' | 'phone'>, wamid = `wamid.${r.id}`): SendOutcome => ({ kind: 'sent', recipientId: r.id, wamid, waId: r.phone.slice(1), log: LOG })
    const status = (wamid: string, s: StatusUpdate['status'], at = T0 + 1000, extra: Partial<StatusUpdate> = {}): StatusUpdate => ({
      wamid,
      callbackId: null,
      status: s,
      at,
      ...extra,
    })
    const recipient = async (campaignId: string, id: string) => (await store.ledger.get(campaignId, id)) as Recipient
    /** What a status correlated by callback data carries: our callback data, our sender, the row's recipient. */
    const addressedTo = (r: Pick<ClaimedRecipient, 'callbackData' | 'phone'>): Partial<StatusUpdate> => ({
      callbackId: r.callbackData,
      phoneNumberId: account.phoneNumberId,
      recipientWaId: r.phone.slice(1),
    })

    describe('users', () => {
      it('creates a user whose API key is shown once and then finds the user by it', async () => {
        const { user, apiKey } = await store.users.create('acme')
        expect(apiKey).toMatch(/^pk_[A-Za-z0-9_-]{40,}$/)
        expect(await store.users.findByApiKey(apiKey)).toEqual(user)
        expect(await store.users.findByApiKey(apiKey + 'x')).toBeNull()
        expect(await store.users.get(user.id)).toEqual(user)
      })

      it('refuses a second user with the same name', async () => {
        await store.users.create('acme')
        await expect(store.users.create('acme')).rejects.toThrow(/already exists/)
      })

      it('registers keys chosen elsewhere idempotently, creating the user by name once', async () => {
        const first = await store.users.upsertWithKey('ops', 'key-one')
        const again = await store.users.upsertWithKey('ops', 'key-one')
        const second = await store.users.upsertWithKey('ops', 'key-two')
        expect(again.id).toBe(first.id)
        expect(second.id).toBe(first.id)
        expect((await store.users.findByApiKey('key-one'))?.id).toBe(first.id)
        expect((await store.users.findByApiKey('key-two'))?.id).toBe(first.id)
        await expect(store.users.upsertWithKey('other', 'key-one')).rejects.toThrow(/another user/)
      })

      it('creates the local user once and lists every user', async () => {
        const again = await store.users.ensureLocal()
        expect(again.id).toBe(userId)
        await store.users.create('acme')
        expect((await store.users.list()).map((u) => u.name).sort()).toEqual(['acme', 'local'])
        expect(await store.users.get('nobody')).toBeNull()
      })
    })

    describe('accounts', () => {
      it('stores an account with defaults and never returns the token with it', async () => {
        expect(account).toMatchObject({
          userId,
          label: 'Tienda',
          phoneNumberId: '1111',
          wabaId: 'waba-1',
          defaultCountry: 'CO',
          maxMessagesPerSecond: 80,
          simulated: false,
          graphUrl: null,
          qualityRating: null,
        })
        expect(JSON.stringify(account)).not.toContain('EAAG-secret-token')
        expect(await store.accounts.getAccessToken(account.id)).toBe('EAAG-secret-token')
      })

      it('hides one user’s accounts from another', async () => {
        const other = (await store.users.create('other')).user
        expect(await store.accounts.get(account.id, other.id)).toBeNull()
        expect(await store.accounts.get(account.id, userId)).toEqual(account)
        expect(await store.accounts.get(account.id)).toEqual(account)
        expect(await store.accounts.list(other.id)).toEqual([])
        expect(await store.accounts.remove(account.id, other.id)).toBe(false)
        expect(await store.accounts.get(account.id)).not.toBeNull()
      })

      it('lists all accounts and finds them by phone number id', async () => {
        const other = (await store.users.create('other')).user
        const second = await newAccount(other.id, { phoneNumberId: '2222' })
        const sameNumber = await newAccount(other.id, { phoneNumberId: '1111', label: 'Copy' })
        expect((await store.accounts.listAll()).map((a) => a.id).sort()).toEqual([account.id, second.id, sameNumber.id].sort())
        expect((await store.accounts.findByPhoneNumberId('1111')).map((a) => a.id).sort()).toEqual([account.id, sameNumber.id].sort())
        expect(await store.accounts.list(other.id)).toHaveLength(2)
      })

      it('updates fields and the token, and removes the account', async () => {
        const updated = await store.accounts.update(account.id, {
          label: 'Renamed',
          qualityRating: 'GREEN',
          messagingLimitTier: 'TIER_1K',
          simulated: true,
          maxMessagesPerSecond: 20,
          accessToken: 'EAAG-new-token',
        })
        expect(updated).toMatchObject({ label: 'Renamed', qualityRating: 'GREEN', messagingLimitTier: 'TIER_1K', simulated: true, maxMessagesPerSecond: 20 })
        expect(await store.accounts.getAccessToken(account.id)).toBe('EAAG-new-token')
        expect(await store.accounts.remove(account.id, userId)).toBe(true)
        expect(await store.accounts.get(account.id)).toBeNull()
        await expect(store.accounts.update(account.id, { label: 'x' })).rejects.toThrow(/not found/)
        await expect(store.accounts.getAccessToken(account.id)).rejects.toThrow(/not found/)
      })
    })

    describe('campaigns', () => {
      it('creates a campaign with its rows in position order, skipped ones already counted', async () => {
        const list = contacts(5)
        list[3] = { ...list[3], skipReason: 'invalid_number', skipDetail: '300 12' }
        const campaign = await newCampaign(list)
        expect(campaign).toMatchObject({
          userId,
          accountId: account.id,
          campaignName: 'Promo',
          status: 'pending',
          contactsCount: 5,
          skippedCount: 1,
          processed: 0,
          pacing: { kind: 'standard' },
          startedAt: null,
          error: null,
        })
        expect(campaign.template.name).toBe('hello_world')
        const rows = await allRows(store, campaign.id)
        expect(rows.map((r) => r.position)).toEqual([0, 1, 2, 3, 4])
        expect(rows.map((r) => r.state)).toEqual(['queued', 'queued', 'queued', 'skipped', 'queued'])
        expect(rows[3].skipReason).toBe('invalid_number')
        expect(rows[0]).toMatchObject({ phone: '+573000000000', name: 'Contact 0', variables: { Nombre: 'Contact 0', Ciudad: 'Cali' }, attempts: 0 })
        await expectCountersMatchRows(store, campaign.id)
      })

      it('hides one user’s campaigns from another', async () => {
        const campaign = await newCampaign(contacts(1))
        const other = (await store.users.create('other')).user
        expect(await store.campaigns.get(campaign.id, other.id)).toBeNull()
        expect((await store.campaigns.get(campaign.id, userId))?.id).toBe(campaign.id)
        expect(await store.campaigns.list(other.id, { limit: 50 })).toEqual([])
      })

      it('lists newest first, filtered by status and account, within the limit', async () => {
        const second = await newAccount(userId, { phoneNumberId: '3333' })
        const a = await newCampaign(contacts(1), { name: 'a' })
        const b = await newCampaign(contacts(1), { name: 'b', accountId: second.id })
        const c = await newCampaign(contacts(1), { name: 'c' })
        await store.campaigns.transition(c.id, ['pending'], 'processing')
        expect((await store.campaigns.list(userId, { limit: 50 })).map((x) => x.campaignName)).toEqual(['c', 'b', 'a'])
        expect((await store.campaigns.list(userId, { limit: 2 })).map((x) => x.campaignName)).toEqual(['c', 'b'])
        expect((await store.campaigns.list(userId, { limit: 50, status: 'pending' })).map((x) => x.id)).toEqual([b.id, a.id])
        expect((await store.campaigns.list(userId, { limit: 50, accountId: second.id })).map((x) => x.id)).toEqual([b.id])
        expect((await store.campaigns.listByStatus(['processing'])).map((x) => x.id)).toEqual([c.id])
        expect((await store.campaigns.listByStatus(['processing', 'pending'])).map((x) => x.id).sort()).toEqual([a.id, b.id, c.id].sort())
        expect(await store.campaigns.listByStatus([])).toEqual([])
      })

      it('moves status only from the expected states, applying the patch in the same write', async () => {
        const campaign = await newCampaign(contacts(1))
        const startedAt = new Date(T0).toISOString()
        const moved = await store.campaigns.transition(campaign.id, ['pending', 'scheduled'], 'processing', { startedAt })
        expect(moved).toMatchObject({ status: 'processing', startedAt })
        expect(await store.campaigns.transition(campaign.id, ['pending'], 'cancelled')).toBeNull()
        const paused = await store.campaigns.transition(campaign.id, ['processing'], 'paused', {
          error: 'too_many_failures',
          errorDetail: '131026 undeliverable',
          pausedAt: startedAt,
        })
        expect(paused).toMatchObject({ status: 'paused', error: 'too_many_failures', errorDetail: '131026 undeliverable' })
        expect((await store.campaigns.get(campaign.id))?.status).toBe('paused')
      })

      it('updates fields and says when the campaign does not exist', async () => {
        const campaign = await newCampaign(contacts(1))
        const updated = await store.campaigns.update(campaign.id, { pacing: { kind: 'custom', intervalMs: 250 }, resumeAt: '2025-01-16T00:00:00.000Z' })
        expect(updated).toMatchObject({ pacing: { kind: 'custom', intervalMs: 250 }, resumeAt: '2025-01-16T00:00:00.000Z', status: 'pending' })
        await expect(store.campaigns.update('missing', { error: null })).rejects.toThrow(/not found/)
      })

      it('finds the campaigns that may still send a template on one WABA', async () => {
        const otherWaba = await newAccount(userId, { wabaId: 'waba-2', phoneNumberId: '4444' })
        const running = await newCampaign(contacts(1))
        const done = await newCampaign(contacts(1))
        await store.campaigns.transition(running.id, ['pending'], 'processing')
        await store.campaigns.transition(done.id, ['pending'], 'completed')
        await newCampaign(contacts(1), { templateName: 'other_template' })
        await newCampaign(contacts(1), { accountId: otherWaba.id })
        expect((await store.campaigns.findActiveByTemplate('waba-1', 'hello_world')).map((c) => c.id)).toEqual([running.id])
      })
    })

    describe('campaigns created from a stream', () => {
      const input = (over: Partial<{ status: 'pending' | 'scheduled'; resumeAt: string }> = {}) => ({
        userId,
        accountId: account.id,
        campaignName: 'Grande',
        batchId: 'batch-2',
        template: { name: 'hello_world', language: 'es' },
        pacing: { kind: 'off' as const },
        status: over.status ?? ('pending' as const),
        resumeAt: over.resumeAt ?? null,
      })

      it('never shows or claims a draft; its seal makes one campaign of every batch, in order', async () => {
        const draft = await store.campaigns.begin(input())
        const batch = contacts(3)
        batch[1] = { ...batch[1], skipReason: 'duplicate', skipDetail: 'Same number earlier in the list' }
        await store.campaigns.appendRecipients(draft.id, batch)
        await store.campaigns.appendRecipients(draft.id, [])
        await store.campaigns.appendRecipients(draft.id, contacts(2, '+5731111'))
        expect(await store.ledger.claim(draft.id, 10, T0)).toEqual([])
        expect(await store.campaigns.get(draft.id)).toBeNull()
        expect(await store.campaigns.list(userId, { limit: 50 })).toEqual([])
        expect(await store.campaigns.listByStatus(['pending', 'scheduled', 'processing'])).toEqual([])
        expect(await store.campaigns.findActiveByTemplate('waba-1', 'hello_world')).toEqual([])
        expect(await store.campaigns.transition(draft.id, ['pending'], 'processing')).toBeNull()
        await expect(store.campaigns.update(draft.id, { error: null })).rejects.toThrow(/not found/)

        const campaign = await store.campaigns.seal(draft.id)
        expect(campaign).toMatchObject({ id: draft.id, status: 'pending', campaignName: 'Grande', contactsCount: 5, skippedCount: 1, processed: 0 })
        expect(await store.campaigns.get(draft.id)).toEqual(campaign)
        expect((await store.campaigns.listByStatus(['pending'])).map((c) => c.id)).toEqual([draft.id])
        const rows = await allRows(store, draft.id)
        expect(rows.map((r) => [r.position, r.phone, r.state])).toEqual([
          [0, '+573000000000', 'queued'],
          [1, '+573000000001', 'skipped'],
          [2, '+573000000002', 'queued'],
          [3, '+573111100000', 'queued'],
          [4, '+573111100001', 'queued'],
        ])
        expect((await store.ledger.claim(draft.id, 10, T0)).map((r) => r.position)).toEqual([0, 2, 3, 4])
        await expectCountersMatchRows(store, draft.id)
      })

      it('seals a scheduled draft as scheduled, with its start time', async () => {
        const draft = await store.campaigns.begin(input({ status: 'scheduled', resumeAt: '2025-01-16T08:00:00.000Z' }))
        await store.campaigns.appendRecipients(draft.id, contacts(1))
        expect(await store.campaigns.seal(draft.id)).toMatchObject({ status: 'scheduled', resumeAt: '2025-01-16T08:00:00.000Z' })
      })

      it('discards a draft with its rows; a sealed campaign cannot be discarded, appended to or sealed again', async () => {
        const draft = await store.campaigns.begin(input())
        await store.campaigns.appendRecipients(draft.id, contacts(4))
        expect(await store.campaigns.discardDraft(draft.id)).toBe(true)
        expect(await allRows(store, draft.id)).toEqual([])
        expect(await store.ledger.pendingCount(draft.id)).toBe(0)
        await expect(store.campaigns.appendRecipients(draft.id, contacts(1))).rejects.toThrow(/not found/)
        await expect(store.campaigns.seal(draft.id)).rejects.toThrow(/not found/)
        expect(await store.campaigns.discardDraft(draft.id)).toBe(false)

        const sealed = await newCampaign(contacts(2))
        expect(await store.campaigns.discardDraft(sealed.id)).toBe(false)
        await expect(store.campaigns.appendRecipients(sealed.id, contacts(1))).rejects.toThrow(/not found/)
        await expect(store.campaigns.seal(sealed.id)).rejects.toThrow(/not found/)
        expect((await store.campaigns.get(sealed.id))?.contactsCount).toBe(2)
        expect(await allRows(store, sealed.id)).toHaveLength(2)
      })

      it('recovers from a crash before the seal: unsealed drafts and their rows are removed, campaigns stay', async () => {
        const sealed = await newCampaign(contacts(2))
        const halfMade = await store.campaigns.begin(input())
        await store.campaigns.appendRecipients(halfMade.id, contacts(3))
        const empty = await store.campaigns.begin(input())
        // The process dies here; the next start recovers.
        expect(await store.campaigns.discardUnsealed()).toBe(2)
        expect(await allRows(store, halfMade.id)).toEqual([])
        expect(await store.ledger.claim(halfMade.id, 10, T0)).toEqual([])
        await expect(store.campaigns.seal(empty.id)).rejects.toThrow(/not found/)
        expect(await store.campaigns.discardUnsealed()).toBe(0)
        expect(await allRows(store, sealed.id)).toHaveLength(2)
        await expectCountersMatchRows(store, sealed.id)
      })
    })

    describe('ledger: sending', () => {
      it('claims due rows in position order, durably sending, counting an attempt each', async () => {
        const campaign = await newCampaign(contacts(10))
        const first = await store.ledger.claim(campaign.id, 4, T0)
        expect(first.map((r) => r.position)).toEqual([0, 1, 2, 3])
        expect(first.every((r) => r.state === 'sending' && r.attempts === 1)).toBe(true)
        expect((await recipient(campaign.id, first[0].id)).state).toBe('sending')
        const second = await store.ledger.claim(campaign.id, 100, T0)
        expect(second.map((r) => r.position)).toEqual([4, 5, 6, 7, 8, 9])
        expect(await store.ledger.claim(campaign.id, 10, T0)).toEqual([])
        expect(await store.ledger.pendingCount(campaign.id)).toBe(10)
      })

      it('records a sent message with its wamid, log, tier usage and lastProcessedAt', async () => {
        const campaign = await newCampaign(contacts(3))
        const [r] = await store.ledger.claim(campaign.id, 1, T0)
        await store.ledger.record(campaign.id, [sent(r)], T0 + 50)
        expect(await recipient(campaign.id, r.id)).toMatchObject({ state: 'sent', wamid: `wamid.${r.id}`, waId: r.phone.slice(1), sentAt: T0 + 50 })
        expect(await store.ledger.findByWamid(`wamid.${r.id}`)).toMatchObject({ id: r.id, campaignId: campaign.id })
        const after = (await store.campaigns.get(campaign.id)) as Campaign
        expect(after).toMatchObject({ successCount: 1, processed: 1, lastProcessedAt: new Date(T0 + 50).toISOString() })
        expect(await store.ledger.sendTimeline(campaign.id, 60_000)).toEqual([{ at: T0 - (T0 % 60_000), sent: 1, failed: 0 }])
        expect(await store.ledger.uniqueRecipientsSince(account.id, T0)).toBe(1)
        expect(await store.ledger.pendingCount(campaign.id)).toBe(2)
        await expectCountersMatchRows(store, campaign.id)
      })

      it('waits retry rows until their time and then claims them again in position order', async () => {
        const campaign = await newCampaign(contacts(3))
        const [a, b] = await store.ledger.claim(campaign.id, 2, T0)
        await store.ledger.record(
          campaign.id,
          [{ kind: 'retry', recipientId: a.id, nextAttemptAt: T0 + 10_000, errorCode: 131056, errorMessage: 'pair rate limit', log: LOG }, sent(b)],
          T0,
        )
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'retry_wait', nextAttemptAt: T0 + 10_000, errorCode: 131056 })
        expect(await store.ledger.nextRetryAt(campaign.id)).toBe(T0 + 10_000)
        expect((await store.ledger.claim(campaign.id, 5, T0 + 5_000)).map((r) => r.position)).toEqual([2])
        const again = await store.ledger.claim(campaign.id, 5, T0 + 10_000)
        expect(again).toHaveLength(1)
        expect(again[0]).toMatchObject({ id: a.id, attempts: 2, state: 'sending' })
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'sending', nextAttemptAt: null })
        expect(await store.ledger.nextRetryAt(campaign.id)).toBeNull()
        await expectCountersMatchRows(store, campaign.id)
      })

      it('merges due retries with queued rows by position', async () => {
        const campaign = await newCampaign(contacts(6))
        const [a] = await store.ledger.claim(campaign.id, 1, T0)
        await store.ledger.record(campaign.id, [{ kind: 'retry', recipientId: a.id, nextAttemptAt: T0 + 1, errorCode: null, errorMessage: 'x', log: null }], T0)
        expect((await store.ledger.claim(campaign.id, 3, T0 + 1)).map((r) => r.position)).toEqual([0, 1, 2])
      })

      it('records failures, uncertain sends, requeues and skips with their counters', async () => {
        const campaign = await newCampaign(contacts(5))
        const [a, b, c, d] = await store.ledger.claim(campaign.id, 4, T0)
        await store.ledger.record(
          campaign.id,
          [
            { kind: 'failed', recipientId: a.id, errorCode: 131026, errorMessage: 'Message undeliverable', log: { httpStatus: 400, latencyMs: 80 } },
            { kind: 'uncertain', recipientId: b.id, errorMessage: 'timeout', log: null },
            { kind: 'requeue', recipientId: c.id },
            { kind: 'skipped', recipientId: d.id, reason: 'missing_variable', detail: 'Ciudad is empty' },
          ],
          T0 + 5,
        )
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'failed', errorCode: 131026, failedAt: T0 + 5, attempts: 1 })
        expect(await recipient(campaign.id, b.id)).toMatchObject({ state: 'uncertain', errorMessage: 'timeout' })
        expect(await recipient(campaign.id, c.id)).toMatchObject({ state: 'queued', attempts: 0 })
        expect(await recipient(campaign.id, d.id)).toMatchObject({ state: 'skipped', skipReason: 'missing_variable' })
        expect(await store.campaigns.get(campaign.id)).toMatchObject({ failedCount: 1, uncertainCount: 1, skippedCount: 1, processed: 2, successCount: 0 })
        expect(await store.ledger.errorBreakdown(campaign.id)).toEqual([{ errorCode: 131026, count: 1, errorMessage: 'Message undeliverable' }])
        expect(await store.ledger.sendTimeline(campaign.id, 1000)).toEqual([{ at: T0, sent: 0, failed: 1 }])
        expect((await store.ledger.claim(campaign.id, 5, T0 + 6)).map((r) => r.position)).toEqual([2, 4])
        await expectCountersMatchRows(store, campaign.id)
      })

      it('rejects an outcome for a row of another campaign', async () => {
        const one = await newCampaign(contacts(1))
        const two = await newCampaign(contacts(1))
        const [r] = await store.ledger.claim(one.id, 1, T0)
        await expect(store.ledger.record(two.id, [sent(r)], T0)).rejects.toThrow(/not part of campaign/)
        expect((await recipient(one.id, r.id)).state).toBe('sending')
      })

      it('turns rows left sending by a crash into uncertain rows', async () => {
        const one = await newCampaign(contacts(3))
        const two = await newCampaign(contacts(2))
        await store.ledger.claim(one.id, 2, T0)
        await store.ledger.claim(two.id, 1, T0)
        expect(await store.ledger.markInterruptedUncertain(T0 + 1)).toBe(3)
        expect((await store.ledger.stateCounts(one.id)).uncertain).toBe(2)
        expect(await store.ledger.markInterruptedUncertain(T0 + 2)).toBe(0)
        await expectCountersMatchRows(store, one.id)
        await expectCountersMatchRows(store, two.id)
      })

      it('skips what is left on cancel, leaving finished rows alone', async () => {
        const campaign = await newCampaign(contacts(5))
        const [a, b] = await store.ledger.claim(campaign.id, 2, T0)
        await store.ledger.record(
          campaign.id,
          [sent(a), { kind: 'retry', recipientId: b.id, nextAttemptAt: T0 + 9_999, errorCode: 131056, errorMessage: 'x', log: null }],
          T0,
        )
        expect(await store.ledger.skipRemaining(campaign.id, 'cancelled', T0 + 1)).toBe(4)
        const counts = await store.ledger.stateCounts(campaign.id)
        expect(counts).toMatchObject({ sent: 1, skipped: 4, queued: 0, retry_wait: 0 })
        expect((await recipient(campaign.id, b.id)).skipReason).toBe('cancelled')
        expect(await store.ledger.pendingCount(campaign.id)).toBe(0)
        await expectCountersMatchRows(store, campaign.id)
      })

      it('requeues uncertain and failed rows on request', async () => {
        const campaign = await newCampaign(contacts(4))
        const [a, b, c] = await store.ledger.claim(campaign.id, 3, T0)
        await store.ledger.record(
          campaign.id,
          [
            { kind: 'failed', recipientId: a.id, errorCode: 131026, errorMessage: 'x', log: null },
            { kind: 'uncertain', recipientId: b.id, errorMessage: 'timeout', log: null },
            sent(c),
          ],
          T0,
        )
        expect(await store.ledger.requeue(campaign.id, ['uncertain'], T0 + 1)).toBe(1)
        expect(await recipient(campaign.id, b.id)).toMatchObject({ state: 'queued', resolution: 'resent' })
        await expectCountersMatchRows(store, campaign.id)
        expect(await store.ledger.requeue(campaign.id, ['uncertain', 'failed'], T0 + 2)).toBe(1)
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'queued', errorCode: null, resolution: null })
        expect(await store.ledger.stateCounts(campaign.id)).toMatchObject({ queued: 3, sent: 1 })
        await expectCountersMatchRows(store, campaign.id)
      })

      it('queues again the uncertain rows Meta never reported on, once later statuses show the webhooks work', async () => {
        const campaign = await newCampaign(contacts(4))
        const [a, b, c] = await store.ledger.claim(campaign.id, 3, T0)
        await store.ledger.record(campaign.id, [sent(c)], T0)
        await store.ledger.markInterruptedUncertain(T0 + 10)
        // No status since the crash: no evidence, nothing moves, however old the rows are.
        expect(await store.ledger.requeueUnreported(campaign.id, T0 + 60_000, T0 + 60_000)).toBe(0)
        await store.ledger.applyStatuses([status(`wamid.${c.id}`, 'delivered', T0 + 20)])
        // Statuses flow, but the rows became uncertain after the cut-off: still too early to tell.
        expect(await store.ledger.requeueUnreported(campaign.id, T0 + 5, T0 + 30)).toBe(0)
        await store.ledger.applyStatuses([status('wamid.b-late', 'sent', T0 + 25, addressedTo(b))])
        expect(await store.ledger.requeueUnreported(campaign.id, T0 + 10, T0 + 40)).toBe(1)
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'queued', resolution: 'no_status', errorMessage: null })
        expect(await recipient(campaign.id, b.id)).toMatchObject({ state: 'sent', resolution: 'status' })
        expect(await recipient(campaign.id, c.id)).toMatchObject({ state: 'delivered', resolution: null })
        await expectCountersMatchRows(store, campaign.id)
      })
    })

    describe('ledger: webhook statuses', () => {
      async function sentCampaign(n: number): Promise<{ campaign: Campaign; rows: ClaimedRecipient[] }> {
        const campaign = await newCampaign(contacts(n))
        const rows = await store.ledger.claim(campaign.id, n, T0)
        await store.ledger.record(campaign.id, rows.map((r) => sent(r)), T0)
        return { campaign, rows }
      }

      it('moves statuses forward only; read implies delivered; a late delivered changes nothing', async () => {
        const { campaign, rows } = await sentCampaign(2)
        const [a, b] = rows
        await store.ledger.applyStatuses([status(`wamid.${a.id}`, 'delivered', T0 + 10), status(`wamid.${b.id}`, 'read', T0 + 20)])
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'delivered', deliveredAt: T0 + 10, readAt: null })
        expect(await recipient(campaign.id, b.id)).toMatchObject({ state: 'read', deliveredAt: T0 + 20, readAt: T0 + 20 })
        expect(await store.campaigns.get(campaign.id)).toMatchObject({ successCount: 2, deliveredCount: 2, readCount: 1 })
        const late = await store.ledger.applyStatuses([status(`wamid.${b.id}`, 'delivered', T0 + 30), status(`wamid.${b.id}`, 'sent', T0 + 31)])
        expect(late).toMatchObject({ applied: 2, duplicates: 0, unknown: 0 })
        expect(await recipient(campaign.id, b.id)).toMatchObject({ state: 'read', deliveredAt: T0 + 20 })
        await expectCountersMatchRows(store, campaign.id)
      })

      it('deduplicates on (wamid, status) and counts unknown wamids', async () => {
        const { campaign, rows } = await sentCampaign(1)
        const wamid = `wamid.${rows[0].id}`
        const first = await store.ledger.applyStatuses([status(wamid, 'delivered'), status(wamid, 'delivered'), status('wamid.elsewhere', 'read')])
        expect(first).toEqual({ applied: 1, duplicates: 1, unknown: 1, optedOut: [], campaignIds: [campaign.id] })
        const again = await store.ledger.applyStatuses([status(wamid, 'delivered')])
        expect(again).toMatchObject({ applied: 0, duplicates: 1 })
        expect((await store.campaigns.get(campaign.id))?.deliveredCount).toBe(1)
      })

      it('moves a sent or delivered row to failed on a failed status, and reports 131050 opt-outs', async () => {
        const { campaign, rows } = await sentCampaign(3)
        const [a, b, c] = rows
        await store.ledger.applyStatuses([status(`wamid.${b.id}`, 'delivered'), status(`wamid.${c.id}`, 'read')])
        const result = await store.ledger.applyStatuses([
          status(`wamid.${a.id}`, 'failed', T0 + 50, { errorCode: 131050, errorMessage: 'User stopped marketing messages' }),
          status(`wamid.${b.id}`, 'failed', T0 + 50, { errorCode: 131026, errorMessage: 'undeliverable' }),
          status(`wamid.${c.id}`, 'failed', T0 + 50, { errorCode: 131026, errorMessage: 'undeliverable' }),
        ])
        expect(result.optedOut).toEqual([{ accountId: account.id, phone: a.phone }])
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'failed', errorCode: 131050, failedAt: T0 + 50 })
        expect((await recipient(campaign.id, b.id)).state).toBe('failed')
        expect((await recipient(campaign.id, c.id)).state).toBe('read')
        expect(await store.campaigns.get(campaign.id)).toMatchObject({ successCount: 1, failedCount: 2, deliveredCount: 1, readCount: 1, processed: 3 })
        await expectCountersMatchRows(store, campaign.id)
      })

      it('resolves an uncertain row by its callback id and stores the wamid', async () => {
        const campaign = await newCampaign(contacts(2))
        const [a] = await store.ledger.claim(campaign.id, 1, T0)
        await store.ledger.markInterruptedUncertain(T0 + 1)
        const result = await store.ledger.applyStatuses([status('wamid.late', 'delivered', T0 + 5, addressedTo(a))])
        expect(result).toMatchObject({ applied: 1, unknown: 0, campaignIds: [campaign.id] })
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'delivered', wamid: 'wamid.late', waId: '573000000000', sentAt: T0 + 5, deliveredAt: T0 + 5 })
        expect((await store.ledger.findByWamid('wamid.late'))?.id).toBe(a.id)
        expect(await store.campaigns.get(campaign.id)).toMatchObject({ uncertainCount: 0, successCount: 1, deliveredCount: 1 })
        await expectCountersMatchRows(store, campaign.id)
      })

      it('resolves a sending row and a failed row without wamid by callback id, but not a queued one', async () => {
        const campaign = await newCampaign(contacts(3))
        const [a, b] = await store.ledger.claim(campaign.id, 2, T0)
        await store.ledger.record(campaign.id, [{ kind: 'failed', recipientId: b.id, errorCode: null, errorMessage: 'socket hang up', log: null }], T0)
        const queuedId = (await allRows(store, campaign.id))[2].id
        const result = await store.ledger.applyStatuses([
          status('wamid.a', 'sent', T0 + 1, addressedTo(a)),
          status('wamid.b', 'read', T0 + 2, addressedTo(b)),
          status('wamid.c', 'sent', T0 + 3, { ...addressedTo(a), callbackId: queuedId }),
        ])
        expect(result).toMatchObject({ applied: 2, unknown: 1 })
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'sent', wamid: 'wamid.a' })
        expect(await recipient(campaign.id, b.id)).toMatchObject({ state: 'read', wamid: 'wamid.b', errorMessage: null, failedAt: null })
        // The HTTP answer arriving after the webhook keeps what the webhook learned.
        await store.ledger.record(campaign.id, [sent(a, 'wamid.a')], T0 + 4)
        expect((await recipient(campaign.id, a.id)).state).toBe('sent')
        await expectCountersMatchRows(store, campaign.id)
      })

      it('names the claimed rows a webhook settled before their send outcome was recorded, and only those', async () => {
        const campaign = await newCampaign(contacts(4))
        const [a, b, c] = await store.ledger.claim(campaign.id, 3, T0)
        await store.ledger.record(campaign.id, [sent(c)], T0)
        await store.ledger.applyStatuses([status('wamid.a', 'delivered', T0 + 1, addressedTo(a))])
        // a: settled by the webhook while sending; b: still sending; c: recorded by its runner; the rest: not ours.
        expect(await store.ledger.settledAmong(campaign.id, [a.id, b.id])).toEqual([a.id])
        expect((await store.ledger.settledAmong(campaign.id, [a.id, b.id, c.id])).sort()).toEqual([a.id, c.id].sort())
        expect(await store.ledger.settledAmong(campaign.id, ['not-a-row', '999999999'])).toEqual([])
        expect(await store.ledger.settledAmong(campaign.id, [])).toEqual([])
        const other = await newCampaign(contacts(1, '+5731111'))
        expect(await store.ledger.settledAmong(other.id, [a.id])).toEqual([])
      })

      it('signs callback data: never the bare row id, and different in another installation for the same row', async () => {
        const campaign = await newCampaign(contacts(2))
        const [a] = await store.ledger.claim(campaign.id, 1, T0)
        expect(a.callbackData).not.toBe(a.id)
        expect(a.callbackData.length).toBeLessThanOrEqual(512)
        // Claimed again (a retry, a resend), the row keeps its callback data.
        await store.ledger.record(campaign.id, [{ kind: 'requeue', recipientId: a.id }], T0)
        expect((await store.ledger.claim(campaign.id, 1, T0)).map((r) => [r.id, r.callbackData])).toEqual([[a.id, a.callbackData]])

        const elsewhere = await makeStore()
        try {
          const owner = (await elsewhere.store.users.ensureLocal()).id
          const theirs = await elsewhere.store.accounts.create({ userId: owner, label: 'Otra', phoneNumberId: account.phoneNumberId, wabaId: 'waba-1', accessToken: 't', defaultCountry: 'CO' })
          const input = { userId: owner, accountId: theirs.id, campaignName: 'Otra', batchId: 'b', template: { name: 'hello_world', language: 'es' }, pacing: { kind: 'standard' as const }, status: 'pending' as const }
          const [their] = await elsewhere.store.ledger.claim((await elsewhere.store.campaigns.create(input, contacts(2))).id, 1, T0)
          expect(their.callbackData).not.toBe(a.callbackData)
          // Their status, for the same number and recipient, with their callback data for "the same" row.
          await store.ledger.markInterruptedUncertain(T0 + 1)
          const result = await store.ledger.applyStatuses([
            status('wamid.theirs', 'read', T0 + 2, { ...addressedTo(a), callbackId: their.callbackData }),
            status('wamid.bare', 'read', T0 + 2, { ...addressedTo(a), callbackId: a.id }),
          ])
          expect(result).toMatchObject({ applied: 0, unknown: 2, campaignIds: [] })
          expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'uncertain', wamid: null })
        } finally {
          await elsewhere.store.close()
          await elsewhere.cleanup()
        }
      })

      it('applies a status correlated by callback data only when it names the row’s sender and recipient', async () => {
        const campaign = await newCampaign(contacts(2))
        const [a] = await store.ledger.claim(campaign.id, 1, T0)
        await store.ledger.markInterruptedUncertain(T0 + 1)
        const foreign = await store.ledger.applyStatuses([
          status('wamid.1', 'read', T0 + 2, { ...addressedTo(a), phoneNumberId: '9999' }),
          status('wamid.2', 'read', T0 + 2, { ...addressedTo(a), phoneNumberId: null }),
          status('wamid.3', 'read', T0 + 2, { ...addressedTo(a), recipientWaId: '15550009999' }),
          status('wamid.4', 'read', T0 + 2, { ...addressedTo(a), recipientWaId: null }),
        ])
        expect(foreign).toMatchObject({ applied: 0, unknown: 4 })
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'uncertain', wamid: null })
        expect((await store.campaigns.get(campaign.id))?.uncertainCount).toBe(1)

        const ours = await store.ledger.applyStatuses([status('wamid.5', 'read', T0 + 3, addressedTo(a))])
        expect(ours).toMatchObject({ applied: 1, unknown: 0 })
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'read', wamid: 'wamid.5' })
        await expectCountersMatchRows(store, campaign.id)
      })

      it('does not turn a failed row without a wamid into a success for a status about someone else', async () => {
        const campaign = await newCampaign(contacts(1))
        const [a] = await store.ledger.claim(campaign.id, 1, T0)
        await store.ledger.record(campaign.id, [{ kind: 'failed', recipientId: a.id, errorCode: 131009, errorMessage: 'invalid parameter', log: LOG }], T0)
        const result = await store.ledger.applyStatuses([
          status('wamid.FROM-ANOTHER-INSTALLATION', 'read', T0 + 1, { callbackId: a.id, phoneNumberId: '9999', recipientWaId: '15550009999' }),
          status('wamid.other-recipient', 'read', T0 + 1, { ...addressedTo(a), recipientWaId: '15550009999' }),
        ])
        expect(result).toMatchObject({ applied: 0, unknown: 2 })
        expect(await recipient(campaign.id, a.id)).toMatchObject({ state: 'failed', wamid: null, errorCode: 131009 })
        expect(await store.campaigns.get(campaign.id)).toMatchObject({ failedCount: 1, successCount: 0, readCount: 0 })
      })

      it('ignores a status matched by wamid that names another sender', async () => {
        const { campaign, rows } = await sentCampaign(1)
        const wamid = `wamid.${rows[0].id}`
        const foreign = await store.ledger.applyStatuses([status(wamid, 'failed', T0 + 5, { phoneNumberId: '9999', errorCode: 131026 })])
        expect(foreign).toMatchObject({ applied: 0, unknown: 1 })
        expect((await recipient(campaign.id, rows[0].id)).state).toBe('sent')
        const ours = await store.ledger.applyStatuses([status(wamid, 'read', T0 + 6, { phoneNumberId: account.phoneNumberId })])
        expect(ours).toMatchObject({ applied: 1, unknown: 0 })
        expect((await recipient(campaign.id, rows[0].id)).state).toBe('read')
        await expectCountersMatchRows(store, campaign.id)
      })

      it(`applies a batch of ${batchRows.toLocaleString('en')} statuses in one call`, async () => {
        const { campaign, rows } = await sentCampaign(batchRows)
        const started = Date.now()
        const result = await store.ledger.applyStatuses(rows.map((r, i) => status(`wamid.${r.id}`, i % 2 ? 'read' : 'delivered', T0 + i)))
        expect(Date.now() - started).toBeLessThan(10_000)
        expect(result).toMatchObject({ applied: batchRows, duplicates: 0, unknown: 0, campaignIds: [campaign.id] })
        expect(await store.campaigns.get(campaign.id)).toMatchObject({ deliveredCount: batchRows, readCount: Math.floor(batchRows / 2), successCount: batchRows })
        await expectCountersMatchRows(store, campaign.id)
      })

      it('counts a reply once per recipient', async () => {
        const { campaign, rows } = await sentCampaign(2)
        expect(await store.ledger.markReplied(`wamid.${rows[0].id}`, T0 + 100)).toBe(campaign.id)
        expect(await store.ledger.markReplied(`wamid.${rows[0].id}`, T0 + 200)).toBe(campaign.id)
        expect(await store.ledger.markReplied('wamid.unknown', T0)).toBeNull()
        expect((await recipient(campaign.id, rows[0].id)).repliedAt).toBe(T0 + 100)
        expect((await store.campaigns.get(campaign.id))?.repliedCount).toBe(1)
        await expectCountersMatchRows(store, campaign.id)
      })
    })

    describe('ledger: reading', () => {
      it('pages rows by state and phone substring with a total', async () => {
        const campaign = await newCampaign(contacts(30))
        const claimed = await store.ledger.claim(campaign.id, 10, T0)
        await store.ledger.record(campaign.id, claimed.map((r) => sent(r)), T0)
        const page = await store.ledger.page(campaign.id, { state: 'queued', offset: 5, limit: 10 })
        expect(page.total).toBe(20)
        expect(page.rows.map((r) => r.position)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24])
        const both = await store.ledger.page(campaign.id, { state: ['sent', 'queued'], offset: 0, limit: 100 })
        expect(both.total).toBe(30)
        const search = await store.ledger.page(campaign.id, { search: '0001', offset: 0, limit: 5 })
        const matching = contacts(30).flatMap((c, position) => (c.phone.includes('0001') ? [position] : []))
        expect(matching.length).toBeGreaterThan(5)
        expect(search.rows.map((r) => r.position)).toEqual(matching.slice(0, 5))
        expect(search.total).toBe(matching.length)
        expect(await store.ledger.get(campaign.id, 'not-an-id')).toBeNull()
        const other = await newCampaign(contacts(1))
        expect(await store.ledger.get(other.id, claimed[0].id)).toBeNull()
      })

      it('iterates every row in position order, batchSize at a time', async () => {
        const campaign = await newCampaign(contacts(25))
        const sizes: number[] = []
        const positions: number[] = []
        for await (const batch of store.ledger.iterate(campaign.id, 10)) {
          sizes.push(batch.length)
          positions.push(...batch.map((r) => r.position))
        }
        expect(sizes).toEqual([10, 10, 5])
        expect(positions).toEqual(Array.from({ length: 25 }, (_, i) => i))
      })

      it('reports state counts for every state', async () => {
        const campaign = await newCampaign(contacts(3))
        const counts = await store.ledger.stateCounts(campaign.id)
        expect(Object.keys(counts).sort()).toEqual([...RECIPIENT_STATES].sort())
        expect(counts.queued).toBe(3)
      })

      it('counts unique numbers per account over the moving window across campaigns', async () => {
        const one = await newCampaign(contacts(3))
        const two = await newCampaign(contacts(2))
        const other = await newAccount(userId, { phoneNumberId: '9999' })
        const three = await newCampaign(contacts(1), { accountId: other.id })
        await store.ledger.record(one.id, (await store.ledger.claim(one.id, 3, T0)).map((r) => sent(r)), T0)
        await store.ledger.record(two.id, (await store.ledger.claim(two.id, 2, T0)).map((r) => sent(r, `w2.${r.id}`)), T0 + 3_600_000)
        await store.ledger.record(three.id, (await store.ledger.claim(three.id, 1, T0)).map((r) => sent(r)), T0)
        // The same two numbers got a second message an hour later: still 3 unique numbers.
        expect(await store.ledger.uniqueRecipientsSince(account.id, T0)).toBe(3)
        expect(await store.ledger.oldestRecipientSince(account.id, T0)).toBe(T0)
        // An hour and a bit later, only the numbers resent remain in the window.
        expect(await store.ledger.uniqueRecipientsSince(account.id, T0 + 1)).toBe(2)
        expect(await store.ledger.oldestRecipientSince(account.id, T0 + 1)).toBe(T0 + 3_600_000)
        expect(await store.ledger.uniqueRecipientsSince(account.id, T0 + 3_600_001)).toBe(0)
        expect(await store.ledger.oldestRecipientSince(account.id, T0 + 3_600_001)).toBeNull()
        expect(await store.ledger.uniqueRecipientsSince(other.id, T0)).toBe(1)
      })
    })

    it('keeps counters equal to rows through a random sequence of operations', async () => {
      const random = mulberry32(20250115)
      const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]
      const campaign = await newCampaign(contacts(60))
      let now = T0
      let wamidSeq = 0
      const callbacks = new Map<string, ClaimedRecipient>()
      const seen = new Set<RecipientState>()
      const rowsIn = async (...states: RecipientState[]) => (await store.ledger.page(campaign.id, { state: states, offset: 0, limit: 1000 })).rows

      for (let step = 0; step < 250; step++) {
        now += Math.floor(random() * 2_000)
        const roll = random()
        if (roll < 0.3) {
          for (const claimed of await store.ledger.claim(campaign.id, 1 + Math.floor(random() * 8), now)) callbacks.set(claimed.id, claimed)
        } else if (roll < 0.6) {
          const outcomes = (await rowsIn('sending'))
            .filter(() => random() < 0.7)
            .map((r): SendOutcome => {
              const kind = pick(['sent', 'sent', 'sent', 'retry', 'failed', 'uncertain', 'requeue', 'skipped'] as const)
              switch (kind) {
                case 'sent':
                  return sent(r, `wamid.r${wamidSeq++}`)
                case 'retry':
                  return { kind, recipientId: r.id, nextAttemptAt: now + Math.floor(random() * 5_000), errorCode: 131056, errorMessage: 'pair rate', log: LOG }
                case 'failed':
                  return { kind, recipientId: r.id, errorCode: pick([131026, 131049, null]), errorMessage: 'failed', log: LOG }
                case 'uncertain':
                  return { kind, recipientId: r.id, errorMessage: 'timeout', log: null }
                case 'requeue':
                  return { kind, recipientId: r.id }
                case 'skipped':
                  return { kind, recipientId: r.id, reason: 'missing_variable', detail: 'Ciudad' }
              }
            })
          await store.ledger.record(campaign.id, outcomes, now)
        } else if (roll < 0.85) {
          const withWamid = (await rowsIn('sent', 'delivered', 'read', 'failed')).filter((r) => r.wamid)
          const waiting = await rowsIn('uncertain', 'sending')
          const updates: StatusUpdate[] = []
          for (let i = 0; i < 6; i++) {
            if (withWamid.length && random() < 0.75) {
              const r = pick(withWamid)
              const s = pick(['sent', 'delivered', 'read', 'read', 'failed'] as const)
              updates.push(status(r.wamid as string, s, now, s === 'failed' ? { errorCode: pick([131050, 131026]) } : {}))
            } else if (waiting.length) {
              const claimed = callbacks.get(pick(waiting).id) as ClaimedRecipient
              updates.push(status(`wamid.cb${wamidSeq++}`, pick(['sent', 'delivered', 'read', 'failed'] as const), now, addressedTo(claimed)))
            }
          }
          const result = await store.ledger.applyStatuses(updates)
          expect(result.applied + result.duplicates + result.unknown).toBe(updates.length)
        } else if (roll < 0.92) {
          const replied = (await rowsIn('sent', 'delivered', 'read')).filter((r) => r.wamid)
          if (replied.length) await store.ledger.markReplied(pick(replied).wamid as string, now)
        } else if (roll < 0.97) {
          await store.ledger.requeue(campaign.id, pick([['uncertain'], ['failed'], ['uncertain', 'failed']] as ('uncertain' | 'failed')[][]), now)
        } else if (roll < 0.99) {
          await store.ledger.markInterruptedUncertain(now)
        } else {
          await store.ledger.skipRemaining(campaign.id, 'cancelled', now)
        }
        await expectCountersMatchRows(store, campaign.id)
        for (const [state, n] of Object.entries(await store.ledger.stateCounts(campaign.id))) if (n > 0) seen.add(state as RecipientState)
      }
      // The sequence is only a test if it reached every state.
      expect([...seen].sort()).toEqual([...RECIPIENT_STATES].sort())
    })

    describe('suppressions', () => {
      it('adds once, filters a list, lists and removes per account', async () => {
        const other = await newAccount(userId, { phoneNumberId: '5555' })
        expect(await store.suppressions.add({ accountId: account.id, phone: '+573001', reason: 'STOP', source: 'keyword' })).toBe(true)
        expect(await store.suppressions.add({ accountId: account.id, phone: '+573001', reason: 'again', source: 'manual' })).toBe(false)
        await store.suppressions.add({ accountId: account.id, phone: '+573002', reason: '131050', source: 'error_131050' })
        await store.suppressions.add({ accountId: other.id, phone: '+573003', reason: 'import', source: 'import' })
        expect(await store.suppressions.filter(account.id, ['+573001', '+573003', '+573004'])).toEqual(new Set(['+573001']))
        expect(await store.suppressions.filter(account.id, [])).toEqual(new Set())
        const listed = await store.suppressions.list(account.id)
        expect(listed.map((s) => s.phone).sort()).toEqual(['+573001', '+573002'])
        expect(listed.find((s) => s.phone === '+573001')).toMatchObject({ reason: 'STOP', source: 'keyword' })
        expect(await store.suppressions.remove(account.id, '+573001')).toBe(true)
        expect(await store.suppressions.remove(account.id, '+573001')).toBe(false)
        expect(await store.suppressions.filter(account.id, ['+573001'])).toEqual(new Set())
      })

      it('filters thousands of numbers in one call', async () => {
        const phones = Array.from({ length: 5000 }, (_, i) => `+57310${String(i).padStart(7, '0')}`)
        for (const phone of phones.slice(0, 50)) await store.suppressions.add({ accountId: account.id, phone, reason: 'x', source: 'manual' })
        expect((await store.suppressions.filter(account.id, phones)).size).toBe(50)
      })
    })

    describe('events, inbox and settings', () => {
      it('stores message events once per (wamid, status), newest first per campaign', async () => {
        const campaign = await newCampaign(contacts(1))
        const event = { wamid: 'wamid.x', kind: 'inbound' as const, status: 'text', campaignId: campaign.id, recipientId: null, phone: '+573', at: T0, errorCode: null, payload: '{}' }
        expect(await store.events.insert(event)).toBe(true)
        expect(await store.events.insert(event)).toBe(false)
        expect(await store.events.insert({ ...event, kind: 'status', status: 'read', at: T0 + 1 })).toBe(true)
        expect((await store.events.list(campaign.id, 10)).map((e) => e.status)).toEqual(['read', 'text'])
        expect(await store.events.list(campaign.id, 1)).toEqual([{ ...event, kind: 'status', status: 'read', at: T0 + 1 }])
      })

      it('records applied webhook statuses as message events', async () => {
        const campaign = await newCampaign(contacts(1))
        const [r] = await store.ledger.claim(campaign.id, 1, T0)
        await store.ledger.record(campaign.id, [sent(r)], T0)
        await store.ledger.applyStatuses([status(`wamid.${r.id}`, 'delivered', T0 + 7)])
        expect(await store.events.list(campaign.id, 10)).toMatchObject([
          { wamid: `wamid.${r.id}`, kind: 'status', status: 'delivered', recipientId: r.id, at: T0 + 7 },
        ])
      })

      it('keeps webhook deliveries in order until processed and replays them after a sequence number', async () => {
        const a = await store.inbox.append('{"a":1}', T0)
        const b = await store.inbox.append('{"b":2}', T0 + 1)
        const c = await store.inbox.append('{"c":3}', T0 + 2)
        expect(a < b && b < c).toBe(true)
        expect(await store.inbox.unprocessed(10)).toEqual([
          { seq: a, body: '{"a":1}' },
          { seq: b, body: '{"b":2}' },
          { seq: c, body: '{"c":3}' },
        ])
        await store.inbox.markProcessed([a, c])
        expect(await store.inbox.unprocessed(10)).toEqual([{ seq: b, body: '{"b":2}' }])
        expect(await store.inbox.after(a, 10)).toEqual([
          { seq: b, body: '{"b":2}', receivedAt: T0 + 1 },
          { seq: c, body: '{"c":3}', receivedAt: T0 + 2 },
        ])
        expect(await store.inbox.after(a, 1)).toHaveLength(1)
      })

      it('stores settings as JSON values and overwrites them', async () => {
        expect(await store.settings.get('missing')).toBeNull()
        await store.settings.set('pacing', { kind: 'seed' })
        await store.settings.set('language', 'es')
        await store.settings.set('language', 'en')
        expect(await store.settings.get('pacing')).toEqual({ kind: 'seed' })
        expect(await store.settings.get<string>('language')).toBe('en')
      })
    })
  })
}
