// Issue 11: Excel dates reached the message as ISO ("1990-05-17") instead of how the sheet shows them.

import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { previewContacts } from '../../../src/main/contacts/importer'
import { excelDate } from '../../../src/main/contacts/rows'

const MAY_17_1990 = new Date(Date.UTC(1990, 4, 17))

describe('Excel date cells', () => {
  it('keep the order and separator of their format', () => {
    expect(excelDate(MAY_17_1990, 'dd/mm/yyyy')).toBe('17/05/1990')
    expect(excelDate(MAY_17_1990, 'd-m-yy')).toBe('17-05-1990')
    expect(excelDate(MAY_17_1990, 'yyyy-mm-dd')).toBe('1990-05-17')
    expect(excelDate(MAY_17_1990, 'm/d/yyyy')).toBe('05/17/1990')
    expect(excelDate(MAY_17_1990, '[$-es-CO]dd/mm/yyyy')).toBe('17/05/1990')
    expect(excelDate(new Date(Date.UTC(2025, 0, 10, 12, 30)), 'dd/mm/yyyy h:mm')).toBe('10/01/2025 12:30')
  })

  it('write Excel’s built-in short date (each computer’s own order) day first, never ISO', () => {
    expect(excelDate(MAY_17_1990, 'mm-dd-yy')).toBe('17/05/1990')
    expect(excelDate(MAY_17_1990, undefined)).toBe('17/05/1990')
  })

  it('reach the import as the sheet shows them, from a workbook whose first sheet is a summary', async () => {
    const workbook = new ExcelJS.Workbook()
    workbook.addWorksheet('Resumen').getCell('A1').value = 'Total clientes: 2'
    const sheet = workbook.addWorksheet('Clientes')
    sheet.addRow(['Nombre', 'Celular', 'Cumpleaños'])
    sheet.addRow(['Ana', '3001234567', MAY_17_1990]).getCell(3).numFmt = 'dd/mm/yyyy'
    sheet.addRow(['Luis', '3001234568', new Date(Date.UTC(1990, 0, 1))]).getCell(3).numFmt = 'mm-dd-yy'
    const data = Buffer.from(await workbook.xlsx.writeBuffer())
    const preview = await previewContacts({ data }, { defaultCountry: 'CO', sheet: 'Clientes', rows: 5 })
    expect(preview.rows.map((row) => row['Cumpleaños'])).toEqual(['17/05/1990', '01/01/1990'])
  })
})
