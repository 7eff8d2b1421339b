// Step 4: what campaigns.create will do (AudienceCheck), how long it takes, a test to my own number, then start now or later.

import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Estimate } from '../../../../shared/contract'
import { explainTier } from '../../../../shared/errorCatalog'
import type { PacingProfile } from '../../../../shared/types'
import { call, errorText, useApi } from '../../lib/api'
import { selectedAccount, useAppStore } from '../../lib/appStore'
import { uiLang } from '../../lib/i18n'
import { formatDuration, formatNumber, fromLocalInput, isoWithOffset, languageName, toLocalInput } from '../../lib/format'
import { firstContact, useContactsStore } from '../contacts/contactsStore'
import { PacingPicker } from '../settings/PacingPicker'
import { buildTemplateSpec, withNameColumn } from '../template/templateMapping'
import { chosenTemplate, useTemplateStore } from '../template/templateStore'
import { NeedsAccount } from '../template/TemplateScreen'
import { forgetSessionState, useSessionState } from '../../lib/useSessionState'
import { BackgroundDialog } from './BackgroundDialog'
import { AudienceCheck, useCampaignPreview } from './AudienceCheck'

/** The seed asks before sending to more than this many contacts. */
export const CONFIRM_ABOVE = 100

/** Session-storage keys of this step's draft (name, pace). */
const REVIEW_DRAFT = 'pregon:wizard:review:'

export function ReviewScreen() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const api = useApi()
  const account = useAppStore(selectedAccount)
  const settings = useAppStore((s) => s.settings)
  const go = useAppStore((s) => s.go)
  const importResult = useContactsStore((s) => s.result)
  const templateState = useTemplateStore()
  const template = chosenTemplate(templateState)
  const nameColumn = importResult?.mapping.name ?? null
  const spec = useMemo(
    () => (template ? buildTemplateSpec(template, withNameColumn(templateState.mapping, nameColumn), templateState.headerLink) : null),
    [template, templateState.mapping, templateState.headerLink, nameColumn],
  )
  // The choices made here survive a reload of the window, like the rest of the wizard.
  const [pacing, setPacing] = useSessionState<PacingProfile>(`${REVIEW_DRAFT}pacing`, () => settings?.defaultPacing ?? { kind: 'seed' })
  const [estimate, setEstimate] = useState<Estimate | null>(null)
  const [campaignName, setCampaignName] = useSessionState(`${REVIEW_DRAFT}name`, () => (template ? `${template.name} ${new Date().toLocaleDateString(lang)}` : ''))
  const [testNumber, setTestNumber] = useState('')
  const [testState, setTestState] = useState<{ kind: 'idle' | 'sending' | 'sent' } | { kind: 'error'; message: string }>({ kind: 'idle' })
  const [sendLater, setSendLater] = useState(false)
  const [startAt, setStartAt] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [starting, setStarting] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const accountId = account?.id
  const { preview, error: previewError } = useCampaignPreview(importResult?.importId, spec, accountId)
  /** What campaigns.create will send: never the import's count, which knows nothing of the mapping. */
  const recipients = preview?.willSend ?? 0

  useEffect(() => {
    if (!accountId || !preview) return
    let current = true
    call(api, 'campaigns.estimate', { accountId, recipients, pacing })
      .then((value) => current && setEstimate(value))
      .catch((e: unknown) => current && setError(errorText(e)))
    return () => {
      current = false
    }
  }, [api, accountId, recipients, pacing, preview])

  if (!account) return <NeedsAccount />
  if (!importResult || !template || !spec) {
    return (
      <section className="screen">
        <p className="alert alert--warn">{t('review.incomplete')}</p>
        <button type="button" className="button button--primary button--big" onClick={() => go(importResult ? 'template' : 'contacts')}>
          {t('common.back')}
        </button>
      </section>
    )
  }

  async function sendTest() {
    if (!spec) return
    setTestState({ kind: 'sending' })
    try {
      const first = firstContact(importResult)
      const contact = nameColumn && first[nameColumn] ? { ...first, Nombre: first[nameColumn] } : first
      await call(api, 'campaigns.sendTest', { accountId: account?.id, to: testNumber, template: spec, contact })
      setTestState({ kind: 'sent' })
    } catch (e) {
      setTestState({ kind: 'error', message: errorText(e) })
    }
  }

  /** The chosen start as ISO with offset, undefined for "now"; an error message when the time is unusable. */
  function scheduledAt(): { at: string | undefined } | { error: string } {
    if (!sendLater) return { at: undefined }
    const at = fromLocalInput(startAt)
    if (!at) return { error: t('review.chooseTime') }
    if (at.getTime() <= Date.now()) return { error: t('review.pastTime') }
    return { at: isoWithOffset(at) }
  }

  function requestStart() {
    const when = scheduledAt()
    if ('error' in when) return setError(when.error)
    if (recipients > CONFIRM_ABOVE) setConfirming(true)
    else void start()
  }

  async function start() {
    if (!importResult || !spec) return
    setConfirming(false)
    const when = scheduledAt()
    if ('error' in when) return setError(when.error)
    setStarting(true)
    setError(null)
    try {
      const created = await call(api, 'campaigns.create', {
        importId: importResult.importId,
        template: spec,
        campaignName: campaignName.trim(),
        accountId: account?.id,
        pacing,
        ...(when.at ? { scheduledAt: when.at } : {}),
      })
      useContactsStore.getState().reset()
      useTemplateStore.getState().reset()
      forgetSessionState(REVIEW_DRAFT)
      go('campaign', created.campaignId)
    } catch (e) {
      setError(errorText(e))
    } finally {
      setStarting(false)
    }
  }

  const { summary } = importResult

  return (
    <section className="screen" aria-labelledby="review-title">
      <h1 id="review-title">{t('review.title')}</h1>
      {account.simulated && <p className="alert alert--info">{t('review.simulatedNote')}</p>}

      {preview ? (
        <AudienceCheck preview={preview} summary={summary} messageLanguage={spec?.language ?? null} />
      ) : previewError ? (
        <p className="alert alert--error" role="alert" data-testid="review-preview-error">
          {previewError}
        </p>
      ) : (
        <p role="status">{t('preflight.review.checking')}</p>
      )}

      <h2>{t('review.messageTitle')}</h2>
      <p>
        <strong>{template.name}</strong> · {languageName(template.language, i18n.language)} · {account.verifiedName ?? account.label}
      </p>

      <h2>{t('review.pacingTitle')}</h2>
      <PacingPicker value={pacing} onChange={setPacing} />
      {estimate && (
        <div className="estimate" data-testid="estimate">
          <p>{t('review.duration', { duration: formatDuration(estimate.durationSec) })}</p>
          {estimate.tierLimit !== null && (
            <p>{t('review.tier', { remaining: formatNumber(estimate.tierRemaining ?? 0, lang), limit: formatNumber(estimate.tierLimit, lang) })}</p>
          )}
          {account.messagingTier.source !== 'meta' && (
            <p className="alert alert--warn" data-testid="estimate-tier-notice">
              {explainTier(account.messagingTier, uiLang(lang))}
            </p>
          )}
          {estimate.days > 1 && (
            <p className="alert alert--warn" data-testid="estimate-days">
              {t('review.days', { days: estimate.days })}
            </p>
          )}
        </div>
      )}

      <h2>{t('review.testTitle')}</h2>
      <div className="row">
        <label className="grow">
          {t('review.testNumber')}
          <input type="tel" data-testid="test-number" value={testNumber} placeholder="+57 300 123 4567" onChange={(e) => setTestNumber(e.target.value)} />
        </label>
        <button type="button" className="button" data-testid="send-test" disabled={testNumber.trim().length < 5 || testState.kind === 'sending'} onClick={() => void sendTest()}>
          {t('review.sendTest')}
        </button>
      </div>
      {testState.kind === 'sent' && <p className="alert alert--ok">{t('review.testSent')}</p>}
      {testState.kind === 'error' && (
        <p className="alert alert--error" role="alert">
          {testState.message}
        </p>
      )}

      <h2>{t('review.nameTitle')}</h2>
      <label>
        {t('review.campaignName')}
        <input type="text" data-testid="campaign-name" value={campaignName} maxLength={200} onChange={(e) => setCampaignName(e.target.value)} />
      </label>

      <h2>{t('review.whenTitle')}</h2>
      <div className="row" role="radiogroup" aria-label={t('review.whenTitle')} data-testid="send-when">
        <label className={`option${sendLater ? '' : ' option--on'}`}>
          <input type="radio" name="send-when" value="now" checked={!sendLater} onChange={() => setSendLater(false)} />
          {t('review.sendNow')}
        </label>
        <label className={`option${sendLater ? ' option--on' : ''}`}>
          <input type="radio" name="send-when" value="later" data-testid="send-later" checked={sendLater} onChange={() => setSendLater(true)} />
          {t('review.sendLater')}
        </label>
      </div>
      {sendLater && (
        <>
          <label>
            {t('review.sendAt')}
            <input type="datetime-local" data-testid="send-at" value={startAt} min={toLocalInput(new Date())} onChange={(e) => setStartAt(e.target.value)} />
          </label>
          <p className="muted">{t('review.laterHint')}</p>
        </>
      )}

      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button button--big" onClick={() => go('template')}>
          {t('common.back')}
        </button>
        <button
          type="button"
          className="button button--primary button--big"
          data-testid="start-campaign"
          disabled={starting || !preview || preview.refusal !== null || recipients === 0 || campaignName.trim() === ''}
          onClick={requestStart}
        >
          {starting ? t('common.loading') : t(sendLater ? 'review.schedule' : 'review.start', { count: recipients })}
        </button>
      </div>
      {confirming && (
        <BackgroundDialog count={recipients} template={template.name} cost={preview?.cost ?? null} onConfirm={() => void start()} onCancel={() => setConfirming(false)} />
      )}
    </section>
  )
}
