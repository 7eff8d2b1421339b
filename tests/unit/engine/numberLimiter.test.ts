import { describe, expect, it } from 'vitest'
import { AdaptiveRate } from '../../../src/main/engine/adaptiveRate'
import { FakeClock } from '../../../src/main/engine/clock'
import { NumberLimiter, type Permit, type PermitResult } from '../../../src/main/engine/numberLimiter'
import { DEFAULT_ENGINE_CONFIG } from '../../../src/main/engine/types'

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

  it('never lets one rate-limit answer hold the number longer than 60 s, even when Meta names 15 minutes', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 80, maxInFlight: 32, clock })
    const [permit] = await limiter.acquire(1)
    permit.release({ kind: 'rate_limited', retryAfterMs: 15 * 60_000 })
    expect(limiter.waiting()).toEqual({ reason: 'rate_limit', resumesAt: 60_000 })
    expect(await countGrants(limiter, clock, 59_900)).toBe(0)
    expect(await countGrants(limiter, clock, 1_000)).toBeGreaterThan(0)
    expect(limiter.waiting()).toBe(null)
  })

  it('honours a shorter Retry-After to the millisecond', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 80, maxInFlight: 32, clock })
    const [permit] = await limiter.acquire(1)
    permit.release({ kind: 'rate_limited', retryAfterMs: 3_000 })
    expect(limiter.waiting()).toEqual({ reason: 'rate_limit', resumesAt: 3_000 })
    expect(await countGrants(limiter, clock, 2_999)).toBe(0)
    expect(await countGrants(limiter, clock, 100)).toBeGreaterThan(0)
  })

  it('lets the cap grow only when Meta asks again right after a rest it cut short, and forgets after a calm spell', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 80, maxInFlight: 32, clock })
    const refuse = async (retryAfterMs: number) => {
      const [permit] = await limiter.acquire(1)
      permit.release({ kind: 'rate_limited', retryAfterMs })
      return (limiter.waiting()?.resumesAt ?? 0) - clock.now()
    }
    expect(await refuse(15 * 60_000)).toBe(60_000)
    await clock.advance(60_000)
    expect(await refuse(15 * 60_000)).toBe(120_000)
    await clock.advance(120_000)
    expect(await refuse(15 * 60_000)).toBe(240_000)
    await clock.advance(240_000 + 10 * 60_000)
    expect(await refuse(15 * 60_000)).toBe(60_000)
  })

  it('keeps sending after a refusal that names no wait: only the rate backs off', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 80, maxInFlight: 32, clock })
    const [permit] = await limiter.acquire(1)
    permit.release({ kind: 'rate_limited', retryAfterMs: null })
    expect(limiter.waiting()).toBe(null)
    expect(await countGrants(limiter, clock, 1_000)).toBeGreaterThanOrEqual(79)
  })
})

/** Meta's side of a number in fake time: a token bucket of `limit` a second (a burst of one second). */
class MetaBucket {
  private tokens: number
  private last = 0
  constructor(private readonly limit: number) {
    this.tokens = limit
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.limit, this.tokens + ((now - this.last) * this.limit) / 1_000)
    this.last = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

/**
 * Sends through the limiter for `seconds` of fake time, each answer `latencyMs` later; `refuse(sentAt)`
 * says whether Meta answers 130429. Counts what went through and what was refused after the first 10 s.
 */
async function sendFor(limiter: NumberLimiter, clock: FakeClock, seconds: number, latencyMs: number, refuse: (sentAt: number) => boolean) {
  let accepted = 0
  let refused = 0
  const abort = new AbortController()
  const loop = (async () => {
    while (!abort.signal.aborted) {
      const permits = await limiter.acquire(50, { signal: abort.signal })
      if (permits.length === 0) return
      for (const permit of permits) {
        const sentAt = clock.now()
        const no = refuse(sentAt)
        void clock.sleep(latencyMs).then(() => {
          if (sentAt >= 10_000) {
            if (no) refused += 1
            else accepted += 1
          }
          permit.release(no ? { kind: 'rate_limited', retryAfterMs: null } : { kind: 'answered' })
        })
      }
    }
  })()
  await clock.advance(seconds * 1_000)
  abort.abort()
  await loop
  return { acceptedPerSec: accepted / (seconds - 10), refusedShare: refused / (accepted + refused) }
}

describe('the adaptive rate', () => {
  it('settles under the limit Meta really applies: at least 90 % of it, and under 1 % refused', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 120, maxInFlight: 512, clock })
    const meta = new MetaBucket(80)
    const { acceptedPerSec, refusedShare } = await sendFor(limiter, clock, 120, 150, (at) => !meta.take(at))
    expect(acceptedPerSec).toBeGreaterThanOrEqual(72)
    expect(refusedShare).toBeLessThan(0.01)
  })

  it('does not collapse when 2 % of sends are refused whatever the rate', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 80, maxInFlight: 512, clock })
    let seed = 7
    const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647
    const { acceptedPerSec } = await sendFor(limiter, clock, 300, 150, () => random() < 0.02)
    expect(acceptedPerSec).toBeGreaterThanOrEqual(0.85 * 80)
  })

  it('backs off in proportion to the share refused, then climbs back additively', () => {
    const rate = new AdaptiveRate(100, 0)
    // One answer in five refused: judged at the tenth refusal (50 answers, half a second) → 100 × 0.8 × 0.97.
    for (let i = 1; i <= 50; i += 1) rate.record(i % 5 === 0, i * 10, i * 10)
    expect(rate.at(500)).toBeCloseTo(77.6, 5)
    // Then +0.6 % of the number's estimated limit (80) a second.
    expect(rate.at(10_500)).toBeCloseTo(77.6 + 10 * 0.48, 5)
    expect(rate.at(1_000_000)).toBe(100)
  })

  it('never goes below 1 message a second', () => {
    const rate = new AdaptiveRate(4, 0)
    let lowest = Number.POSITIVE_INFINITY
    for (let t = 100; t <= 200_000; t += 100) {
      rate.record(true, t, t)
      lowest = Math.min(lowest, rate.at(t))
    }
    expect(lowest).toBe(1)
  })
})

describe('the in-flight bound', () => {
  it("is sized by Little's law from the rate and the observed latency, and follows the latency", async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 1_000, maxInFlight: 512, clock })
    const answerAfter = async (latencyMs: number, count: number) => {
      for (let i = 0; i < count; i += 1) {
        const [permit] = await limiter.acquire(1)
        await clock.advance(latencyMs)
        permit.release({ kind: 'answered' })
      }
    }
    await answerAfter(300, 60)
    // 1,000 msg/s × 0.3 s × 1.5 headroom: far above the old fixed 32.
    expect(limiter.maxInFlight).toBe(450)
    await answerAfter(20, 80)
    expect(limiter.maxInFlight).toBe(32)
    await answerAfter(2_000, 60)
    expect(limiter.maxInFlight).toBe(512)
  })

  it('lets a 1,000 msg/s number with 300 ms answers send at its rate with the default ceiling, not at 32 / 0.3 s', async () => {
    const clock = new FakeClock(0)
    const limiter = new NumberLimiter({ maxPerSec: 1_000, maxInFlight: DEFAULT_ENGINE_CONFIG.maxInFlightPerNumber, clock })
    const { acceptedPerSec } = await sendFor(limiter, clock, 20, 300, () => false)
    // Answers still in flight when the count stops are the 3 % missing.
    expect(acceptedPerSec).toBeGreaterThanOrEqual(960)
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
