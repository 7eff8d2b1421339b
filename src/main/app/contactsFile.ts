// Reads a contacts file for the CLI's `send` with the same importer the UI uses, into an import draft on
// disk (as `contacts.import` does), so `campaigns.create` streams it and no list is ever all in memory.

import type { Account } from '../../shared/types'
import { explainImportReason } from '../../shared/importReasons'
import type { ImportDrafts } from './importDrafts'

export interface ImportedFile {
  importId: string
  rejected: number
  /** The first refused row, to show what went wrong. */
  firstRejected: { line: number; message: string } | null
}

export async function importContactsFile(
  imports: ImportDrafts,
  userId: string,
  path: string,
  account: Pick<Account, 'defaultCountry'>,
  isSuppressed: (phones: string[]) => Promise<Set<string>>,
): Promise<ImportedFile> {
  const { streamContacts, ImportFileError } = await import('../contacts/importer')
  const draft = await imports.create(userId)
  let rejected = 0
  let firstRejected: ImportedFile['firstRejected'] = null
  try {
    await streamContacts(
      { path },
      {
        defaultCountry: account.defaultCountry,
        isSuppressed,
        batchSize: 5_000,
        onContacts: (batch) => draft.write(batch.map((item) => item.contact)),
        onRejected: (batch) => {
          firstRejected ??= { line: batch[0].line, message: batch[0].message }
          rejected += batch.length
        },
      },
    )
  } catch (error) {
    await draft.end()
    imports.remove(userId, draft.importId)
    if (error instanceof ImportFileError) throw new Error(`${path}: ${explainImportReason(error.code, 'en')}`)
    throw error
  }
  await draft.end()
  return { importId: draft.importId, rejected, firstRejected }
}
