// The engine over real HTTP: a real SQLite ledger in a temp dir, the real undici client and the Cloud API simulator.

import { afterEach, describe, expect, it } from 'vitest'
import { createCloudApi } from '../../src/main/whatsapp/client'
import type { CloudApi } from '../../src/main/whatsapp/types'
import { DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim'
import type { Account, Campaign, PacingProfile } from '../../src/shared/types'
import type { EngineConfig } from '../../src/main/engine'
import {
  addAccount,
  createCampaign,
  openTestStore,
  phoneAt,
  recipients,
  startTestEngine,
  until,
  type EngineHarness,
  type TestStore,
} from '../unit/engine/support'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface World {
  sim: Simulator
  db: TestStore
  api: CloudApi
  account: Account
  h: EngineHarness
}

async function world(opts: { sim?: SimulatorOptions; mps?: number; token?: string; config?: Partial<EngineConfig> } = {}): Promise<World> {
  const sim = await startSimulator({
    seed: 11,
    phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }],
    ...opts.sim,
  })
  const db = openTestStore()
  const api = createCloudApi({ timeoutMs: 5_000 })
  const account = await addAccount(db.store, { graphUrl: sim.url, mps: opts.mps ?? 500, accessToken: opts.token })
  const h = startTestEngine(db.store, api, { graphUrl: sim.url, config: opts.config })
  await h.engine.start()
  cleanups.push(async () => {
    await h.engine.stop()
    await api.close()
    await sim.stop()
    await db.close()
  })
  return { sim, db, api, account, h }
}

async function launch(w: World, count: number, pacing: PacingProfile = { kind: 'standard' }): Promise<Campaign> {
  const campaign = await createCampaign(w.db.store, w.account, recipients(count), { pacing })
  const run = await w.h.engine.run(campaign.id)
  if (!run.ok) throw new Error(run.error.message)
  return campaign
}

/** The campaign's counters must be exactly what its rows say. */
async function expectCountersMatchLedger(w: World, campaignId: string): Promise<Campaign> {
  const campaign = await w.db.store.campaigns.get(campaignId)
  const rows = await w.db.store.ledger.stateCounts(campaignId)
  if (!campaign) throw new Error('campaign vanished')
  const success = rows.sent + rows.delivered + rows.read
  expect(campaign.successCount).toBe(success)
  expect(campaign.failedCount).toBe(rows.failed)
  expect(campaign.uncertainCount).toBe(rows.uncertain)
  expect(campaign.skippedCount).toBe(rows.skipped)
  expect(campaign.processed).toBe(success + rows.failed + rows.uncertain)
  return campaign
}

const totalRequests = (sim: Simulator) => [...sim.requestsByRecipient().values()].reduce((a, b) => a + b, 0)
const digits = (phone: string) => phone.replace(/\D/g, '')

describe('the engine against the simulator over HTTP', () => {
  it('completes a 1,000-recipient campaign with counters equal to the ledger and each recipient sent once', async () => {
    const w = await world()
    const campaign = await launch(w, 1_000)
    await w.h.events.waitForStatus(campaign.id, 'completed', 60_000)
    const done = await expectCountersMatchLedger(w, campaign.id)
    expect(done).toMatchObject({ successCount: 1_000, failedCount: 0, processed: 1_000, contactsCount: 1_000 })
    const perRecipient = w.sim.requestsByRecipient()
    expect(perRecipient.size).toBe(1_000)
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true)
    expect(w.h.log.messages()).toContain(`Campaign ${campaign.id} completed: 1000 success, 0 failed`)
    const progress = w.h.events.progress(campaign.id)
    expect(progress.length).toBeGreaterThan(2)
    expect(progress.some((p) => p.ratePerSec > 0)).toBe(true)
  }, 90_000)

  it('waits for the network when the simulator goes away and finishes with no failures when it is back on the same port', async () => {
    let w = await world({ mps: 20 })
    const port = w.sim.port
    const campaign = await launch(w, 250)
    await until(() => totalRequests(w.sim) >= 60, 20_000)
    const seenBefore = w.sim.requestsByRecipient()
    await w.sim.stop()
    const stoppedAt = Date.now()
    await w.h.events.waitFor(
      (e) => e.name === 'campaign:progress' && e.payload.campaignId === campaign.id && e.payload.waitingFor === 'network',
      10_000,
    )
    const during = await w.db.store.campaigns.get(campaign.id)
    expect(during?.status).toBe('processing')
    expect(during?.failedCount).toBe(0)
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - stoppedAt))))
    const sim = await startSimulator({ seed: 12, port, phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }] })
    w = { ...w, sim }
    cleanups.unshift(() => sim.stop())
    await w.h.events.waitForStatus(campaign.id, 'completed', 90_000)
    const done = await expectCountersMatchLedger(w, campaign.id)
    expect(done.failedCount).toBe(0)
    // The simulator's stop() resets open sockets: a request caught in flight is ambiguous (uncertain), never resent.
    expect(done.successCount + done.uncertainCount).toBe(250)
    expect(done.uncertainCount).toBeLessThanOrEqual(5)
    const after = sim.requestsByRecipient()
    for (const [recipient, count] of after) expect(count + (seenBefore.get(recipient) ?? 0)).toBe(1)
    console.info(`network outage: ${done.uncertainCount} uncertain, ${done.successCount} sent`)
  }, 150_000)

  it('pauses within a second: no new requests reach the API, and resume sends the rest exactly once', async () => {
    const w = await world({ mps: 50 })
    const campaign = await launch(w, 300)
    await until(() => totalRequests(w.sim) >= 40, 20_000)
    const paused = await w.h.engine.pause(campaign.id)
    expect(paused.ok).toBe(true)
    const atPause = totalRequests(w.sim)
    await new Promise((r) => setTimeout(r, 1_000))
    const afterOneSecond = totalRequests(w.sim)
    expect(afterOneSecond - atPause).toBeLessThanOrEqual(32)
    await new Promise((r) => setTimeout(r, 1_000))
    expect(totalRequests(w.sim)).toBe(afterOneSecond)
    const counts = await w.db.store.ledger.stateCounts(campaign.id)
    expect(counts.sending).toBe(0)
    expect(counts.sent).toBe(afterOneSecond)

    const resumed = await w.h.engine.resume(campaign.id)
    expect(resumed.ok && resumed.value.status).toBe('processing')
    await w.h.events.waitForStatus(campaign.id, 'completed', 30_000)
    const perRecipient = w.sim.requestsByRecipient()
    expect(perRecipient.size).toBe(300)
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true)
    await expectCountersMatchLedger(w, campaign.id)
  }, 60_000)

  it('cancels a running campaign: the rest is skipped and nothing more is sent', async () => {
    const w = await world({ mps: 50 })
    const campaign = await launch(w, 300)
    await until(() => totalRequests(w.sim) >= 30, 20_000)
    const cancelled = await w.h.engine.cancel(campaign.id)
    expect(cancelled.ok && cancelled.value.status).toBe('cancelled')
    const atCancel = totalRequests(w.sim)
    await new Promise((r) => setTimeout(r, 500))
    expect(totalRequests(w.sim)).toBe(atCancel)
    const done = await expectCountersMatchLedger(w, campaign.id)
    expect(done.successCount + done.skippedCount).toBe(300)
    expect(done.successCount).toBe(atCancel)
    const { rows } = await w.db.store.ledger.page(campaign.id, { state: 'skipped', offset: 0, limit: 1 })
    expect(rows[0].skipReason).toBe('cancelled')
  }, 60_000)

  it('auto-pauses at exactly the 51st failure when more than half failed', async () => {
    const failAll = Object.fromEntries(recipients(200).map((r) => [digits(r.phone), 131021]))
    const w = await world({ sim: { failRecipients: failAll }, config: { maxInFlightPerNumber: 1 } })
    const campaign = await launch(w, 200, { kind: 'off' })
    const event = await w.h.events.waitForStatus(campaign.id, 'paused', 30_000)
    expect(event.error).toBe('too_many_failures')
    await until(async () => (await w.db.store.ledger.stateCounts(campaign.id)).sending === 0)
    expect(totalRequests(w.sim)).toBe(51)
    const paused = await expectCountersMatchLedger(w, campaign.id)
    expect(paused).toMatchObject({ status: 'paused', failedCount: 51, processed: 51 })
  }, 60_000)

  it('does not auto-pause at 50 failures', async () => {
    const failFifty = Object.fromEntries(recipients(50).map((r) => [digits(r.phone), 131021]))
    const w = await world({ sim: { failRecipients: failFifty }, config: { maxInFlightPerNumber: 1 } })
    const campaign = await launch(w, 100, { kind: 'off' })
    await w.h.events.waitForStatus(campaign.id, 'completed', 30_000)
    const done = await expectCountersMatchLedger(w, campaign.id)
    expect(done).toMatchObject({ failedCount: 50, successCount: 50 })
    expect(w.h.events.statuses(campaign.id).some((s) => s.to === 'paused')).toBe(false)
  }, 60_000)

  it('pauses at once with invalid_credentials when the token is wrong (190)', async () => {
    const w = await world({ token: 'not-the-token' })
    const campaign = await launch(w, 500, { kind: 'off' })
    const event = await w.h.events.waitForStatus(campaign.id, 'paused', 10_000)
    expect(event.error).toBe('invalid_credentials')
    expect(event.errorDetail).toContain('190')
    await until(async () => (await w.db.store.ledger.stateCounts(campaign.id)).sending === 0)
    // At most what was already in flight when the first answer came back.
    expect(w.sim.totalRequests).toBeLessThanOrEqual(32)
    const stored = await expectCountersMatchLedger(w, campaign.id)
    expect(stored.status).toBe('paused')
  }, 30_000)

  it('pauses at once with template_error on an injected 132001', async () => {
    const w = await world({ sim: { failures: [{ code: 132001, rate: 1 }] } })
    const campaign = await launch(w, 300)
    const event = await w.h.events.waitForStatus(campaign.id, 'paused', 10_000)
    expect(event.error).toBe('template_error')
    expect((await w.db.store.campaigns.get(campaign.id))?.error).toBe('template_error')
  }, 30_000)

  it('retries transient errors (131000, 131016 at 30 %) until every message is accepted', async () => {
    const w = await world({
      sim: {
        failures: [
          { code: 131000, rate: 0.15 },
          { code: 131016, rate: 0.15 },
        ],
      },
    })
    const campaign = await launch(w, 150)
    // Meta recovers after a while; rows still waiting for a retry then go through.
    setTimeout(() => w.sim.setFailures([]), 5_000)
    await w.h.events.waitForStatus(campaign.id, 'completed', 60_000)
    const done = await expectCountersMatchLedger(w, campaign.id)
    expect(done).toMatchObject({ successCount: 150, failedCount: 0 })
    expect(totalRequests(w.sim)).toBeGreaterThan(150)
    expect(w.sim.acceptedByRecipient().size).toBe(150)
    expect([...w.sim.acceptedByRecipient().values()].every((n) => n === 1)).toBe(true)
  }, 60_000)

  it('delays only the recipient that hit the pair limit (131056)', async () => {
    const pairLimited = digits(phoneAt(3))
    const w = await world({ sim: { failRecipients: { [pairLimited]: 131056 } } })
    const campaign = await launch(w, 60)
    await until(() => (w.sim.requestsByRecipient().get(pairLimited) ?? 0) >= 1, 10_000)
    const firstAttemptAt = Date.now()
    w.sim.setFailRecipients({})
    await w.h.events.waitForStatus(campaign.id, 'completed', 30_000)
    const { rows } = await w.db.store.ledger.page(campaign.id, { offset: 0, limit: 100 })
    const limited = rows.find((r) => digits(r.phone) === pairLimited)
    const others = rows.filter((r) => r !== limited)
    expect(limited?.state).toBe('sent')
    expect(limited?.attempts).toBe(2)
    expect((limited?.sentAt ?? 0) - firstAttemptAt).toBeGreaterThanOrEqual(5_500)
    expect(others.every((r) => r.state === 'sent' && (r.sentAt ?? 0) < firstAttemptAt + 3_000)).toBe(true)
    expect(w.sim.requestsByRecipient().get(pairLimited)).toBe(2)
  }, 30_000)

  it("keeps tenants apart: another user's campaign is not found and is left alone", async () => {
    const w = await world()
    const other = await addAccount(w.db.store, { graphUrl: w.sim.url, userName: 'Otra tienda' })
    const theirs = await createCampaign(w.db.store, other, recipients(10))
    expect(await w.h.engine.run(theirs.id, w.account.userId)).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await w.h.engine.cancel(theirs.id, w.account.userId)).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect((await w.db.store.campaigns.get(theirs.id))?.status).toBe('pending')
    expect(w.sim.totalRequests).toBe(0)
  }, 30_000)

  it('recovers on start: rows left sending become uncertain, never resent, and the pending campaign finishes', async () => {
    const sim = await startSimulator({ seed: 3, phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }] })
    const db = openTestStore()
    const api = createCloudApi({ timeoutMs: 5_000 })
    cleanups.push(async () => {
      await api.close()
      await sim.stop()
      await db.close()
    })
    const account = await addAccount(db.store, { graphUrl: sim.url, mps: 500 })
    const crashed = await createCampaign(db.store, account, recipients(200), { pacing: { kind: 'standard' } })
    await db.store.campaigns.transition(crashed.id, ['pending'], 'processing', { startedAt: new Date().toISOString() })
    const interrupted = await db.store.ledger.claim(crashed.id, 7, Date.now())
    const waiting = await createCampaign(db.store, account, recipients(50, 1_000), { pacing: { kind: 'standard' } })

    const h = startTestEngine(db.store, api, { graphUrl: sim.url })
    cleanups.push(() => h.engine.stop())
    await h.engine.start()
    expect(h.log.messages()).toContain('Recovered 2 pending campaigns')
    await h.events.waitForStatus(crashed.id, 'completed', 30_000)
    await h.events.waitForStatus(waiting.id, 'completed', 30_000)
    const counts = await db.store.ledger.stateCounts(crashed.id)
    expect(counts).toMatchObject({ uncertain: 7, sent: 193, sending: 0 })
    for (const row of interrupted) expect(sim.requestsByRecipient().get(digits(row.phone))).toBeUndefined()
  }, 60_000)

  it('slows the number down on 130429 and still delivers every message exactly once', async () => {
    // The account believes in 200 msg/s; the simulated number allows 40.
    const w = await world({ mps: 200, sim: { phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 40 }] } })
    const started = Date.now()
    const campaign = await launch(w, 600)
    await w.h.events.waitForStatus(campaign.id, 'completed', 60_000)
    const done = await expectCountersMatchLedger(w, campaign.id)
    expect(done).toMatchObject({ successCount: 600, failedCount: 0 })
    const refused = totalRequests(w.sim) - 600
    expect(refused).toBeGreaterThan(0)
    // The backoff follows the share refused: a fraction of the sends, not one refusal per message.
    expect(refused).toBeLessThan(150)
    // The simulator's Retry-After names the moment its bucket has room again: every wait the monitor
    // shows ends within the run (600 at 40/s is 15 s), never 60 s (the cap) away.
    const waits = w.h.events.progress(campaign.id).filter((e) => e.waitingFor === 'rate_limit')
    for (const e of waits) expect(Date.parse(e.resumesAt ?? '')).toBeLessThan(started + 30_000)
    expect([...w.sim.acceptedByRecipient().values()].every((n) => n === 1)).toBe(true)
  }, 90_000)
})
