// What Meta says after the fact: failures reported by status webhook count for the auto-pause rule,
// a campaign-fatal refusal sends nothing (its rows wait in the queue), and live counters follow the ledger.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StatusUpdate } from '../../../src/main/store/ports'
import type { SendResult } from '../../../src/main/whatsapp/types'
import type { Account } from '../../../src/shared/types'
import {
  addAccount,
  createCampaign,
  openTestStore,
  recipients,
  ScriptedApi,
  startTestEngine,
  until,
  webhookStatus,
  type EngineHarness,
  type TestStore,
} from './support'

const GRAPH = 'http://127.0.0.1:9'
const refused = (code: number): SendResult => ({
  ok: false,
  kind: 'api',
  code,
  subcode: null,
  message: `error ${code}`,
  details: null,
  httpStatus: 401,
  latencyMs: 1,
  retryAfterMs: null,
})

describe('outcomes Meta reports later, and refusals that send nothing', () => {
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

  /** Webhook statuses for every message accepted so far, as the webhook processor applies them. */
  async function report(campaignId: string, status: StatusUpdate['status'], pick: (index: number) => boolean): Promise<number> {
    const { rows } = await db.store.ledger.page(campaignId, { state: 'sent', offset: 0, limit: 10_000 })
    const updates: StatusUpdate[] = rows
      .filter((row) => pick(row.position))
      .map((row) => webhookStatus(api, account, row, status, status === 'failed' ? { errorCode: 131026, errorMessage: 'Message undeliverable' } : {}))
    expect(await db.store.ledger.applyStatuses(updates)).toMatchObject({ unknown: 0 })
    await h.engine.statusesApplied(campaignId)
    return updates.length
  }

  it('puts every in-flight row back in the queue when Meta refuses with a token error, and resume sends each of them', async () => {
    let release: () => void = () => {}
    api.gate = new Promise((resolve) => (release = resolve))
    api.respond = () => refused(190)
    const campaign = await createCampaign(db.store, account, recipients(100), { pacing: { kind: 'standard' } })
    await h.engine.run(campaign.id)
    await until(() => api.calls.length >= 20)
    const inFlight = api.calls.length
    release()
    const paused = await h.events.waitForStatus(campaign.id, 'paused')
    expect(paused.error).toBe('invalid_credentials')
    await until(async () => (await db.store.ledger.stateCounts(campaign.id)).sending === 0)

    const counts = await db.store.ledger.stateCounts(campaign.id)
    expect(counts).toMatchObject({ failed: 0, queued: 100, uncertain: 0 })
    expect(await db.store.campaigns.get(campaign.id)).toMatchObject({ failedCount: 0, processed: 0 })
    const { rows } = await db.store.ledger.page(campaign.id, { offset: 0, limit: 100 })
    expect(rows.every((row) => row.attempts === 0)).toBe(true)

    api.gate = null
    api.respond = (to) => ({ ok: true, wamid: `wamid.ok.${to}`, waId: null, messageStatus: 'accepted', httpStatus: 200, latencyMs: 1 })
    await h.engine.resume(campaign.id)
    await h.events.waitForStatus(campaign.id, 'completed')
    expect(await db.store.campaigns.get(campaign.id)).toMatchObject({ successCount: 100, failedCount: 0 })
    const accepted = api.calls.slice(inFlight).map((call) => call.to)
    expect(new Set(accepted).size).toBe(100)
    expect(accepted).toHaveLength(100)
  })

  it('pauses for failures reported by webhook while the campaign waits on its pacing, and sends nothing after', async () => {
    const campaign = await createCampaign(db.store, account, recipients(300), { pacing: { kind: 'custom', intervalMs: 20 } })
    await h.engine.run(campaign.id)
    await until(() => api.calls.length >= 120, 20_000)
    // Every message accepted so far, but 60 % of them fail minutes later (131026 by webhook).
    await report(campaign.id, 'failed', (position) => position % 5 < 3)
    const paused = await h.events.waitForStatus(campaign.id, 'paused')
    expect(paused.error).toBe('too_many_failures')
    const sentAtPause = api.calls.length
    const stored = await db.store.campaigns.get(campaign.id)
    expect(stored?.failedCount).toBeGreaterThan(50)
    expect((stored?.failedCount ?? 0) / (stored?.processed ?? 1)).toBeGreaterThan(0.5)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(api.calls.length).toBe(sentAtPause)
    expect(stored?.processed).toBe(sentAtPause)
  })

  it('finds failures applied by another process on its own, within its heartbeat', async () => {
    const campaign = await createCampaign(db.store, account, recipients(400), { pacing: { kind: 'custom', intervalMs: 20 } })
    await h.engine.run(campaign.id)
    await until(() => api.calls.length >= 120, 20_000)
    const { rows } = await db.store.ledger.page(campaign.id, { state: 'sent', offset: 0, limit: 10_000 })
    // Applied straight to the ledger, as a second process sharing the database would: nobody tells the runner.
    const applied = await db.store.ledger.applyStatuses(rows.map((row) => webhookStatus(api, account, row, 'failed', { errorCode: 131026 })))
    expect(applied).toMatchObject({ applied: rows.length, unknown: 0 })
    const paused = await h.events.waitForStatus(campaign.id, 'paused', 5_000)
    expect(paused.error).toBe('too_many_failures')
  })

  it('shows delivered and read from webhooks while running, and no count in its progress ever goes backwards', async () => {
    const campaign = await createCampaign(db.store, account, recipients(300), { pacing: { kind: 'custom', intervalMs: 10 } })
    await h.engine.run(campaign.id)
    await until(() => api.calls.length >= 60, 20_000)
    const delivered = await report(campaign.id, 'delivered', () => true)
    await report(campaign.id, 'read', (position) => position % 2 === 0)
    const during = await h.events.waitFor(
      (e) => e.name === 'campaign:progress' && e.payload.campaignId === campaign.id && e.payload.deliveredCount >= delivered,
      5_000,
    )
    expect(during.name === 'campaign:progress' && during.payload.status).toBe('processing')
    await h.events.waitForStatus(campaign.id, 'completed')

    const progress = h.events.progress(campaign.id)
    for (const key of ['processed', 'deliveredCount', 'readCount', 'successCount'] as const) {
      const series = progress.map((p) => p[key])
      expect(series, key).toEqual([...series].sort((a, b) => a - b))
    }
    const last = progress[progress.length - 1]
    const stored = await db.store.campaigns.get(campaign.id)
    expect(last).toMatchObject({ processed: stored?.processed, deliveredCount: stored?.deliveredCount, readCount: stored?.readCount })
  })

  it('ends failed, saying why, when every contact was skipped or failed', async () => {
    api.respond = () => ({ ...refused(131026), httpStatus: 400 })
    const campaign = await createCampaign(db.store, account, recipients(20))
    await h.engine.run(campaign.id)
    const ended = await h.events.waitForStatus(campaign.id, 'failed')
    expect(ended.error).toBe('nothing_sent')
    expect(ended.errorDetail).toContain('None of the 20 messages was sent (20 failed, most with error 131026')
    expect(h.events.statuses(campaign.id).map((s) => s.to)).not.toContain('completed')
  })
})
