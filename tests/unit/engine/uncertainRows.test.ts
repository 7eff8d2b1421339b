// Uncertain rows after a crash are settled by evidence: with webhooks working, a row with no status
// within the window never reached Meta and is sent once; with no webhooks it stays for the user to decide.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
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
const WINDOW_MS = 1_000

describe('uncertain rows after a crash', () => {
  let db: TestStore
  let api: ScriptedApi
  let account: Account
  let h: EngineHarness

  beforeEach(async () => {
    db = openTestStore()
    api = new ScriptedApi()
    account = await addAccount(db.store, { graphUrl: GRAPH })
    h = startTestEngine(db.store, api, { graphUrl: GRAPH, config: { uncertainWindowMs: WINDOW_MS } })
  })

  afterEach(async () => {
    await h.engine.stop()
    await db.close()
  })

  /** A crash with 5 rows in flight: they become uncertain at the next start. */
  async function crashedCampaign(size: number) {
    const campaign = await createCampaign(db.store, account, recipients(size), { pacing: { kind: 'custom', intervalMs: 5 } })
    await db.store.campaigns.transition(campaign.id, ['pending'], 'processing', { startedAt: new Date().toISOString() })
    const inFlight = await db.store.ledger.claim(campaign.id, 5, Date.now())
    return { campaign, inFlight }
  }

  /** What the webhook processor does when Meta's statuses arrive for the accepted messages. */
  async function webhooksFor(campaignId: string): Promise<void> {
    const { rows } = await db.store.ledger.page(campaignId, { state: 'sent', offset: 0, limit: 1_000 })
    const applied = await db.store.ledger.applyStatuses(rows.map((row) => webhookStatus(api, account, row, 'delivered')))
    expect(applied).toMatchObject({ applied: rows.length, unknown: 0 })
    await h.engine.statusesApplied(campaignId)
  }

  it('sends once, after the window, the uncertain rows that got no status while the other messages got theirs', async () => {
    const { campaign, inFlight } = await crashedCampaign(30)
    await h.engine.start()
    await h.events.waitForStatus(campaign.id, 'completed')
    expect(await db.store.campaigns.get(campaign.id)).toMatchObject({ uncertainCount: 5 })
    await webhooksFor(campaign.id)

    await until(async () => (await db.store.campaigns.get(campaign.id))?.uncertainCount === 0, 10_000)
    await until(async () => (await db.store.campaigns.get(campaign.id))?.status === 'completed', 10_000)
    const calls = api.calls.map((c) => c.to)
    for (const row of inFlight) {
      expect(calls.filter((to) => to === row.phone)).toHaveLength(1)
      expect(await db.store.ledger.get(campaign.id, row.id)).toMatchObject({ state: 'sent', resolution: 'no_status' })
    }
    expect(await db.store.campaigns.get(campaign.id)).toMatchObject({ successCount: 30, uncertainCount: 0 })
    expect(h.log.messages().some((m) => m.startsWith(`5 unconfirmed messages of campaign ${campaign.id} never reached Meta`))).toBe(true)
  })

  it('leaves them uncertain when no webhook ever arrives, however long it waits', async () => {
    const { campaign, inFlight } = await crashedCampaign(10)
    await h.engine.start()
    await h.events.waitForStatus(campaign.id, 'completed')
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS * 3))
    expect(await db.store.campaigns.get(campaign.id)).toMatchObject({ status: 'completed', uncertainCount: 5 })
    expect(api.calls.map((c) => c.to)).not.toContain(inFlight[0].phone)
    expect(await db.store.ledger.get(campaign.id, inFlight[0].id)).toMatchObject({ state: 'uncertain', resolution: null })
  })
})
