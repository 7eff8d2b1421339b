// Issue 9.9 over real HTTP: a number upgraded to 1,000 msg/s, with Meta's ~300 ms answers, must keep far
// more than the old fixed 32 requests in flight (32 / 0.3 s caps it near 107 msg/s). The simulator counts
// the requests it holds at once, so this is asserted without timing anything.

import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_ENGINE_CONFIG } from '../../src/main/engine'
import { IN_FLIGHT_FLOOR } from '../../src/main/engine/inFlightBound'
import { createCloudApi } from '../../src/main/whatsapp/client'
import { DEFAULT_PHONE_NUMBERS, startSimulator } from '../../src/sim'
import { addAccount, createCampaign, openTestStore, recipients, startTestEngine } from '../unit/engine/support'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('the in-flight bound of an upgraded number, against the simulator over HTTP', () => {
  it("keeps rate × latency requests in flight (Little's law), not 32, and still sends each recipient once", async () => {
    const sim = await startSimulator({ seed: 9, latencyMs: 300, pairLimit: false, phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }] })
    const db = openTestStore()
    // As the app does: one connection per request the number may have in flight.
    const api = createCloudApi({ timeoutMs: 10_000, connections: DEFAULT_ENGINE_CONFIG.maxInFlightPerNumber })
    const account = await addAccount(db.store, { graphUrl: sim.url, mps: 1_000 })
    const h = startTestEngine(db.store, api, { graphUrl: sim.url })
    await h.engine.start()
    cleanups.push(async () => {
      await h.engine.stop()
      await api.close()
      await sim.stop()
      await db.close()
    })

    const campaign = await createCampaign(db.store, account, recipients(3_000), { pacing: { kind: 'standard' } })
    const run = await h.engine.run(campaign.id)
    if (!run.ok) throw new Error(run.error.message)
    await h.events.waitForStatus(campaign.id, 'completed', 60_000)

    // 1,000/s × 0.3 s = 300 in steady state; well past the floor, under the configured ceiling.
    expect(sim.peakConcurrentRequests).toBeGreaterThan(4 * IN_FLIGHT_FLOOR)
    expect(sim.peakConcurrentRequests).toBeLessThanOrEqual(DEFAULT_ENGINE_CONFIG.maxInFlightPerNumber)
    expect(sim.acceptedByRecipient().size).toBe(3_000)
    expect([...sim.acceptedByRecipient().values()].every((n) => n === 1)).toBe(true)
  }, 90_000)
})
