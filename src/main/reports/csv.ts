// The CSV report: one row per recipient, streamed from the ledger in position order.

import Papa from 'papaparse'
import type { Writable } from 'node:stream'
import type { Store } from '../store/ports'
import { outcomeMeaning, ZoneClock, type ReportOptions } from './data'
import { stateLabel, words, type ReportLang } from './words'
import { writeChunk } from './stream'

/**
 * Cells Excel would run as a formula get a leading quote, except phone numbers like "+57 300…",
 * which are data (and the column people care most about).
 */
const FORMULA_START = /^[=@\t\r]|^[+-](?![\d\s()-]*$)/

export async function writeCsvReport(store: Store, campaignId: string, lang: ReportLang, out: Writable, opts: ReportOptions = {}): Promise<void> {
  const w = words(lang)
  const clock = new ZoneClock(opts.timeZone)
  const header = [w.number, w.name, w.status, w.wamid, w.errorCode, w.meaning, w.sentAt, w.deliveredAt, w.readAt, w.repliedAt]
  const unparse = (rows: string[][]): string => `${Papa.unparse(rows, { newline: '\r\n', escapeFormulae: FORMULA_START })}\r\n`
  // A BOM so Excel reads the accents as UTF-8.
  await writeChunk(out, `\uFEFF${unparse([header])}`)
  for await (const batch of store.ledger.iterate(campaignId, opts.batchSize ?? 2_000)) {
    const rows = batch.map((r) => [
      r.phone,
      r.name ?? '',
      stateLabel(r.state, lang),
      r.wamid ?? '',
      r.errorCode === null ? '' : String(r.errorCode),
      outcomeMeaning(r, lang),
      clock.format(r.sentAt),
      clock.format(r.deliveredAt),
      clock.format(r.readAt),
      clock.format(r.repliedAt),
    ])
    if (rows.length > 0) await writeChunk(out, unparse(rows))
  }
}
