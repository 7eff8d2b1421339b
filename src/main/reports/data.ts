// What every report format prints, read from the ledger through the store ports only.

import { assertNever } from '../../shared/assertNever'
import { explainError } from '../../shared/errorCatalog'
import { notFound } from '../../shared/errors'
import type { Account, Campaign, Recipient, RecipientState } from '../../shared/types'
import type { Store } from '../store/ports'
import { resolutionMeaning, skipLabel, uncertainMeaning, type ReportLang } from './words'

export interface ReportOptions {
  /** Scopes the campaign to one user (HTTP API); another user's campaign is not found. */
  userId?: string
  /** IANA zone for the times printed (CSV, PDF) and the Excel dates; the machine's zone by default. */
  timeZone?: string
  /** Rows read from the ledger at a time. */
  batchSize?: number
  /** The report's "generated at" time (tests pin it). */
  now?: number
  /** Rows an Excel sheet may hold: Excel's own limit unless a test passes a small one. */
  xlsxMaxRows?: number
}

export interface Funnel {
  sent: number
  delivered: number
  read: number
  replied: number
}

export interface ErrorLine {
  errorCode: number | null
  count: number
  title: string
  whatToDo: string
  metaMessage: string | null
}

export interface ReportSummary {
  campaign: Campaign
  account: Account | null
  counts: Record<RecipientState, number>
  total: number
  funnel: Funnel
  errors: ErrorLine[]
  /** Accepted sends per bucket; `bucketMs` says how wide a bucket is. */
  timeline: { at: number; sent: number; failed: number }[]
  bucketMs: number
  generatedAt: number
}

const NICE_BUCKETS_MS = [1, 5, 10, 30, 60, 300, 600, 1_800, 3_600, 21_600, 86_400].map((s) => s * 1_000)
const TARGET_BUCKETS = 60

/** A bucket width that gives about 60 bars over the campaign's sending time. */
export function chooseBucketMs(startMs: number | null, endMs: number | null): number {
  if (startMs === null || endMs === null || endMs <= startMs) return 60_000
  const wanted = (endMs - startMs) / TARGET_BUCKETS
  return NICE_BUCKETS_MS.find((width) => width >= wanted) ?? NICE_BUCKETS_MS[NICE_BUCKETS_MS.length - 1]
}

const isoMs = (iso: string | null): number | null => (iso ? Date.parse(iso) : null)

export async function loadReportSummary(store: Store, campaignId: string, lang: ReportLang, opts: ReportOptions = {}): Promise<ReportSummary> {
  const campaign = await store.campaigns.get(campaignId, opts.userId)
  if (!campaign) throw notFound(`Campaign ${campaignId}`)
  const [account, counts, breakdown] = await Promise.all([
    store.accounts.get(campaign.accountId),
    store.ledger.stateCounts(campaignId),
    store.ledger.errorBreakdown(campaignId),
  ])
  const start = isoMs(campaign.startedAt) ?? isoMs(campaign.createdAt)
  const end = isoMs(campaign.completedAt) ?? isoMs(campaign.lastProcessedAt) ?? opts.now ?? Date.now()
  const bucketMs = chooseBucketMs(start, end)
  const timeline = await store.ledger.sendTimeline(campaignId, bucketMs)
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0)
  return {
    campaign,
    account,
    counts,
    total,
    // Statuses only move forward, so a read message was also delivered and sent.
    funnel: {
      sent: counts.sent + counts.delivered + counts.read,
      delivered: counts.delivered + counts.read,
      read: counts.read,
      replied: campaign.repliedCount,
    },
    errors: breakdown.map((row) => {
      const explanation = explainError(row.errorCode ?? -1, lang)
      return { errorCode: row.errorCode, count: row.count, title: explanation.title, whatToDo: explanation.whatToDo, metaMessage: row.errorMessage }
    }),
    timeline,
    bucketMs,
    generatedAt: opts.now ?? Date.now(),
  }
}

/** The plain-language meaning of one recipient's outcome: why it failed, was skipped or is uncertain. */
export function outcomeMeaning(recipient: Recipient, lang: ReportLang): string {
  switch (recipient.state) {
    case 'failed':
      return explainError(recipient.errorCode ?? -1, lang).title
    case 'skipped':
      return recipient.skipReason ? skipLabel(recipient.skipReason, lang) : ''
    case 'uncertain':
      return uncertainMeaning(lang)
    case 'queued':
    case 'sending':
    case 'retry_wait':
    case 'sent':
    case 'delivered':
    case 'read':
      return recipient.resolution ? resolutionMeaning(recipient.resolution, lang) : ''
    default:
      return assertNever(recipient.state, 'recipient state')
  }
}

/**
 * Local wall-clock time for a zone. Offsets are cached per hour, since a report formats hundreds of
 * thousands of times and zone changes happen on the hour.
 */
export class ZoneClock {
  private readonly offsets = new Map<number, number>()
  private readonly parts: Intl.DateTimeFormat

  constructor(readonly timeZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
  }

  /** Milliseconds to add to UTC to get the zone's wall clock at `ms`. */
  offsetAt(ms: number): number {
    const hour = Math.floor(ms / 3_600_000)
    let offset = this.offsets.get(hour)
    if (offset === undefined) {
      const at = hour * 3_600_000
      const p = Object.fromEntries(this.parts.formatToParts(at).map((part) => [part.type, part.value]))
      offset = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - at
      this.offsets.set(hour, offset)
    }
    return offset
  }

  /** A Date whose UTC fields read as the local wall clock: what Excel (which has no zones) should show. */
  wallDate(ms: number): Date {
    return new Date(ms + this.offsetAt(ms))
  }

  /** "2025-01-15 10:30:05" in the zone. */
  format(ms: number | null): string {
    if (ms === null) return ''
    return this.wallDate(ms).toISOString().slice(0, 19).replace('T', ' ')
  }
}
