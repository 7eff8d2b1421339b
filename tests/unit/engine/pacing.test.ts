import { describe, expect, it } from 'vitest'
import { FakeClock } from '../../../src/main/engine/clock'
import { CampaignPacer, profileIntervalMs, seedIntervalMs } from '../../../src/main/engine/pacing'
import type { PacingProfile } from '../../../src/shared/types'

async function startTimes(profile: PacingProfile, count: number, alreadySent = 0): Promise<number[]> {
  const clock = new FakeClock(0)
  const pacer = new CampaignPacer(profile, clock, alreadySent)
  const starts: number[] = []
  const run = (async () => {
    for (let i = 0; i < count; i += 1) {
      await pacer.wait()
      pacer.markSent()
      starts.push(clock.now())
    }
  })()
  while (starts.length < count) await clock.advance(100)
  await run
  return starts
}

const gaps = (starts: number[]) => starts.slice(1).map((t, i) => t - starts[i])

describe('the seed pacing table', () => {
  it.each([
    [1, 1_200],
    [100, 1_200],
    [101, 800],
    [500, 800],
    [501, 600],
    [2_000, 600],
    [2_001, 400],
    [100_000, 400],
  ])('gives message %i a gap of %i ms', (n, ms) => {
    expect(seedIntervalMs(n)).toBe(ms)
  })

  it('is used by the seed profile only; custom is fixed and standard/off leave it to the limiter', () => {
    expect(profileIntervalMs({ kind: 'seed' }, 300)).toBe(800)
    expect(profileIntervalMs({ kind: 'custom', intervalMs: 250 }, 300)).toBe(250)
    expect(profileIntervalMs({ kind: 'standard' }, 300)).toBe(0)
    expect(profileIntervalMs({ kind: 'off' }, 300)).toBe(0)
  })
})

describe('a campaign pacer', () => {
  it('spaces the first 120 seed messages exactly by the table on a fake clock', async () => {
    const starts = await startTimes({ kind: 'seed' }, 120)
    const expected = Array.from({ length: 119 }, (_, i) => seedIntervalMs(i + 2))
    expect(gaps(starts)).toEqual(expected)
    expect(gaps(starts).slice(97, 101)).toEqual([1_200, 1_200, 800, 800])
  })

  it('continues the seed table after a resume instead of starting over', async () => {
    const starts = await startTimes({ kind: 'seed' }, 3, 499)
    expect(gaps(starts)).toEqual([600, 600])
  })

  it('keeps a custom interval', async () => {
    const starts = await startTimes({ kind: 'custom', intervalMs: 300 }, 5)
    expect(gaps(starts)).toEqual([300, 300, 300, 300])
  })

  it('does not wait at all for the standard profile', async () => {
    const clock = new FakeClock(0)
    const pacer = new CampaignPacer({ kind: 'standard' }, clock, 0)
    for (let i = 0; i < 10; i += 1) {
      await pacer.wait()
      pacer.markSent()
    }
    expect(clock.now()).toBe(0)
  })

  it('does not burst to catch up after a long hold', async () => {
    const clock = new FakeClock(0)
    const pacer = new CampaignPacer({ kind: 'custom', intervalMs: 1_000 }, clock, 0)
    pacer.markSent()
    await clock.advance(10_000)
    await pacer.wait()
    pacer.markSent()
    const before = clock.now()
    const waited = pacer.wait()
    await clock.advance(999)
    let done = false
    void waited.then(() => (done = true))
    await clock.advance(0)
    expect(done).toBe(false)
    await clock.advance(1)
    await waited
    expect(clock.now() - before).toBe(1_000)
  })
})
