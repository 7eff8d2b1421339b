// The Excel report: sheets summary, recipients and errors, streamed row by row (exceljs WorkbookWriter).

import ExcelJS from 'exceljs'
import type { Writable } from 'node:stream'
import { explainCampaignError } from '../../shared/errorCatalog'
import type { Store } from '../store/ports'
import { loadReportSummary, outcomeMeaning, ZoneClock, type ReportOptions } from './data'
import { campaignStatusLabel, excelCutNote, stateLabel, words, type ReportLang } from './words'

/** Excel opens no sheet longer than this (rows, the header included). */
export const EXCEL_MAX_ROWS = 1_048_576
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss'
const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true }

/** A sheet whose first row stays visible and carries filters. */
function tableSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Partial<ExcelJS.Column>[]): ExcelJS.Worksheet {
  const last = String.fromCharCode(64 + columns.length)
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.autoFilter = `A1:${last}1`
  sheet.columns = columns
  sheet.getRow(1).font = HEADER_FONT
  sheet.getRow(1).commit()
  return sheet
}

export async function writeXlsxReport(store: Store, campaignId: string, lang: ReportLang, out: Writable, opts: ReportOptions = {}): Promise<void> {
  const w = words(lang)
  const clock = new ZoneClock(opts.timeZone)
  const report = await loadReportSummary(store, campaignId, lang, opts)
  const { campaign, account, counts } = report
  const date = (ms: number | null): Date | null => (ms === null ? null : clock.wallDate(ms))
  const isoDate = (iso: string | null): Date | null => (iso ? clock.wallDate(Date.parse(iso)) : null)

  // A longer list than a sheet holds: the rows that fit, then one row saying so (also in the summary).
  const maxRows = opts.xlsxMaxRows ?? EXCEL_MAX_ROWS
  const shown = report.total > maxRows - 1 ? maxRows - 2 : report.total
  const cutNote = shown < report.total ? excelCutNote(maxRows, shown, report.total, lang) : null

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  workbook.creator = 'Pregón'

  const summary = workbook.addWorksheet(w.summary)
  summary.columns = [
    { header: w.item, key: 'item', width: 34 },
    { header: w.value, key: 'value', width: 48, style: { alignment: { horizontal: 'left' } } },
  ]
  summary.getRow(1).font = HEADER_FONT
  const summaryRows: [string, string | number | Date | null][] = [
    [w.campaign, campaign.campaignName],
    [w.status, campaignStatusLabel(campaign.status, lang)],
    ...(campaign.error ? [[w.pausedBecause, explainCampaignError(campaign.error, lang).title] as [string, string]] : []),
    [w.account, account ? `${account.label}${account.simulated ? ` (${w.simulated})` : ''}` : campaign.accountId],
    [w.senderNumber, account?.displayPhoneNumber ?? account?.phoneNumberId ?? ''],
    [w.template, campaign.template.name],
    [w.language, campaign.template.language],
    [w.category, campaign.template.category ?? ''],
    [w.createdAt, isoDate(campaign.createdAt)],
    [w.startedAt, isoDate(campaign.startedAt)],
    [w.completedAt, isoDate(campaign.completedAt)],
    [w.contacts, report.total],
    ...(cutNote ? [[w.note, cutNote] as [string, string]] : []),
    [w.accepted, report.funnel.sent],
    [w.delivered, report.funnel.delivered],
    [w.read, report.funnel.read],
    [w.replied, report.funnel.replied],
    [w.failed, counts.failed],
    [w.skipped, counts.skipped],
    [w.uncertain, counts.uncertain],
    [w.pending, counts.queued + counts.sending + counts.retry_wait],
    [w.generatedAt, clock.wallDate(report.generatedAt)],
  ]
  for (const [item, value] of summaryRows) {
    const row = summary.addRow({ item, value })
    if (value instanceof Date) row.getCell(2).numFmt = DATE_FORMAT
    row.commit()
  }
  summary.commit()

  const recipients = tableSheet(workbook, w.recipients, [
    { header: w.number, key: 'phone', width: 18 },
    { header: w.name, key: 'name', width: 24 },
    { header: w.status, key: 'status', width: 14 },
    { header: w.wamid, key: 'wamid', width: 30 },
    { header: w.errorCode, key: 'errorCode', width: 12 },
    { header: w.meaning, key: 'meaning', width: 50 },
    { header: w.sentAt, key: 'sentAt', width: 20, style: { numFmt: DATE_FORMAT } },
    { header: w.deliveredAt, key: 'deliveredAt', width: 20, style: { numFmt: DATE_FORMAT } },
    { header: w.readAt, key: 'readAt', width: 20, style: { numFmt: DATE_FORMAT } },
    { header: w.repliedAt, key: 'repliedAt', width: 20, style: { numFmt: DATE_FORMAT } },
  ])
  let written = 0
  rows: for await (const batch of store.ledger.iterate(campaignId, opts.batchSize ?? 2_000)) {
    for (const r of batch) {
      if (written++ === shown) break rows
      recipients
        .addRow([
          r.phone,
          r.name ?? '',
          stateLabel(r.state, lang),
          r.wamid ?? '',
          r.errorCode,
          outcomeMeaning(r, lang),
          date(r.sentAt),
          date(r.deliveredAt),
          date(r.readAt),
          date(r.repliedAt),
        ])
        .commit()
    }
  }
  if (cutNote) recipients.addRow([cutNote]).commit()
  recipients.commit()

  const errors = tableSheet(workbook, w.errors, [
    { header: w.errorCode, key: 'code', width: 12 },
    { header: w.count, key: 'count', width: 10 },
    { header: w.meaning, key: 'meaning', width: 50 },
    { header: w.whatToDo, key: 'whatToDo', width: 70 },
    { header: w.metaMessage, key: 'metaMessage', width: 50 },
  ])
  for (const line of report.errors) {
    errors.addRow([line.errorCode, line.count, line.title, line.whatToDo, line.metaMessage ?? '']).commit()
  }
  errors.commit()
  // Ends `out` once the zip is written.
  await workbook.commit()
}
