// The campaign document: the seed's fields (campaignName, batchId, processed, successCount …) plus ours.

import type { TemplateSpec } from './template'

/** The seed's states plus `scheduled`. `paused` with `error` set means the engine paused it. */
export const CAMPAIGN_STATUSES = [
  'scheduled',
  'pending',
  'processing',
  'paused',
  'completed',
  'cancelled',
  'failed',
] as const
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number]

/** Why the engine (not the user) paused or failed a campaign. Shown to the shop owner in plain words. */
export const CAMPAIGN_ERRORS = [
  'too_many_failures',
  'invalid_credentials',
  'template_error',
  'account_blocked',
  'payment_required',
  'daily_limit_reached',
  'spam_rate_limited',
  'invalid_request',
  'nothing_sent',
  'quality_low',
] as const
export type CampaignError = (typeof CAMPAIGN_ERRORS)[number]

/**
 * Pacing on top of the sender number's shared limiter.
 * - `seed`: the seed's progressive table (1.2 s / 0.8 s / 0.6 s / 0.4 s between messages).
 * - `standard`: only the number's limit (80 msg/s by default).
 * - `custom`: a fixed interval between messages of this campaign.
 * - `off`: no pacing at all (benchmarks and the simulator only).
 */
export type PacingProfile =
  | { kind: 'seed' }
  | { kind: 'standard' }
  | { kind: 'custom'; intervalMs: number }
  | { kind: 'off' }

export interface CampaignCounters {
  /** Recipients with a final send outcome: successCount + failedCount + uncertainCount. */
  processed: number
  /** Accepted by the Cloud API (sent, delivered or read). */
  successCount: number
  failedCount: number
  /** Total rows, the seed's `contacts.length`. */
  contactsCount: number
  deliveredCount: number
  readCount: number
  repliedCount: number
  skippedCount: number
  uncertainCount: number
}

/** Every counter field, for code that copies or adds them all. */
export const CAMPAIGN_COUNTER_KEYS = [
  'processed',
  'successCount',
  'failedCount',
  'contactsCount',
  'deliveredCount',
  'readCount',
  'repliedCount',
  'skippedCount',
  'uncertainCount',
] as const satisfies readonly (keyof CampaignCounters)[]

export interface Campaign extends CampaignCounters {
  id: string
  userId: string
  accountId: string
  campaignName: string
  batchId: string
  template: TemplateSpec
  status: CampaignStatus
  pacing: PacingProfile
  /** ISO-8601 timestamps, as in the seed's documents. */
  createdAt: string
  startedAt: string | null
  lastProcessedAt: string | null
  completedAt: string | null
  pausedAt: string | null
  /** When a scheduled campaign starts, or when a `daily_limit_reached` pause resumes by itself. */
  resumeAt: string | null
  error: CampaignError | null
  /** Meta's own words (code and message) behind `error`, for the detail page. */
  errorDetail: string | null
  /** How the contact file was read, when the campaign came from an import (the reports summarise it). */
  importSummary?: ImportSummary | null
}

/** A contact file's import as the campaign keeps it: what was read, and how many rows were refused and why. */
export interface ImportSummary {
  fileName: string
  /** The Excel sheet read; null for CSV. */
  sheet: string | null
  rows: number
  valid: number
  invalid: number
  duplicates: number
  optedOut: number
  fixedLine: number
  /** Refused rows by reason code (src/shared/importReasons: too_short, letters, duplicate …). */
  rejected: Record<string, number>
}

export const TERMINAL_CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['completed', 'cancelled', 'failed']
