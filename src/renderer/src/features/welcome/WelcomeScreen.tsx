// First launch with only the demo account: it is ready to try, and this is how a real number is added.

import { useTranslation } from 'react-i18next'
import { useAppStore } from '../../lib/appStore'
import { SimulatedTag } from '../accounts/SimulatedTag'

/** Meta's pages a shop owner needs to add a real number (opened in the system browser on the desktop). */
export const META_LINKS = {
  apps: 'https://developers.facebook.com/apps/',
  gettingStarted: 'https://developers.facebook.com/docs/whatsapp/cloud-api/get-started',
  permanentToken: 'https://developers.facebook.com/docs/whatsapp/business-management-api/get-started#system-user-access-tokens',
} as const

function External({ href, children, testId }: { href: string; children: string; testId: string }) {
  return (
    <a href={href} target="_blank" rel="noreferrer noopener" data-testid={testId}>
      {children}
    </a>
  )
}

export function WelcomeScreen() {
  const { t } = useTranslation()
  const go = useAppStore((s) => s.go)
  const demo = useAppStore((s) => s.accounts.find((a) => a.simulated))

  return (
    <section className="screen welcome" aria-labelledby="welcome-title" data-testid="welcome">
      <h1 id="welcome-title">{t('welcome.title')}</h1>
      <div className="card welcome__demo" data-testid="welcome-demo">
        <h2>
          {t('welcome.demoReady')} {demo && <SimulatedTag />}
        </h2>
        <p>{t('welcome.demoWhat')}</p>
        <button type="button" className="button button--primary button--big" data-testid="welcome-try-demo" onClick={() => go('contacts')}>
          {t('welcome.tryDemo')}
        </button>
      </div>

      <div className="card welcome__real" data-testid="welcome-real">
        <h2>{t('welcome.realTitle')}</h2>
        <ol className="welcome__steps">
          <li>
            {t('welcome.step1')} <External href={META_LINKS.apps} testId="link-meta-apps">{t('welcome.step1Link')}</External>
          </li>
          <li>{t('welcome.step2')}</li>
          <li>{t('welcome.step3')}</li>
        </ol>
        <p className="alert alert--warn" data-testid="welcome-token-warning">
          <strong>{t('welcome.tokenWarningTitle')}</strong> {t('welcome.tokenWarning')}{' '}
          <External href={META_LINKS.permanentToken} testId="link-permanent-token">{t('welcome.permanentTokenLink')}</External>
        </p>
        <p className="muted">
          <External href={META_LINKS.gettingStarted} testId="link-getting-started">{t('welcome.gettingStartedLink')}</External>
        </p>
        <button type="button" className="button button--big" data-testid="welcome-add-real" onClick={() => go('accounts')}>
          {t('welcome.addReal')}
        </button>
      </div>
    </section>
  )
}
