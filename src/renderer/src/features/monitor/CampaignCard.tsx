// One campaign in the monitor: status badge in the seed's colours, progress, counts, rate/ETA and controls.

import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Campaign } from '../../../../shared/types'
import { call, errorText, useApi } from '../../lib/api'
import { formatDate, formatDuration, formatNumber, formatPercent, formatTime } from '../../lib/format'
import { explainCampaignError } from '../../../../shared/errorCatalog'
import { uiLang } from '../../lib/i18n'
import { allowedControls, statusTone } from './campaignStatus'
import { pendingCount, useMonitorStore, type LiveRate } from './monitorStore'

type Action = 'campaigns.pause' | 'campaigns.resume' | 'campaigns.cancel'

export function StatusBadge({ status }: { status: Campaign['status'] }) {
  const { t } = useTranslation()
  const tone = statusTone(status)
  return (
    <span className={`badge badge--${tone}${status === 'processing' ? ' badge--pulse' : ''}`} data-testid="status-badge" data-status={status} data-tone={tone}>
      {t(`status.${status}`)}
    </span>
  )
}

export function ProgressBar({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation()
  // Cancelling skips every row left, so "sendable" would shrink to what was sent and read 100 %: a
  // cancelled campaign is measured against its whole list (never more than is true).
  const sendable = campaign.status === 'cancelled' ? campaign.contactsCount : Math.max(0, campaign.contactsCount - campaign.skippedCount)
  const percent = formatPercent(campaign.processed, sendable)
  return (
    <div
      className={`progress progress--${statusTone(campaign.status)}`}
      role="progressbar"
      aria-label={t('monitor.progress')}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid="progress"
    >
      <div className="progress__fill" style={{ width: `${percent}%` }} />
      <span className="progress__text">{percent} %</span>
    </div>
  )
}

export function Counts({ campaign }: { campaign: Campaign }) {
  const { t, i18n } = useTranslation()
  const n = (value: number) => formatNumber(value, i18n.language)
  const items: [string, number, string][] = [
    ['success', campaign.successCount, 'ok'],
    ['failed', campaign.failedCount, 'bad'],
    ['pending', pendingCount(campaign), 'info'],
    ['delivered', campaign.deliveredCount, ''],
    ['read', campaign.readCount, ''],
    ['replied', campaign.repliedCount, ''],
  ]
  if (campaign.uncertainCount > 0) items.push(['uncertain', campaign.uncertainCount, 'warn'])
  if (campaign.skippedCount > 0) items.push(['skipped', campaign.skippedCount, ''])
  return (
    <dl className="counts">
      {items.map(([key, value, tone]) => (
        <div key={key} className={`count${tone ? ` count--${tone}` : ''}`} data-testid={`count-${key}`}>
          <dt>{t(`monitor.count.${key}`)}</dt>
          <dd>{n(value)}</dd>
        </div>
      ))}
    </dl>
  )
}

export function RateLine({ campaign, live }: { campaign: Campaign; live: LiveRate | undefined }) {
  const { t, i18n } = useTranslation()
  if (campaign.status !== 'processing' || !live) return null
  const waiting = (): string => {
    if (live.waitingFor !== 'rate_limit') return t(`monitor.waiting.${live.waitingFor}`)
    return live.resumesAt ? t('monitor.waiting.rate_limit', { time: formatTime(live.resumesAt, i18n.language) }) : t('monitor.waiting.rate_limit_soon')
  }
  return (
    <p className="muted" data-testid="rate">
      {live.waitingFor ? waiting() : t('monitor.rate', { rate: (Math.round(live.ratePerSec * 60 * 10) / 10).toString() })}
      {live.etaSec !== null && !live.waitingFor && ` · ${t('monitor.eta', { eta: formatDuration(live.etaSec) })}`}
    </p>
  )
}

/** A scheduled campaign's start time (resumeAt holds it until the engine starts the campaign). */
export function StartsAt({ campaign }: { campaign: Campaign }) {
  const { t, i18n } = useTranslation()
  if (campaign.status !== 'scheduled' || !campaign.resumeAt) return null
  return (
    <p className="starts-at" data-testid="starts-at">
      {t('monitor.startsAt', { date: formatDate(campaign.resumeAt, i18n.language) })}
    </p>
  )
}

export function CampaignControls({ campaign, onOpen, hideResume }: { campaign: Campaign; onOpen?: () => void; hideResume?: boolean }) {
  const { t } = useTranslation()
  const api = useApi()
  const upsert = useMonitorStore((s) => s.upsert)
  const [busy, setBusy] = useState(false)
  const [confirmCancel, setConfirmCancel] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const allowed = allowedControls(campaign.status)

  async function act(action: Action | 'campaigns.get') {
    setBusy(true)
    setError(null)
    try {
      const requestedAt = Date.now()
      upsert(await call(api, action, { id: campaign.id }), requestedAt)
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(false)
      setConfirmCancel(false)
    }
  }

  return (
    <div className="controls">
      {allowed.pause && (
        <button type="button" className="button" data-testid="pause" disabled={busy} onClick={() => void act('campaigns.pause')}>
          {t('monitor.pause')}
        </button>
      )}
      {allowed.resume && !hideResume && (
        <button type="button" className="button button--primary" data-testid="resume" disabled={busy} onClick={() => void act('campaigns.resume')}>
          {t('monitor.resume')}
        </button>
      )}
      {allowed.cancel &&
        (confirmCancel ? (
          <span className="confirm-inline">
            {t('monitor.cancelSure')}
            <button type="button" className="button button--danger" data-testid="cancel-confirm" disabled={busy} onClick={() => void act('campaigns.cancel')}>
              {t('monitor.cancelYes')}
            </button>
            <button type="button" className="button" onClick={() => setConfirmCancel(false)}>
              {t('monitor.cancelNo')}
            </button>
          </span>
        ) : (
          <button type="button" className="button button--danger-outline" data-testid="cancel" disabled={busy} onClick={() => setConfirmCancel(true)}>
            ✕ {t('monitor.cancel')}
          </button>
        ))}
      <button type="button" className="button" data-testid="refresh" disabled={busy} onClick={() => void act('campaigns.get')}>
        ↻ {t('monitor.refresh')}
      </button>
      {onOpen && (
        <button type="button" className="button button--link" data-testid="open-detail" onClick={onOpen}>
          {t('monitor.details')}
        </button>
      )}
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

export function CampaignCard({ campaign, live, onOpen }: { campaign: Campaign; live: LiveRate | undefined; onOpen(): void }) {
  const { t, i18n } = useTranslation()
  return (
    <article className="card campaign" data-testid="campaign-card" data-campaign-id={campaign.id} data-status={campaign.status}>
      <header className="campaign__head">
        <h2>{campaign.campaignName}</h2>
        <StatusBadge status={campaign.status} />
      </header>
      <p className="muted">
        {campaign.template.name} · {t('monitor.recipients', { count: Math.max(0, campaign.contactsCount - campaign.skippedCount) })}
      </p>
      <StartsAt campaign={campaign} />
      {campaign.error && <p className="alert alert--warn">{t('monitor.stoppedBecause', { reason: explainCampaignError(campaign.error, uiLang(i18n.language)).title })}</p>}
      <ProgressBar campaign={campaign} />
      <Counts campaign={campaign} />
      <RateLine campaign={campaign} live={live} />
      <CampaignControls campaign={campaign} onOpen={onOpen} />
    </article>
  )
}
