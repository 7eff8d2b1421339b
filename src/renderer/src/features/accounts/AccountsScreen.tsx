// Step 1: the WhatsApp number to send from — add and validate one, or try the simulated demo account.

import { useState, type InputHTMLAttributes } from 'react'
import { useTranslation } from 'react-i18next'
import type { AccountView, ApiResults } from '../../../../shared/contract'
import { explainAccountProblem, explainError, explainTier, type Explanation } from '../../../../shared/errorCatalog'
import { call, errorProblem, errorText, metaCode, metaMessage, useApi } from '../../lib/api'
import { uiLang } from '../../lib/i18n'
import { useAppStore } from '../../lib/appStore'
import { SimulatedTag } from './SimulatedTag'
import { TierSetting } from './TierSetting'

type Validation = ApiResults['accounts.validate']

const emptyForm = { label: '', phoneNumberId: '', wabaId: '', accessToken: '', defaultCountry: 'CO' }

export function AccountsScreen() {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const { accounts, selectedAccountId, selectAccount, setAccounts, go } = useAppStore()
  const [form, setForm] = useState(emptyForm)
  const [validation, setValidation] = useState<Validation | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [explanation, setExplanation] = useState<Explanation | null>(null)
  const [metaWords, setMetaWords] = useState<string | null>(null)
  const [busy, setBusy] = useState<null | 'validate' | 'save' | 'demo' | string>(null)
  const [showForm, setShowForm] = useState(false)
  /** The account whose token is being replaced, and the new token typed so far. */
  const [tokenFor, setTokenFor] = useState<string | null>(null)
  const [newToken, setNewToken] = useState('')
  const [notice, setNotice] = useState<string | null>(null)

  const input = () => ({
    ...(form.label.trim() ? { label: form.label.trim() } : {}),
    phoneNumberId: form.phoneNumberId.trim(),
    wabaId: form.wabaId.trim(),
    accessToken: form.accessToken.trim(),
    defaultCountry: form.defaultCountry.trim().toUpperCase(),
  })

  async function run(kind: string, work: () => Promise<void>) {
    setBusy(kind)
    setError(null)
    setExplanation(null)
    setMetaWords(null)
    setNotice(null)
    try {
      await work()
    } catch (e) {
      const lang = uiLang(i18n.language)
      const code = metaCode(e)
      const problem = explainAccountProblem(errorProblem(e), lang)
      const explained = problem ?? (code !== null ? explainError(code, lang) : null)
      // A named problem is said whole by its explanation; anything else also gets the core's words.
      setError(problem ? '' : errorText(e))
      setMetaWords(metaMessage(e))
      if (explained) setExplanation(explained)
    } finally {
      setBusy(null)
    }
  }

  /** Meta's throughput level (STANDARD, HIGH…) in the user's words; an unknown one as Meta says it. */
  const throughputText = (level: string | null | undefined) => (level ? t(`userLanguage.throughput.${level}`, { defaultValue: level }) : null)

  const reloadAccounts = async () => setAccounts(await call(api, 'accounts.list', undefined))

  const validate = () =>
    run('validate', async () => {
      setValidation(null)
      setValidation(await call(api, 'accounts.validate', input()))
    })

  const save = () =>
    run('save', async () => {
      const added = await call(api, 'accounts.add', input())
      await reloadAccounts()
      selectAccount(added.id)
      setForm(emptyForm)
      setValidation(null)
      setShowForm(false)
    })

  const addDemo = () =>
    run('demo', async () => {
      const demo = await call(api, 'accounts.addDemo', undefined)
      await reloadAccounts()
      selectAccount(demo.id)
    })

  const refresh = (account: AccountView) =>
    run(account.id, async () => {
      await call(api, 'accounts.refresh', { id: account.id })
      await reloadAccounts()
    })

  /** Meta checks the new token first (accounts.update validates it); the old one stays if it is refused. */
  const saveToken = (account: AccountView) =>
    run(account.id, async () => {
      await call(api, 'accounts.update', { id: account.id, accessToken: newToken.trim() })
      await reloadAccounts()
      setTokenFor(null)
      setNewToken('')
      setNotice(t('accounts.tokenSaved'))
    })

  /** Only while Meta does not say the tier: the user's own, or back to the assumed 250 (null). */
  const setTier = (account: AccountView, tier: AccountView['userMessagingLimitTier']) =>
    run(account.id, async () => {
      await call(api, 'accounts.update', { id: account.id, userMessagingLimitTier: tier })
      await reloadAccounts()
    })

  const remove = (account: AccountView) =>
    run(account.id, async () => {
      await call(api, 'accounts.remove', { id: account.id })
      await reloadAccounts()
    })

  const field = (name: keyof typeof emptyForm, extra: Partial<InputHTMLAttributes<HTMLInputElement>> = {}) => (
    <label>
      {t(`accounts.field.${name}`)}
      <input
        {...extra}
        data-testid={`account-${name}`}
        value={form[name]}
        onChange={(e) => {
          setForm({ ...form, [name]: e.target.value })
          setValidation(null)
        }}
      />
      <span className="hint">{t(`accounts.hint.${name}`)}</span>
    </label>
  )

  return (
    <section className="screen" aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t('accounts.title')}</h1>
      <p className="lead">{t('accounts.lead')}</p>
      {error !== null && (
        <div className="alert alert--error" role="alert" data-testid="account-error">
          {explanation && <strong>{explanation.title}</strong>}
          {error && <p>{error}</p>}
          {explanation && <p>{explanation.whatToDo}</p>}
          {metaWords && (
            <p className="muted">
              {t('userLanguage.metaSaid')} <q lang="en">{metaWords}</q>
            </p>
          )}
        </div>
      )}

      {notice && (
        <p className="alert alert--ok" role="status" data-testid="account-notice">
          {notice}
        </p>
      )}

      {accounts.length > 0 && (
        <div className="cards">
          {accounts.map((account) => (
            <article
              key={account.id}
              className={`card account${account.id === selectedAccountId ? ' account--selected' : ''}`}
              data-testid="account-card"
              data-simulated={account.simulated}
            >
              <header className="row row--between">
                <h2>
                  {account.verifiedName ?? account.label} {account.simulated && <SimulatedTag />}
                </h2>
                {account.id === selectedAccountId && <span className="badge badge--green">{t('accounts.inUse')}</span>}
              </header>
              <dl className="facts">
                <Fact label={t('accounts.number')} value={account.displayPhoneNumber} />
                <Fact label={t('accounts.quality')} value={account.qualityRating ? t(`quality.${account.qualityRating}`, { defaultValue: account.qualityRating }) : null} />
                <Fact label={t('accounts.tier')} value={t(`tier.${account.messagingTier.tier}`)} />
                <Fact label={t('accounts.throughput')} value={throughputText(account.throughputLevel)} />
                <Fact label={t('accounts.country')} value={account.defaultCountry} />
                {!account.simulated && <Fact label={t('accounts.token')} value={account.accessTokenHint} />}
              </dl>
              {account.messagingTier.source !== 'meta' && (
                <TierSetting account={account} busy={busy === account.id} onChange={(tier) => void setTier(account, tier)} />
              )}
              <div className="controls">
                {account.id !== selectedAccountId && (
                  <button type="button" className="button button--primary" onClick={() => selectAccount(account.id)}>
                    {t('accounts.use')}
                  </button>
                )}
                <button type="button" className="button" disabled={busy === account.id} onClick={() => void refresh(account)}>
                  ↻ {t('accounts.refresh')}
                </button>
                {!account.simulated && (
                  <button
                    type="button"
                    className="button"
                    data-testid="change-token"
                    aria-expanded={tokenFor === account.id}
                    onClick={() => {
                      setTokenFor(tokenFor === account.id ? null : account.id)
                      setNewToken('')
                    }}
                  >
                    {t('accounts.changeToken')}
                  </button>
                )}
                <button type="button" className="button button--danger-outline" disabled={busy === account.id} onClick={() => void remove(account)}>
                  {t('accounts.remove')}
                </button>
              </div>
              {tokenFor === account.id && (
                <form
                  className="form"
                  data-testid="token-form"
                  onSubmit={(e) => {
                    e.preventDefault()
                    void saveToken(account)
                  }}
                >
                  <label>
                    {t('accounts.newToken')}
                    <input type="password" autoComplete="off" data-testid="new-token" value={newToken} onChange={(e) => setNewToken(e.target.value)} />
                    <span className="hint">{t('accounts.hint.accessToken')}</span>
                  </label>
                  <div className="controls">
                    <button type="submit" className="button button--primary" data-testid="save-token" disabled={busy === account.id || newToken.trim().length < 4}>
                      {busy === account.id ? t('common.loading') : t('accounts.saveToken')}
                    </button>
                  </div>
                </form>
              )}
            </article>
          ))}
        </div>
      )}

      <div className="row">
        <button type="button" className="button button--big" data-testid="add-demo" disabled={busy === 'demo'} onClick={() => void addDemo()}>
          {t('accounts.tryDemo')}
        </button>
        {!showForm && (
          <button type="button" className="button button--big" data-testid="show-account-form" onClick={() => setShowForm(true)}>
            + {t('accounts.addReal')}
          </button>
        )}
      </div>
      <p className="muted">{t('accounts.demoHint')}</p>

      {showForm && (
        <form
          className="card form"
          data-testid="account-form"
          onSubmit={(e) => {
            e.preventDefault()
            void save()
          }}
        >
          <h2>{t('accounts.formTitle')}</h2>
          {field('label', { type: 'text', maxLength: 100 })}
          {field('phoneNumberId', { type: 'text', inputMode: 'numeric', required: true })}
          {field('wabaId', { type: 'text', inputMode: 'numeric', required: true })}
          {field('accessToken', { type: 'password', autoComplete: 'off', required: true })}
          {field('defaultCountry', { type: 'text', maxLength: 2, required: true })}
          {validation && (
            <div className="alert alert--ok" data-testid="validation-result">
              <strong>{t('accounts.validated')}</strong>
              <dl className="facts">
                <Fact label={t('accounts.verifiedName')} value={validation.verifiedName} />
                <Fact label={t('accounts.number')} value={validation.displayPhoneNumber} />
                <Fact label={t('accounts.quality')} value={validation.qualityRating ? t(`quality.${validation.qualityRating}`, { defaultValue: validation.qualityRating }) : null} />
                <Fact label={t('accounts.tier')} value={t(`tier.${validation.messagingTier.tier}`)} />
                <Fact label={t('accounts.throughput')} value={throughputText(validation.throughputLevel)} />
              </dl>
              {validation.messagingTier.source !== 'meta' && <p data-testid="validation-tier-notice">{explainTier(validation.messagingTier, uiLang(i18n.language))}</p>}
            </div>
          )}
          <div className="actions">
            <button type="button" className="button button--big" onClick={() => setShowForm(false)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="button button--big" data-testid="validate-account" disabled={busy === 'validate'} onClick={() => void validate()}>
              {busy === 'validate' ? t('common.loading') : t('accounts.validate')}
            </button>
            <button type="submit" className="button button--primary button--big" data-testid="save-account" disabled={busy === 'save'}>
              {t('accounts.save')}
            </button>
          </div>
        </form>
      )}

      <div className="actions">
        <button type="button" className="button button--primary button--big" data-testid="accounts-next" disabled={!selectedAccountId} onClick={() => go('contacts')}>
          {t('accounts.next')}
        </button>
      </div>
    </section>
  )
}

function Fact({ label, value }: { label: string; value: string | null }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{value ?? '—'}</dd>
    </div>
  )
}
