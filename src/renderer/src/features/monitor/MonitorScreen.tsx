// The seed's "Ver Monitor": every campaign, live.

import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText, useApi } from '../../lib/api'
import { useAppStore } from '../../lib/appStore'
import { CampaignCard } from './CampaignCard'
import { useMonitorStore } from './monitorStore'
import { useCampaignFeed } from './useCampaignFeed'

export function MonitorScreen() {
  const { t } = useTranslation()
  const api = useApi()
  const go = useAppStore((s) => s.go)
  const { campaigns, live } = useMonitorStore()
  const [error, setError] = useState<string | null>(null)
  const onError = useCallback((e: unknown) => setError(errorText(e)), [])
  const reload = useCampaignFeed(api, onError)

  return (
    <section className="screen" aria-labelledby="monitor-title">
      <div className="row row--between">
        <h1 id="monitor-title">{t('monitor.title')}</h1>
        <div className="row">
          <button type="button" className="button" data-testid="monitor-refresh" onClick={() => void reload()}>
            ↻ {t('monitor.refreshAll')}
          </button>
          <button type="button" className="button button--primary" onClick={() => go('contacts')}>
            + {t('monitor.newCampaign')}
          </button>
        </div>
      </div>
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      {campaigns.length === 0 && <p className="empty">{t('monitor.empty')}</p>}
      <div className="cards">
        {campaigns.map((c) => (
          <CampaignCard key={c.id} campaign={c} live={live[c.id]} onOpen={() => go('campaign', c.id)} />
        ))}
      </div>
    </section>
  )
}
