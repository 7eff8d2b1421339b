import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SendResult } from '../../../src/main/whatsapp/types'
import type { Account } from '../../../src/shared/types'
import { FakeClock } from '../../../src/main/engine/clock'
import {
  addAccount,
  createCampaign,
  openTestStore,
  phoneAt,
  PROMO,
  recipients,
  ScriptedApi,
  startTestEngine,
  until,
  type EngineHarness,
  type TestStore,
} from './support'

const GRAPH = 'http://127.0.0.1:9'
const apiError = (code: number): SendResult => ({
  ok: false,
  kind: 'api',
  code,
  subcode: null,
  message: `error ${code}`,
  details: null,
  httpStatus: 400,
  latencyMs: 1,
  retryAfterMs: null,
})

describe('the engine with a real ledger', () => {
  let db: TestStore
  let api: ScriptedApi
  let account: Account
  let h: EngineHarness

  beforeEach(async () => {
    db = openTestStore()
    api = new ScriptedApi()
    account = await addAccount(db.store, { graphUrl: GRAPH })
    h = startTestEngine(db.store, api, { graphUrl: GRAPH })
  })

  afterEach(async () => {
    await h.engine.stop()
    await db.close()
  })

  it('runs a pending campaign to completion, with counters equal to the ledger and the seed log line', async () => {
    const campaign = await createCampaign(db.store, account, recipients(120))
    const run = await h.engine.run(campaign.id)
    expect(run.ok && run.value.status).toBe('processing')
    await h.events.waitForStatus(campaign.id, 'completed')
    const done = await db.store.campaigns.get(campaign.id)
    const counts = await db.store.ledger.stateCounts(campaign.id)
    expect(done).toMatchObject({ status: 'completed', processed: 120, successCount: 120, failedCount: 0 })
    expect(done?.completedAt).not.toBeNull()
    expect(counts.sent).toBe(120)
    expect(h.log.messages()).toContain(`Campaign ${campaign.id} completed: 120 success, 0 failed`)
    expect(h.events.statuses(campaign.id).map((s) => `${s.from}→${s.to}`)).toEqual(['pending→processing', 'processing→completed'])
    expect(new Set(api.calls.map((c) => c.to)).size).toBe(120)
    await until(() => h.events.progress(campaign.id).at(-1)?.status === 'completed')
    expect(h.events.progress(campaign.id).at(-1)).toMatchObject({ processed: 120, successCount: 120, contactsCount: 120 })
    // A finished runner is gone: no more progress, no live stats.
    const eventsAtEnd = h.events.events.length
    await new Promise((r) => setTimeout(r, 1_200))
    expect(h.events.events.length).toBe(eventsAtEnd)
    expect(h.engine.liveStats(campaign.id)).toBeNull()
  })

  it('sends to the E.164 phone with the callback data its claim signed, not the bare row id', async () => {
    const campaign = await createCampaign(db.store, account, recipients(1))
    await h.engine.run(campaign.id)
    await h.events.waitForStatus(campaign.id, 'completed')
    const { rows } = await db.store.ledger.page(campaign.id, { offset: 0, limit: 1 })
    expect(api.calls).toEqual([{ to: phoneAt(0), callbackData: expect.stringMatching(new RegExp(`^${rows[0].id}\\.[\\w-]{22}$`)) }])
  })

  it('pauses: no request starts after pause returns, in-flight ones are recorded, and resume finishes without duplicates', async () => {
    let open!: () => void
    api.gate = new Promise((resolve) => (open = resolve))
    const campaign = await createCampaign(db.store, account, recipients(300))
    await h.engine.run(campaign.id)
    await until(() => api.calls.length >= 10)
    const paused = await h.engine.pause(campaign.id)
    expect(paused.ok && paused.value.status).toBe('paused')
    const callsAtPause = api.calls.length
    open()
    await until(async () => (await db.store.ledger.stateCounts(campaign.id)).sending === 0)
    await new Promise((r) => setTimeout(r, 100))
    expect(api.calls.length).toBe(callsAtPause)
    const counts = await db.store.ledger.stateCounts(campaign.id)
    expect(counts.sent).toBe(callsAtPause)
    expect(counts.queued).toBe(300 - callsAtPause)
    api.gate = null
    const resumed = await h.engine.resume(campaign.id)
    expect(resumed.ok && resumed.value.status).toBe('processing')
    await h.events.waitForStatus(campaign.id, 'completed')
    expect(api.calls).toHaveLength(300)
    expect(new Set(api.calls.map((c) => c.to)).size).toBe(300)
  })

  it('refuses transitions that do not apply, saying the current status', async () => {
    const campaign = await createCampaign(db.store, account, recipients(5))
    const resume = await h.engine.resume(campaign.id)
    expect(resume).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_transition', status: 'pending' }) })
    await h.engine.run(campaign.id)
    await h.events.waitForStatus(campaign.id, 'completed')
    expect(await h.engine.pause(campaign.id)).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_transition', status: 'completed' }) })
    expect(await h.engine.cancel(campaign.id)).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_transition', status: 'completed' }) })
    expect(await h.engine.run(campaign.id)).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_transition' }) })
  })

  it('cancels a pending campaign and marks every row skipped(cancelled)', async () => {
    const campaign = await createCampaign(db.store, account, recipients(20))
    const cancelled = await h.engine.cancel(campaign.id)
    expect(cancelled.ok && cancelled.value).toMatchObject({ status: 'cancelled', skippedCount: 20 })
    const { rows } = await db.store.ledger.page(campaign.id, { offset: 0, limit: 50 })
    expect(rows.every((r) => r.state === 'skipped' && r.skipReason === 'cancelled')).toBe(true)
    expect(await h.engine.resume(campaign.id)).toEqual({ ok: false, error: expect.objectContaining({ status: 'cancelled' }) })
    expect(api.calls).toHaveLength(0)
  })

  it("treats another user's campaign as not found", async () => {
    const other = await addAccount(db.store, { graphUrl: GRAPH, userName: 'Otra tienda' })
    const theirs = await createCampaign(db.store, other, recipients(3))
    for (const op of ['run', 'pause', 'resume', 'cancel'] as const) {
      expect(await h.engine[op](theirs.id, account.userId)).toEqual({ ok: false, error: expect.objectContaining({ code: 'not_found' }) })
    }
    expect(await h.engine.resendUncertain(theirs.id, account.userId)).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await h.engine.retryFailed(theirs.id, account.userId)).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(api.calls).toHaveLength(0)
  })

  it('skips a contact missing a template variable and a number that opted out after creation', async () => {
    const rows = recipients(4)
    rows[1] = { ...rows[1], variables: { Nombre: 'Ana' } }
    const campaign = await createCampaign(db.store, account, rows, { template: PROMO })
    await db.store.suppressions.add({ accountId: account.id, phone: rows[2].phone, reason: 'STOP', source: 'keyword' })
    await h.engine.run(campaign.id)
    await h.events.waitForStatus(campaign.id, 'completed')
    const { rows: stored } = await db.store.ledger.page(campaign.id, { offset: 0, limit: 10 })
    expect(stored.map((r) => r.skipReason)).toEqual([null, 'missing_variable', 'opted_out', null])
    expect(api.calls.map((c) => c.to)).toEqual([rows[0].phone, rows[3].phone])
    expect(await db.store.campaigns.get(campaign.id)).toMatchObject({ successCount: 2, skippedCount: 2 })
  })

  it('pauses at once on a campaign-fatal code with a specific error', async () => {
    api.respond = () => apiError(132001)
    const campaign = await createCampaign(db.store, account, recipients(200), { pacing: { kind: 'standard' } })
    await h.engine.run(campaign.id)
    const event = await h.events.waitForStatus(campaign.id, 'paused')
    expect(event.error).toBe('template_error')
    expect(event.errorDetail).toContain('132001')
    await until(async () => (await db.store.ledger.stateCounts(campaign.id)).sending === 0)
    expect(api.calls.length).toBeLessThan(5)
    const stored = await db.store.campaigns.get(campaign.id)
    expect(stored).toMatchObject({ status: 'paused', error: 'template_error' })
  })

  it('auto-pauses exactly at the 51st failure when more than half failed, and a resume counts afresh', async () => {
    h = startTestEngine(db.store, api, { graphUrl: GRAPH, config: { maxInFlightPerNumber: 1 } })
    api.respond = () => apiError(131026)
    const campaign = await createCampaign(db.store, account, recipients(200))
    await h.engine.run(campaign.id)
    const event = await h.events.waitForStatus(campaign.id, 'paused')
    expect(event.error).toBe('too_many_failures')
    await until(async () => (await db.store.ledger.stateCounts(campaign.id)).sending === 0)
    expect(api.calls).toHaveLength(51)
    expect(await db.store.campaigns.get(campaign.id)).toMatchObject({ failedCount: 51, processed: 51 })
    await h.engine.resume(campaign.id)
    const again = await h.events.waitFor((e) => e.name === 'campaign:status' && e.payload.to === 'paused' && e.payload.from === 'processing' && api.calls.length > 51)
    expect(again.name).toBe('campaign:status')
    expect(api.calls).toHaveLength(102)
  })

  it('does not auto-pause at 50 failures, nor when no more than half failed', async () => {
    h = startTestEngine(db.store, api, { graphUrl: GRAPH, config: { maxInFlightPerNumber: 1 } })
    // Every other send fails, a success first: the rate never goes above 50 %.
    api.respond = (to) => (Number(to.slice(-7)) % 2 === 1 ? apiError(131026) : { ok: true, wamid: `w${to}`, waId: null, messageStatus: null, httpStatus: 200, latencyMs: 1 })
    const half = await createCampaign(db.store, account, recipients(200))
    await h.engine.run(half.id)
    await h.events.waitForStatus(half.id, 'completed')
    expect(await db.store.campaigns.get(half.id)).toMatchObject({ failedCount: 100, successCount: 100 })

    // 50 of 50 failed: not paused (the rule needs more than 50), and it ends failed, not green — nothing was sent.
    api.respond = () => apiError(131026)
    const fifty = await createCampaign(db.store, account, recipients(50, 1_000))
    await h.engine.run(fifty.id)
    await h.events.waitForStatus(fifty.id, 'failed')
    expect(await db.store.campaigns.get(fifty.id)).toMatchObject({ failedCount: 50, status: 'failed', error: 'nothing_sent' })
  })

  it('recovers after a crash: rows left sending become uncertain and the campaign resumes by itself', async () => {
    const campaign = await createCampaign(db.store, account, recipients(30))
    await db.store.campaigns.transition(campaign.id, ['pending'], 'processing', { startedAt: new Date().toISOString() })
    const interrupted = await db.store.ledger.claim(campaign.id, 5, Date.now())
    const other = await createCampaign(db.store, account, recipients(10, 100))
    await h.engine.start()
    expect(h.log.messages()).toContain('Recovered 2 pending campaigns')
    await h.events.waitForStatus(campaign.id, 'completed')
    await h.events.waitForStatus(other.id, 'completed')
    const counts = await db.store.ledger.stateCounts(campaign.id)
    expect(counts).toMatchObject({ uncertain: 5, sent: 25, sending: 0 })
    expect(api.calls.map((c) => c.to)).not.toContain(interrupted[0].phone)

    const resent = await h.engine.resendUncertain(campaign.id)
    expect(resent.ok && resent.value.requeued).toBe(5)
    await until(async () => (await db.store.campaigns.get(campaign.id))?.status === 'completed' && (await db.store.ledger.stateCounts(campaign.id)).sent === 30)
  })

  it('pauses with daily_limit_reached when the tier is used up, with a resume time a day later', async () => {
    const limited = await addAccount(db.store, { graphUrl: GRAPH, userName: 'Tier 50', tier: 'TIER_50' })
    const campaign = await createCampaign(db.store, limited, recipients(70))
    await h.engine.run(campaign.id)
    const event = await h.events.waitForStatus(campaign.id, 'paused')
    expect(event.error).toBe('daily_limit_reached')
    const stored = await db.store.campaigns.get(campaign.id)
    expect(stored?.successCount).toBe(50)
    const resumeAt = Date.parse(stored?.resumeAt ?? '')
    expect(resumeAt - Date.now()).toBeGreaterThan(23.9 * 3600_000)
    await until(() => h.events.progress(campaign.id).at(-1)?.status === 'paused')
    expect(h.events.progress(campaign.id).at(-1)?.waitingFor).toBe('daily_limit')
  })

  it('holds an account whose tier Meta does not say to 250 a day, never unlimited', async () => {
    const unknown = await addAccount(db.store, { graphUrl: GRAPH, userName: 'Tier unknown', tier: null })
    const campaign = await createCampaign(db.store, unknown, recipients(260))
    await h.engine.run(campaign.id)
    const event = await h.events.waitForStatus(campaign.id, 'paused')
    expect(event.error).toBe('daily_limit_reached')
    expect((await db.store.campaigns.get(campaign.id))?.successCount).toBe(250)
    expect(event.errorDetail).toContain('250')
  })

  it('uses the tier the user set while Meta says none, and Meta’s once it says one', async () => {
    const unknown = await addAccount(db.store, { graphUrl: GRAPH, userName: 'Tier set by hand', tier: null })
    await db.store.accounts.update(unknown.id, { userMessagingLimitTier: 'TIER_50' })
    const first = await createCampaign(db.store, unknown, recipients(60))
    await h.engine.run(first.id)
    expect((await h.events.waitForStatus(first.id, 'paused')).error).toBe('daily_limit_reached')
    expect((await db.store.campaigns.get(first.id))?.successCount).toBe(50)

    await db.store.accounts.update(unknown.id, { messagingLimitTier: 'TIER_2K' })
    h.engine.accountChanged(unknown.id)
    const resumed = await h.engine.resume(first.id)
    expect(resumed.ok).toBe(true)
    await h.events.waitForStatus(first.id, 'completed')
  })

  it('shows live stats while running and null when not running here', async () => {
    let open!: () => void
    api.gate = new Promise((resolve) => (open = resolve))
    const campaign = await createCampaign(db.store, account, recipients(10))
    expect(h.engine.liveStats(campaign.id)).toBeNull()
    await h.engine.run(campaign.id)
    await until(() => api.calls.length > 0)
    expect(h.engine.liveStats(campaign.id)).toMatchObject({ total: 10, processed: 0, status: 'processing' })
    open()
    await h.events.waitForStatus(campaign.id, 'completed')
    await until(() => h.engine.liveStats(campaign.id) === null)
  })

  it('starts a scheduled campaign by itself at its time', async () => {
    const campaign = await createCampaign(db.store, account, recipients(5), {
      status: 'scheduled',
      resumeAt: new Date(Date.now() + 300).toISOString(),
    })
    const run = await h.engine.run(campaign.id)
    expect(run.ok && run.value.status).toBe('scheduled')
    expect(api.calls).toHaveLength(0)
    await h.events.waitForStatus(campaign.id, 'completed', 5_000)
    expect(h.events.statuses(campaign.id)[0]).toMatchObject({ from: 'scheduled', to: 'processing' })
  })

  it('resumes a campaign paused for its daily limit when the window allows, after a restart too', async () => {
    const campaign = await createCampaign(db.store, account, recipients(5))
    await db.store.campaigns.transition(campaign.id, ['pending'], 'paused', {
      error: 'daily_limit_reached',
      pausedAt: new Date().toISOString(),
      resumeAt: new Date(Date.now() + 300).toISOString(),
    })
    await h.engine.start()
    await h.events.waitForStatus(campaign.id, 'completed', 5_000)
    expect(h.events.statuses(campaign.id)[0]).toMatchObject({ from: 'paused', to: 'processing' })
    expect((await db.store.campaigns.get(campaign.id))?.error).toBeNull()
  })

  it('pauses with invalid_credentials when the account was removed', async () => {
    const campaign = await createCampaign(db.store, account, recipients(5))
    await db.store.accounts.remove(account.id, account.userId)
    // Campaigns outlive their account (their history stays); sending cannot.
    expect(await db.store.campaigns.get(campaign.id)).not.toBeNull()
    await h.engine.run(campaign.id)
    const event = await h.events.waitForStatus(campaign.id, 'paused', 5_000)
    expect(event.error).toBe('invalid_credentials')
    expect(api.calls).toHaveLength(0)
  })

  it('rejects a configuration it cannot work with, naming the setting', () => {
    expect(() => startTestEngine(db.store, api, { graphUrl: GRAPH, config: { claimBatch: 0 } })).toThrow(/claimBatch must be a positive number/)
    expect(() => startTestEngine(db.store, api, { graphUrl: 'graph.facebook.com' })).toThrow(/defaultGraphUrl must be an http\(s\) URL/)
  })

  it('retries failed rows on request, but not a 131049 failure younger than 24 h', async () => {
    const rows = recipients(6)
    const quiet = rows[1].phone
    const unlucky = rows[4].phone
    api.respond = (to) =>
      to === quiet ? apiError(131049) : to === unlucky ? apiError(131026) : { ok: true, wamid: `w${to}${api.calls.length}`, waId: null, messageStatus: null, httpStatus: 200, latencyMs: 1 }
    const campaign = await createCampaign(db.store, account, rows)
    await h.engine.run(campaign.id)
    await h.events.waitForStatus(campaign.id, 'completed')
    expect(await db.store.campaigns.get(campaign.id)).toMatchObject({ successCount: 4, failedCount: 2 })

    api.respond = (to) => ({ ok: true, wamid: `again${to}`, waId: null, messageStatus: null, httpStatus: 200, latencyMs: 1 })
    const retried = await h.engine.retryFailed(campaign.id)
    expect(retried.ok && retried.value.requeued).toBe(2)
    await until(async () => (await db.store.campaigns.get(campaign.id))?.status === 'completed' && (await db.store.ledger.stateCounts(campaign.id)).queued === 0)
    await until(async () => (await db.store.ledger.stateCounts(campaign.id)).sending === 0)
    expect(api.calls.filter((c) => c.to === quiet)).toHaveLength(1)
    expect(api.calls.filter((c) => c.to === unlucky)).toHaveLength(2)
    const { rows: failed } = await db.store.ledger.page(campaign.id, { state: 'failed', offset: 0, limit: 10 })
    expect(failed.map((r) => [r.phone, r.errorCode])).toEqual([[quiet, 131049]])
    expect(await db.store.campaigns.get(campaign.id)).toMatchObject({ successCount: 5, failedCount: 1 })
  })
})

describe('pausing for a reason found outside the runner (engine.pauseFor)', () => {
  let db: TestStore
  let api: ScriptedApi
  let account: Account
  let h: EngineHarness
  let clock: FakeClock

  beforeEach(async () => {
    db = openTestStore()
    api = new ScriptedApi()
    account = await addAccount(db.store, { graphUrl: GRAPH })
    clock = new FakeClock(Date.now())
    h = startTestEngine(db.store, api, { graphUrl: GRAPH, clock })
  })

  afterEach(async () => {
    await h.engine.stop()
    await db.close()
  })

  it('keeps the reason, and neither a scheduled campaign nor one waiting out its daily limit starts by itself', async () => {
    const scheduled = await createCampaign(db.store, account, recipients(3), { status: 'scheduled', resumeAt: new Date(clock.now() + 60_000).toISOString() })
    const waiting = await createCampaign(db.store, account, recipients(3, 10))
    await db.store.campaigns.transition(waiting.id, ['pending'], 'paused', {
      error: 'daily_limit_reached',
      pausedAt: new Date(clock.now()).toISOString(),
      resumeAt: new Date(clock.now() + 60_000).toISOString(),
    })
    await h.engine.start()
    for (const campaign of [scheduled, waiting]) {
      const paused = await h.engine.pauseFor(campaign.id, 'quality_low', 'the number is red')
      expect(paused.ok && paused.value).toMatchObject({ status: 'paused', error: 'quality_low', errorDetail: 'the number is red', resumeAt: null })
    }
    await clock.advance(120_000)
    expect(api.calls).toHaveLength(0)
    for (const campaign of [scheduled, waiting]) expect((await db.store.campaigns.get(campaign.id))?.status).toBe('paused')
  })

  it('refuses a campaign the user paused: that pause stays theirs', async () => {
    const campaign = await createCampaign(db.store, account, recipients(2))
    await db.store.campaigns.transition(campaign.id, ['pending'], 'paused', { pausedAt: new Date(clock.now()).toISOString() })
    const refused = await h.engine.pauseFor(campaign.id, 'quality_low', 'red')
    expect(refused.ok).toBe(false)
    expect((await db.store.campaigns.get(campaign.id))?.error).toBeNull()
  })
})

