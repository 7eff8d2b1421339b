// The contact importer: a CSV/XLSX file → clean, de-duplicated contacts in the seed's shape, streamed in batches,
// with every refused row kept with its line and a reason a person understands.

import Papa from 'papaparse'
import type { NewRecipient } from '../store/ports'
import { explainImportReason, importReasonLabel, type ImportLang, type ImportRowReason, type ImportWarning } from '../../shared/importReasons'
import {
  MAX_ROW_CHARS,
  cellText,
  detectHeader,
  guessMapping,
  isEmptyRow,
  nameColumns,
  rowChars,
  type Cell,
  type ColumnMapping,
  type DetectedColumn,
} from './columns'
import { assertCountry, normalizePhone, splitPhones, type PhoneResult, type PhoneType } from './phone'
import { ImportFileError, openRows, type ImportSource, type RawRow, type RowStream } from './rows'

export { ImportFileError, type ImportSource } from './rows'
export type { ColumnMapping, DetectedColumn } from './columns'

/** The seed's contact: `numero` in E.164 with '+', `Nombre` when there is a name, every other column by name. */
export type ContactRow = { numero: string } & Record<string, string>

export interface ImportedContact {
  line: number
  contact: ContactRow
  phoneType: PhoneType
  /** Found in the account's opt-out list: keep it visible, never send. */
  optedOut: boolean
  warning?: ImportWarning
}

export interface RejectedRow {
  line: number
  /** The phone cell as written (shortened when huge). */
  value: string
  reason: ImportRowReason
  /** English sentence; `explainImportReason(reason, lang, {first: firstLine})` gives it in Spanish. */
  message: string
  /** For duplicates: the row that kept the number. */
  firstLine?: number
}

export interface ImportProgress {
  rowsRead: number
  bytesRead: number
  totalBytes: number
  valid: number
  rejected: number
}

/** How a file was read: what the importer detected, and the column mapping it used. */
export interface FileLayout {
  format: 'csv' | 'xlsx'
  encoding: RowStream['encoding']
  delimiter: string | null
  sheet: string | null
  sheets: string[]
  hasHeader: boolean
  columns: DetectedColumn[]
  mapping: ColumnMapping
}

export interface ImportSummary extends FileLayout {
  /** Non-empty data rows read (the header is not counted). */
  rows: number
  /** Contacts kept, opted-out ones included. */
  valid: number
  /** Rows refused for their content (duplicates are counted apart). */
  invalid: number
  duplicates: number
  optedOut: number
  fixedLine: number
  /** Accepted numbers with any warning (landline, special number, prefix fixed, extra numbers). */
  warnings: number
  emptyRows: number
}

export interface ImportOptions {
  /** The account's country for numbers written without a country code (ISO alpha-2, e.g. CO). */
  defaultCountry: string
  /** Sheet name or 1-based position; the first sheet by default. */
  sheet?: string | number
  /** Overrides header detection. */
  hasHeader?: boolean
  /** Overrides parts of the guessed mapping (column names as in `DetectedColumn.name`). */
  mapping?: Partial<ColumnMapping>
  /** A cell with several numbers: keep the first valid one (default) or make a contact of each. */
  multiplePhones?: 'first' | 'all'
  /** The subset of these E.164 numbers that opted out (the caller asks its SuppressionStore). */
  isSuppressed?: (phones: string[]) => Promise<Set<string>>
  /** Receives accepted contacts `batchSize` at a time, in file order; awaited, so a slow store slows the reader. */
  onContacts?: (batch: ImportedContact[]) => Promise<void> | void
  onRejected?: (batch: RejectedRow[]) => Promise<void> | void
  onProgress?: (progress: ImportProgress) => void
  batchSize?: number
  signal?: AbortSignal
}

/** How many leading rows decide the header and the mapping. */
const SAMPLE_ROWS = 50
/** Google and Outlook exports have ~90 columns; a 10 MB line of commas must not become a million. */
const MAX_COLUMNS = 500
const PROGRESS_EVERY_ROWS = 5_000
const MAX_VALUE_CHARS = 100

function shorten(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text
}

interface Layout {
  hasHeader: boolean
  columns: DetectedColumn[]
  mapping: ColumnMapping
  sampleData: RawRow[]
  emptyRows: number
}

/** Reads the first rows and decides header, columns and mapping; the rows read stay in `sampleData`. */
async function readLayout(
  iterator: AsyncIterator<RawRow>,
  options: Pick<ImportOptions, 'defaultCountry' | 'hasHeader' | 'mapping'>,
): Promise<Layout> {
  const sample: RawRow[] = []
  let emptyRows = 0
  while (sample.length < SAMPLE_ROWS) {
    const next = await iterator.next()
    if (next.done) break
    if (isEmptyRow(next.value.cells)) emptyRows++
    else sample.push(next.value)
  }
  const detected = detectHeader(sample.map((row) => row.cells), options.defaultCountry)
  const headerAt = options.hasHeader === false ? -1 : options.hasHeader === true ? Math.max(0, detected) : detected
  const hasHeader = headerAt >= 0
  // Title rows above the header are not contacts.
  const sampleData = sample.slice(headerAt + 1)
  const fits = (row: RawRow): number => (rowChars(row.cells) > MAX_ROW_CHARS ? 0 : row.cells.length)
  const width = Math.min(MAX_COLUMNS, Math.max(0, ...sample.slice(Math.max(0, headerAt)).map(fits)))
  const columns = nameColumns(width, hasHeader ? sample[headerAt].cells : null)
  const guessed = guessMapping(columns, sampleData.map((row) => row.cells), options.defaultCountry)
  return { hasHeader, columns, mapping: applyOverrides(columns, guessed, options.mapping), sampleData, emptyRows }
}

function applyOverrides(columns: DetectedColumn[], guessed: ColumnMapping, wanted?: Partial<ColumnMapping>): ColumnMapping {
  if (!wanted) return guessed
  const names = new Set(columns.map((column) => column.name))
  const unknown = [wanted.phone, wanted.name, ...(wanted.variables ?? [])].filter(
    (name): name is string => typeof name === 'string' && !names.has(name),
  )
  if (unknown.length > 0) {
    throw new ImportFileError('unknown_column', `Not found: ${unknown.join(', ')}. Columns: ${[...names].join(', ')}.`)
  }
  const phone = wanted.phone === undefined ? guessed.phone : wanted.phone
  const name = wanted.name === undefined ? (guessed.name === phone ? null : guessed.name) : wanted.name
  const variables =
    wanted.variables ?? columns.map((column) => column.name).filter((column) => column !== phone && column !== name)
  return { phone, name, variables }
}

type Accepted = Extract<PhoneResult, { ok: true }>

/** A landline or special number only when nothing better was in the cell. */
function preferred(results: Accepted[]): Accepted {
  return results.find((result) => result.warning !== 'fixed_line' && result.warning !== 'not_mobile') ?? results[0]
}

/**
 * Streams a contact file: accepted contacts go to `onContacts` in batches, refused rows to `onRejected`.
 * Memory stays bounded by the batch size plus one number per distinct phone (for duplicates).
 * Throws `ImportFileError` for a file that cannot be read as a table at all.
 */
export async function streamContacts(source: ImportSource, options: ImportOptions): Promise<ImportSummary> {
  const country = assertCountry(options.defaultCountry)
  const batchSize = Math.max(1, options.batchSize ?? 1_000)
  const opened = await openRows(source, options.sheet)
  const iterator = opened.rows[Symbol.asyncIterator]()
  try {
    const layout = await readLayout(iterator, { ...options, defaultCountry: country })
    const index = new Map(layout.columns.map((column) => [column.name, column.index]))
    const phoneIndex = layout.mapping.phone === null ? -1 : (index.get(layout.mapping.phone) ?? -1)
    const nameIndex = layout.mapping.name === null ? -1 : (index.get(layout.mapping.name) ?? -1)
    const variableColumns = layout.mapping.variables.map((name) => ({ name, at: index.get(name) ?? -1 }))
    if (phoneIndex < 0 && layout.sampleData.some((row) => rowChars(row.cells) <= MAX_ROW_CHARS)) {
      throw new ImportFileError('no_phone_column', `Columns: ${layout.columns.map((column) => column.name).join(', ')}.`)
    }

    const summary: ImportSummary = {
      rows: 0,
      valid: 0,
      invalid: 0,
      duplicates: 0,
      optedOut: 0,
      fixedLine: 0,
      warnings: 0,
      emptyRows: layout.emptyRows,
      format: opened.format,
      encoding: opened.encoding,
      delimiter: opened.delimiter,
      sheet: opened.sheet,
      sheets: opened.sheets,
      hasHeader: layout.hasHeader,
      columns: layout.columns,
      mapping: layout.mapping,
    }
    // Numbers as integers (E.164 has at most 15 digits, exact in a double): a fraction of the memory of strings.
    const firstLineOf = new Map<number, number>()
    let contacts: ImportedContact[] = []
    let rejected: RejectedRow[] = []

    const reportProgress = (): void =>
      options.onProgress?.({
        rowsRead: summary.rows,
        bytesRead: opened.bytesRead(),
        totalBytes: opened.totalBytes,
        valid: summary.valid,
        rejected: summary.invalid + summary.duplicates,
      })

    const flushContacts = async (): Promise<void> => {
      if (contacts.length === 0) return
      const batch = contacts
      contacts = []
      if (options.isSuppressed) {
        const suppressed = await options.isSuppressed(batch.map((item) => item.contact.numero))
        for (const item of batch) {
          if (suppressed.has(item.contact.numero)) {
            item.optedOut = true
            summary.optedOut++
          }
        }
      }
      await options.onContacts?.(batch)
    }
    const flushRejected = async (): Promise<void> => {
      if (rejected.length === 0) return
      const batch = rejected
      rejected = []
      await options.onRejected?.(batch)
    }

    const refuse = (line: number, value: string, reason: ImportRowReason, firstLine?: number): void => {
      const message = explainImportReason(reason, 'en', firstLine === undefined ? {} : { first: firstLine })
      rejected.push(firstLine === undefined ? { line, value: shorten(value), reason, message } : { line, value: shorten(value), reason, message, firstLine })
      if (reason === 'duplicate') summary.duplicates++
      else summary.invalid++
    }

    const accept = (line: number, cells: Cell[], written: string, result: Accepted, warning: ImportWarning | undefined): void => {
      const key = Number(result.e164.slice(1))
      const firstLine = firstLineOf.get(key)
      if (firstLine !== undefined) {
        refuse(line, written, 'duplicate', firstLine)
        return
      }
      firstLineOf.set(key, line)
      const contact: ContactRow = { numero: result.e164 }
      for (const variable of variableColumns) {
        const value = cellText(cells[variable.at] ?? null)
        if (value !== '') contact[variable.name] = value
      }
      const name = nameIndex >= 0 ? cellText(cells[nameIndex] ?? null) : ''
      if (name !== '') contact.Nombre = name
      // Last, so a column that happens to be called "numero" cannot replace the cleaned number.
      contact.numero = result.e164
      const item: ImportedContact = { line, contact, phoneType: result.type, optedOut: false }
      if (warning) {
        item.warning = warning
        summary.warnings++
      }
      if (result.type === 'FIXED_LINE') summary.fixedLine++
      summary.valid++
      contacts.push(item)
    }

    const handle = (row: RawRow): void => {
      summary.rows++
      const { line, cells } = row
      if (rowChars(cells) > MAX_ROW_CHARS) {
        refuse(line, cells.map(cellText).join(' '), 'row_too_long')
        return
      }
      const phoneCell = cells[phoneIndex] ?? null
      const parts: (string | number)[] = typeof phoneCell === 'number' ? [phoneCell] : splitPhones(phoneCell)
      if (parts.length === 0) {
        refuse(line, '', 'empty_phone')
        return
      }
      const results = parts.map((part) => normalizePhone(part, country))
      const ok = results.filter((result): result is Accepted => result.ok)
      if (ok.length === 0) {
        const first = results[0]
        refuse(line, cellText(phoneCell), first.ok ? 'invalid_number' : first.reason)
        return
      }
      if (options.multiplePhones === 'all') {
        for (const result of ok) accept(line, cells, cellText(phoneCell), result, result.warning)
        return
      }
      const chosen = preferred(ok)
      accept(line, cells, cellText(phoneCell), chosen, chosen.warning ?? (parts.length > 1 ? 'extra_numbers' : undefined))
    }

    const process = async (row: RawRow): Promise<void> => {
      if (isEmptyRow(row.cells)) {
        summary.emptyRows++
        return
      }
      handle(row)
      if (contacts.length >= batchSize) await flushContacts()
      if (rejected.length >= batchSize) await flushRejected()
      if (summary.rows % PROGRESS_EVERY_ROWS === 0) {
        options.signal?.throwIfAborted()
        reportProgress()
      }
    }

    for (const row of layout.sampleData) await process(row)
    for (;;) {
      const next = await iterator.next()
      if (next.done) break
      await process(next.value)
    }
    await flushContacts()
    await flushRejected()
    reportProgress()
    return summary
  } finally {
    await iterator.return?.()
  }
}

export interface ImportResultData {
  contacts: ImportedContact[]
  rejected: RejectedRow[]
  summary: ImportSummary
}

/** Everything in memory: for small files, tests and the CLI. Large imports use `streamContacts`. */
export async function importContacts(
  source: ImportSource,
  options: Omit<ImportOptions, 'onContacts' | 'onRejected'>,
): Promise<ImportResultData> {
  const contacts: ImportedContact[] = []
  const rejected: RejectedRow[] = []
  const summary = await streamContacts(source, {
    ...options,
    onContacts: (batch) => void contacts.push(...batch),
    onRejected: (batch) => void rejected.push(...batch),
  })
  return { contacts, rejected, summary }
}

export interface ImportPreview extends FileLayout {
  /** The first data rows as read, keyed by column name. */
  rows: Record<string, string>[]
}

/** The first rows and the guessed layout, reading only the start of the file (the mapping screen). */
export async function previewContacts(
  source: ImportSource,
  options: Pick<ImportOptions, 'defaultCountry' | 'sheet' | 'hasHeader' | 'mapping'> & { rows?: number },
): Promise<ImportPreview> {
  const country = assertCountry(options.defaultCountry)
  const opened = await openRows(source, options.sheet)
  const iterator = opened.rows[Symbol.asyncIterator]()
  try {
    const layout = await readLayout(iterator, { ...options, defaultCountry: country })
    const rows = layout.sampleData.slice(0, options.rows ?? 20).map((row) =>
      Object.fromEntries(layout.columns.map((column) => [column.name, shorten(cellText(row.cells[column.index] ?? null))])),
    )
    const { format, encoding, delimiter, sheet, sheets } = opened
    return { format, encoding, delimiter, sheet, sheets, hasHeader: layout.hasHeader, columns: layout.columns, mapping: layout.mapping, rows }
  } finally {
    await iterator.return?.()
  }
}

/** The ledger row for an imported contact: opted-out numbers are stored as skipped, never sent. */
export function toNewRecipient(item: ImportedContact): NewRecipient {
  const { numero, ...variables } = item.contact
  return {
    phone: numero,
    name: item.contact.Nombre ?? null,
    variables,
    skipReason: item.optedOut ? 'opted_out' : null,
    skipDetail: item.optedOut ? explainImportReason('opted_out', 'en') : null,
  }
}

/** The refused rows as a CSV a person can open in Excel (UTF-8 with BOM so Excel reads the accents). */
export function rejectedToCsv(rows: RejectedRow[], lang: ImportLang): string {
  const header = lang === 'es' ? ['Fila', 'Número escrito', 'Motivo', 'Explicación'] : ['Row', 'Number as written', 'Reason', 'Explanation']
  const body = rows.map((row) => [
    String(row.line),
    row.value,
    importReasonLabel(row.reason, lang),
    explainImportReason(row.reason, lang, row.firstLine === undefined ? {} : { first: row.firstLine }),
  ])
  return `\uFEFF${Papa.unparse([header, ...body], { newline: '\r\n', escapeFormulae: true })}\r\n`
}
