// contacts.import: reads a CSV/Excel file (bytes from the UI, or a path on the desktop), keeps the
// accepted contacts as an import draft on disk and answers with the preview, mapping and summary.

import type { Handlers } from '../dispatch'
import type { AppServices } from '../index'
import type { ImportResult } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { explainImportReason } from '../../../shared/importReasons'
import type { ImportSource, RejectedRow } from '../../contacts/importer'
import { resolveAccount } from '../credentials'
import { readSettings } from './app'

/** How many rows were refused for each reason. */
function countByReason(rows: RejectedRow[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const row of rows) counts[row.reason] = (counts[row.reason] ?? 0) + 1
  return counts
}

/** Rejected rows sent back to the screen; the downloadable CSV has all of them. */
const MAX_REJECTED_SHOWN = 1_000

export function contactHandlers(s: AppServices): Pick<Handlers, 'contacts.import'> {
  return {
    async 'contacts.import'(ctx, args): Promise<ImportResult> {
      if (args.path && s.config.mode !== 'desktop') throw new AppError('invalid_args', 'path: send the file\'s bytes (dataBase64); paths are for the desktop app', { field: 'path' })
      const account = await resolveAccount(s, ctx.userId, args.accountId)
      const settings = await readSettings(s, ctx.userId)
      const lang = args.lang ?? settings.language ?? s.config.osLanguage ?? 'es'
      // Loaded on first use: exceljs weighs ~30 MB that sending never needs.
      const { ImportFileError, previewContacts, rejectedToCsv, streamContacts } = await import('../../contacts/importer')
      const source: ImportSource = args.path ? { path: args.path } : { data: Buffer.from(args.dataBase64 as string, 'base64') }
      const draft = await s.imports.create(ctx.userId)
      const rejected: RejectedRow[] = []
      try {
        const preview = await previewContacts(source, { defaultCountry: account.defaultCountry, sheet: args.sheet, mapping: args.mapping ?? undefined, rows: 10 })
        const summary = await streamContacts(source, {
          defaultCountry: account.defaultCountry,
          sheet: args.sheet,
          mapping: args.mapping ?? undefined,
          isSuppressed: (phones) => s.store.suppressions.filter(account.id, phones),
          onContacts: (batch) => draft.write(batch.map((item) => item.contact)),
          onRejected: (batch) => void rejected.push(...batch),
        })
        await s.imports.saveSummary(ctx.userId, draft.importId, {
          fileName: args.fileName,
          sheet: summary.sheet,
          rows: summary.rows,
          valid: summary.valid,
          invalid: summary.invalid,
          duplicates: summary.duplicates,
          optedOut: summary.optedOut,
          fixedLine: summary.fixedLine,
          rejected: countByReason(rejected),
        })
        return {
          importId: draft.importId,
          sheet: summary.sheet,
          sheets: summary.sheets,
          columns: summary.columns.map((c) => c.name),
          mapping: summary.mapping,
          preview: preview.rows,
          summary: {
            rows: summary.rows,
            valid: summary.valid,
            invalid: summary.invalid,
            duplicates: summary.duplicates,
            optedOut: summary.optedOut,
            fixedLine: summary.fixedLine,
          },
          rejected: rejected.slice(0, MAX_REJECTED_SHOWN).map((r) => ({
            line: r.line,
            value: r.value,
            reason: r.reason,
            message: explainImportReason(r.reason, lang, r.firstLine === undefined ? {} : { first: r.firstLine }),
          })),
          rejectedCsv: rejectedToCsv(rejected, lang),
        }
      } catch (error) {
        if (error instanceof ImportFileError) throw new AppError('invalid_args', `${args.fileName}: ${explainImportReason(error.code, lang)}`, { field: 'dataBase64', reason: error.code })
        throw error
      } finally {
        await draft.end()
      }
    },
  }
}
