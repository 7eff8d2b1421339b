// The rejected rows' download: every original column plus the reason, written like the file that came in.

import iconv from 'iconv-lite'
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { importContacts } from '../../../src/main/contacts/importer'
import { rejectedFile } from '../../../src/main/contacts/rejectedFile'

const SPANISH_EXCEL = iconv.encode(
  ['Cliente;Celular;Ciudad', 'José Pérez;300 123 4567;Bogotá', 'Iñigo Núñez;3.00123E+09;Cúcuta', 'Ana;+57 300 123 4567;Cali', 'Eva;=1+1;Pasto', ''].join('\r\n'),
  'windows-1252',
)

describe('the rejected rows file', () => {
  it('keeps a Spanish Excel CSV as `;` Windows-1252, every column as written plus the reason, with no leading quote on numbers', async () => {
    const { rejected, summary } = await importContacts({ data: SPANISH_EXCEL }, { defaultCountry: 'CO' })
    expect(summary).toMatchObject({ encoding: 'windows1252', delimiter: ';' })
    const file = rejectedFile(rejected, summary.columns, summary, 'es')
    expect(file).toMatchObject({ encoding: 'windows1252', delimiter: ';' })
    const bytes = Buffer.from(file.dataBase64, 'base64')
    expect(bytes.includes(0xc3)).toBe(false)
    const rows = Papa.parse<string[]>(iconv.decode(bytes, 'windows-1252').trimEnd(), { delimiter: ';' }).data
    expect(rows[0]).toEqual(['Cliente', 'Celular', 'Ciudad', 'Motivo'])
    expect(rows.slice(1).map((row) => row.slice(0, 3))).toEqual([
      ['Iñigo Núñez', '3.00123E+09', 'Cúcuta'],
      ['Ana', '+57 300 123 4567', 'Cali'],
      // A formula is still defused for Excel; phone numbers ("+57 …") are not touched.
      ['Eva', "'=1+1", 'Pasto'],
    ])
    expect(rows[1][3]).toMatch(/^Excel convirtió este número/)
    expect(rows[2][3]).toBe('El mismo número ya está en la lista (fila 2); se enviará una sola vez.')
  })

  it('writes an Excel workbook’s rows as CSV UTF-8 with a BOM, in English with commas', () => {
    const file = rejectedFile(
      [{ line: 3, value: '12', reason: 'too_short', message: '', cells: ['Ana', '12'] }],
      [{ index: 0, name: 'Name', header: 'Name' }, { index: 1, name: 'Phone', header: 'Phone' }],
      { encoding: null, delimiter: null },
      'en',
    )
    const bytes = Buffer.from(file.dataBase64, 'base64')
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.subarray(3).toString('utf8')).toBe('Name,Phone,Reason\r\nAna,12,The number is too short: a digit is probably missing.\r\n')
  })
})
