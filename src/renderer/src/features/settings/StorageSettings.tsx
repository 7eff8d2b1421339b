// Settings → Storage: where Pregón keeps its data (SQLite in this PC's data folder), a MongoDB connection
// test, and "Mirror to MongoDB" with how far the mirror has got. The operator's only; an address typed here
// is sent once and never shown back (the core answers with it stripped of user and password).

import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MongoAddressField } from './MongoAddressField'
import type { StorageSettings as Storage, StorageTestResult } from '../../../../shared/contract'
import { assertNever } from '../../../../shared/assertNever'
import { ApiCallError, call, errorProblem, errorText, useApi } from '../../lib/api'
import { formatDate, formatNumber } from '../../lib/format'
import { MONGO_ADDRESS, StoreChoice } from './StoreChoice'
/** How often the mirror's progress is read again while the screen is open. */
const REFRESH_MS = 5_000

type Message = { ok: boolean; text: string } | null

export function StorageSettings({ operator }: { operator: boolean }) {
  const { t } = useTranslation()
  if (!operator) return null
  return (
    <>
      <h2>{t('settings.storage')}</h2>
      <StorageForm />
    </>
  )
}

function StorageForm() {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const [storage, setStorage] = useState<Storage | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [address, setAddress] = useState('')
  const [enabled, setEnabled] = useState(false)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<Message>(null)

  useEffect(() => {
    let first = true
    const load = () =>
      call(api, 'storage.get', undefined).then(
        (value) => {
          setStorage(value)
          if (first) setEnabled(value.mirror.enabled)
          first = false
        },
        (e: unknown) => setLoadError(errorText(e)),
      )
    void load()
    const timer = setInterval(() => void load(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [api])

  const addressProblem = address && !MONGO_ADDRESS.test(address.trim()) ? t('settings.storageAddressInvalid') : null

  async function test() {
    setMessage(null)
    setBusy(true)
    try {
      setMessage(describeTest(await call(api, 'storage.test', { uri: address.trim() })))
    } catch (e) {
      setMessage({ ok: false, text: errorText(e) })
    } finally {
      setBusy(false)
    }
  }

  async function save() {
    setMessage(null)
    setBusy(true)
    try {
      setStorage(await call(api, 'storage.setMirror', { enabled, ...(address.trim() ? { uri: address.trim() } : {}) }))
      setAddress('')
      setMessage({ ok: true, text: t('settings.saved') })
    } catch (e) {
      const problem = errorProblem(e)
      const target = e instanceof ApiCallError ? e.details?.target : undefined
      setMessage({ ok: false, text: typeof problem === 'string' ? t(`settings.storageProblem.${problem}`, { target, defaultValue: errorText(e) }) : errorText(e) })
    } finally {
      setBusy(false)
    }
  }

  function describeTest(result: StorageTestResult): Message {
    if (result.ok) return { ok: true, text: t('settings.storageTestOk', { target: result.target, version: result.serverVersion ?? '?' }) }
    return { ok: false, text: `${t(`settings.storageProblem.${result.reason}`, { target: result.target })} (${result.detail})` }
  }

  if (loadError) return <p className="alert alert--error">{loadError}</p>
  if (!storage) return <p className="muted">{t('common.loading')}</p>
  const { mirror } = storage
  if (storage.backend === 'mongodb') {
    return (
      <div data-testid="storage-settings">
        <p>{t('settings.storageMongo', { target: storage.mongodb })}</p>
        <p className="muted">{t('settings.storageCopyHint')}</p>
        <StoreChoice storage={storage} onChange={setStorage} />
      </div>
    )
  }

  return (
    <div data-testid="storage-settings">
      <p>{t('settings.storageSqlite', { dataDir: storage.dataDir })}</p>
      <p className="muted">{t('settings.storageCopyHint')}</p>
      <StoreChoice storage={storage} onChange={setStorage} />

      <h3>{t('settings.storageMirror')}</h3>
      <p className="muted">{t('settings.storageMirrorHint')}</p>
      {message && (
        <p className={`alert ${message.ok ? 'alert--ok' : 'alert--error'}`} role="status">
          {message.text}
        </p>
      )}
      <form
        className="form"
        data-testid="storage-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (!addressProblem) void save()
        }}
      >
        <MongoAddressField testId="storage-address" value={address} onChange={setAddress} problem={addressProblem} placeholder={mirror.target}>
          {mirror.fromEnvironment && <span className="muted small">{t('settings.fromEnvironment')}</span>}
        </MongoAddressField>
        <label className="option">
          <input type="checkbox" data-testid="storage-mirror-enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          <span>{t('settings.storageMirrorOn')}</span>
        </label>
        <div className="row">
          <button type="button" className="button" data-testid="storage-test" disabled={busy || !address.trim() || Boolean(addressProblem)} onClick={() => void test()}>
            {t('settings.storageTest')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy || Boolean(addressProblem)}>
            {t('common.save')}
          </button>
        </div>
      </form>
      {mirror.status && (
        <p className="muted" data-testid="storage-mirror-status">
          {mirrorStatusText(mirror, (key, vars) => t(key, vars), i18n.language)}
        </p>
      )}
    </div>
  )
}

type Translate = (key: string, vars?: Record<string, unknown>) => string

/** One sentence on the mirror's state; "up to date" only when the last pass wrote everything there was. */
function mirrorStatusText(mirror: Storage['mirror'], t: Translate, lang: string): string {
  const status = mirror.status!
  const waiting = status.backlog.sendLogs + status.backlog.events
  switch (status.health) {
    case 'caught_up':
      return waiting === 0
        ? t('settings.storageMirrorCaughtUp', { target: mirror.target, at: formatDate(status.lastSyncAt, lang) })
        : t('settings.storageMirrorBehind', { target: mirror.target, count: waiting, n: formatNumber(waiting, lang) })
    case 'unreachable':
      return t('settings.storageMirrorUnreachable', { target: mirror.target, error: status.lastError ?? '' })
    case 'starting':
    case 'syncing':
      return t('settings.storageMirrorSyncing', { target: mirror.target })
    case 'stopped':
      return t('settings.storageMirrorStopped')
    default:
      return assertNever(status.health, 'mirror health')
  }
}
