// The monitor's store: a refresh that left before the last progress event never moves a count backwards.

import { beforeEach, describe, expect, it } from 'vitest'
import { useMonitorStore } from '../../../src/renderer/src/features/monitor/monitorStore'
import type { CampaignProgressEvent } from '../../../src/shared/types/events'
import { campaign } from './fakeApi'

function progress(overrides: Partial<CampaignProgressEvent>): CampaignProgressEvent {
  const c = campaign({ id: 'c1', status: 'processing' })
  return {
    campaignId: c.id,
    accountId: c.accountId,
    userId: c.userId,
    status: 'processing',
    processed: c.processed,
    successCount: c.successCount,
    failedCount: c.failedCount,
    contactsCount: c.contactsCount,
    deliveredCount: c.deliveredCount,
    readCount: c.readCount,
    repliedCount: c.repliedCount,
    skippedCount: c.skippedCount,
    uncertainCount: c.uncertainCount,
    ratePerSec: 1,
    etaSec: null,
    waitingFor: null,
    resumesAt: null,
    ...overrides,
  }
}

describe('the monitor store', () => {
  beforeEach(() => useMonitorStore.getState().reset())

  it('keeps the counts of a progress event newer than the refresh that answers after it (31 → 47 stays 47)', () => {
    const store = useMonitorStore.getState()
    store.setCampaigns([campaign({ id: 'c1', status: 'processing', processed: 20, deliveredCount: 10 })])
    const requestedAt = Date.now() - 1
    store.applyProgress(progress({ processed: 47, successCount: 47, deliveredCount: 40 }))
    // The refresh asked before that event and answers with older numbers, and a newer name.
    store.setCampaigns([campaign({ id: 'c1', status: 'processing', processed: 31, deliveredCount: 25, campaignName: 'Renamed' })], requestedAt)
    const shown = useMonitorStore.getState().campaigns[0]
    expect(shown).toMatchObject({ processed: 47, deliveredCount: 40, campaignName: 'Renamed' })
  })

  it('takes the counts of a refresh asked for after the last progress event', async () => {
    const store = useMonitorStore.getState()
    store.setCampaigns([campaign({ id: 'c1', status: 'processing', processed: 20 })])
    store.applyProgress(progress({ processed: 47 }))
    await new Promise((resolve) => setTimeout(resolve, 5))
    store.upsert(campaign({ id: 'c1', status: 'processing', processed: 52, deliveredCount: 50 }), Date.now())
    expect(useMonitorStore.getState().campaigns[0]).toMatchObject({ processed: 52, deliveredCount: 50 })
  })
})
