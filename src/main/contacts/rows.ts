// Reads a contact file as a stream of rows: CSV/TSV (papaparse, any encoding) or the chosen sheet of an XLSX (exceljs).

import { createReadStream } from 'node:fs'
import { open, readFile } from 'node:fs/promises'
import { Readable, pipeline } from 'node:stream'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import Papa from 'papaparse'
import { assertNever } from '../../shared/assertNever'
import type { ImportFileProblem } from '../../shared/importReasons'
import { explainImportReason } from '../../shared/importReasons'
import type { Cell } from './columns'
import { SNIFF_BYTES, sniffFile, type TextEncoding } from './sniff'

/** A file on disk (desktop) or its bytes (an upload). */
export type ImportSource = { path: string } | { data: Uint8Array }

/** A problem with the whole file; `code` is explained in src/shared/importReasons. */
export class ImportFileError extends Error {
  constructor(
    readonly code: ImportFileProblem,
    detail?: string,
  ) {
    super(detail ? `${explainImportReason(code, 'en')} ${detail}` : explainImportReason(code, 'en'))
    this.name = 'ImportFileError'
  }
}

export interface RawRow {
  /** 1-based row number as a spreadsheet shows it (the header is row 1). */
  line: number
  cells: Cell[]
}

export interface RowStream {
  format: 'csv' | 'xlsx'
  encoding: TextEncoding | null
  delimiter: string | null
  /** The sheet read (xlsx) and every sheet of the workbook. */
  sheet: string | null
  sheets: string[]
  rows: AsyncIterable<RawRow>
  /** Bytes of the whole file, for progress. */
  totalBytes: number
  bytesRead: () => number
}

const DELIMITERS = [',', ';', '\t', '|']

const ICONV_NAMES: Record<TextEncoding, string> = {
  utf8: 'utf8',
  utf16le: 'utf16le',
  utf16be: 'utf16be',
  windows1252: 'windows-1252',
}

async function readSample(source: ImportSource): Promise<{ sample: Uint8Array; totalBytes: number }> {
  if ('data' in source) return { sample: source.data.subarray(0, SNIFF_BYTES), totalBytes: source.data.length }
  const file = await open(source.path, 'r')
  try {
    const { size } = await file.stat()
    const buffer = Buffer.alloc(Math.min(SNIFF_BYTES, size))
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0)
    return { sample: buffer.subarray(0, bytesRead), totalBytes: size }
  } finally {
    await file.close()
  }
}

function byteStream(source: ImportSource, counter: { bytes: number }): Readable {
  const stream =
    'path' in source
      ? createReadStream(source.path, { highWaterMark: 256 * 1024 })
      : Readable.from(chunksOf(source.data, 256 * 1024), { objectMode: false })
  stream.on('data', (chunk: Buffer) => {
    counter.bytes += chunk.length
  })
  return stream
}

function* chunksOf(data: Uint8Array, size: number): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += size) {
    yield Buffer.from(data.buffer, data.byteOffset + offset, Math.min(size, data.length - offset))
  }
}

/** The sample as text, without a last line the sample cut in half. */
function sampleText(sample: Uint8Array, encoding: TextEncoding): string {
  const text = iconv.decode(Buffer.from(sample), ICONV_NAMES[encoding])
  const lastBreak = text.lastIndexOf('\n')
  return lastBreak > 0 && sample.length >= SNIFF_BYTES ? text.slice(0, lastBreak) : text
}

/** `{"…` or `[{…` / `["…` / `[]`: a JSON document, which as a CSV would "import" zero rows. */
function looksLikeJson(text: string): boolean {
  return /^\uFEFF?\s*(\{\s*["}]|\[\s*[[{"\]])/.test(text)
}

/**
 * The delimiter that splits the most of the first lines into the same number (more than one) of fields;
 * ',' when none does. Papaparse's own guess falls back to ',' on short files (a few `;` rows).
 */
function detectDelimiter(text: string): string {
  let best = ','
  let bestRows = 0
  for (const delimiter of DELIMITERS) {
    const rows = Papa.parse<string[]>(text, { delimiter, preview: 50, skipEmptyLines: 'greedy' }).data
    const rowsByWidth = new Map<number, number>()
    for (const row of rows) if (row.length > 1) rowsByWidth.set(row.length, (rowsByWidth.get(row.length) ?? 0) + 1)
    const consistent = Math.max(0, ...rowsByWidth.values())
    if (consistent > bestRows) {
      best = delimiter
      bestRows = consistent
    }
  }
  return best
}

/**
 * Papaparse's chunk mode (a few hundred rows per callback) is several times faster than its row-per-event
 * Node stream; the parser and the file stream are paused while rows wait here, so memory stays bounded.
 */
async function* csvRows(bytes: Readable, encoding: TextEncoding, delimiter: string): AsyncGenerator<RawRow> {
  const decoded = iconv.decodeStream(ICONV_NAMES[encoding])
  // iconv strips a BOM for UTF-8 and UTF-16; pipeline tears every stage down when one fails.
  pipeline(bytes, decoded, (error) => {
    if (error) fail(error)
  })
  const waiting: string[][][] = []
  let parser: Papa.Parser | null = null
  let paused = false
  let finished = false
  let failure: unknown = null
  let wake: (() => void) | null = null
  const notify = (): void => {
    wake?.()
    wake = null
  }
  function fail(error: unknown): void {
    failure ??= error
    notify()
  }
  Papa.parse(decoded as unknown as File, {
    delimiter,
    skipEmptyLines: false,
    chunk: (results: Papa.ParseResult<string[]>, chunkParser: Papa.Parser) => {
      parser = chunkParser
      waiting.push(results.data)
      if (waiting.length >= 4 && !paused) {
        paused = true
        // The handle's pause only stops parsing: papaparse keeps queueing what the stream still emits
        // (a 1,000,000-row file was read whole into that queue). Pausing the stream stops the reading.
        chunkParser.pause()
        decoded.pause()
      }
      notify()
    },
    complete: () => {
      finished = true
      notify()
    },
    error: (error: Error) => fail(error),
  })
  let line = 0
  try {
    for (;;) {
      const rows = waiting.shift()
      if (rows) {
        if (paused && waiting.length === 0) {
          paused = false
          ;(parser as Papa.Parser | null)?.resume()
          decoded.resume()
        }
        for (const cells of rows) {
          line++
          yield { line, cells }
        }
        continue
      }
      if (failure) throw failure
      if (finished) return
      await new Promise<void>((resolve) => (wake = resolve))
    }
  } finally {
    // A preview stops after a few rows: close the file instead of reading it to the end.
    ;(parser as Papa.Parser | null)?.abort()
    bytes.destroy()
  }
}

type ExcelValue = ExcelJS.CellValue

/** Excel's cell value as text or number: formulas give their cached result, rich text its plain text. */
export function excelCell(value: ExcelValue): Cell {
  if (value === null || value === undefined) return null
  if (typeof value === 'number' || typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) return value.toISOString().slice(0, value.getUTCHours() || value.getUTCMinutes() ? 16 : 10).replace('T', ' ')
  if ('richText' in value) return value.richText.map((run) => run.text).join('')
  if ('formula' in value || 'sharedFormula' in value) return excelCell((value.result ?? null) as ExcelValue)
  if ('hyperlink' in value) return excelCell(value.text as ExcelValue)
  if ('error' in value) return null
  return null
}

const pad2 = (n: number): string => String(n).padStart(2, '0')

/**
 * A date cell as the sheet shows it, not ISO: a Spanish Excel's 17/05/1990 must reach the message as
 * 17/05/1990, not 1990-05-17. The format's own order and separator are kept; Excel's built-in short date
 * (stored as "mm-dd-yy", shown in each computer's own order) is written day first, as our users read it.
 */
export function excelDate(date: Date, numFmt: string | undefined): string {
  const format = (numFmt ?? '').toLowerCase().replace(/"[^"]*"|\[[^\]]*\]|\\./g, '')
  const builtIn = format === '' || format === 'general' || format === 'mm-dd-yy'
  const datePart = builtIn ? 'dd/mm/yyyy' : format.split(/h|s/)[0]
  const parts: Record<string, string> = { d: pad2(date.getUTCDate()), m: pad2(date.getUTCMonth() + 1), y: String(date.getUTCFullYear()) }
  const order = [...new Set(datePart.replace(/[^dmy]/g, ''))]
  const separator = /[dmy]+([^dmy\s])/.exec(datePart)?.[1] ?? '/'
  const day = order.map((letter) => parts[letter]).join(separator)
  const hasTime = builtIn ? date.getUTCHours() > 0 || date.getUTCMinutes() > 0 : /h/.test(format)
  const time = hasTime ? `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}` : ''
  return [day, time].filter(Boolean).join(' ')
}

/** A row's cells as text or numbers; dates keep the format the sheet shows them in. */
function rowCells(row: ExcelJS.Row): Cell[] {
  const values = Array.isArray(row.values) ? row.values.slice(1) : []
  return Array.from(values, (value, i) => (value instanceof Date ? excelDate(value, row.getCell(i + 1).numFmt) : excelCell(value ?? null)))
}

interface NamedSheet {
  name?: string
  [Symbol.asyncIterator](): AsyncGenerator<ExcelJS.Row>
}

function sheetMatches(wanted: string | number | undefined, name: string, position: number): boolean {
  if (wanted === undefined) return position === 1
  if (typeof wanted === 'number') return position === wanted
  return name.trim().toLowerCase() === wanted.trim().toLowerCase()
}

async function xlsxRows(
  bytes: Readable,
  wantedSheet: string | number | undefined,
): Promise<{ sheet: string; sheets: string[]; rows: AsyncIterable<RawRow> }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(bytes, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  })
  const sheets = reader[Symbol.asyncIterator]()
  const allNames = (): string[] => {
    const model = (reader as unknown as { model?: { sheets?: { name: string }[] } }).model
    return (model?.sheets ?? []).map((sheet) => sheet.name)
  }
  let position = 0
  try {
    for (;;) {
      const next = await sheets.next()
      if (next.done) break
      position++
      const worksheet = next.value as unknown as NamedSheet
      const name = worksheet.name ?? `Sheet${position}`
      if (!sheetMatches(wantedSheet, name, position)) continue
      async function* rows(): AsyncGenerator<RawRow> {
        try {
          for await (const row of worksheet) {
            yield { line: row.number, cells: rowCells(row) }
          }
        } catch (error) {
          throw new ImportFileError('unreadable_excel', (error as Error).message)
        } finally {
          bytes.destroy()
        }
      }
      return { sheet: name, sheets: allNames(), rows: rows() }
    }
  } catch (error) {
    bytes.destroy()
    throw new ImportFileError('unreadable_excel', (error as Error).message)
  }
  bytes.destroy()
  if (position === 0) throw new ImportFileError('unreadable_excel', 'It has no sheets.')
  throw new ImportFileError('sheet_not_found', `Sheets in the file: ${allNames().join(', ')}.`)
}

/** Larger workbooks are not loaded whole when the streaming reader fails: that would cost gigabytes. */
const MAX_IN_MEMORY_XLSX_BYTES = 100 * 1024 * 1024

/**
 * exceljs's streaming reader loses the workbook's sheet list when the zip stores it after the sheets
 * (exceljs's own files with several sheets, some other writers) and fails; such a workbook is read whole.
 */
async function xlsxRowsInMemory(
  source: ImportSource,
  wantedSheet: string | number | undefined,
  counter: { bytes: number },
): Promise<{ sheet: string; sheets: string[]; rows: AsyncIterable<RawRow> }> {
  const data = 'data' in source ? Buffer.from(source.data.buffer, source.data.byteOffset, source.data.length) : await readFile(source.path)
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer)
  } catch (error) {
    throw new ImportFileError('unreadable_excel', (error as Error).message)
  }
  counter.bytes = data.length
  const sheets = workbook.worksheets.map((worksheet) => worksheet.name)
  if (sheets.length === 0) throw new ImportFileError('unreadable_excel', 'It has no sheets.')
  const worksheet = workbook.worksheets.find((candidate, i) => sheetMatches(wantedSheet, candidate.name, i + 1))
  if (!worksheet) throw new ImportFileError('sheet_not_found', `Sheets in the file: ${sheets.join(', ')}.`)
  const rows: RawRow[] = []
  worksheet.eachRow((row, line) => {
    rows.push({ line, cells: rowCells(row) })
  })
  return { sheet: worksheet.name, sheets, rows: asAsync(rows) }
}

async function* asAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items
}

async function openXlsx(
  source: ImportSource,
  totalBytes: number,
  wantedSheet: string | number | undefined,
  counter: { bytes: number },
): Promise<{ sheet: string; sheets: string[]; rows: AsyncIterable<RawRow> }> {
  try {
    return await xlsxRows(byteStream(source, counter), wantedSheet)
  } catch (error) {
    const unreadable = error instanceof ImportFileError && error.code === 'unreadable_excel'
    if (!unreadable || totalBytes > MAX_IN_MEMORY_XLSX_BYTES) throw error
    counter.bytes = 0
    return xlsxRowsInMemory(source, wantedSheet, counter)
  }
}

/** Opens the file, decides its format, encoding and delimiter, and returns its rows as a stream. */
export async function openRows(source: ImportSource, sheet?: string | number): Promise<RowStream> {
  const { sample, totalBytes } = await readSample(source)
  const kind = sniffFile(sample, sample.length === totalBytes)
  const counter = { bytes: 0 }
  const base = { totalBytes, bytesRead: () => counter.bytes }
  switch (kind.kind) {
    case 'empty':
      throw new ImportFileError('empty_file')
    case 'old_excel':
      throw new ImportFileError('old_excel')
    case 'binary':
      throw new ImportFileError('not_a_table')
    case 'xlsx': {
      const opened = await openXlsx(source, totalBytes, sheet, counter)
      return { ...base, format: 'xlsx', encoding: null, delimiter: null, ...opened }
    }
    case 'text': {
      const text = sampleText(sample, kind.encoding)
      if (looksLikeJson(text)) throw new ImportFileError('json_file')
      const delimiter = detectDelimiter(text)
      const rows = csvRows(byteStream(source, counter), kind.encoding, delimiter)
      return { ...base, format: 'csv', encoding: kind.encoding, delimiter, sheet: null, sheets: [], rows }
    }
    default:
      return assertNever(kind, 'file kind')
  }
}
