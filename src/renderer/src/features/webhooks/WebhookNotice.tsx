// Says when no delivery status from Meta has ever reached Pregón for the chosen number — so delivered/read
// ticks and STOP replies cannot arrive — with a guided setup (relay or tunnel) and a real webhook test.

import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AccountView, WebhookStatus } from '../../../../shared/contract'
import { call, useApi } from '../../lib/api'
import { useAppStore } from '../../lib/appStore'
import { formatDate } from '../../lib/format'
import { WebhookTest } from './WebhookTest'

/** `optouts`: the opt-out page also says when STOP replies do arrive (its promise depends on it). */
export function WebhookNotice({ account, variant = 'default' }: { account: AccountView; variant?: 'default' | 'optouts' }) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const [status, setStatus] = useState<WebhookStatus | null>(null)

  useEffect(() => {
    let live = true
    call(api, 'webhooks.status', { accountId: account.id })
      .then((s) => live && setStatus(s))
      // Without an answer nothing is claimed either way.
      .catch(() => live && setStatus(null))
    return () => {
      live = false
    }
  }, [api, account.id])

  if (!status) return null
  if (status.lastStatusAt) {
    return variant === 'optouts' ? (
      <p className="alert alert--ok" data-testid="webhook-ok">
        {t('webhookCheck.working', { date: formatDate(status.lastStatusAt, i18n.language) })}
      </p>
    ) : null
  }
  return (
    <div className="alert alert--warn webhook-notice" role="region" aria-labelledby="webhook-notice-title" data-testid="webhook-missing">
      <strong id="webhook-notice-title">{t('webhookCheck.missingTitle')}</strong>
      <p>{t(variant === 'optouts' ? 'webhookCheck.missingOptouts' : 'webhookCheck.missing')}</p>
      <details data-testid="webhook-setup">
        <summary>{t('webhookCheck.howTo')}</summary>
        <WebhookGuide status={status} />
      </details>
    </div>
  )
}

function WebhookGuide({ status }: { status: WebhookStatus }) {
  const { t } = useTranslation()
  const go = useAppStore((s) => s.go)
  const operator = useAppStore((s) => Boolean(s.info?.operator))
  const local = status.callbackUrl ? new URL(status.callbackUrl).origin : 'http://127.0.0.1:8787'

  return (
    <div className="webhook-guide">
      {!status.appSecretSet && <p data-testid="webhook-no-secret">{t('webhookCheck.noSecret')}</p>}
      {status.relayConfigured ? (
        <p>{t('webhookCheck.relaySet')}</p>
      ) : (
        <ol>
          <li>
            <strong>{t('webhookCheck.relayTitle')}</strong> {t('webhookCheck.relayHow')}
          </li>
          <li>
            <strong>{t('webhookCheck.tunnelTitle')}</strong> {t('webhookCheck.tunnelHow')}
            <pre className="command" data-testid="tunnel-command">
              <code>cloudflared tunnel --url {local}</code>
            </pre>
            {t('webhookCheck.tunnelThen')}
          </li>
        </ol>
      )}
      <p>{t('webhookCheck.metaSide')}</p>
      {operator ? (
        <button type="button" className="button button--link" data-testid="webhook-open-settings" onClick={() => go('settings')}>
          {t('webhookCheck.openSettings')}
        </button>
      ) : (
        <p className="muted">{t('webhookCheck.askOperator')}</p>
      )}
      <WebhookTest operator={operator} />
    </div>
  )
}
