// Overall progress across the running campaigns: the tracker fed by engine events, and the tray's text and state.

import type { Campaign, CampaignError, CampaignStatus } from '../../shared/types'
import type { CampaignProgressEvent, CampaignStatusEvent } from '../../shared/types/events'
import { formatClock, formatCount, shellText, type ShellLang } from './i18n'

export interface CampaignSnapshot {
  campaignId: string
  name: string
  status: CampaignStatus
  error: CampaignError | null
  processed: number
  /** Rows that will get a send outcome: all rows minus the ones skipped at creation. */
  total: number
  successCount: number
  failedCount: number
  /** While the engine waits for Meta's rate limit: when it resumes (ISO 8601). From progress events only. */
  rateLimitResumesAt?: string | null
}

export type TrayState = 'idle' | 'sending' | 'paused' | 'error'

export interface ProgressSummary {
  /** Campaigns still in play (pending, processing or paused). */
  campaigns: number
  sending: number
  paused: number
  /** Paused by the engine for a reason the owner must fix (daily-limit waits resume by themselves). */
  inError: number
  processed: number
  total: number
  /** 0..1 */
  fraction: number
  /** The soonest time a sending campaign waiting for Meta's rate limit resumes (ISO 8601); null when none waits. */
  rateLimitResumesAt: string | null
}

const ACTIVE: readonly CampaignStatus[] = ['pending', 'processing', 'paused']

export function isSending(s: Pick<CampaignSnapshot, 'status'>): boolean {
  return s.status === 'processing' || s.status === 'pending'
}

/** Auto-paused for something the owner must act on. */
export function needsAttention(s: Pick<CampaignSnapshot, 'status' | 'error'>): boolean {
  return s.status === 'paused' && s.error !== null && s.error !== 'daily_limit_reached'
}

/** Paused by the owner: the only ones "resume all" may restart without explaining a risk. */
export function pausedByUser(s: Pick<CampaignSnapshot, 'status' | 'error'>): boolean {
  return s.status === 'paused' && s.error === null
}

export function snapshotOf(c: Campaign): CampaignSnapshot {
  return {
    campaignId: c.id,
    name: c.campaignName,
    status: c.status,
    error: c.error,
    processed: c.processed,
    total: Math.max(0, c.contactsCount - c.skippedCount),
    successCount: c.successCount,
    failedCount: c.failedCount,
  }
}

/** The latest known state of every campaign in play; finished ones leave the aggregate. */
export class ProgressTracker {
  private readonly byId = new Map<string, CampaignSnapshot>()

  /** Starting point: the store's campaigns (e.g. `campaigns.listByStatus(['pending','processing','paused'])`). */
  seed(campaigns: readonly Campaign[]): void {
    for (const c of campaigns) this.put(snapshotOf(c))
  }

  onProgress(e: CampaignProgressEvent): void {
    const known = this.byId.get(e.campaignId)
    this.put({
      campaignId: e.campaignId,
      name: known?.name ?? '',
      status: e.status,
      error: known?.error ?? null,
      processed: e.processed,
      total: Math.max(0, e.contactsCount - e.skippedCount),
      successCount: e.successCount,
      failedCount: e.failedCount,
      rateLimitResumesAt: e.waitingFor === 'rate_limit' ? e.resumesAt : null,
    })
  }

  onStatus(e: CampaignStatusEvent): void {
    const known = this.byId.get(e.campaignId)
    if (!known) {
      // A campaign we have not seen yet: its counters arrive with the next progress event.
      if (ACTIVE.includes(e.to)) this.put({ campaignId: e.campaignId, name: '', status: e.to, error: e.error, processed: 0, total: 0, successCount: 0, failedCount: 0 })
      return
    }
    this.put({ ...known, status: e.to, error: e.error, rateLimitResumesAt: null })
  }

  get(campaignId: string): CampaignSnapshot | undefined {
    return this.byId.get(campaignId)
  }

  /** Names come from the store; events carry only ids. */
  setName(campaignId: string, name: string): void {
    const known = this.byId.get(campaignId)
    if (known) known.name = name
  }

  active(): CampaignSnapshot[] {
    return [...this.byId.values()]
  }

  summary(): ProgressSummary {
    return summarize(this.active())
  }

  private put(s: CampaignSnapshot): void {
    if (ACTIVE.includes(s.status)) this.byId.set(s.campaignId, s)
    else this.byId.delete(s.campaignId)
  }
}

export function summarize(snapshots: readonly CampaignSnapshot[]): ProgressSummary {
  const processed = snapshots.reduce((sum, s) => sum + Math.min(s.processed, s.total), 0)
  const total = snapshots.reduce((sum, s) => sum + s.total, 0)
  return {
    campaigns: snapshots.length,
    sending: snapshots.filter(isSending).length,
    paused: snapshots.filter((s) => s.status === 'paused').length,
    inError: snapshots.filter(needsAttention).length,
    processed,
    total,
    fraction: total === 0 ? 0 : processed / total,
    rateLimitResumesAt: soonest(snapshots.filter(isSending).map((s) => s.rateLimitResumesAt ?? null)),
  }
}

function soonest(times: (string | null)[]): string | null {
  const known = times.filter((t): t is string => t !== null).sort()
  return known[0] ?? null
}

/** Errors first (they need the owner), then sending, then paused. */
export function trayState(summary: ProgressSummary): TrayState {
  if (summary.inError > 0) return 'error'
  if (summary.sending > 0) return 'sending'
  if (summary.paused > 0) return 'paused'
  return 'idle'
}

/**
 * "2 campaigns · 1,234 / 5,000 · 24 %", and "· waiting for Meta's rate limit, resumes 2:32 PM" while it waits.
 * The percentage rounds down so 100 % means done.
 */
export function progressText(summary: ProgressSummary, lang: ShellLang): string {
  const t = shellText(lang)
  if (summary.campaigns === 0) return t.noCampaigns
  const percent = Math.floor(summary.fraction * 100)
  const text = `${t.campaigns(summary.campaigns)} · ${formatCount(summary.processed, lang)} / ${formatCount(summary.total, lang)} · ${percent} %`
  return summary.rateLimitResumesAt ? `${text} · ${t.rateLimitWait(formatClock(summary.rateLimitResumesAt, lang))}` : text
}

export function trayTooltip(summary: ProgressSummary, lang: ShellLang): string {
  return `Pregón — ${progressText(summary, lang)}`
}

/** `BrowserWindow.setProgressBar`: the fraction while sending, -1 (no bar) otherwise. */
export function progressBarValue(summary: ProgressSummary): number {
  return summary.sending > 0 && summary.total > 0 ? summary.fraction : -1
}
