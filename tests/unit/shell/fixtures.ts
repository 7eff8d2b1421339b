// Campaigns and engine events for the shell tests.
import type { Campaign, CampaignError, CampaignStatus } from '../../../src/shared/types'
import type { CampaignProgressEvent, CampaignStatusEvent } from '../../../src/shared/types/events'

export function campaign(id: string, over: Partial<Campaign> = {}): Campaign {
  return {
    id,
    userId: 'u1',
    accountId: 'a1',
    campaignName: `Campaign ${id}`,
    batchId: `b-${id}`,
    template: { name: 'promo', language: 'es' } as Campaign['template'],
    status: 'processing',
    pacing: { kind: 'seed' },
    createdAt: '2025-01-01T00:00:00.000Z',
    startedAt: null,
    lastProcessedAt: null,
    completedAt: null,
    pausedAt: null,
    resumeAt: null,
    error: null,
    errorDetail: null,
    processed: 0,
    successCount: 0,
    failedCount: 0,
    contactsCount: 100,
    deliveredCount: 0,
    readCount: 0,
    repliedCount: 0,
    skippedCount: 0,
    uncertainCount: 0,
    ...over,
  }
}

export function progress(campaignId: string, processed: number, contactsCount: number, over: Partial<CampaignProgressEvent> = {}): CampaignProgressEvent {
  return {
    campaignId,
    accountId: 'a1',
    userId: 'u1',
    status: 'processing',
    ratePerSec: 1,
    etaSec: null,
    waitingFor: null,
    resumesAt: null,
    processed,
    successCount: processed,
    failedCount: 0,
    contactsCount,
    deliveredCount: 0,
    readCount: 0,
    repliedCount: 0,
    skippedCount: 0,
    uncertainCount: 0,
    ...over,
  }
}

export function status(campaignId: string, from: CampaignStatus, to: CampaignStatus, error: CampaignError | null = null): CampaignStatusEvent {
  return { campaignId, accountId: 'a1', userId: 'u1', from, to, error, errorDetail: null }
}
