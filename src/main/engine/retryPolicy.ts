// The one place that decides what a failed send means for its recipient (and what it signals beyond it).

import type { CampaignError } from '../../shared/types'
import { assertNever } from '../../shared/assertNever'
import type { Classification, SendResult } from '../whatsapp/types'
import type { PermitResult } from './numberLimiter'
import { REST_CAP_MS } from './rateLimitRest'

type FailedSend = Extract<SendResult, { ok: false }>

export const TRANSIENT_MAX_ATTEMPTS = 5
export const TRANSIENT_BASE_MS = 2_000
export const TRANSIENT_CAP_MS = 60_000
export const RATE_LIMITED_MAX_ATTEMPTS = 10
export const RATE_LIMITED_MIN_MS = 1_000
export const PAIR_LIMITED_MAX_ATTEMPTS = 6
export const PAIR_LIMITED_MIN_MS = 6_000
export const PAIR_LIMITED_CAP_MS = 15 * 60_000
/** 131049: Meta asks for no retry within 24 h; retrying earlier can block the user for a day. */
export const MARKETING_LIMIT_QUIET_MS = 24 * 60 * 60_000

/** What happens to the recipient row, and what the campaign must do about it. */
export type FailureDecision =
  | { action: 'retry'; delayMs: number }
  | { action: 'fail'; suppress: boolean; pauseCampaign: CampaignError | null }
  /** It may have reached Meta: never resent automatically. */
  | { action: 'uncertain' }
  /** It never left the machine: back to the queue, no attempt, no failure. */
  | { action: 'requeue' }

/**
 * Decides for a failed send. `attempts` counts this one (the ledger counts an attempt on claim);
 * `classification` is `classifyError(code)` for API errors; `random` in [0, 1) spreads retries (jitter).
 */
export function decideFailure(
  result: FailedSend,
  classification: Classification | null,
  attempts: number,
  random: () => number = Math.random,
): FailureDecision {
  if (result.kind === 'network') {
    return result.phase === 'before_write' ? { action: 'requeue' } : { action: 'uncertain' }
  }
  if (!classification) return { action: 'fail', suppress: false, pauseCampaign: null }
  const fail = (): FailureDecision => ({ action: 'fail', suppress: false, pauseCampaign: null })
  switch (classification.errorClass) {
    case 'transient': {
      if (attempts >= TRANSIENT_MAX_ATTEMPTS) return fail()
      const backoff = Math.min(TRANSIENT_CAP_MS, TRANSIENT_BASE_MS * 2 ** (attempts - 1))
      return { action: 'retry', delayMs: Math.max(classification.minDelayMs ?? 0, withJitter(backoff, random)) }
    }
    case 'rate_limited': {
      if (attempts >= RATE_LIMITED_MAX_ATTEMPTS) return fail()
      // The number's limiter honours Meta's time up to a cap (it decides when the number sends again);
      // this row asks no longer than that, or a 15-minute usage header would hold it 15 minutes.
      const wait = Math.max(RATE_LIMITED_MIN_MS, Math.min(REST_CAP_MS, result.retryAfterMs ?? 0))
      return { action: 'retry', delayMs: wait + Math.floor(random() * 500) }
    }
    case 'pair_limited': {
      if (attempts >= PAIR_LIMITED_MAX_ATTEMPTS) return fail()
      const minimum = Math.max(PAIR_LIMITED_MIN_MS, classification.minDelayMs ?? 0)
      // Meta: 4^x seconds. Ours: at least 6 s, then 16 s, 64 s … (only this recipient waits).
      const wait = Math.min(PAIR_LIMITED_CAP_MS, Math.max(minimum, 4 ** attempts * 1_000))
      return { action: 'retry', delayMs: wait + Math.floor(random() * 1_000) }
    }
    case 'recipient':
    case 'marketing_limited':
      return fail()
    case 'suppress':
      return { action: 'fail', suppress: true, pauseCampaign: null }
    case 'campaign_fatal':
      return { action: 'fail', suppress: false, pauseCampaign: classification.campaignError ?? 'invalid_request' }
    default:
      return assertNever(classification.errorClass, 'error class')
  }
}

/** What the sender number's limiter learns from a send's result. */
export function permitResultFor(result: SendResult, classification: Classification | null): PermitResult {
  if (result.ok) return { kind: 'answered' }
  if (result.kind === 'network') return result.phase === 'before_write' ? { kind: 'network_down' } : { kind: 'lost' }
  if (classification?.errorClass === 'rate_limited') return { kind: 'rate_limited', retryAfterMs: result.retryAfterMs }
  return { kind: 'answered' }
}

/** A row that failed with 131049 less than 24 h ago must not be sent again yet ("retry failed" leaves it failed). */
export function isMarketingQuiet(errorCode: number | null, failedAt: number | null, now: number): boolean {
  return errorCode === 131049 && failedAt !== null && now - failedAt < MARKETING_LIMIT_QUIET_MS
}

/** ±20 % so that many recipients failing together do not come back together. */
function withJitter(ms: number, random: () => number): number {
  return Math.round(ms * (0.8 + random() * 0.4))
}
