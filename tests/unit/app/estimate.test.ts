import { describe, expect, it } from 'vitest'
import { daysNeeded, estimateDurationSec } from '../../../src/main/app/estimate'

describe('the duration estimate', () => {
  it('follows the seed table: 100 messages take 99 gaps of 1.2 s', () => {
    expect(estimateDurationSec({ kind: 'seed' }, 100, 80)).toBe(Math.round((99 * 1200) / 1000))
  })

  it('switches to 0.8 s gaps after the 100th message', () => {
    expect(estimateDurationSec({ kind: 'seed' }, 101, 80)).toBe(Math.round((99 * 1200 + 800) / 1000))
  })

  it('is bounded by the number\'s own limit under the standard profile', () => {
    expect(estimateDurationSec({ kind: 'standard' }, 8_000, 80)).toBe(100)
  })
})

describe('the days an audience needs under a messaging tier', () => {
  it('is one when the audience fits what is left today', () => {
    expect(daysNeeded(200, 250, 250)).toBe(1)
  })

  it('adds a day per full tier beyond what is left', () => {
    expect(daysNeeded(1_000, 250, 250)).toBe(4)
  })

  it('is one for unlimited tiers', () => {
    expect(daysNeeded(100_000, Infinity, Infinity)).toBe(1)
  })
})
