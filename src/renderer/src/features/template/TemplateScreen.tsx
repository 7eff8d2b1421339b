// Step 3: choose an approved template, fill each parameter from a column or a fixed text, see the bubble.

import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { call, errorText, useApi } from '../../lib/api'
import { selectedAccount, useAppStore } from '../../lib/appStore'
import { firstContact, useContactsStore, variableColumns } from '../contacts/contactsStore'
import { chosenTemplate, useTemplateStore } from './templateStore'
import {
  guessMapping,
  mediaHeaderKind,
  templateSlots,
  templateWarnings,
  unfilledSlots,
  type Slot,
  type SlotSource,
} from './templateMapping'
import { TemplateBubble } from './TemplateBubble'
import { languageName } from '../../lib/format'

const FIXED = '\u0000fixed'

export function TemplateScreen() {
  const { t, i18n } = useTranslation()
  /** Meta's review status (PAUSED, REJECTED…) in the user's words; an unknown one as Meta says it. */
  const templateStatus = (status: string) => t(`userLanguage.templateStatus.${status}`, { defaultValue: status })
  const api = useApi()
  const account = useAppStore(selectedAccount)
  const go = useAppStore((s) => s.go)
  const importResult = useContactsStore((s) => s.result)
  const store = useTemplateStore()
  const template = chosenTemplate(store)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const accountId = account?.id

  const load = useCallback(
    async (refresh: boolean) => {
      if (!accountId) return
      setLoading(true)
      setError(null)
      try {
        useTemplateStore.getState().setTemplates(await call(api, 'templates.list', { accountId, ...(refresh ? { refresh: true } : {}) }))
      } catch (e) {
        setError(errorText(e))
      } finally {
        setLoading(false)
      }
    },
    [api, accountId],
  )

  useEffect(() => {
    if (useTemplateStore.getState().templates.length === 0) void load(false)
  }, [load])

  const columns = variableColumns(importResult)
  const contact = firstContact(importResult)
  const slots = template ? templateSlots(template) : []
  const phones = importResult?.preview.map((row) => row[importResult.mapping.phone ?? ''] ?? '') ?? []
  const warnings = template ? templateWarnings(template, phones, account?.defaultCountry ?? '', store.headerLink) : []
  const missing = unfilledSlots(slots, store.mapping)
  const media = template ? mediaHeaderKind(template) : null

  function choose(id: string) {
    const next = store.templates.find((tpl) => tpl.id === id) ?? null
    store.choose(next?.id ?? null, next ? guessMapping(templateSlots(next), columns) : {})
  }

  if (!account) return <NeedsAccount />

  return (
    <section className="screen" aria-labelledby="template-title">
      <h1 id="template-title">{t('template.title')}</h1>
      <p className="lead">{t('template.lead')}</p>
      {!importResult && <p className="alert alert--warn">{t('template.noContacts')}</p>}

      <div className="row">
        <label className="grow">
          {t('template.choose')}
          <select data-testid="template-select" value={store.templateId ?? ''} onChange={(e) => choose(e.target.value)}>
            <option value="">{t('template.choosePlaceholder')}</option>
            {store.templates.map((tpl) => (
              <option key={tpl.id} value={tpl.id}>
                {tpl.name} · {languageName(tpl.language, i18n.language)} · {t(`template.category.${tpl.category}`, { defaultValue: tpl.category })}
                {tpl.status !== 'APPROVED' ? ` · ${templateStatus(tpl.status)}` : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button" data-testid="templates-refresh" disabled={loading} onClick={() => void load(true)}>
          {loading ? t('common.loading') : t('template.refresh')}
        </button>
      </div>
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      {!loading && store.templates.length === 0 && !error && <p className="muted">{t('template.none')}</p>}

      {template && (
        <div className="split">
          <div>
            {warnings.map((w) => (
              <p key={w} className="alert alert--warn" data-testid={`warning-${w}`}>
                {t(`template.warning.${w}`, { status: templateStatus(template.status) })}
              </p>
            ))}
            {media && (
              <label>
                {t(`template.mediaLink.${media}`)}
                <input
                  type="url"
                  data-testid="header-link"
                  placeholder="https://"
                  value={store.headerLink}
                  onChange={(e) => store.setHeaderLink(e.target.value)}
                />
              </label>
            )}
            {slots.length === 0 ? (
              <p className="muted">{t('template.noParams')}</p>
            ) : (
              <>
                <h2>{t('template.paramsTitle')}</h2>
                <div className="param-list">
                  {slots.map((slot) => (
                    <SlotEditor key={slot.id} slot={slot} columns={columns} source={store.mapping[slot.id]} onChange={(s) => store.setSource(slot.id, s)} />
                  ))}
                </div>
              </>
            )}
          </div>
          <div>
            <h2>{t('template.previewTitle')}</h2>
            <TemplateBubble template={template} slots={slots} mapping={store.mapping} contact={contact} headerLink={store.headerLink} />
          </div>
        </div>
      )}

      <div className="actions">
        <button type="button" className="button button--big" onClick={() => go('contacts')}>
          {t('common.back')}
        </button>
        <button
          type="button"
          className="button button--primary button--big"
          data-testid="template-next"
          disabled={!template || missing.length > 0 || !importResult || warnings.includes('media_link_missing')}
          onClick={() => go('review')}
        >
          {t('template.next')}
        </button>
      </div>
      {template && missing.length > 0 && <p className="muted">{t('template.missing', { count: missing.length })}</p>}
    </section>
  )
}

function SlotEditor({ slot, columns, source, onChange }: { slot: Slot; columns: string[]; source: SlotSource | undefined; onChange(source: SlotSource): void }) {
  const { t } = useTranslation()
  const selectValue = source?.kind === 'fixed' ? FIXED : source?.kind === 'column' ? source.column : ''
  return (
    <div className="param" data-testid={`slot-${slot.id}`}>
      <span className="param__name">
        <code>{`{{${slot.key}}}`}</code>
        <span className="muted">{t(`template.where.${slot.where}`)}</span>
      </span>
      <select
        aria-label={t('template.sourceFor', { key: slot.key })}
        data-testid={`slot-source-${slot.id}`}
        value={selectValue}
        onChange={(e) => onChange(e.target.value === FIXED ? { kind: 'fixed', text: '' } : { kind: 'column', column: e.target.value })}
      >
        <option value="" disabled>
          {t('template.pick')}
        </option>
        {columns.map((c) => (
          <option key={c} value={c}>
            {t('template.columnOption', { column: c })}
          </option>
        ))}
        <option value={FIXED}>{t('template.fixedOption')}</option>
      </select>
      {source?.kind === 'fixed' && (
        <input
          type="text"
          aria-label={t('template.fixedFor', { key: slot.key })}
          data-testid={`slot-fixed-${slot.id}`}
          value={source.text}
          placeholder={t('template.fixedPlaceholder')}
          onChange={(e) => onChange({ kind: 'fixed', text: e.target.value })}
        />
      )}
    </div>
  )
}

export function NeedsAccount() {
  const { t } = useTranslation()
  const go = useAppStore((s) => s.go)
  return (
    <section className="screen">
      <p className="alert alert--warn">{t('common.needsAccount')}</p>
      <button type="button" className="button button--primary button--big" onClick={() => go('accounts')}>
        {t('nav.accounts')}
      </button>
    </section>
  )
}
