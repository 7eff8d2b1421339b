// The seed's ">100 contacts" confirmation, as an in-app modal in the UI's language.

import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { formatNumber } from '../../lib/format'
import { useDialogFocus } from '../../lib/useDialogFocus'

export function BackgroundDialog({ count, onConfirm, onCancel }: { count: number; onConfirm(): void; onCancel(): void }) {
  const { t, i18n } = useTranslation()
  const okRef = useRef<HTMLButtonElement>(null)
  const dialogRef = useDialogFocus<HTMLDivElement>(onCancel, okRef)
  return (
    <div className="modal-backdrop">
      <div ref={dialogRef} className="modal" role="dialog" aria-modal="true" aria-labelledby="bg-dialog-title" data-testid="background-dialog">
        <h2 id="bg-dialog-title">{t('dialog.youHave', { n: formatNumber(count, i18n.language) })}</h2>
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
