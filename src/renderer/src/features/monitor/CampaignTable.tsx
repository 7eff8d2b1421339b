// The monitor's table: one row per campaign with its status, progress, counts, when it was created and
// started, and what can be done with it (pause/resume/cancel, send again, archive).

import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { explainCampaignError } from '../../../../shared/errorCatalog'
import { TERMINAL_CAMPAIGN_STATUSES, type Campaign } from '../../../../shared/types'
import { call, errorText, useApi } from '../../lib/api'
import { formatDate } from '../../lib/format'
import { uiLang } from '../../lib/i18n'
import { routeToHash } from '../../lib/route'
import { CampaignControls, Counts, ProgressBar, RateLine, StartsAt, StatusBadge } from './CampaignCard'
import type { LiveRate } from './monitorStore'
import { SendAgainDialog } from './SendAgainDialog'

interface Props {
  campaigns: Campaign[]
  live: Record<string, LiveRate>
  /** The archived campaigns are shown: rows offer "Unarchive". */
  archived: boolean
  onOpen(id: string): void
  /** A row was archived or brought back: the list changes. */
  onArchived(): void
}

export function CampaignTable({ campaigns, live, archived, onOpen, onArchived }: Props) {
  const { t } = useTranslation()
  return (
    <div className="table-scroll">
      <table className="table campaigns-table" data-testid="campaign-table">
        <caption className="visually-hidden">{t('campaignList.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('campaignList.col.name')}</th>
            <th scope="col">{t('campaignList.col.status')}</th>
            <th scope="col">{t('campaignList.col.progress')}</th>
            <th scope="col">{t('campaignList.col.created')}</th>
            <th scope="col">{t('campaignList.col.started')}</th>
            <th scope="col">{t('campaignList.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => (
            <CampaignRow key={c.id} campaign={c} live={live[c.id]} archived={archived} onOpen={() => onOpen(c.id)} onArchived={onArchived} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

function CampaignRow({ campaign, live, archived, onOpen, onArchived }: { campaign: Campaign; live: LiveRate | undefined; archived: boolean; onOpen(): void; onArchived(): void }) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const [sendingAgain, setSendingAgain] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const finished = TERMINAL_CAMPAIGN_STATUSES.includes(campaign.status)
  const date = (iso: string | null) => (iso ? formatDate(iso, i18n.language) : '—')

  async function archive(next: boolean) {
    setError(null)
    try {
      await call(api, 'campaigns.archive', { id: campaign.id, archived: next })
      onArchived()
    } catch (e) {
      setError(errorText(e))
    }
  }

  return (
    <tr data-testid="campaign-card" data-campaign-id={campaign.id} data-status={campaign.status}>
      <th scope="row" className="campaigns-table__name">
        <a
          href={routeToHash({ screen: 'campaign', campaignId: campaign.id })}
          data-testid="campaign-link"
          onClick={(e) => {
            e.preventDefault()
            onOpen()
          }}
        >
          {campaign.campaignName}
        </a>
        <span className="muted small">
          {campaign.template.name} · {t('monitor.recipients', { count: Math.max(0, campaign.contactsCount - campaign.skippedCount) })}
        </span>
        <StartsAt campaign={campaign} />
        {campaign.error && <span className="alert alert--warn small">{t('monitor.stoppedBecause', { reason: explainCampaignError(campaign.error, uiLang(i18n.language)).title })}</span>}
      </th>
      <td>
        <StatusBadge status={campaign.status} />
      </td>
      <td className="campaigns-table__progress">
        <ProgressBar campaign={campaign} />
        <Counts campaign={campaign} />
        <RateLine campaign={campaign} live={live} />
      </td>
      <td className="nowrap" data-testid="created-at">
        {date(campaign.createdAt)}
      </td>
      <td className="nowrap" data-testid="started-at">
        {date(campaign.startedAt)}
      </td>
      <td>
        <CampaignControls campaign={campaign} onOpen={onOpen} />
        <div className="controls">
          <button type="button" className="button" data-testid="send-again" onClick={() => setSendingAgain(true)}>
            {t('campaignList.sendAgain.button')}
          </button>
          {archived ? (
            <button type="button" className="button" data-testid="unarchive" onClick={() => void archive(false)}>
              {t('campaignList.unarchive')}
            </button>
          ) : (
            finished && (
              <button type="button" className="button" data-testid="archive" onClick={() => void archive(true)}>
                {t('campaignList.archive')}
              </button>
            )
          )}
        </div>
        {error && (
          <p className="alert alert--error" role="alert">
            {error}
          </p>
        )}
        {sendingAgain && <SendAgainDialog campaign={campaign} onClose={() => setSendingAgain(false)} />}
      </td>
    </tr>
  )
}
