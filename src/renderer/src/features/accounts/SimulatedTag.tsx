// The label that marks the demo account (and anything it sends) as simulated, wherever it appears.
import { useTranslation } from 'react-i18next'

export function SimulatedTag() {
  const { t } = useTranslation()
  return (
    <span className="tag tag--simulated" data-testid="simulated-tag" title={t('accounts.simulatedHint')}>
      {t('accounts.simulated')}
    </span>
  )
}
