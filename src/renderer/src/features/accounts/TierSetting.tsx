// While Meta does not say a number's daily limit: what Pregón assumes, and the user's own choice of tier.
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { AccountView } from '../../../../shared/contract'
import { explainTier } from '../../../../shared/errorCatalog'
import { MESSAGING_LIMIT_TIERS, type MessagingLimitTier } from '../../../../shared/types'
import { uiLang } from '../../lib/i18n'

interface Props {
  account: AccountView
  busy: boolean
  /** Null goes back to the assumed tier. */
  onChange(tier: MessagingLimitTier | null): void
}

export function TierSetting({ account, busy, onChange }: Props) {
  const { t, i18n } = useTranslation()
  const id = useId()
  return (
    <div className="alert alert--warn" data-testid="tier-notice">
      <p>{explainTier(account.messagingTier, uiLang(i18n.language))}</p>
      <label htmlFor={id}>{t('accounts.setTier')}</label>
      <select
        id={id}
        data-testid="tier-setting"
        disabled={busy}
        value={account.userMessagingLimitTier ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : (e.target.value as MessagingLimitTier))}
      >
        <option value="">{t('accounts.tierNotSet')}</option>
        {MESSAGING_LIMIT_TIERS.map((tier) => (
          <option key={tier} value={tier}>
            {t(`tier.${tier}`)}
          </option>
        ))}
      </select>
    </div>
  )
}
