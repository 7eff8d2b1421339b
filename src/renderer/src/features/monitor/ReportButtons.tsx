// The campaign report as PDF, Excel or CSV: a native save dialog on the desktop, a download in a browser.

import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { assertNever } from '../../../../shared/assertNever'
import { errorText, useApi, type ReportFormat } from '../../lib/api'
import { uiLang } from '../../lib/i18n'

const FORMATS: readonly ReportFormat[] = ['pdf', 'xlsx', 'csv']

type Outcome = { kind: 'idle' } | { kind: 'busy'; format: ReportFormat } | { kind: 'done'; text: string } | { kind: 'error'; text: string }

export function ReportButtons({ campaignId }: { campaignId: string }) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' })

  async function exportAs(format: ReportFormat) {
    setOutcome({ kind: 'busy', format })
    try {
      const result = await api.exportReport(campaignId, format, uiLang(i18n.language))
      switch (result.kind) {
        case 'saved':
          return setOutcome({ kind: 'done', text: t('detail.savedTo', { path: result.path }) })
        case 'downloaded':
          return setOutcome({ kind: 'done', text: t('detail.downloaded', { fileName: result.fileName }) })
        case 'cancelled':
          // The owner closed the save dialog: nothing happened, nothing to say.
          return setOutcome({ kind: 'idle' })
        default:
          return assertNever(result, 'report export result')
      }
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e) })
    }
  }

  return (
    <div data-testid="report-export">
      <p className="muted">{t('detail.exportHint')}</p>
      <div className="controls">
        {FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            className="button"
            data-testid={`export-${format}`}
            disabled={outcome.kind === 'busy'}
            onClick={() => void exportAs(format)}
          >
            ⤓ {t(`detail.export.${format}`)}
          </button>
        ))}
      </div>
      {outcome.kind === 'busy' && <p className="muted">{t('detail.exporting')}</p>}
      {outcome.kind === 'done' && (
        <p className="alert alert--ok" role="status" data-testid="export-done">
          {outcome.text}
        </p>
      )}
      {outcome.kind === 'error' && (
        <p className="alert alert--error" role="alert">
          {outcome.text}
        </p>
      )}
    </div>
  )
}
