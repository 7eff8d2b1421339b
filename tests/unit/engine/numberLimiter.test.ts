import { describe, expect, it } from 'vitest'
import { AdaptiveRate } from '../../../src/main/engine/adaptiveRate'
import { FakeClock } from '../../../src/main/engine/clock'
import { NumberLimiter, type Permit, type PermitResult } from '../../../src/main/engine/numberLimiter'

/** Takes permits one at a time for `ms` of fake time, releasing each at once with `result`. */
async function countGrants(limiter: NumberLimiter, clock: FakeClock, ms: number, result: PermitResult = { kind: 'answered' }) {
  let granted = 0
  let running = true
  const abort = new AbortController()
  const loop = (async () => {
    while (running) {
      const permits = await limiter.acquire(1, { signal: abort.signal })
      if (permits.length === 0) return
      granted += 1
      permits[0].release(result)
    }
  })()
  await clock.advance(ms)
  running = false
  abort.abort()
  await loop
  return granted
}

describe('a sender number limiter', () => {
  it('lets messages through at the number rate', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 80, maxInFlight: 32, clock })
    const granted = await countGrants(limiter, clock, 10_000)
    expect(granted).toBeGreaterThanOrEqual(800)
    expect(granted).toBeLessThanOrEqual(806)
  })

  it('never has more requests in flight than its bound', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 1_000, maxInFlight: 3, clock })
    const held: Permit[] = []
    for (let i = 0; i < 5; i += 1) void limiter.acquire(1).then((p) => held.push(...p))
    await clock.advance(1_000)
    expect(held).toHaveLength(3)
    expect(limiter.inFlight).toBe(3)
    held[0].release({ kind: 'answered' })
    await clock.advance(10)
    expect(held).toHaveLength(4)
  })

  it('grants several permits at once when the bucket allows, with pacing off ignoring the rate', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 1, maxInFlight: 32, clock })
    const batch = await limiter.acquire(50, { unlimited: true })
    expect(batch).toHaveLength(32)
  })

  it('serves the campaigns of one number in turn', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 10, maxInFlight: 32, clock })
    const order: string[] = []
    const abort = new AbortController()
    const campaign = async (name: string) => {
      while (!abort.signal.aborted) {
        const permits = await limiter.acquire(1, { signal: abort.signal })
        if (permits.length === 0) return
        order.push(name)
        permits[0].release({ kind: 'answered' })
      }
    }
    const runs = [campaign('a'), campaign('b')]
    await clock.advance(2_000)
    abort.abort()
    await Promise.all(runs)
    const a = order.filter((n) => n === 'a').length
    const b = order.filter((n) => n === 'b').length
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1)
    expect(a + b).toBeGreaterThanOrEqual(20)
  })

  it('halves its rate on a rate limit, rests as long as Meta says, and recovers slowly', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 80, maxInFlight: 32, clock })
    const [permit] = await limiter.acquire(1)
    permit.release({ kind: 'rate_limited', retryAfterMs: 3_000 })
    expect(limiter.ratePerSec).toBe(40)
    expect(limiter.waitingFor()).toBe('rate_limit')
    // Nothing passes during the rest Meta asked for.
    expect(await countGrants(limiter, clock, 2_900)).toBe(0)
    await clock.advance(2_100) // 5 s after the slow-down: one recovery step
    expect(limiter.ratePerSec).toBeCloseTo(44, 5)
    await clock.advance(60_000)
    expect(limiter.ratePerSec).toBe(80)
    expect(limiter.waitingFor()).toBe(null)
  })
})

describe('the adaptive rate', () => {
  it('never goes below 1 message a second', () => {
    const rate = new AdaptiveRate(4, 0)
    for (let t = 0; t < 10; t += 1) rate.slowDown(t * 1_000)
    expect(rate.at(10_000)).toBe(1)
  })

  it('counts a burst of rate-limit answers as one slow-down', () => {
    const rate = new AdaptiveRate(80, 0)
    rate.slowDown(100)
    rate.slowDown(150)
    rate.slowDown(900)
    expect(rate.at(1_000)).toBe(40)
  })

  it('climbs back by 10 % every 5 s up to the maximum', () => {
    const rate = new AdaptiveRate(80, 0)
    rate.slowDown(0)
    expect(rate.at(4_999)).toBe(40)
    expect(rate.at(5_000)).toBeCloseTo(44, 5)
    expect(rate.at(10_000)).toBeCloseTo(48.4, 5)
    expect(rate.at(100_000)).toBe(80)
  })
})

describe('waiting for the network', () => {
  it('holds the number, probes with one request at 1 s, 2 s, 4 s … and resumes by itself', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 1_000, maxInFlight: 32, clock })
    const [first] = await limiter.acquire(1)
    first.release({ kind: 'network_down' })
    expect(limiter.waitingFor()).toBe('network')
    const probeTimes: number[] = []
    const abort = new AbortController()
    let networkBack = false
    const sender = (async () => {
      while (!abort.signal.aborted) {
        const permits = await limiter.acquire(10, { signal: abort.signal })
        if (permits.length === 0) return
        if (limiter.waitingFor() === 'network') {
          expect(permits).toHaveLength(1)
          expect(permits[0].probe).toBe(true)
          probeTimes.push(clock.now())
        }
        for (const p of permits) p.release(networkBack ? { kind: 'answered' } : { kind: 'network_down' })
      }
    })()
    await clock.advance(15_500)
    expect(probeTimes).toEqual([1_000, 3_000, 7_000, 15_000])
    networkBack = true
    await clock.advance(16_000)
    expect(limiter.waitingFor()).toBe(null)
    abort.abort()
    await sender
  })

  it('caps the probe backoff at 30 s', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 1_000, maxInFlight: 32, clock })
    const probes: number[] = []
    const abort = new AbortController()
    const sender = (async () => {
      while (!abort.signal.aborted) {
        const permits = await limiter.acquire(1, { signal: abort.signal })
        if (permits.length === 0) return
        probes.push(clock.now())
        permits[0].release({ kind: 'network_down' })
      }
    })()
    await clock.advance(200_000)
    abort.abort()
    await sender
    const gaps = probes.slice(1).map((t, i) => t - probes[i])
    expect(gaps.slice(0, 6)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000])
    expect(Math.max(...gaps)).toBe(30_000)
  })

  it('also holds when requests hang until they time out, instead of sending into the void', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 1_000, maxInFlight: 32, clock })
    const [permit] = await limiter.acquire(1)
    permit.release({ kind: 'lost' })
    expect(limiter.waitingFor()).toBe('network')
    expect(await countGrants(limiter, clock, 900, { kind: 'lost' })).toBe(0)
  })
})
