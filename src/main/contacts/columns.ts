// Which row is the header and which column is the phone, the name and the variables (Spanish and English headers).

import { normalizePhone } from './phone'

/** A cell as read: text from CSV, a number when Excel stored one. */
export type Cell = string | number | null

export interface DetectedColumn {
  index: number
  /** The name used in the mapping and as the variable key: the header, or A, B, C… without one. */
  name: string
  /** The header cell as written; null when the file has no header row or the cell was empty. */
  header: string | null
}

/** Column names (see `DetectedColumn.name`); the shape of the contract's `ImportResult.mapping`. */
export interface ColumnMapping {
  phone: string | null
  name: string | null
  variables: string[]
}

/** A row longer than this is not a contact (a binary file, a 10 MB single line). */
export const MAX_ROW_CHARS = 100_000

/** Lower case, no accents, words of letters and digits: "Teléfono Móvil" → ["telefono", "movil"]. */
function words(header: string): string[] {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '')
}

const PHONE_WORDS: Record<string, number> = {
  whatsapp: 3, wa: 3, wsp: 3, whatsap: 3,
  celular: 2, cel: 2, celu: 2, movil: 2, mobile: 2, cell: 2, cellphone: 2, cellular: 2,
  numero: 1, telefono: 1, telefonos: 1, phone: 1, phones: 1, tel: 1, telf: 1, fono: 1, num: 1, nro: 1,
}
/** "Phone 1 - Type", "Tipo de teléfono": about a phone, not a phone. */
const NOT_A_VALUE = new Set(['type', 'label', 'tipo', 'etiqueta', 'fax', 'pager'])

const FULL_NAME = new Set(['nombre', 'name', 'nombrecompleto', 'fullname', 'nombreyapellido', 'nombresyapellidos', 'cliente', 'customer', 'contacto', 'contact', 'displayname', 'nombres'])
const FIRST_NAME_WORDS = new Set(['first', 'given', 'primer'])
const NOT_A_NAME = new Set(['last', 'family', 'apellido', 'apellidos', 'middle', 'company', 'empresa', 'nickname', 'phonetic', 'file', 'suffix', 'prefix', 'yomi', 'user', 'usuario'])

/** 0 when the header does not name a phone column; higher is a better guess. */
export function phoneHeaderScore(header: string): number {
  const ws = words(header)
  if (ws.some((word) => NOT_A_VALUE.has(word))) return 0
  return ws.reduce((best, word) => Math.max(best, PHONE_WORDS[word] ?? 0), 0)
}

/** 0 when the header does not name a name column; 3 for a full name, 2 for a first name. */
export function nameHeaderScore(header: string): number {
  const ws = words(header)
  if (FULL_NAME.has(ws.join(''))) return 3
  if (ws.some((word) => NOT_A_NAME.has(word))) return 0
  const aboutName = ws.some((word) => word === 'name' || word === 'nombre')
  if (aboutName && ws.some((word) => FIRST_NAME_WORDS.has(word))) return 2
  return 0
}

export function columnLetter(index: number): string {
  let letters = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters
  return letters
}

export function cellText(cell: Cell): string {
  return cell === null ? '' : typeof cell === 'number' ? String(cell) : cell.trim()
}

export function isEmptyRow(cells: Cell[]): boolean {
  return cells.every((cell) => cellText(cell) === '')
}

export function rowChars(cells: Cell[]): number {
  let total = 0
  for (const cell of cells) total += typeof cell === 'string' ? cell.length : 16
  return total
}

/** A phone number, or one Excel turned into scientific notation: its column is still the phone column (rows explain). */
function phoneLike(cell: Cell, country: string): boolean {
  if (cell === null || cellText(cell) === '') return false
  const result = normalizePhone(cell, country)
  return result.ok || result.reason === 'scientific_notation'
}

/** How far down a header may sit below title rows ("Clientes Tienda La Esquina" merged across the top). */
const HEADER_SEARCH_ROWS = 5

function namesKnownColumn(row: Cell[]): boolean {
  return row.some((cell) => typeof cell === 'string' && (phoneHeaderScore(cell) > 0 || nameHeaderScore(cell) > 0))
}

/**
 * The position of the header row in `sample`, or -1 when there is none. A header names a known column
 * (possibly under a few title rows), or is a first row with no phone number above rows that have one.
 * A row too long to be a contact is never a header.
 */
export function detectHeader(sample: Cell[][], country: string): number {
  const candidates = sample.slice(0, HEADER_SEARCH_ROWS)
  for (const [position, row] of candidates.entries()) {
    if (rowChars(row) > MAX_ROW_CHARS || row.some((cell) => phoneLike(cell, country))) break
    if (namesKnownColumn(row)) return position
  }
  const [first, ...rest] = sample
  if (!first || rowChars(first) > MAX_ROW_CHARS || first.some((cell) => phoneLike(cell, country))) return -1
  return rest.some((row) => row.some((cell) => phoneLike(cell, country))) ? 0 : -1
}

/** Names every column: the header text when there is one (made unique), else its letter. */
export function nameColumns(width: number, header: Cell[] | null): DetectedColumn[] {
  const used = new Set<string>()
  return Array.from({ length: width }, (_, index) => {
    const written = header ? cellText(header[index] ?? null) : ''
    let name = written === '' ? columnLetter(index) : written
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${written || columnLetter(index)} (${n})`
    used.add(name.toLowerCase())
    return { index, name, header: written === '' ? null : written }
  })
}

function best<T>(items: T[], score: (item: T) => number): T | null {
  let winner: T | null = null
  let top = 0
  for (const item of items) {
    const value = score(item)
    if (value > top) {
      top = value
      winner = item
    }
  }
  return winner
}

/** Without a header, the name is the first column that mostly holds words. */
function firstWordsColumn(columns: DetectedColumn[], dataSample: Cell[][]): DetectedColumn | null {
  return (
    columns.find((column) => {
      const texts = dataSample.map((row) => cellText(row[column.index] ?? null)).filter((text) => text !== '')
      return texts.length > 0 && texts.filter((text) => /\p{L}{2,}/u.test(text)).length >= texts.length / 2
    }) ?? null
  )
}

/**
 * Guesses the mapping: the phone column by its header, checked against the data (a header that matches
 * but holds no numbers loses to a column that does); the name by its header; every other column is a variable.
 */
export function guessMapping(columns: DetectedColumn[], dataSample: Cell[][], country: string): ColumnMapping {
  const validShare = (column: DetectedColumn): number => {
    const filled = dataSample.filter((row) => cellText(row[column.index] ?? null) !== '')
    if (filled.length === 0) return 0
    return filled.filter((row) => phoneLike(row[column.index] ?? null, country)).length / filled.length
  }
  const byHeader = best(columns, (column) => (column.header ? phoneHeaderScore(column.header) : 0))
  const byData = best(columns, (column) => validShare(column))
  const byDataShare = byData ? validShare(byData) : 0
  const headerHolds = byHeader !== null && (dataSample.length === 0 || validShare(byHeader) > 0)
  const phone = headerHolds ? byHeader : byDataShare >= 0.5 ? byData : null

  const candidates = columns.filter((column) => column !== phone)
  const name =
    best(candidates, (column) => (column.header ? nameHeaderScore(column.header) : 0)) ??
    (columns.every((column) => column.header === null) ? firstWordsColumn(candidates, dataSample) : null)
  return {
    phone: phone?.name ?? null,
    name: name?.name ?? null,
    variables: candidates.filter((column) => column !== name).map((column) => column.name),
  }
}
