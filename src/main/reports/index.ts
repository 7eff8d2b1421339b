// Campaign reports (CSV, Excel, PDF) written from the ledger to any Node stream: the one entry point for IPC, HTTP and CLI.

import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { assertNever } from '../../shared/assertNever'
import { notFound } from '../../shared/errors'
import type { Store } from '../store/ports'
import { writeCsvReport } from './csv'
import type { ReportOptions } from './data'
import { writePdfReport } from './pdf'
import { endStream } from './stream'
import type { ReportLang } from './words'
import { writeXlsxReport } from './xlsx'

export type ReportFormat = 'csv' | 'xlsx' | 'pdf'
export type { ReportLang } from './words'
export type { ReportOptions, ReportSummary } from './data'
export { loadReportSummary } from './data'

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
}

/** "promocion-verano-2025-01-15.pdf": safe on every file system, recognisable in a downloads folder. */
export function reportFileName(campaignName: string, format: ReportFormat, at: number = Date.now()): string {
  const slug =
    campaignName
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'campaign'
  return `${slug}-${new Date(at).toISOString().slice(0, 10)}.${format}`
}

/**
 * Writes the report of one campaign to `out` and ends it. Throws AppError `not_found` (before writing
 * anything) when the campaign does not exist or belongs to another user.
 */
export async function writeCampaignReport(
  store: Store,
  campaignId: string,
  format: ReportFormat,
  lang: ReportLang,
  out: Writable,
  opts: ReportOptions = {},
): Promise<void> {
  switch (format) {
    case 'csv': {
      if (!(await store.campaigns.get(campaignId, opts.userId))) throw notFound(`Campaign ${campaignId}`)
      await writeCsvReport(store, campaignId, lang, out, opts)
      await endStream(out)
      return
    }
    case 'xlsx':
      // The workbook writer ends `out` itself when the zip is complete.
      await writeXlsxReport(store, campaignId, lang, out, opts)
      await finished(out)
      return
    case 'pdf':
      await writePdfReport(store, campaignId, lang, out, opts)
      return
    default:
      assertNever(format, 'report format')
  }
}
