// Keeps the monitor store live: events as they come, and the seed's 5-second refresh as a fallback.

import { useCallback, useEffect } from 'react'
import type { ApiArgs, ApiClient } from '../../../../shared/contract'
import { call } from '../../lib/api'
import { isActive } from './campaignStatus'
import { useMonitorStore } from './monitorStore'

export const REFRESH_MS = 5_000
const NO_QUERY: CampaignQuery = {}

export type CampaignQuery = Omit<NonNullable<ApiArgs<'campaigns.list'>>, 'limit' | 'accountId'>

/**
 * `query` (the monitor's filter and search) narrows what is asked for; `onList` gets the ids answered, in
 * order, so a filtered table shows exactly those while the store keeps every campaign live.
 */
export function useCampaignFeed(
  api: ApiClient,
  onError: (error: unknown) => void,
  query: CampaignQuery = NO_QUERY,
  onList?: (ids: string[]) => void,
): () => Promise<void> {
  const reload = useCallback(async () => {
    try {
      const requestedAt = Date.now()
      const campaigns = await call(api, 'campaigns.list', { limit: query === NO_QUERY ? 50 : 200, ...query })
      useMonitorStore.getState().setCampaigns(campaigns, requestedAt)
      onList?.(campaigns.map((c) => c.id))
    } catch (e) {
      onError(e)
    }
  }, [api, onError, query, onList])

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
