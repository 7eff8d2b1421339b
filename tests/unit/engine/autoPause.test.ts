import { describe, expect, it } from 'vitest'
import { exceedsFailureRule, FailureGuard } from '../../../src/main/engine/autoPause'

describe("the seed's auto-pause rule", () => {
  it('does not trip at 50 failures even when all failed', () => {
    expect(exceedsFailureRule(50, 50)).toBe(false)
  })

  it('trips at the 51st failure when the rate is above 50 %', () => {
    expect(exceedsFailureRule(51, 51)).toBe(true)
    expect(exceedsFailureRule(51, 101)).toBe(true)
  })

  it('does not trip at exactly 50 % nor below', () => {
    expect(exceedsFailureRule(51, 102)).toBe(false)
    expect(exceedsFailureRule(100, 200)).toBe(false)
    expect(exceedsFailureRule(101, 201)).toBe(true)
  })

  it('after a resume counts only the failures since the resume', () => {
    const guard = new FailureGuard(51, 60)
    expect(guard.tripped(52, 61)).toBe(false)
    expect(guard.tripped(51 + 50, 60 + 50)).toBe(false)
    expect(guard.tripped(51 + 51, 60 + 51)).toBe(true)
  })
})
