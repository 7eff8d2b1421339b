// The monitor's campaigns, kept live by 'campaign:progress'/'campaign:status' events and a 5 s refresh.

import { create } from 'zustand'
import { CAMPAIGN_COUNTER_KEYS, type Campaign } from '../../../../shared/types'
import type { CampaignProgressEvent, CampaignStatusEvent } from '../../../../shared/types/events'

export interface LiveRate {
  ratePerSec: number
  etaSec: number | null
  waitingFor: CampaignProgressEvent['waitingFor']
  resumesAt: string | null
}

interface MonitorState {
  campaigns: Campaign[]
  live: Record<string, LiveRate>
  /** When each campaign's last progress event was applied (ms). */
  progressAt: Record<string, number>
  /** `requestedAt`: when the list was asked for; a progress event applied since is newer than it. */
  setCampaigns(campaigns: Campaign[], requestedAt?: number): void
  upsert(campaign: Campaign, requestedAt?: number): void
  applyProgress(event: CampaignProgressEvent): void
  applyStatus(event: CampaignStatusEvent): void
  reset(): void
}

const initial = { campaigns: [], live: {}, progressAt: {} }


/**
 * A reply that left the server before the last progress event carries older counts: shown, they would
 * make a number jump back (31 → 47 → 31). Keep the event's counts; take everything else from the reply.
 */
function fresher(reply: Campaign, known: Campaign | undefined, requestedAt: number, progressAt: Record<string, number>): Campaign {
  if (!known || (progressAt[reply.id] ?? Number.NEGATIVE_INFINITY) < requestedAt) return reply
  const kept = { ...reply }
  for (const field of CAMPAIGN_COUNTER_KEYS) kept[field] = known[field]
  // Cancelling skips every row left in one write after the runner's last event: only the reply knows it,
  // and without it the card would still count those rows as pending.
  if (reply.status === 'cancelled') kept.skippedCount = Math.max(known.skippedCount, reply.skippedCount)
  return kept
}

export const useMonitorStore = create<MonitorState>()((set) => ({
  ...initial,
  // The list holds the latest 50; a campaign opened from further back (its detail page) stays known.
  setCampaigns: (campaigns, requestedAt = Number.NEGATIVE_INFINITY) =>
    set((state) => {
      const fresh = campaigns.map((c) => fresher(c, state.campaigns.find((old) => old.id === c.id), requestedAt, state.progressAt))
      return { campaigns: [...fresh, ...state.campaigns.filter((old) => !campaigns.some((c) => c.id === old.id))] }
    }),
  upsert: (reply, requestedAt = Number.NEGATIVE_INFINITY) =>
    set((state) => {
      const known = state.campaigns.find((c) => c.id === reply.id)
      const campaign = fresher(reply, known, requestedAt, state.progressAt)
      return { campaigns: known ? state.campaigns.map((c) => (c.id === campaign.id ? campaign : c)) : [campaign, ...state.campaigns] }
    }),
  applyProgress: (event) =>
    set((state) => ({
      campaigns: state.campaigns.map((c) =>
        c.id === event.campaignId
          ? {
              ...c,
              status: event.status,
              processed: event.processed,
              successCount: event.successCount,
              failedCount: event.failedCount,
              contactsCount: event.contactsCount,
              deliveredCount: event.deliveredCount,
              readCount: event.readCount,
              repliedCount: event.repliedCount,
              skippedCount: event.skippedCount,
              uncertainCount: event.uncertainCount,
            }
          : c,
      ),
      live: { ...state.live, [event.campaignId]: { ratePerSec: event.ratePerSec, etaSec: event.etaSec, waitingFor: event.waitingFor, resumesAt: event.resumesAt } },
      progressAt: { ...state.progressAt, [event.campaignId]: Date.now() },
    })),
  applyStatus: (event) =>
    set((state) => ({
      campaigns: state.campaigns.map((c) =>
        c.id === event.campaignId ? { ...c, status: event.to, error: event.error, errorDetail: event.errorDetail } : c,
      ),
    })),
  reset: () => set(initial),
}))

/** Rows still to be sent: not yet processed and not skipped at creation. */
export function pendingCount(c: Pick<Campaign, 'contactsCount' | 'processed' | 'skippedCount'>): number {
  return Math.max(0, c.contactsCount - c.processed - c.skippedCount)
}
