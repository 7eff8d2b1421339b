// Keeps the monitor store live: events as they come, and the seed's 5-second refresh as a fallback.

import { useCallback, useEffect } from 'react'
import type { ApiClient } from '../../../../shared/contract'
import { call } from '../../lib/api'
import { isActive } from './campaignStatus'
import { useMonitorStore } from './monitorStore'

export const REFRESH_MS = 5_000

export function useCampaignFeed(api: ApiClient, onError: (error: unknown) => void): () => Promise<void> {
  const reload = useCallback(async () => {
    try {
      const requestedAt = Date.now()
      useMonitorStore.getState().setCampaigns(await call(api, 'campaigns.list', { limit: 50 }), requestedAt)
    } catch (e) {
      onError(e)
    }
  }, [api, onError])

  useEffect(() => {
    void reload()
    const offProgress = api.on('campaign:progress', (event) => {
      const known = useMonitorStore.getState().campaigns.some((c) => c.id === event.campaignId)
      if (known) useMonitorStore.getState().applyProgress(event)
      else void reload()
    })
    const offStatus = api.on('campaign:status', (event) => {
      useMonitorStore.getState().applyStatus(event)
      void reload()
    })
    const timer = setInterval(() => {
      if (useMonitorStore.getState().campaigns.some((c) => isActive(c.status))) void reload()
    }, REFRESH_MS)
    return () => {
      offProgress()
      offStatus()
      clearInterval(timer)
    }
  }, [api, reload])

  return reload
}
