// One campaign: live progress, why it stopped, the error breakdown, recovery actions and every recipient.

import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiResults } from '../../../../shared/contract'
import { explainCampaignError, explainError } from '../../../../shared/errorCatalog'
import { RECIPIENT_STATES, type RecipientState } from '../../../../shared/types'
import { call, errorText, useApi } from '../../lib/api'
import { useAppStore } from '../../lib/appStore'
import { formatDate, formatNumber } from '../../lib/format'
import { uiLang } from '../../lib/i18n'
import { CampaignControls, Counts, ProgressBar, RateLine, StartsAt, StatusBadge } from './CampaignCard'
import { useMonitorStore } from './monitorStore'
import { RecipientTable } from './RecipientTable'
import { ReportButtons } from './ReportButtons'
import { useCampaignFeed } from './useCampaignFeed'
import { WebhookNotice } from '../webhooks/WebhookNotice'

type Recovery = 'campaigns.resendUncertain' | 'campaigns.retryFailed'

const REFRESH_ROWS_MS = 2_000

export function CampaignDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation()
  const lang = uiLang(i18n.language)
  const api = useApi()
  const go = useAppStore((s) => s.go)
  const campaign = useMonitorStore((s) => s.campaigns.find((c) => c.id === id))
  const account = useAppStore((s) => s.accounts.find((a) => a.id === campaign?.accountId))
  const live = useMonitorStore((s) => s.live[id])
  const [error, setError] = useState<string | null>(null)
  const onError = useCallback((e: unknown) => setError(errorText(e)), [])
  useCampaignFeed(api, onError)

  const [errors, setErrors] = useState<ApiResults['campaigns.errors']>([])
  const [stateFilter, setStateFilter] = useState<RecipientState | null>(null)
  const [searchInput, setSearchInput] = useState('')
  const [search, setSearch] = useState('')
  const [version, setVersion] = useState(0)
  const [counts, setCounts] = useState<Partial<Record<RecipientState, number>>>({})
  const [confirmResume, setConfirmResume] = useState(false)
  const [confirm, setConfirm] = useState<Recovery | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  useEffect(() => {
    const requestedAt = Date.now()
    call(api, 'campaigns.get', { id })
      .then((c) => useMonitorStore.getState().upsert(c, requestedAt))
      .catch(onError)
  }, [api, id, onError])

  const processed = campaign?.processed ?? 0
  useEffect(() => {
    call(api, 'campaigns.errors', { id }).then(setErrors).catch(onError)
  }, [api, id, onError, campaign?.failedCount, campaign?.status])

  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchInput.trim()), 300)
    return () => clearTimeout(timer)
  }, [searchInput])

  // New outcomes change the rows on screen: refetch them at most every REFRESH_ROWS_MS, not on every event.
  const lastRowsRefresh = useRef(0)
  const outcomes = `${processed}:${campaign?.deliveredCount ?? 0}:${campaign?.readCount ?? 0}:${campaign?.status ?? ''}`
  useEffect(() => {
    const wait = Math.max(0, lastRowsRefresh.current + REFRESH_ROWS_MS - Date.now())
    const timer = setTimeout(() => {
      lastRowsRefresh.current = Date.now()
      setVersion((v) => v + 1)
    }, wait)
    return () => clearTimeout(timer)
  }, [outcomes])

  const onCounts = useCallback((next: Record<RecipientState, number>) => setCounts(next), [])

  async function recover(action: Recovery) {
    setConfirm(null)
    try {
      const { requeued } = await call(api, action, { id })
      setNotice(t('detail.requeued', { count: requeued }))
      useMonitorStore.getState().upsert(await call(api, 'campaigns.get', { id }))
    } catch (e) {
      setError(errorText(e))
    }
  }

  async function resumeAfterAutoPause() {
    setConfirmResume(false)
    try {
      useMonitorStore.getState().upsert(await call(api, 'campaigns.resume', { id }))
    } catch (e) {
      setError(errorText(e))
    }
  }

  if (!campaign) {
    return (
      <section className="screen">
        {error ? <p className="alert alert--error">{error}</p> : <p>{t('common.loading')}</p>}
      </section>
    )
  }

  const autoPaused = campaign.status === 'paused' && campaign.error !== null
  const why = campaign.error ? explainCampaignError(campaign.error, lang) : null

  return (
    <section className="screen" aria-labelledby="detail-title" data-testid="campaign-detail" data-status={campaign.status}>
      <button type="button" className="button button--link" onClick={() => go('monitor')}>
        ← {t('detail.back')}
      </button>
      <div className="row row--between">
        <h1 id="detail-title">{campaign.campaignName}</h1>
        <StatusBadge status={campaign.status} />
      </div>
      <p className="muted">
        {campaign.template.name} · {campaign.template.language} · {t('detail.created', { date: formatDate(campaign.createdAt, i18n.language) })}
        {campaign.completedAt && ` · ${t('detail.completed', { date: formatDate(campaign.completedAt, i18n.language) })}`}
      </p>
      <StartsAt campaign={campaign} />
      {account && <WebhookNotice account={account} />}
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      {notice && <p className="alert alert--ok">{notice}</p>}

      {why && (
        <div className={`alert ${autoPaused ? 'alert--warn' : 'alert--error'} why`} data-testid="auto-pause">
          <strong>{autoPaused ? t('detail.autoPaused') : t('detail.stopped')}</strong>
          <p>{why.title}</p>
          <p>{why.whatToDo}</p>
          {campaign.errorDetail && <MetaWords text={campaign.errorDetail} />}
          {campaign.resumeAt && <p>{t('detail.resumesAt', { date: formatDate(campaign.resumeAt, i18n.language) })}</p>}
          {autoPaused &&
            (confirmResume ? (
              <div className="confirm-box">
                <p>{t('detail.resumeRisk')}</p>
                <button type="button" className="button button--primary" data-testid="resume-confirm" onClick={() => void resumeAfterAutoPause()}>
                  {t('detail.resumeAnyway')}
                </button>
                <button type="button" className="button" onClick={() => setConfirmResume(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            ) : (
              <button type="button" className="button button--primary" data-testid="resume-explained" onClick={() => setConfirmResume(true)}>
                {t('monitor.resume')}
              </button>
            ))}
        </div>
      )}

      <ProgressBar campaign={campaign} />
      <Counts campaign={campaign} />
      <RateLine campaign={campaign} live={live} />
      <CampaignControls campaign={campaign} hideResume={autoPaused} />

      <h2>{t('detail.exportTitle')}</h2>
      <ReportButtons campaignId={id} />

      <h2>{t('detail.recoveryTitle')}</h2>
      {campaign.uncertainCount > 0 && (
        <p className="notice" data-testid="uncertain-why">
          {/* Delivered or read ticks are the evidence that this campaign's webhooks arrive. */}
          {campaign.deliveredCount + campaign.readCount > 0
            ? t('detail.uncertainWithWebhooks', { count: campaign.uncertainCount })
            : t('detail.uncertainNoWebhooks', { count: campaign.uncertainCount })}
        </p>
      )}
      <div className="controls">
        <button type="button" className="button" data-testid="resend-uncertain" disabled={campaign.uncertainCount === 0} onClick={() => setConfirm('campaigns.resendUncertain')}>
          {t('detail.resendUncertain', { count: campaign.uncertainCount })}
        </button>
        <button type="button" className="button" data-testid="retry-failed" disabled={campaign.failedCount === 0} onClick={() => setConfirm('campaigns.retryFailed')}>
          {t('detail.retryFailed', { count: campaign.failedCount })}
        </button>
      </div>
      {confirm && (
        <div className="confirm-box" data-testid="recovery-confirm">
          <p>{confirm === 'campaigns.resendUncertain' ? t('detail.resendUncertainRisk') : t('detail.retryFailedRisk')}</p>
          <button type="button" className="button button--primary" data-testid="recovery-ok" onClick={() => void recover(confirm)}>
            {t('common.ok')}
          </button>
          <button type="button" className="button" onClick={() => setConfirm(null)}>
            {t('common.cancel')}
          </button>
        </div>
      )}

      {errors.length > 0 && (
        <>
          <h2>{t('detail.errorsTitle')}</h2>
          <table className="table" data-testid="error-breakdown">
            <thead>
              <tr>
                <th>{t('detail.errorCode')}</th>
                <th>{t('detail.errorCount')}</th>
                <th>{t('detail.errorMeaning')}</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((row) => {
                const explained = row.errorCode !== null ? explainError(row.errorCode, lang) : null
                return (
                  <tr key={`${row.errorCode}-${row.errorMessage}`}>
                    <td className="mono">{row.errorCode ?? '—'}</td>
                    <td>{formatNumber(row.count, i18n.language)}</td>
                    <td>
                      {explained ? (
                        <>
                          <strong>{explained.title}</strong>
                          <br />
                          {explained.whatToDo}
                        </>
                      ) : (
                        t('detail.noCode')
                      )}
                      {row.errorMessage && <MetaWords text={row.errorMessage} />}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </>
      )}

      <h2>{t('detail.recipientsTitle')}</h2>
      <div className="row">
        <label>
          {t('detail.filter')}
          <select data-testid="state-filter" value={stateFilter ?? ''} onChange={(e) => setStateFilter((e.target.value || null) as RecipientState | null)}>
            <option value="">{t('detail.allStates')}</option>
            {RECIPIENT_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`recipientState.${s}`)}
                {counts[s] !== undefined ? ` (${formatNumber(counts[s] ?? 0, i18n.language)})` : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          {t('detail.search')}
          <input type="search" data-testid="recipient-search" value={searchInput} placeholder={t('campaignList.recipientSearchHint')} onChange={(e) => setSearchInput(e.target.value)} />
        </label>
      </div>
      <RecipientTable campaignId={id} state={stateFilter} search={search} version={version} onCounts={onCounts} />
    </section>
  )
}

/** Meta's own sentence, quoted as Meta wrote it (English), so the screen's language stays the user's around it. */
function MetaWords({ text }: { text: string }) {
  const { t } = useTranslation()
  return (
    <div className="muted">
      {t('userLanguage.metaSaid')} <q lang="en">{text}</q>
    </div>
  )
}
