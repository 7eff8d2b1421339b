import { describe, expect, it } from 'vitest'
import {
  decideFailure,
  isMarketingQuiet,
  MARKETING_LIMIT_QUIET_MS,
  permitResultFor,
  TRANSIENT_MAX_ATTEMPTS,
} from '../../../src/main/engine/retryPolicy'
import { classifyError } from '../../../src/main/whatsapp/classify'
import type { SendResult } from '../../../src/main/whatsapp/types'

type Failed = Extract<SendResult, { ok: false }>
const apiError = (code: number, retryAfterMs: number | null = null): Failed => ({
  ok: false,
  kind: 'api',
  code,
  subcode: null,
  message: `error ${code}`,
  details: null,
  httpStatus: 400,
  latencyMs: 5,
  retryAfterMs,
})
const noJitter = () => 0.5
const decide = (code: number, attempts: number, retryAfterMs: number | null = null) =>
  decideFailure(apiError(code, retryAfterMs), classifyError(code), attempts, noJitter)

describe('the retry policy', () => {
  it('retries transient errors with exponential backoff and fails them after the last attempt', () => {
    expect(decide(131000, 1)).toEqual({ action: 'retry', delayMs: 2_000 })
    expect(decide(131016, 2)).toEqual({ action: 'retry', delayMs: 4_000 })
    expect(decide(131016, 3)).toEqual({ action: 'retry', delayMs: 8_000 })
    expect(decide(131000, TRANSIENT_MAX_ATTEMPTS)).toEqual({ action: 'fail', suppress: false, pauseCampaign: null })
  })

  it('spreads transient retries by ±20 % jitter', () => {
    const low = decideFailure(apiError(131000), classifyError(131000), 1, () => 0)
    const high = decideFailure(apiError(131000), classifyError(131000), 1, () => 0.999)
    expect(low).toEqual({ action: 'retry', delayMs: 1_600 })
    expect(high.action === 'retry' && high.delayMs).toBeGreaterThan(2_390)
  })

  it('waits about a minute on the maintenance code 131057', () => {
    const decision = decide(131057, 1)
    expect(decision.action === 'retry' && decision.delayMs).toBeGreaterThanOrEqual(60_000)
  })

  it('retries rate-limited sends after at least a second, honouring the time Meta gives up to the 60 s cap', () => {
    const plain = decide(130429, 1)
    expect(plain.action === 'retry' && plain.delayMs).toBeGreaterThanOrEqual(1_000)
    const told = decide(4, 1, 20_000)
    expect(told.action === 'retry' && told.delayMs).toBeGreaterThanOrEqual(20_000)
    const fifteenMinutes = decide(130429, 1, 15 * 60_000)
    expect(fifteenMinutes.action === 'retry' && fifteenMinutes.delayMs).toBeGreaterThanOrEqual(60_000)
    expect(fifteenMinutes.action === 'retry' && fifteenMinutes.delayMs).toBeLessThan(61_000)
  })

  it('makes a pair-limited recipient wait at least 6 s, then 16 s and 64 s', () => {
    const delays = [1, 2, 3].map((attempts) => {
      const d = decideFailure(apiError(131056), classifyError(131056), attempts, () => 0)
      return d.action === 'retry' ? d.delayMs : null
    })
    expect(delays).toEqual([6_000, 16_000, 64_000])
  })

  it('fails 131049 without a retry and 131050 with an opt-out', () => {
    expect(decide(131049, 1)).toEqual({ action: 'fail', suppress: false, pauseCampaign: null })
    expect(decide(131050, 1)).toEqual({ action: 'fail', suppress: true, pauseCampaign: null })
  })

  it('fails a recipient error for that recipient only', () => {
    expect(decide(131026, 1)).toEqual({ action: 'fail', suppress: false, pauseCampaign: null })
  })

  it('fails the row and pauses the campaign on fatal codes, with a specific error', () => {
    expect(decide(190, 1)).toEqual({ action: 'fail', suppress: false, pauseCampaign: 'invalid_credentials' })
    expect(decide(132001, 1)).toEqual({ action: 'fail', suppress: false, pauseCampaign: 'template_error' })
    expect(decide(131042, 1)).toEqual({ action: 'fail', suppress: false, pauseCampaign: 'payment_required' })
    expect(decide(368, 1)).toEqual({ action: 'fail', suppress: false, pauseCampaign: 'account_blocked' })
  })

  it('requeues a send that never left the machine and marks one that may have left uncertain', () => {
    const before: Failed = { ok: false, kind: 'network', phase: 'before_write', message: 'ECONNREFUSED', latencyMs: 1 }
    const after: Failed = { ok: false, kind: 'network', phase: 'after_write', message: 'timeout', latencyMs: 1 }
    expect(decideFailure(before, null, 1)).toEqual({ action: 'requeue' })
    expect(decideFailure(after, null, 1)).toEqual({ action: 'uncertain' })
    expect(permitResultFor(before, null)).toEqual({ kind: 'network_down' })
    expect(permitResultFor(after, null)).toEqual({ kind: 'lost' })
  })

  it('tells the number limiter about rate limits only', () => {
    expect(permitResultFor(apiError(130429, 5_000), classifyError(130429))).toEqual({ kind: 'rate_limited', retryAfterMs: 5_000 })
    expect(permitResultFor(apiError(131056), classifyError(131056))).toEqual({ kind: 'answered' })
  })

  it('keeps 131049 rows quiet for 24 h', () => {
    const now = 10 * MARKETING_LIMIT_QUIET_MS
    expect(isMarketingQuiet(131049, now - 1_000, now)).toBe(true)
    expect(isMarketingQuiet(131049, now - MARKETING_LIMIT_QUIET_MS, now)).toBe(false)
    expect(isMarketingQuiet(131026, now - 1_000, now)).toBe(false)
  })
})
