// The importer against the fixture set: every encoding and delimiter, Excel quirks, real exports and garbage.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ImportFileError,
  importContacts,
  previewContacts,
  rejectedToCsv,
  streamContacts,
  toNewRecipient,
  type ImportProgress,
} from '../../../src/main/contacts/importer'
import { CUSTOMERS, TEXT_VARIANTS, buildContactFixtures, type BuiltFixtures } from '../../fixtures/contacts/build'

const committed = (file: string): string => join(__dirname, '../../fixtures/contacts', file)
let fixtures: BuiltFixtures

beforeAll(async () => {
  fixtures = await buildContactFixtures(await mkdtemp(join(tmpdir(), 'pregon-contacts-')))
})
afterAll(async () => {
  await rm(fixtures.dir, { recursive: true, force: true })
})

async function fileProblem(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(ImportFileError)
  return (error as ImportFileError).code
}

describe('text files in every encoding and delimiter', () => {
  it.each(Object.entries(TEXT_VARIANTS))('reads %s with its accents, delimiter and encoding', async (_, variant) => {
    const { contacts, rejected, summary } = await importContacts({ path: fixtures.path(variant.file) }, { defaultCountry: 'CO' })
    expect(summary).toMatchObject({ rows: 3, valid: 3, invalid: 0, delimiter: variant.delimiter, encoding: variant.encoding, hasHeader: true })
    expect(summary.mapping).toEqual({ phone: 'Celular', name: 'Nombre', variables: ['Ciudad'] })
    expect(rejected).toEqual([])
    expect(contacts.map((c) => c.contact)).toEqual(CUSTOMERS.map((c) => ({ numero: c.e164, Nombre: c.name, Ciudad: c.city })))
  })

  it('reads bytes given in memory the same as a file on disk', async () => {
    const { readFile } = await import('node:fs/promises')
    const data = await readFile(fixtures.path(TEXT_VARIANTS.windows1252Semicolon.file))
    const { contacts } = await importContacts({ data }, { defaultCountry: 'CO' })
    expect(contacts.map((c) => c.contact.Nombre)).toEqual(CUSTOMERS.map((c) => c.name))
  })
})

describe('phone numbers in one list', () => {
  it('merges the same number written five ways and says which row kept it', async () => {
    const { contacts, rejected, summary } = await importContacts({ path: fixtures.path('duplicates.csv') }, { defaultCountry: 'CO' })
    expect(summary).toMatchObject({ rows: 6, valid: 2, duplicates: 4, invalid: 0 })
    expect(contacts.map((c) => [c.line, c.contact.numero])).toEqual([
      [2, '+573001234567'],
      [7, '+573107654321'],
    ])
    expect(rejected.map((r) => [r.line, r.reason, r.firstLine])).toEqual([
      [3, 'duplicate', 2],
      [4, 'duplicate', 2],
      [5, 'duplicate', 2],
      [6, 'duplicate', 2],
    ])
    expect(rejected[2].message).toBe('The same number is already in the list (row 2); it will be sent only once.')
  })

  it('refuses letters but accepts a "Cel:" label before the number', async () => {
    const { contacts, rejected } = await importContacts({ path: fixtures.path('letters.csv') }, { defaultCountry: 'CO' })
    expect(rejected).toMatchObject([{ line: 2, value: '300 ABC 4567', reason: 'letters' }])
    expect(contacts.map((c) => c.contact.numero)).toEqual(['+573107654321'])
  })

  it('names the columns A, B, C when there is no header and still finds the phone and the name', async () => {
    const { contacts, summary } = await importContacts({ path: fixtures.path('no-header.csv') }, { defaultCountry: 'CO' })
    expect(summary.hasHeader).toBe(false)
    expect(summary.mapping).toEqual({ phone: 'A', name: 'B', variables: ['C'] })
    expect(contacts.map((c) => c.contact)).toEqual([
      { numero: '+573001234567', Nombre: 'Juan', C: 'Cali' },
      { numero: '+573107654321', Nombre: 'Ana', C: 'Pasto' },
    ])
  })

  it('ignores empty rows, including rows of bare delimiters', async () => {
    const { contacts, rejected, summary } = await importContacts({ path: fixtures.path('empty-rows.csv') }, { defaultCountry: 'CO' })
    expect(summary).toMatchObject({ rows: 2, valid: 1, invalid: 1 })
    expect(contacts).toHaveLength(1)
    // ";" is not this file's delimiter, so that row has content but no phone.
    expect(rejected).toMatchObject([{ reason: 'empty_phone' }])
    expect(summary.emptyRows).toBe(3)
  })

  it('marks opted-out numbers through the caller and keeps them as skipped ledger rows', async () => {
    const asked: string[][] = []
    const { contacts, summary } = await importContacts(
      { path: fixtures.path(TEXT_VARIANTS.utf8Comma.file) },
      {
        defaultCountry: 'CO',
        isSuppressed: async (phones) => {
          asked.push(phones)
          return new Set(phones.filter((phone) => phone === '+573107654321'))
        },
      },
    )
    expect(asked).toEqual([CUSTOMERS.map((c) => c.e164)])
    expect(summary.optedOut).toBe(1)
    expect(contacts.map((c) => c.optedOut)).toEqual([false, true, false])
    expect(toNewRecipient(contacts[1])).toEqual({
      phone: '+573107654321',
      name: 'María Núñez',
      variables: { Nombre: 'María Núñez', Ciudad: 'Medellín' },
      skipReason: 'opted_out',
      skipDetail: expect.stringMatching(/asked not to receive/),
    })
    expect(toNewRecipient(contacts[0]).skipReason).toBeNull()
  })

  it('uses the mapping the user chose over the guess, and refuses a column that does not exist', async () => {
    const { contacts } = await importContacts(
      { path: fixtures.path(TEXT_VARIANTS.utf8Comma.file) },
      { defaultCountry: 'CO', mapping: { name: 'Ciudad', variables: [] } },
    )
    expect(contacts[0].contact).toEqual({ numero: '+573001234567', Nombre: 'Bogotá' })
    const code = await fileProblem(
      importContacts({ path: fixtures.path(TEXT_VARIANTS.utf8Comma.file) }, { defaultCountry: 'CO', mapping: { phone: 'Móvil' } }),
    )
    expect(code).toBe('unknown_column')
  })
})

describe('Excel workbooks', () => {
  it('reads numbers stored as numbers, text with leading zeros and formulas, under a merged title and header', async () => {
    const { contacts, rejected, summary } = await importContacts({ path: fixtures.path('contacts.xlsx') }, { defaultCountry: 'CO' })
    expect(summary).toMatchObject({ format: 'xlsx', sheet: 'Clientes', sheets: ['Clientes', 'Otros'], hasHeader: true, rows: 8, valid: 5, invalid: 2, duplicates: 1 })
    expect(summary.mapping).toEqual({ phone: 'Celular', name: 'Nombre completo', variables: ['B', 'Saldo', 'Última compra'] })
    expect(contacts.map((c) => [c.line, c.contact.numero])).toEqual([
      [3, '+573001234567'],
      [4, '+573107654321'],
      [6, '+573009998877'],
      [7, '+573004445566'],
      [8, '+573001234568'],
    ])
    expect(contacts[0].contact).toEqual({ numero: '+573001234567', Nombre: 'Juan', B: 'Gómez', Saldo: '15000.5', 'Última compra': '15/01/2025' })
    expect(rejected.map((r) => [r.line, r.reason])).toEqual([
      [5, 'scientific_notation'],
      [9, 'duplicate'],
      [10, 'not_a_number'],
    ])
  })

  it('reads another sheet by name', async () => {
    const { contacts, summary } = await importContacts({ path: fixtures.path('contacts.xlsx') }, { defaultCountry: 'CO', sheet: 'otros' })
    expect(summary.sheet).toBe('Otros')
    expect(contacts.map((c) => c.contact)).toEqual([{ numero: '+573112223344', Nombre: 'Otra persona' }])
  })

  it('says which sheets exist when the chosen one does not', async () => {
    const error = await importContacts({ path: fixtures.path('contacts.xlsx') }, { defaultCountry: 'CO', sheet: 'Ventas' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImportFileError)
    expect((error as ImportFileError).code).toBe('sheet_not_found')
    expect((error as Error).message).toMatch(/Clientes, Otros/)
  })
})

describe('exports from contact apps', () => {
  it('reads a Google Contacts export: first name, "Phone 1 - Value", several numbers in a cell', async () => {
    const { contacts, rejected, summary } = await importContacts({ path: committed('google-contacts.csv') }, { defaultCountry: 'CO' })
    expect(summary).toMatchObject({ rows: 4, valid: 3, invalid: 1 })
    expect(summary.mapping.phone).toBe('Phone 1 - Value')
    expect(summary.mapping.name).toBe('First Name')
    expect(contacts.map((c) => [c.contact.Nombre, c.contact.numero, c.warning])).toEqual([
      ['Carolina', '+573001112233', 'extra_numbers'],
      ['Diego', '+525512345678', 'prefix_fixed'],
      ['Fernanda', '+5511912345678', undefined],
    ])
    expect(rejected).toMatchObject([{ line: 5, reason: 'empty_phone' }])
  })

  it('makes a contact of every number in a cell when asked', async () => {
    const { contacts } = await importContacts({ path: committed('google-contacts.csv') }, { defaultCountry: 'CO', multiplePhones: 'all' })
    expect(contacts.filter((c) => c.contact.Nombre === 'Carolina').map((c) => [c.contact.numero, c.phoneType])).toEqual([
      ['+573001112233', 'MOBILE'],
      ['+576012345678', 'FIXED_LINE'],
    ])
  })

  it('reads an Outlook export by its "Mobile Phone" column', async () => {
    const { contacts, rejected, summary } = await importContacts({ path: committed('outlook-contacts.csv') }, { defaultCountry: 'CO' })
    expect(summary.mapping.phone).toBe('Mobile Phone')
    expect(summary.mapping.name).toBe('First Name')
    expect(contacts.map((c) => [c.contact.Nombre, c.contact.numero, c.contact['Last Name']])).toEqual([
      ['Lucía', '+573125550101', 'Martínez'],
      ['Andrés', '+573155550202', 'Gómez'],
    ])
    expect(rejected).toMatchObject([{ line: 4, reason: 'empty_phone' }])
  })
})

describe('garbage', () => {
  it.each([
    ['empty.csv', 'empty_file'],
    ['binary.csv', 'not_a_table'],
    ['old-excel.xls', 'old_excel'],
    ['broken.xlsx', 'unreadable_excel'],
  ])('refuses %s with %s and a sentence that says what to do', async (file, code) => {
    expect(await fileProblem(importContacts({ path: fixtures.path(file) }, { defaultCountry: 'CO' }))).toBe(code)
  })

  it('imports a header-only file as zero contacts', async () => {
    const { contacts, rejected, summary } = await importContacts({ path: fixtures.path('header-only.csv') }, { defaultCountry: 'CO' })
    expect([contacts.length, rejected.length, summary.rows, summary.hasHeader, summary.mapping.phone]).toEqual([0, 0, 0, true, 'Teléfono'])
  })

  it('refuses a 10 MB single line as one row that is too long, without holding it in the report', async () => {
    const { contacts, rejected, summary } = await importContacts({ path: fixtures.path('single-line-10mb.csv') }, { defaultCountry: 'CO' })
    expect(contacts).toEqual([])
    expect(summary.rows).toBe(1)
    expect(rejected).toHaveLength(1)
    expect(rejected[0]).toMatchObject({ line: 1, reason: 'row_too_long' })
    expect(rejected[0].value.length).toBeLessThanOrEqual(101)
  })

  it('explains a file without any phone column', async () => {
    const { writeFile } = await import('node:fs/promises')
    await writeFile(fixtures.path('no-phone.csv'), 'Producto,Precio\nPan,2000\nLeche,3500\n')
    expect(await fileProblem(importContacts({ path: fixtures.path('no-phone.csv') }, { defaultCountry: 'CO' }))).toBe('no_phone_column')
  })
})

describe('files that were refused with the wrong reason', () => {
  it('reads the first sheet of a workbook with twelve sheets and lists them all', async () => {
    const { contacts, summary } = await importContacts({ path: fixtures.path('many-sheets.xlsx') }, { defaultCountry: 'CO' })
    expect(contacts.map((c) => c.contact.numero)).toEqual(CUSTOMERS.map((c) => c.e164))
    expect(summary.sheet).toBe('Clientes')
    expect(summary.sheets).toHaveLength(12)
    const other = await previewContacts({ path: fixtures.path('many-sheets.xlsx') }, { defaultCountry: 'CO', sheet: 'Mes 12' })
    expect([other.sheet, other.columns.map((c) => c.name)]).toEqual(['Mes 12', ['A', 'B']])
  })

  it('reads a two-column CSV of three rows separated by semicolons', async () => {
    const { contacts, summary } = await importContacts({ path: fixtures.path('two-columns-semicolon.csv') }, { defaultCountry: 'CO' })
    expect(summary.delimiter).toBe(';')
    expect(contacts.map((c) => [c.contact.numero, c.contact.Nombre])).toEqual(CUSTOMERS.map((c) => [c.e164, c.name]))
  })

  it('maps a phone column Excel wrote in scientific notation and explains each row instead of "no phone column"', async () => {
    const { contacts, rejected, summary } = await importContacts({ path: fixtures.path('scientific-notation.csv') }, { defaultCountry: 'CO' })
    expect(summary.mapping.phone).toBe('Celular')
    expect(contacts).toEqual([])
    expect(rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, 'scientific_notation'],
      [3, 'scientific_notation'],
      [4, 'scientific_notation'],
    ])
  })

  it('refuses JSON sent as a CSV, saying it is JSON, instead of importing zero rows', async () => {
    expect(await fileProblem(importContacts({ path: fixtures.path('contacts.json') }, { defaultCountry: 'CO' }))).toBe('json_file')
  })
})

describe('streaming, preview and the rejected-rows CSV', () => {
  it('hands contacts over in batches and reports progress up to the whole file', async () => {
    const rows = ['telefono,nombre', ...Array.from({ length: 12_000 }, (_, i) => `${3_000_000_000 + i * 7},Cliente ${i}`)].join('\n')
    const batches: number[] = []
    const progress: ImportProgress[] = []
    const summary = await streamContacts(
      { data: Buffer.from(rows) },
      { defaultCountry: 'CO', batchSize: 5_000, onContacts: (batch) => void batches.push(batch.length), onProgress: (p) => progress.push(p) },
    )
    expect(summary.valid).toBe(12_000)
    expect(batches).toEqual([5_000, 5_000, 2_000])
    expect(progress.at(-1)).toMatchObject({ rowsRead: 12_000, valid: 12_000, bytesRead: Buffer.byteLength(rows), totalBytes: Buffer.byteLength(rows) })
  })

  it('previews the first rows and the guessed mapping without reading the whole file', async () => {
    const preview = await previewContacts({ path: fixtures.path('contacts.xlsx') }, { defaultCountry: 'CO', rows: 2 })
    expect(preview.columns.map((c) => c.name)).toEqual(['Nombre completo', 'B', 'Celular', 'Saldo', 'Última compra'])
    expect(preview.rows).toEqual([
      { 'Nombre completo': 'Juan', B: 'Gómez', Celular: '573001234567', Saldo: '15000.5', 'Última compra': '15/01/2025' },
      { 'Nombre completo': 'Ana', B: 'Ruiz', Celular: '3107654321', Saldo: '0', 'Última compra': '' },
    ])
  })

  it('exports rejected rows as a CSV in Spanish that parses back to the same rows', async () => {
    const { rejected } = await importContacts({ path: fixtures.path('contacts.xlsx') }, { defaultCountry: 'CO' })
    const csv = rejectedToCsv(rejected, 'es')
    const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data
    expect(parsed[0]).toEqual(['Fila', 'Número escrito', 'Motivo', 'Explicación'])
    expect(parsed.slice(1).map((row) => [row[0], row[2]])).toEqual([
      ['5', 'Número dañado por Excel (E+)'],
      ['9', 'Repetido'],
      ['10', 'No es un número de teléfono'],
    ])
    expect(parsed[2][3]).toBe('El mismo número ya está en la lista (fila 3); se enviará una sola vez.')
  })
})
