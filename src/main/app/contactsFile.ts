// Reads a contacts file for the CLI's `send`, with the same importer the UI uses.

import type { SeedContact } from '../../shared/types'
import { explainImportReason } from '../../shared/importReasons'

export async function readContactsFile(
  path: string,
  defaultCountry: string,
  isSuppressed: (phones: string[]) => Promise<Set<string>>,
): Promise<{ contacts: SeedContact[]; rejected: { line: number; message: string }[] }> {
  const { importContacts, ImportFileError } = await import('../contacts/importer')
  try {
    const { contacts, rejected } = await importContacts({ path }, { defaultCountry, isSuppressed })
    return { contacts: contacts.map((c) => c.contact), rejected: rejected.map((r) => ({ line: r.line, message: r.message })) }
  } catch (error) {
    if (error instanceof ImportFileError) throw new Error(`${path}: ${explainImportReason(error.code, 'en')}`)
    throw error
  }
}
