// What a Cloud API error code means for a campaign (reference §3): one table, looked up by `error.code` only.

import type { CampaignError } from '../../shared/types'
import type { Classification } from './types'

const fatal = (campaignError: CampaignError): Classification => ({ errorClass: 'campaign_fatal', campaignError })
const transient: Classification = { errorClass: 'transient' }
const recipient: Classification = { errorClass: 'recipient' }
const rateLimited: Classification = { errorClass: 'rate_limited' }

/** Meta asks for ≥ 6 s between two messages to one user (4^x backoff on top, decided by the engine). */
export const PAIR_LIMIT_MIN_DELAY_MS = 6_000
/** The throughput upgrade's maintenance window lasts about a minute. */
export const MAINTENANCE_MIN_DELAY_MS = 60_000

/** Every code of the reference §3 table. 200–299 are handled as a range in `classifyError`. */
export const ERROR_CLASSIFICATIONS: Readonly<Record<number, Classification>> = {
  // Credentials and permissions: every send of the campaign would fail the same way.
  0: fatal('invalid_credentials'),
  190: fatal('invalid_credentials'),
  3: fatal('invalid_credentials'),
  10: fatal('invalid_credentials'),

  // Throughput and management rate limits: slow the sender number down.
  4: rateLimited,
  80007: rateLimited,
  130429: rateLimited,
  131048: fatal('spam_rate_limited'),
  131056: { errorClass: 'pair_limited', minDelayMs: PAIR_LIMIT_MIN_DELAY_MS },
  131049: { errorClass: 'marketing_limited' },
  131050: { errorClass: 'suppress' },

  // About this recipient only.
  131026: recipient,
  131047: recipient,
  131051: recipient,
  131052: recipient,
  // The media link may be per recipient ({{Field}}); a broken shared link trips too_many_failures instead.
  131053: recipient,
  // Too long after hydration: this recipient's values, not the template.
  132005: recipient,
  // Seen for newline/tab parameters (a per-recipient value), which we also check before sending.
  132018: recipient,
  // Often an invalid `to`; a structural mistake would be 100 or 131008.
  131009: recipient,
  130497: recipient,
  131021: recipient,
  130403: recipient,
  130472: recipient,
  131062: recipient,
  470: recipient,

  // The template itself: halt the batch.
  132000: fatal('template_error'),
  132001: fatal('template_error'),
  132007: fatal('template_error'),
  132012: fatal('template_error'),
  132015: fatal('template_error'),
  132016: fatal('template_error'),

  // A malformed request fails for everyone.
  100: fatal('invalid_request'),
  131008: fatal('invalid_request'),

  // The sender account cannot send at all.
  133010: fatal('account_blocked'),
  131031: fatal('account_blocked'),
  368: fatal('account_blocked'),
  131064: fatal('account_blocked'),
  // Marketing disabled on the Cloud API, or a 555 number without a display name: true for every send.
  131063: fatal('account_blocked'),
  131037: fatal('account_blocked'),
  131042: fatal('payment_required'),

  // Meta's side: retry with backoff.
  1: transient,
  2: transient,
  131000: transient,
  131016: transient,
  133004: transient,
  131057: { errorClass: 'transient', minDelayMs: MAINTENANCE_MIN_DELAY_MS },
}

/** Unknown codes are permanent for the recipient: the campaign goes on, and too_many_failures still guards it. */
export function classifyError(code: number): Classification {
  const known = ERROR_CLASSIFICATIONS[code]
  if (known) return known
  if (code >= 200 && code <= 299) return fatal('invalid_credentials')
  return recipient
}
