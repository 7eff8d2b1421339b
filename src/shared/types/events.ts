// Live events the engine emits, carried over IPC ('api:event') and SSE (`GET /api/events`).

import type { CampaignStatus, CampaignCounters, CampaignError } from './campaign'

export interface CampaignProgressEvent extends CampaignCounters {
  campaignId: string
  accountId: string
  userId: string
  status: CampaignStatus
  /** Messages per second over the last few seconds. */
  ratePerSec: number
  /** Seconds to finish at the current rate; null when unknown. */
  etaSec: number | null
  /** Set while the engine holds sending: no network, daily limit, or a rest Meta's rate limit asked for. */
  waitingFor: WaitingFor | null
  /** When a `rate_limit` wait ends (ISO 8601); null otherwise or when unknown. */
  resumesAt: string | null
}

export type WaitingFor = 'network' | 'daily_limit' | 'rate_limit'

export interface CampaignStatusEvent {
  campaignId: string
  accountId: string
  userId: string
  from: CampaignStatus
  to: CampaignStatus
  error: CampaignError | null
  errorDetail: string | null
}

/** Event name → payload. Names follow `domain:event`. */
export interface ApiEvents {
  'campaign:progress': CampaignProgressEvent
  'campaign:status': CampaignStatusEvent
  /** Desktop only: a notification was clicked; the UI opens that campaign. */
  'app:navigate': { route: 'campaign'; campaignId: string }
  /** Desktop only: a .csv/.xlsx was opened with Pregón; the UI imports it from this local path. */
  'app:openFile': { path: string; fileName: string }
}
export type ApiEventName = keyof ApiEvents
