// "Send again to…": a new campaign with the same template and pace, to part of an earlier campaign's list.

import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Campaign } from '../../../../shared/types'
import { ApiCallError, call, errorText, useApi } from '../../lib/api'
import { useAppStore } from '../../lib/appStore'
import { useDialogFocus } from '../../lib/useDialogFocus'

const AUDIENCES = ['all', 'not_delivered', 'not_read', 'failed'] as const
type Audience = (typeof AUDIENCES)[number]

export function SendAgainDialog({ campaign, onClose }: { campaign: Campaign; onClose(): void }) {
  const { t } = useTranslation()
  const api = useApi()
  const go = useAppStore((s) => s.go)
  const [audience, setAudience] = useState<Audience>('not_delivered')
  const [name, setName] = useState(() => t('campaignList.sendAgain.defaultName', { name: campaign.campaignName }))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const dialogRef = useDialogFocus<HTMLFormElement>(onClose)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const created = await call(api, 'campaigns.clone', { id: campaign.id, audience, campaignName: name })
      onClose()
      go('campaign', created.campaignId)
    } catch (e) {
      // Nobody in the chosen group: say so in the UI's language; anything else as the core words it.
      const empty = e instanceof ApiCallError && e.details?.field === 'audience'
      setError(empty ? t('campaignList.sendAgain.nobody') : errorText(e))
      setBusy(false)
    }
  }

  return (
    <div className="modal-backdrop">
      <form
        ref={dialogRef}
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="send-again-title"
        data-testid="send-again-dialog"
        onSubmit={(e) => void submit(e)}
      >
        <h2 id="send-again-title">{t('campaignList.sendAgain.title', { name: campaign.campaignName })}</h2>
        <p className="muted">{t('campaignList.sendAgain.lead', { template: campaign.template.name })}</p>
        <fieldset className="radios">
          <legend>{t('campaignList.sendAgain.who')}</legend>
          {AUDIENCES.map((option) => (
            <label key={option}>
              <input type="radio" name="audience" value={option} checked={audience === option} data-testid={`audience-${option}`} onChange={() => setAudience(option)} />
              {t(`campaignList.sendAgain.audience.${option}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t('campaignList.sendAgain.name')}
          <input data-testid="send-again-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <p className="muted">{t('campaignList.sendAgain.startsNow')}</p>
        {error && (
          <p className="alert alert--error" role="alert" data-testid="send-again-error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" className="button button--big" data-testid="send-again-cancel" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary button--big" data-testid="send-again-ok" disabled={busy || name.trim() === ''}>
            {t('campaignList.sendAgain.ok')}
          </button>
        </div>
      </form>
    </div>
  )
}
