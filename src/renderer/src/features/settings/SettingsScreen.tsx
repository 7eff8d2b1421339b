// Settings: language, light/dark, default pacing, the account's country, the installation's webhook and relay,
// and on the desktop start at login and updates.

import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { SettingsInput } from '../../../../shared/schemas'
import type { PacingProfile } from '../../../../shared/types'
import { call, errorText, useApi } from '../../lib/api'
import { selectedAccount, useAppStore } from '../../lib/appStore'
import { PacingPicker } from './PacingPicker'
import { StorageSettings } from './StorageSettings'
import { WebhookSettings } from './WebhookSettings'
import { RateCardSettings } from './RateCardSettings'

export function SettingsScreen() {
  const { t } = useTranslation()
  const api = useApi()
  const settings = useAppStore((s) => s.settings)
  const info = useAppStore((s) => s.info)
  const account = useAppStore(selectedAccount)
  const setSettings = useAppStore((s) => s.setSettings)
  const setAccounts = useAppStore((s) => s.setAccounts)
  const [country, setCountry] = useState(account?.defaultCountry ?? '')
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)

  async function save(change: SettingsInput) {
    setMessage(null)
    try {
      setSettings(await call(api, 'settings.set', change))
      setMessage({ ok: true, text: t('settings.saved') })
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) })
    }
  }

  async function saveCountry() {
    if (!account) return
    setMessage(null)
    try {
      await call(api, 'accounts.update', { id: account.id, defaultCountry: country.trim().toUpperCase() })
      setAccounts(await call(api, 'accounts.list', undefined))
      setMessage({ ok: true, text: t('settings.saved') })
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) })
    }
  }

  if (!settings) return <section className="screen">{t('common.loading')}</section>

  return (
    <section className="screen" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      {message && <p className={`alert ${message.ok ? 'alert--ok' : 'alert--error'}`}>{message.text}</p>}

      <h2>{t('settings.appearance')}</h2>
      <div className="form-grid">
        <label>
          {t('settings.language')}
          <select
            data-testid="language-select"
            value={settings.language ?? ''}
            onChange={(e) => void save({ language: e.target.value === '' ? null : (e.target.value as 'es' | 'en') })}
          >
            <option value="">{t('settings.languageAuto')}</option>
            <option value="es">Español</option>
            <option value="en">English</option>
          </select>
        </label>
        <label>
          {t('settings.theme')}
          <select data-testid="theme-select" value={settings.theme} onChange={(e) => void save({ theme: e.target.value as 'system' | 'light' | 'dark' })}>
            <option value="system">{t('settings.themeSystem')}</option>
            <option value="light">{t('settings.themeLight')}</option>
            <option value="dark">{t('settings.themeDark')}</option>
          </select>
        </label>
      </div>

      <h2>{t('settings.pacing')}</h2>
      <p className="muted">{t('settings.pacingHint')}</p>
      <PacingPicker value={settings.defaultPacing} onChange={(pacing: PacingProfile) => void save({ defaultPacing: pacing })} />

      {account && (
        <>
          <h2>{t('settings.country')}</h2>
          <div className="row">
            <label>
              {t('settings.countryFor', { account: account.verifiedName ?? account.label })}
              <input type="text" maxLength={2} data-testid="default-country" value={country} onChange={(e) => setCountry(e.target.value)} />
            </label>
            <button type="button" className="button" onClick={() => void saveCountry()}>
              {t('common.save')}
            </button>
          </div>
          <p className="muted">{t('settings.countryHint')}</p>
        </>
      )}

      <RateCardSettings settings={settings} save={save} />

      <WebhookSettings operator={info?.operator ?? false} />
      <StorageSettings operator={info?.operator ?? false} />

      {info?.mode === 'desktop' && (
        <>
          <h2>{t('settings.startup')}</h2>
          <label className="option">
            <input type="checkbox" checked={settings.startAtLogin} onChange={(e) => void save({ startAtLogin: e.target.checked })} />
            <span>{t('settings.startAtLogin')}</span>
          </label>
          <label className="option">
            <input type="checkbox" checked={settings.autoUpdate} onChange={(e) => void save({ autoUpdate: e.target.checked })} />
            <span>{t('settings.autoUpdate')}</span>
          </label>
        </>
      )}
      {info && <p className="muted small">Pregón {info.version}</p>}
    </section>
  )
}
