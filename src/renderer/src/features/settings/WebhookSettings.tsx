// Settings → delivery reports: the installation's webhook and relay. Only the operator sees the form (the
// desktop's owner, or the admin key in a browser); a tenant of `pregon serve` is told who sets them up.

import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { InstallationSettings } from '../../../../shared/contract'
import type { InstallationInput } from '../../../../shared/schemas'
import { call, errorText, useApi } from '../../lib/api'
import { WebhookTest } from '../webhooks/WebhookTest'

type Loaded = { kind: 'loading' } | { kind: 'failed'; text: string } | { kind: 'ready'; settings: InstallationSettings }

/** `operator`: from app.info; a tenant gets one sentence and no request it would be refused. */
export function WebhookSettings({ operator }: { operator: boolean }) {
  const { t } = useTranslation()
  return (
    <>
      <h2>{t('settings.webhook')}</h2>
      {operator ? <InstallationForm /> : <p className="muted" data-testid="webhook-operator-only">{t('settings.webhookOperatorOnly')}</p>}
    </>
  )
}

function InstallationForm() {
  const { t } = useTranslation()
  const api = useApi()
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' })
  const [form, setForm] = useState({ verifyToken: '', appSecret: '', relayUrl: '', relayApiKey: '' })
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)

  const show = (settings: InstallationSettings) => {
    setLoaded({ kind: 'ready', settings })
    setForm({ verifyToken: settings.webhookVerifyToken, appSecret: '', relayUrl: settings.relayUrl, relayApiKey: '' })
  }

  useEffect(() => {
    call(api, 'installation.get', undefined).then(show, (e: unknown) => setLoaded({ kind: 'failed', text: errorText(e) }))
  }, [api])

  async function save(change: InstallationInput) {
    setMessage(null)
    try {
      show(await call(api, 'installation.set', change))
      setMessage({ ok: true, text: t('settings.saved') })
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) })
    }
  }

  return (
    <>
      {loaded.kind === 'failed' && <p className="alert alert--error">{loaded.text}</p>}
      {loaded.kind === 'ready' && (
        <>
          <p className="muted">{t('settings.webhookHint')}</p>
          {message && <p className={`alert ${message.ok ? 'alert--ok' : 'alert--error'}`}>{message.text}</p>}
          <form
            className="form"
            data-testid="webhook-form"
            onSubmit={(e) => {
              e.preventDefault()
              void save({
                webhookVerifyToken: form.verifyToken,
                relayUrl: form.relayUrl.trim(),
                ...(form.appSecret ? { webhookAppSecret: form.appSecret } : {}),
                ...(form.relayApiKey ? { relayApiKey: form.relayApiKey } : {}),
              })
            }}
          >
            <label>
              {t('settings.verifyToken')}
              <input type="text" value={form.verifyToken} onChange={(e) => setForm({ ...form, verifyToken: e.target.value })} />
              {loaded.settings.fromEnvironment.includes('webhookVerifyToken') && <span className="muted small">{t('settings.fromEnvironment')}</span>}
            </label>
            <label>
              {t('settings.appSecret')}
              <input
                type="password"
                autoComplete="off"
                placeholder={loaded.settings.webhookAppSecretSet ? t('settings.secretKept') : ''}
                value={form.appSecret}
                onChange={(e) => setForm({ ...form, appSecret: e.target.value })}
              />
              {loaded.settings.fromEnvironment.includes('webhookAppSecret') && <span className="muted small">{t('settings.fromEnvironment')}</span>}
            </label>
            <label>
              {t('settings.relayUrl')}
              <input type="url" placeholder="https://" value={form.relayUrl} onChange={(e) => setForm({ ...form, relayUrl: e.target.value })} />
            </label>
            <label>
              {t('settings.relayApiKey')}
              <input
                type="password"
                autoComplete="off"
                placeholder={loaded.settings.relayApiKeySet ? t('settings.secretKept') : ''}
                value={form.relayApiKey}
                onChange={(e) => setForm({ ...form, relayApiKey: e.target.value })}
              />
            </label>
            <button type="submit" className="button button--primary">
              {t('common.save')}
            </button>
          </form>
          {/* After saving, check for real that a webhook reaches this installation. */}
          <WebhookTest operator />
        </>
      )}
    </>
  )
}
