// "No molestar": the account's opt-out list — who asked not to be messaged and how — with add and remove by hand.

import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiResults } from '../../../../shared/contract'
import { call, errorText, useApi } from '../../lib/api'
import { selectedAccount, useAppStore } from '../../lib/appStore'
import { formatDate } from '../../lib/format'
import { NeedsAccount } from '../template/TemplateScreen'
import { WebhookNotice } from '../webhooks/WebhookNotice'

type OptOut = ApiResults['suppressions.list'][number]

const KNOWN_SOURCES = ['keyword', 'button', 'error_131050', 'user_preferences', 'manual', 'import'] as const

export function OptOutsScreen() {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const account = useAppStore(selectedAccount)
  const accountId = account?.id
  const [rows, setRows] = useState<OptOut[] | null>(null)
  const [phone, setPhone] = useState('')
  const [busy, setBusy] = useState(false)
  const [removing, setRemoving] = useState<string | null>(null)
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)

  const reload = useCallback(async () => {
    if (!accountId) return
    try {
      setRows(await call(api, 'suppressions.list', { accountId }))
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) })
    }
  }, [api, accountId])

  useEffect(() => {
    void reload()
  }, [reload])

  if (!account) return <NeedsAccount />

  async function add(event: FormEvent) {
    event.preventDefault()
    const typed = phone.trim()
    if (!typed) return
    setBusy(true)
    setMessage(null)
    try {
      const { added } = await call(api, 'suppressions.add', { accountId, phone: typed })
      setMessage({ ok: true, text: t(added ? 'optouts.added' : 'optouts.alreadyThere', { phone: typed }) })
      setPhone('')
      await reload()
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) })
    } finally {
      setBusy(false)
    }
  }

  async function remove(target: string) {
    setRemoving(null)
    setBusy(true)
    setMessage(null)
    try {
      await call(api, 'suppressions.remove', { accountId, phone: target })
      setMessage({ ok: true, text: t('optouts.removed', { phone: target }) })
      await reload()
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="screen" aria-labelledby="optouts-title" data-testid="optouts">
      <h1 id="optouts-title">{t('optouts.title')}</h1>
      <p className="lead">{t('optouts.lead')}</p>
      <p className="muted">{t('optouts.forAccount', { account: account.verifiedName ?? account.label })}</p>
      <WebhookNotice account={account} variant="optouts" />
      {message && (
        <p className={`alert ${message.ok ? 'alert--ok' : 'alert--error'}`} role={message.ok ? 'status' : 'alert'} data-testid="optouts-message">
          {message.text}
        </p>
      )}

      <h2>{t('optouts.addTitle')}</h2>
      <form className="row" onSubmit={(e) => void add(e)}>
        <label className="grow">
          {t('optouts.number')}
          <input type="tel" data-testid="optout-phone" value={phone} placeholder="+57 300 123 4567" onChange={(e) => setPhone(e.target.value)} />
        </label>
        <button type="submit" className="button button--primary" data-testid="optout-add" disabled={busy || phone.trim().length < 5}>
          {t('optouts.add')}
        </button>
      </form>

      {rows === null ? (
        <p>{t('common.loading')}</p>
      ) : rows.length === 0 ? (
        <p className="empty" data-testid="optouts-empty">
          {t('optouts.empty')}
        </p>
      ) : (
        <table className="table" data-testid="optouts-table">
          <thead>
            <tr>
              <th>{t('optouts.col.phone')}</th>
              <th>{t('optouts.col.source')}</th>
              <th>{t('optouts.col.when')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.phone} data-testid="optout-row" data-phone={row.phone}>
                <td className="mono">{row.phone}</td>
                <td data-testid="optout-source">{sourceWords(row.source, t)}</td>
                <td className="muted">{formatDate(row.createdAt, i18n.language)}</td>
                <td>
                  {removing === row.phone ? (
                    <span className="confirm-inline">
                      {t('optouts.removeSure', { phone: row.phone })}
                      <button type="button" className="button button--danger" data-testid="optout-remove-confirm" disabled={busy} onClick={() => void remove(row.phone)}>
                        {t('optouts.removeYes')}
                      </button>
                      <button type="button" className="button" onClick={() => setRemoving(null)}>
                        {t('common.cancel')}
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="button button--danger-outline" data-testid="optout-remove" disabled={busy} onClick={() => setRemoving(row.phone)}>
                      {t('optouts.remove')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** The store's source code in plain words; a source this UI does not know yet is shown as stored. */
function sourceWords(source: string, t: (key: string) => string): string {
  return (KNOWN_SOURCES as readonly string[]).includes(source) ? t(`optouts.source.${source}`) : source
}
