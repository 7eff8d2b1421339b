// The rows an import refused, written back the way the file came in — every original column plus the reason,
// same delimiter and encoding — so the shop owner fixes them in Excel and imports the file again.

import iconv from 'iconv-lite'
import Papa from 'papaparse'
import { explainImportReason, type ImportLang } from '../../shared/importReasons'
import type { DetectedColumn } from './columns'
import type { RejectedRow } from './importer'
import type { TextEncoding } from './sniff'

export interface RejectedFile {
  dataBase64: string
  encoding: TextEncoding
  delimiter: string
}

const REASON_HEADER: Record<ImportLang, string> = { es: 'Motivo', en: 'Reason' }

/**
 * Formula injection guard without the `'` papaparse would put before every "+57 300…": a cell is escaped
 * only when it starts like a formula and is not a phone number (digits, spaces, dashes, dots, parentheses).
 */
const FORMULA_START = /^[=@\t\r]|^[+-](?![\d\s().-]*$)/

const BOM: Record<TextEncoding, Buffer> = {
  utf8: Buffer.from([0xef, 0xbb, 0xbf]),
  utf16le: Buffer.from([0xff, 0xfe]),
  utf16be: Buffer.from([0xfe, 0xff]),
  windows1252: Buffer.alloc(0),
}

const ICONV: Record<TextEncoding, string> = { utf8: 'utf8', utf16le: 'utf16le', utf16be: 'utf16be', windows1252: 'windows-1252' }

/**
 * `layout` is how the file was read: a CSV's encoding and delimiter; an Excel workbook (null, null) becomes
 * CSV UTF-8 with the delimiter Excel expects in that language (`;` where the decimal comma is used).
 */
export function rejectedFile(
  rows: RejectedRow[],
  columns: DetectedColumn[],
  layout: { encoding: TextEncoding | null; delimiter: string | null },
  lang: ImportLang,
): RejectedFile {
  const encoding = layout.encoding ?? 'utf8'
  const delimiter = layout.delimiter ?? (lang === 'es' ? ';' : ',')
  const header = [...columns.map((column) => column.header ?? column.name), REASON_HEADER[lang]]
  const body = rows.map((row) => [
    ...(row.cells?.length ? row.cells : columns.map(() => '')),
    explainImportReason(row.reason, lang, row.firstLine === undefined ? {} : { first: row.firstLine }),
  ])
  const text = `${Papa.unparse([header, ...body], { delimiter, newline: '\r\n', escapeFormulae: FORMULA_START })}\r\n`
  // Windows-1252 has no character for some (emoji, CJK): iconv writes "?" rather than failing the download.
  const bytes = Buffer.concat([BOM[encoding], iconv.encode(text, ICONV[encoding])])
  return { dataBase64: bytes.toString('base64'), encoding, delimiter }
}
