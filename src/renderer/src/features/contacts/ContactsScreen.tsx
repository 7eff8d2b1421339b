// Step 2: pick or drop a CSV/Excel file, choose the phone/name/variable columns, see what will be sent and what not.

import { useEffect, useState, type DragEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiCallError, call, errorText, useApi } from '../../lib/api'
import { uiLang } from '../../lib/i18n'
import { useAppStore } from '../../lib/appStore'
import { downloadText, fileToBase64, formatNumber, saveBlob } from '../../lib/format'
import { fileSource, useContactsStore } from './contactsStore'
import { reasonText } from './reasons'

type Mapping = { phone: string; name: string | null; variables: string[] }
type Source = NonNullable<ReturnType<typeof fileSource>>

const ACCEPT = '.csv,.txt,.xlsx,.xls,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const REJECTED_SHOWN = 100

export function ContactsScreen() {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const accountId = useAppStore((s) => s.selectedAccountId)
  const go = useAppStore((s) => s.go)
  const { fileName, dataBase64, path, result, setFile, setResult } = useContactsStore()
  const source = fileSource({ dataBase64, path })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [dragging, setDragging] = useState(false)
  /** A workbook whose sheet has no phone column: its sheets, to choose another (the error says why). */
  const [sheetChoice, setSheetChoice] = useState<{ sheet: string | null; sheets: string[] } | null>(null)

  async function runImport(name: string, from: Source, choice: { mapping?: Mapping; sheet?: string } = {}) {
    setBusy(true)
    setError(null)
    setSheetChoice(null)
    try {
      const imported = await call(api, 'contacts.import', {
        ...(accountId ? { accountId } : {}),
        lang: uiLang(i18n.language),
        fileName: name,
        ...from,
        ...(choice.sheet ? { sheet: choice.sheet } : {}),
        ...(choice.mapping ? { mapping: choice.mapping } : {}),
      })
      setResult(imported)
    } catch (e) {
      setError(errorText(e))
      const details = e instanceof ApiCallError ? e.details : undefined
      if (Array.isArray(details?.sheets)) {
        setResult(null)
        setSheetChoice({ sheet: typeof details.sheet === 'string' ? details.sheet : null, sheets: details.sheets.map(String) })
      }
    } finally {
      setBusy(false)
    }
  }

  async function takeFile(file: File | undefined) {
    if (!file) return
    const base64 = await fileToBase64(file)
    setFile(file.name, base64)
    await runImport(file.name, { dataBase64: base64 })
  }

  // Desktop "Open with Pregón": the file arrives as a path; import it as if it had been picked here,
  // once per opened file (a re-render or a later remap must not start it again).
  useEffect(() => {
    if (path && fileName && !result) void runImport(fileName, { path })
  }, [path, result])

  function onDrop(event: DragEvent<HTMLLabelElement>) {
    event.preventDefault()
    setDragging(false)
    void takeFile(event.dataTransfer.files[0])
  }

  function remap(change: Partial<Mapping>) {
    if (!result || !fileName || !source) return
    const current = { phone: result.mapping.phone ?? '', name: result.mapping.name, variables: result.mapping.variables }
    const next = { ...current, ...change }
    if (!next.phone) return
    void runImport(fileName, source, { mapping: next, sheet: result.sheet ?? undefined })
  }

  /** Another sheet has other columns: its mapping is detected afresh. */
  function chooseSheet(sheet: string) {
    if (!fileName || !source) return
    void runImport(fileName, source, { sheet })
  }

  const lang = i18n.language
  const columns = result?.columns ?? []
  return (
    <section className="screen" aria-labelledby="contacts-title">
      <h1 id="contacts-title">{t('contacts.title')}</h1>
      <p className="lead">{t('contacts.lead')}</p>

      <label
        className={`dropzone${dragging ? ' dropzone--active' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <svg className="dropzone__icon" viewBox="0 0 24 24" width="40" height="40" aria-hidden>
          <path d="M12 16V4m0 0-4 4m4-4 4 4M5 14v4a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <strong>{fileName ?? t('contacts.drop')}</strong>
        <span className="muted">{t('contacts.dropHint')}</span>
        <input
          type="file"
          accept={ACCEPT}
          data-testid="file-input"
          className="visually-hidden"
          onChange={(e) => void takeFile(e.target.files?.[0])}
        />
      </label>

      {busy && <p role="status">{t('contacts.reading')}</p>}
      {error && (
        <p className="alert alert--error" role="alert" data-testid="contacts-error">
          {error}
        </p>
      )}
      {sheetChoice && !result && (
        <SheetPicker label={t('preflight.sheets.choose')} sheets={sheetChoice.sheets} sheet={sheetChoice.sheet} disabled={busy} onChoose={chooseSheet} />
      )}

      {result && (
        <>
          {result.skippedSheets && result.skippedSheets.length > 0 && (
            <p className="alert alert--info" role="status" data-testid="sheet-picked">
              {t('preflight.sheets.picked', { skipped: result.skippedSheets.join('», «'), sheet: result.sheet ?? '' })}
            </p>
          )}
          {result.sheets.length > 1 && (
            <SheetPicker label={t('contacts.sheet')} sheets={result.sheets} sheet={result.sheet} disabled={busy} onChoose={chooseSheet} />
          )}
          <h2>{t('contacts.columnsTitle')}</h2>
          <div className="form-grid">
            <label>
              {t('contacts.phoneColumn')}
              <select data-testid="phone-column" value={result.mapping.phone ?? ''} onChange={(e) => remap({ phone: e.target.value })}>
                {!result.mapping.phone && <option value="">{t('contacts.chooseColumn')}</option>}
                {columns.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('contacts.nameColumn')}
              <select data-testid="name-column" value={result.mapping.name ?? ''} onChange={(e) => remap({ name: e.target.value || null })}>
                <option value="">{t('contacts.noName')}</option>
                {columns.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <fieldset className="chips" data-testid="variable-columns">
            <legend>{t('contacts.variableColumns')}</legend>
            {columns
              .filter((c) => c !== result.mapping.phone)
              .map((c) => {
                const checked = result.mapping.variables.includes(c)
                return (
                  <label key={c} className={`chip${checked ? ' chip--on' : ''}`}>
                    <input
                      type="checkbox"
                      checked={checked}
                      onChange={() =>
                        remap({ variables: checked ? result.mapping.variables.filter((v) => v !== c) : [...result.mapping.variables, c] })
                      }
                    />
                    {c}
                  </label>
                )
              })}
          </fieldset>

          <h2>{t('contacts.summaryTitle')}</h2>
          <div className="stats" data-testid="import-summary">
            <Stat label={t('contacts.rows')} value={formatNumber(result.summary.rows, lang)} testId="summary-rows" />
            <Stat label={t('contacts.valid')} value={formatNumber(result.summary.valid, lang)} tone="ok" testId="summary-valid" />
            <Stat label={t('contacts.invalid')} value={formatNumber(result.summary.invalid, lang)} tone="bad" testId="summary-invalid" />
            <Stat label={t('contacts.duplicates')} value={formatNumber(result.summary.duplicates, lang)} tone="warn" testId="summary-duplicates" />
            <Stat label={t('contacts.optedOut')} value={formatNumber(result.summary.optedOut, lang)} tone="warn" testId="summary-opted-out" />
          </div>
          {result.summary.fixedLine > 0 && <p className="alert alert--warn">{t('contacts.fixedLine', { count: result.summary.fixedLine })}</p>}

          <h2>{t('contacts.previewTitle')}</h2>
          <div className="table-scroll">
            <table className="table" data-testid="preview-table">
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c} className={c === result.mapping.phone ? 'col--phone' : undefined}>
                      {c}
                      {c === result.mapping.phone && <span className="tag">{t('contacts.phoneTag')}</span>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {result.preview.slice(0, 5).map((row, index) => (
                  <tr key={index}>
                    {columns.map((c) => (
                      <td key={c}>{row[c] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          {result.rejected.length > 0 && (
            <>
              <h2>{t('contacts.rejectedTitle', { count: result.rejected.length })}</h2>
              {/* Focusable so the rows can be scrolled with the keyboard. */}
              <div className="table-scroll table-scroll--short" tabIndex={0} role="region" aria-label={t('contacts.rejectedTitle', { count: result.rejected.length })}>
                <table className="table" data-testid="rejected-table">
                  <thead>
                    <tr>
                      <th>{t('contacts.line')}</th>
                      <th>{t('contacts.value')}</th>
                      <th>{t('contacts.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.rejected.slice(0, REJECTED_SHOWN).map((row) => (
                      <tr key={`${row.line}-${row.reason}`}>
                        <td>{row.line}</td>
                        <td>{row.value}</td>
                        <td>{reasonText(row.reason, row.message, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <button
                type="button"
                className="button"
                data-testid="download-rejected"
                onClick={() => downloadRejected(result, fileName)}
              >
                {result.rejectedFile ? t('preflight.rejectedDownload') : t('contacts.downloadRejected')}
              </button>
            </>
          )}

          <div className="actions">
            <button
              type="button"
              className="button button--primary button--big"
              data-testid="contacts-next"
              disabled={result.summary.valid === 0 || !result.mapping.phone}
              onClick={() => go('template')}
            >
              {t('contacts.next')}
            </button>
          </div>
        </>
      )}
    </section>
  )
}

/** The rejected rows as the file came in (same columns, delimiter and encoding) to fix and import again. */
function downloadRejected(result: NonNullable<ReturnType<typeof useContactsStore.getState>['result']>, fileName: string | null) {
  const base = (fileName ?? 'contacts').replace(/\.[^.]+$/, '')
  if (!result.rejectedFile) return downloadText(`${base}-rejected.csv`, result.rejectedCsv)
  const bytes = Uint8Array.from(atob(result.rejectedFile.dataBase64), (c) => c.charCodeAt(0))
  const charset = result.rejectedFile.encoding === 'windows1252' ? 'windows-1252' : result.rejectedFile.encoding
  saveBlob(new Blob([bytes], { type: `text/csv;charset=${charset}` }), `${base}-rejected.csv`)
}

function Stat({ label, value, tone, testId }: { label: string; value: string; tone?: 'ok' | 'bad' | 'warn'; testId: string }) {
  return (
    <div className={`stat${tone ? ` stat--${tone}` : ''}`} data-testid={testId}>
      <span className="stat__value">{value}</span>
      <span className="stat__label">{label}</span>
    </div>
  )
}

/** The workbook's sheets, to read another one. */
function SheetPicker({ label, sheets, sheet, disabled, onChoose }: { label: string; sheets: string[]; sheet: string | null; disabled: boolean; onChoose(sheet: string): void }) {
  return (
    <div className="sheet-picker">
      <label>
        {label}
        <select data-testid="sheet" value={sheet ?? ''} disabled={disabled} onChange={(e) => onChoose(e.target.value)}>
          {sheets.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
    </div>
  )
}
