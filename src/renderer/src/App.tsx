// The app frame: loads info, settings and accounts, applies language and theme, and shows one screen.

import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { assertNever } from '../../shared/assertNever'
import { call, errorText, useApi } from './lib/api'
import { selectedAccount, useAppStore, type Screen } from './lib/appStore'
import { setUiLanguage, uiLang } from './lib/i18n'
import { AccountsScreen } from './features/accounts/AccountsScreen'
import { SimulatedTag } from './features/accounts/SimulatedTag'
import { ContactsScreen } from './features/contacts/ContactsScreen'
import { useContactsStore } from './features/contacts/contactsStore'
import { TemplateScreen } from './features/template/TemplateScreen'
import { ReviewScreen } from './features/review/ReviewScreen'
import { MonitorScreen } from './features/monitor/MonitorScreen'
import { CampaignDetail } from './features/monitor/CampaignDetail'
import { SettingsScreen } from './features/settings/SettingsScreen'
import { OptOutsScreen } from './features/optouts/OptOutsScreen'
import { applyTheme } from './lib/theme'
import { hashToRoute, pushRoute } from './lib/route'
import { WelcomeScreen } from './features/welcome/WelcomeScreen'
import type { AccountView } from '../../shared/contract'

const STEPS = ['accounts', 'contacts', 'template', 'review'] as const

export function App() {
  const { t } = useTranslation()
  const api = useApi()
  const { screen, campaignId, go, follow, settings, info, setInfo, setSettings, setAccounts } = useAppStore()
  const account = useAppStore(selectedAccount)
  const [loadError, setLoadError] = useState<string | null>(null)
  const monitorOn = screen === 'monitor' || screen === 'campaign'

  useEffect(() => {
    // A reload (or a bookmarked address) keeps its screen; otherwise the first screen depends on what exists.
    const addressed = hashToRoute(window.location.hash)
    if (addressed) follow(addressed.screen, addressed.campaignId)
    Promise.all([call(api, 'app.info', undefined), call(api, 'settings.get', undefined)])
      .then(async ([appInfo, appSettings]) => {
        setInfo(appInfo)
        setSettings(appSettings)
        const accounts = await call(api, 'accounts.list', undefined)
        setAccounts(accounts)
        if (addressed) return
        const start = await firstScreen(accounts, async () => (await call(api, 'campaigns.list', { limit: 1 })).length > 0)
        follow(start, null)
        pushRoute({ screen: start, campaignId: null }, true)
      })
      .catch((e: unknown) => setLoadError(errorText(e)))
  }, [api, follow, setInfo, setSettings, setAccounts])

  // Back and Forward: show the screen the address names.
  useEffect(() => {
    const onPop = () => {
      const route = hashToRoute(window.location.hash)
      if (route) follow(route.screen, route.campaignId)
    }
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [follow])

  // Desktop: a clicked notification opens its campaign.
  useEffect(() => api.on('app:navigate', (target) => go(target.route, target.campaignId)), [api, go])

  // Desktop: a .csv/.xlsx opened with Pregón goes to the importer. This listener must stay in this
  // component, subscribed in the same commit as the app.info call: the shell sends the file after it.
  useEffect(
    () =>
      api.on('app:openFile', (file) => {
        useContactsStore.getState().openPath(file.fileName, file.path)
        go('contacts')
      }),
    [api, go],
  )

  useEffect(() => {
    if (settings?.language) setUiLanguage(settings.language)
    else if (info) setUiLanguage(uiLang(navigator.language || info.osLanguage))
  }, [settings?.language, info])

  useEffect(() => {
    applyTheme(settings?.theme ?? 'system')
  }, [settings?.theme])

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand__logo" aria-hidden>
            P
          </span>
          <span className="brand__name">Pregón</span>
          {account?.simulated && <SimulatedTag />}
        </div>
        <nav className="steps" aria-label={t('nav.steps')}>
          {STEPS.map((step, index) => (
            <button
              key={step}
              type="button"
              className={`step${screen === step ? ' step--on' : ''}`}
              data-testid={`nav-${step}`}
              aria-current={screen === step ? 'page' : undefined}
              onClick={() => go(step)}
            >
              <span className="step__number">{index + 1}</span>
              {t(`nav.${step}`)}
            </button>
          ))}
        </nav>
        <div className="topbar__right">
          <button
            type="button"
            className={`button${monitorOn ? ' button--on' : ''}`}
            data-testid="nav-monitor"
            aria-current={monitorOn ? 'page' : undefined}
            onClick={() => go('monitor')}
          >
            {t('nav.monitor')}
          </button>
          <button
            type="button"
            className={`button${screen === 'optouts' ? ' button--on' : ''}`}
            data-testid="nav-optouts"
            aria-current={screen === 'optouts' ? 'page' : undefined}
            onClick={() => go('optouts')}
          >
            {t('nav.optouts')}
          </button>
          <button
            type="button"
            className="button button--icon"
            data-testid="nav-settings"
            aria-label={t('nav.settings')}
            aria-current={screen === 'settings' ? 'page' : undefined}
            title={t('nav.settings')}
            onClick={() => go('settings')}
          >
            ⚙
          </button>
        </div>
      </header>
      <main className="content">
        {loadError && (
          <p className="alert alert--error" role="alert">
            {loadError}
          </p>
        )}
        <CurrentScreen screen={screen} campaignId={campaignId} />
      </main>
    </div>
  )
}

/** Only the demo account and nothing sent yet: the welcome; any account: the monitor; none: add one. */
async function firstScreen(accounts: AccountView[], anyCampaign: () => Promise<boolean>): Promise<Screen> {
  if (accounts.length === 0) return 'accounts'
  if (accounts.every((a) => a.simulated) && !(await anyCampaign())) return 'welcome'
  return 'monitor'
}

function CurrentScreen({ screen, campaignId }: { screen: Screen; campaignId: string | null }) {
  switch (screen) {
    case 'welcome':
      return <WelcomeScreen />
    case 'accounts':
      return <AccountsScreen />
    case 'contacts':
      return <ContactsScreen />
    case 'template':
      return <TemplateScreen />
    case 'review':
      return <ReviewScreen />
    case 'monitor':
      return <MonitorScreen />
    case 'campaign':
      return campaignId ? <CampaignDetail key={campaignId} id={campaignId} /> : <MonitorScreen />
    case 'optouts':
      return <OptOutsScreen />
    case 'settings':
      return <SettingsScreen />
    default:
      return assertNever(screen, 'screen')
  }
}
