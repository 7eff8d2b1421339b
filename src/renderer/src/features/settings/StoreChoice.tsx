// Settings → Storage: "Keep this installation's data in MongoDB", taking effect at the next start, and the way back
// to SQLite. The address is tested before it is saved and never shown back; a MongoDB that did not answer at this
// start is said plainly, since then nothing sends.

import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MongoAddressField } from './MongoAddressField'
import type { StorageSettings as Storage } from '../../../../shared/contract'
import { ApiCallError, call, errorProblem, errorText, useApi } from '../../lib/api'

export const MONGO_ADDRESS = /^mongodb(\+srv)?:\/\/\S+$/i

type Message = { ok: boolean; text: string } | null

export function StoreChoice({ storage, onChange }: { storage: Storage; onChange: (storage: Storage) => void }) {
  const { t } = useTranslation()
  const api = useApi()
  const [address, setAddress] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<Message>(null)
  const addressProblem = address && !MONGO_ADDRESS.test(address.trim()) ? t('settings.storageAddressInvalid') : null
  const nextIsMongo = storage.chosen.backend === 'mongodb'
  // Running on MongoDB with SQLite chosen may be a --mongodb flag's doing: the way back is told only when chosen here.
  const mongoAtNextStart = nextIsMongo && storage.backend === 'sqlite' && !storage.unreachable

  async function run(action: () => Promise<Message>) {
    setMessage(null)
    setBusy(true)
    try {
      setMessage(await action())
    } catch (e) {
      const problem = errorProblem(e)
      const target = e instanceof ApiCallError ? e.details?.target : undefined
      setMessage({ ok: false, text: typeof problem === 'string' ? t(`settings.storageProblem.${problem}`, { target, defaultValue: errorText(e) }) : errorText(e) })
    } finally {
      setBusy(false)
    }
  }

  const test = () =>
    run(async () => {
      const result = await call(api, 'storage.test', { uri: address.trim() })
      if (result.ok) return { ok: true, text: t('settings.storageTestOk', { target: result.target, version: result.serverVersion ?? '?' }) }
      return { ok: false, text: `${t(`settings.storageProblem.${result.reason}`, { target: result.target })} (${result.detail})` }
    })
  const choose = (uri: string | null) =>
    run(async () => {
      onChange(await call(api, 'storage.choose', uri ? { backend: 'mongodb', uri } : { backend: 'sqlite' }))
      setAddress('')
      return uri ? null : { ok: true, text: t('settings.storageChosenSqlite', { dataDir: storage.dataDir }) }
    })

  const backToSqlite = (
    <button type="button" className="button" data-testid="storage-back-to-sqlite" disabled={busy} onClick={() => void choose(null)}>
      {t('settings.storageBackToSqlite')}
    </button>
  )
  if (storage.backend === 'mongodb' && !nextIsMongo && !message) return null
  return (
    <section data-testid="storage-choice">
      <h3>{t('settings.storageKeep')}</h3>
      {storage.unreachable && (
        <p className="alert alert--error" role="alert" data-testid="storage-unreachable">
          {t('settings.storageUnreachable', storage.unreachable)}
        </p>
      )}
      {message && (
        <p className={`alert ${message.ok ? 'alert--ok' : 'alert--error'}`} role="status">
          {message.text}
        </p>
      )}
      {mongoAtNextStart && (
        <p className="alert alert--ok" data-testid="storage-next-start">
          {t('settings.storageChosenMongo', { target: storage.chosen.target })}
        </p>
      )}
      {nextIsMongo ? (
        <div className="row">{backToSqlite}</div>
      ) : (
        storage.backend === 'sqlite' && (
          <form
            className="form"
            data-testid="storage-choice-form"
            onSubmit={(e) => {
              e.preventDefault()
              if (address.trim() && !addressProblem) void choose(address.trim())
            }}
          >
            <p className="muted">{t('settings.storageKeepHint', { dataDir: storage.dataDir })}</p>
            <MongoAddressField testId="storage-choice-address" value={address} onChange={setAddress} problem={addressProblem} />
            <div className="row">
              <button type="button" className="button" data-testid="storage-choice-test" disabled={busy || !address.trim() || Boolean(addressProblem)} onClick={() => void test()}>
                {t('settings.storageTest')}
              </button>
              <button type="submit" className="button button--primary" data-testid="storage-choice-save" disabled={busy || !address.trim() || Boolean(addressProblem)}>
                {t('settings.storageKeepSave')}
              </button>
            </div>
          </form>
        )
      )}
    </section>
  )
}
