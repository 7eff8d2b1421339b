// Campaign reports read back (CSV parsed, XLSX opened with exceljs, PDF text extracted) and checked against the ledger.
import { execFileSync } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportFileName, writeCampaignReport, type ReportFormat } from '../../../src/main/reports'
import { explainError } from '../../../src/shared/errorCatalog'
import type { RecipientState } from '../../../src/shared/types'
import { STEP_MS, T0, buildReportLedger, type ReportLedger } from './ledger'

const ARTIFACTS = join(__dirname, '../../artifacts/reports')
const OPTS = { timeZone: 'America/Bogota', now: Date.UTC(2025, 2, 11, 12) }
let ledger: ReportLedger
let counts: Record<RecipientState, number>

beforeAll(async () => {
  ledger = await buildReportLedger()
  counts = await ledger.store.ledger.stateCounts(ledger.campaign.id)
  await mkdir(ARTIFACTS, { recursive: true })
})
afterAll(async () => {
  await ledger.close()
})

async function render(format: ReportFormat, lang: 'es' | 'en', opts: { xlsxMaxRows?: number } = {}): Promise<Buffer> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (chunk: Buffer) => chunks.push(chunk))
  await writeCampaignReport(ledger.store, ledger.campaign.id, format, lang, out, { ...OPTS, ...opts })
  return Buffer.concat(chunks)
}

describe('CSV report', () => {
  it('has one row per recipient whose statuses add up to the ledger counts', async () => {
    const text = (await render('csv', 'en')).toString('utf8')
    expect(text.startsWith('\uFEFF')).toBe(true)
    const rows = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true }).data
    expect(rows).toHaveLength(ledger.campaign.contactsCount)
    const byStatus = (label: string): number => rows.filter((row) => row.Status === label).length
    expect([byStatus('Sent'), byStatus('Delivered'), byStatus('Read'), byStatus('Failed'), byStatus('Skipped'), byStatus('Unconfirmed')]).toEqual([
      counts.sent,
      counts.delivered,
      counts.read,
      counts.failed,
      counts.skipped,
      counts.uncertain,
    ])
    expect(rows.filter((row) => row['Replied at'] !== '')).toHaveLength(ledger.campaign.repliedCount)
  })

  it('prints numbers untouched, error codes with their meaning and local times', async () => {
    const rows = Papa.parse<Record<string, string>>((await render('csv', 'en')).toString('utf8').slice(1), { header: true }).data
    expect(rows[1]).toMatchObject({
      Number: '+573001200001',
      Name: 'Cliente 1',
      Status: 'Read',
      'WhatsApp message id': 'wamid.1',
      // 14:00:10 UTC is 09:00:10 in Bogotá.
      'Sent at': '2025-03-10 09:00:10',
      'Delivered at': '2025-03-10 09:00:12',
      'Read at': '2025-03-10 09:01:10',
      'Replied at': '2025-03-10 09:02:10',
    })
    expect(rows[9]).toMatchObject({ Status: 'Failed', 'Error code': '131026', Meaning: explainError(131026, 'en').title })
    expect(rows[0]).toMatchObject({ Status: 'Skipped', Meaning: 'Asked not to receive messages' })
  })

  it('speaks Spanish when asked', async () => {
    const header = (await render('csv', 'es')).toString('utf8').slice(1).split('\r\n')[0]
    expect(header).toBe('Número,Nombre,Estado,Id del mensaje de WhatsApp,Código de error,Significado,Enviado,Entregado,Leído,Respondió')
  })
})

describe('Excel report', () => {
  it('has summary, recipients and errors sheets whose totals match the ledger, with real numbers and dates', async () => {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await render('xlsx', 'en')) as unknown as ArrayBuffer)
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Summary', 'Recipients', 'Errors'])

    const summary = new Map<string, ExcelJS.CellValue>()
    workbook.getWorksheet('Summary')?.eachRow((row, n) => {
      if (n > 1) summary.set(String(row.getCell(1).value), row.getCell(2).value)
    })
    expect(summary.get('Contacts')).toBe(ledger.campaign.contactsCount)
    expect(summary.get('Sent')).toBe(counts.sent + counts.delivered + counts.read)
    expect(summary.get('Delivered')).toBe(counts.delivered + counts.read)
    expect(summary.get('Read')).toBe(counts.read)
    expect(summary.get('Replied')).toBe(ledger.campaign.repliedCount)
    expect(summary.get('Failed')).toBe(counts.failed)
    expect(summary.get('Started')).toEqual(new Date(Date.UTC(2025, 2, 10, 9, 0, 0)))

    const recipients = workbook.getWorksheet('Recipients')
    expect(recipients?.rowCount).toBe(ledger.campaign.contactsCount + 1)
    expect(recipients?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(recipients?.autoFilter).toBe('A1:J1')
    const failedRow = recipients?.getRow(11)
    expect(failedRow?.getCell(5).value).toBe(131026)
    const readRow = recipients?.getRow(3)
    expect(readRow?.getCell(7).value).toEqual(new Date(Date.UTC(2025, 2, 10, 9, 0, 10)))
    expect(readRow?.getCell(7).numFmt).toBe('yyyy-mm-dd hh:mm:ss')

    const errors: [ExcelJS.CellValue, ExcelJS.CellValue][] = []
    workbook.getWorksheet('Errors')?.eachRow((row, n) => {
      if (n > 1) errors.push([row.getCell(1).value, row.getCell(2).value])
    })
    expect(errors).toEqual([
      [131026, 6],
      [132001, 1],
    ])
    expect(errors.reduce((sum, [, count]) => sum + Number(count), 0)).toBe(counts.failed)
  })
})

describe('Excel report longer than a sheet holds', () => {
  // Excel's 1,048,576 rows, scaled down: the same code path with a sheet of a few rows.
  const workbookOf = async (lang: 'es' | 'en', xlsxMaxRows: number) => {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await render('xlsx', lang, { xlsxMaxRows })) as unknown as ArrayBuffer)
    return workbook
  }
  const column = (sheet: ExcelJS.Worksheet | undefined, n: number): ExcelJS.CellValue[] => {
    const values: ExcelJS.CellValue[] = []
    sheet?.eachRow((row) => values.push(row.getCell(n).value))
    return values
  }

  it('fills the sheet with the first recipients in order, ends it with a note saying how many of how many, and repeats the note in the summary', async () => {
    const total = ledger.campaign.contactsCount
    const maxRows = total - 3
    const workbook = await workbookOf('en', maxRows)
    const recipients = workbook.getWorksheet('Recipients')
    expect(recipients?.rowCount).toBe(maxRows)
    const note = `Excel holds at most ${maxRows} rows in a sheet: this sheet lists the first ${maxRows - 2} of the ${total} recipients. The CSV report has all of them.`
    const csvNumbers = Papa.parse<Record<string, string>>((await render('csv', 'en')).toString('utf8').slice(1), { header: true }).data.map((row) => row.Number)
    expect(column(recipients, 1)).toEqual(['Number', ...csvNumbers.slice(0, maxRows - 2), note])
    const summary = workbook.getWorksheet('Summary')
    expect(column(summary, 1)).toContain('Note')
    expect(column(summary, 2)).toContain(note)
  })

  it('says it in Spanish in a Spanish report', async () => {
    const total = ledger.campaign.contactsCount
    const workbook = await workbookOf('es', 10)
    const recipients = workbook.getWorksheet('Destinatarios')
    expect(recipients?.rowCount).toBe(10)
    expect(recipients?.getRow(10).getCell(1).value).toBe(
      `Excel admite como máximo 10 filas por hoja: esta hoja muestra los primeros 8 de los ${total} destinatarios. El informe CSV los tiene todos.`,
    )
  })

  it('adds no note when every recipient fits, even exactly', async () => {
    const total = ledger.campaign.contactsCount
    const workbook = await workbookOf('en', total + 1)
    expect(workbook.getWorksheet('Recipients')?.rowCount).toBe(total + 1)
    expect(column(workbook.getWorksheet('Summary'), 1)).not.toContain('Note')
  })
})

describe('PDF report', () => {
  it('shows the summary, funnel, errors in plain words, account and template, and renders to a PNG', async () => {
    const pdfPath = join(ARTIFACTS, 'campaign-report-en.pdf')
    await writeCampaignReport(ledger.store, ledger.campaign.id, 'pdf', 'en', createWriteStream(pdfPath), OPTS)
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString('utf8')
    const sent = counts.sent + counts.delivered + counts.read
    expect(text).toContain('Campaign report')
    expect(text).toContain('Promoción Día de la Madre')
    expect(text).toContain('Panadería La Espiga')
    expect(text).toContain('promo_madre · es · MARKETING')
    expect(text).toMatch(new RegExp(`Contacts\\s+${ledger.campaign.contactsCount}`))
    expect(text).toMatch(new RegExp(`Delivered\\s+${counts.delivered + counts.read}\\s+\\(${Math.round(((counts.delivered + counts.read) / sent) * 100)} % of sent\\)`))
    expect(text).toMatch(new RegExp(`Replied\\s+${ledger.campaign.repliedCount}`))
    expect(text).toContain(`6 × Error code 131026: ${explainError(131026, 'en').title}`)
    expect(text).toContain(explainError(132001, 'en').whatToDo.slice(0, 40))
    expect(text).toContain('Sending rate over time')

    execFileSync('pdftoppm', ['-png', '-r', '80', pdfPath, join(ARTIFACTS, 'campaign-report-en')])
    const png = await readFile(join(ARTIFACTS, 'campaign-report-en-1.png'))
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG')
  })

  it('is written in Spanish when asked', async () => {
    const pdfPath = join(ARTIFACTS, 'campaign-report-es.pdf')
    await writeCampaignReport(ledger.store, ledger.campaign.id, 'pdf', 'es', createWriteStream(pdfPath), OPTS)
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString('utf8')
    expect(text).toContain('Informe de campaña')
    expect(text).toContain('De enviados a respondidos')
    expect(text).toContain(explainError(131026, 'es').title)
    expect(text).toContain('2025-03-10 09:00')
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdfPath, join(ARTIFACTS, 'campaign-report-es')])
  })
})

describe('report access', () => {
  it("refuses an unknown campaign and another user's campaign before writing anything", async () => {
    for (const [id, userId] of [
      ['no-such-campaign', undefined],
      [ledger.campaign.id, 'someone-else'],
    ] as const) {
      const out = new PassThrough()
      let written = 0
      out.on('data', (chunk: Buffer) => (written += chunk.length))
      await expect(writeCampaignReport(ledger.store, id, 'csv', 'en', out, { userId })).rejects.toMatchObject({ code: 'not_found' })
      await expect(writeCampaignReport(ledger.store, id, 'pdf', 'en', out, { userId })).rejects.toMatchObject({ code: 'not_found' })
      expect(written).toBe(0)
    }
  })

  it('names the file after the campaign, safely', () => {
    expect(reportFileName('Promoción Día de la Madre', 'pdf', T0 + STEP_MS)).toBe('promocion-dia-de-la-madre-2025-03-10.pdf')
    expect(reportFileName('¡¡!!', 'csv', T0)).toBe('campaign-2025-03-10.csv')
  })
})
