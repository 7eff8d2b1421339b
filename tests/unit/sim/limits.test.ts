// The simulator's token buckets, driven by explicit timestamps.

import { describe, expect, it } from 'vitest'
import { PairLimiter, TokenBucket } from '../../../src/sim/limits'

describe('TokenBucket', () => {
  it('allows a burst up to its capacity, then refills at its rate', () => {
    const bucket = new TokenBucket(80, 80, 0)
    const burst = Array.from({ length: 100 }, () => bucket.take(0)).filter(Boolean).length
    expect(burst).toBe(80)
    expect(bucket.take(10)).toBe(false)
    expect(bucket.take(13)).toBe(true)
    const afterOneSecond = Array.from({ length: 100 }, () => bucket.take(1013)).filter(Boolean).length
    expect(afterOneSecond).toBe(80)
  })

  it('says how long until the next token, the wait behind Retry-After', () => {
    const bucket = new TokenBucket(2, 4, 0)
    expect(bucket.msUntilToken(0)).toBe(0)
    bucket.take(0)
    bucket.take(0)
    expect(bucket.msUntilToken(0)).toBeCloseTo(250)
    expect(bucket.msUntilToken(200)).toBeCloseTo(50)
    expect(bucket.msUntilToken(250)).toBe(0)
  })

  it('counts forced tokens (inbound traffic) against later sends', () => {
    const bucket = new TokenBucket(2, 2, 0)
    bucket.force(0)
    bucket.force(0)
    expect(bucket.take(0)).toBe(false)
  })
})

describe('PairLimiter', () => {
  it('allows 45 messages to one recipient, then one every 6 seconds, without touching other recipients', () => {
    const pairs = new PairLimiter()
    const allowed = Array.from({ length: 50 }, () => pairs.take('phone', '57300', 0)).filter(Boolean).length
    expect(allowed).toBe(45)
    expect(pairs.take('phone', '57301', 0)).toBe(true)
    expect(pairs.take('other-phone', '57300', 0)).toBe(true)
    expect(pairs.take('phone', '57300', 5_000)).toBe(false)
    expect(pairs.take('phone', '57300', 6_000)).toBe(true)
    expect(pairs.take('phone', '57300', 6_500)).toBe(false)
  })
})
