// The seed's ">100 contacts" confirmation, as an in-app modal in the UI's language.

import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { CampaignCost } from '../../../../shared/contract'
import { formatNumber, formatUsd } from '../../lib/format'
import { useDialogFocus } from '../../lib/useDialogFocus'

interface Props {
  count: number
  /** The template's name and Meta's price: the question names exactly what is about to happen. */
  template?: string
  cost?: CampaignCost | null
  onConfirm(): void
  onCancel(): void
}

export function BackgroundDialog({ count, template, cost, onConfirm, onCancel }: Props) {
  const { t, i18n } = useTranslation()
  const okRef = useRef<HTMLButtonElement>(null)
  const dialogRef = useDialogFocus<HTMLDivElement>(onCancel, okRef)
  return (
    <div className="modal-backdrop">
      <div ref={dialogRef} className="modal" role="dialog" aria-modal="true" aria-labelledby="bg-dialog-title" data-testid="background-dialog">
        <h2 id="bg-dialog-title" data-testid="dialog-title">
          {template
            ? t(cost ? 'preflight.dialog.title' : 'preflight.dialog.titleNoCost', {
                template,
                n: formatNumber(count, i18n.language),
                amount: cost ? formatUsd(cost.total, i18n.language) : '',
              })
            : t('dialog.youHave', { n: formatNumber(count, i18n.language) })}
        </h2>
        {template && <p>{t('dialog.youHave', { n: formatNumber(count, i18n.language) })}</p>}
        <p>{t('dialog.question')}</p>
        <ul className="plain-list">
          <li className="check">{t('dialog.noBrowser')}</li>
          <li className="check">{t('dialog.pauseResume')}</li>
          <li className="check">{t('dialog.retries')}</li>
          <li className="check">{t('dialog.monitor')}</li>
        </ul>
        <p className="muted">{t('dialog.press')}</p>
        <div className="actions">
          <button type="button" className="button button--big" data-testid="dialog-cancel" onClick={onCancel}>
            {t('dialog.cancel')}
          </button>
          <button type="button" ref={okRef} className="button button--primary button--big" data-testid="dialog-ok" onClick={onConfirm}>
            {t('dialog.ok')}
          </button>
        </div>
      </div>
    </div>
  )
}
