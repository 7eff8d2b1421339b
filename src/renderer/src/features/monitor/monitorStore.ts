// The monitor's campaigns, kept live by 'campaign:progress'/'campaign:status' events and a 5 s refresh.

import { create } from 'zustand'
import type { Campaign } from '../../../../shared/types'
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
  setCampaigns(campaigns: Campaign[]): void
  upsert(campaign: Campaign): void
  applyProgress(event: CampaignProgressEvent): void
  applyStatus(event: CampaignStatusEvent): void
  reset(): void
}

const initial = { campaigns: [], live: {} }

export const useMonitorStore = create<MonitorState>()((set) => ({
  ...initial,
  // The list holds the latest 50; a campaign opened from further back (its detail page) stays known.
  setCampaigns: (campaigns) =>
    set((state) => ({ campaigns: [...campaigns, ...state.campaigns.filter((old) => !campaigns.some((c) => c.id === old.id))] })),
  upsert: (campaign) =>
    set((state) => {
      const exists = state.campaigns.some((c) => c.id === campaign.id)
      return { campaigns: exists ? state.campaigns.map((c) => (c.id === campaign.id ? campaign : c)) : [campaign, ...state.campaigns] }
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
