// The seed's "Ver Monitor": every campaign, live, as a table to filter by status, search and archive.

import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CAMPAIGN_STATUSES, type CampaignStatus } from '../../../../shared/types'
import { errorText, useApi } from '../../lib/api'
import { selectedAccount, useAppStore } from '../../lib/appStore'
import { WebhookNotice } from '../webhooks/WebhookNotice'
import { CampaignTable } from './CampaignTable'
import { useMonitorStore } from './monitorStore'
import { useCampaignFeed, type CampaignQuery } from './useCampaignFeed'

export function MonitorScreen() {
  const { t } = useTranslation()
  const api = useApi()
  const go = useAppStore((s) => s.go)
  const account = useAppStore(selectedAccount)
  const { campaigns, live } = useMonitorStore()
  const [error, setError] = useState<string | null>(null)
  const [status, setStatus] = useState<CampaignStatus | ''>('')
  const [archived, setArchived] = useState(false)
  const [searchInput, setSearchInput] = useState('')
  const [search, setSearch] = useState('')
  const [shown, setShown] = useState<string[] | null>(null)
  const onError = useCallback((e: unknown) => setError(errorText(e)), [])

  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchInput.trim()), 300)
    return () => clearTimeout(timer)
  }, [searchInput])

  const query = useMemo<CampaignQuery>(() => ({ ...(status ? { status } : {}), ...(search ? { search } : {}), ...(archived ? { archived } : {}) }), [status, search, archived])
  const reload = useCampaignFeed(api, onError, query, setShown)
  const rows = useMemo(() => (shown ?? []).flatMap((id) => campaigns.filter((c) => c.id === id)), [shown, campaigns])
  const filtered = Boolean(status || search || archived)

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
      {account && <WebhookNotice account={account} />}
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      <div className="row filters" role="search">
        <label>
          {t('campaignList.statusFilter')}
          <select data-testid="campaign-status-filter" value={status} onChange={(e) => setStatus(e.target.value as CampaignStatus | '')}>
            <option value="">{t('campaignList.allStatuses')}</option>
            {CAMPAIGN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          {t('campaignList.search')}
          <input type="search" data-testid="campaign-search" value={searchInput} placeholder={t('campaignList.searchHint')} onChange={(e) => setSearchInput(e.target.value)} />
        </label>
        <label className="check-inline">
          <input type="checkbox" data-testid="show-archived" checked={archived} onChange={(e) => setArchived(e.target.checked)} />
          {t('campaignList.showArchived')}
        </label>
      </div>
      {shown !== null && rows.length === 0 && (
        <p className="empty" data-testid="campaigns-empty">
          {filtered ? t('campaignList.noMatch') : t('monitor.empty')}
        </p>
      )}
      {rows.length > 0 && <CampaignTable campaigns={rows} live={live} archived={archived} onOpen={(id) => go('campaign', id)} onArchived={() => void reload()} />}
    </section>
  )
}
