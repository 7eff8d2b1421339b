// The contact list being prepared: the picked file (kept to re-run the import with another mapping) and its result.

import { create } from 'zustand'
import type { ImportResult } from '../../../../shared/contract'

interface ContactsState {
  fileName: string | null
  dataBase64: string | null
  result: ImportResult | null
  setFile(fileName: string, dataBase64: string): void
  setResult(result: ImportResult | null): void
  reset(): void
}

const initial = { fileName: null, dataBase64: null, result: null }

export const useContactsStore = create<ContactsState>()((set) => ({
  ...initial,
  setFile: (fileName, dataBase64) => set({ fileName, dataBase64, result: null }),
  setResult: (result) => set({ result }),
  reset: () => set(initial),
}))

/** Columns a template parameter can take: the chosen variables and the name column. */
export function variableColumns(result: ImportResult | null): string[] {
  if (!result) return []
  const { name, variables } = result.mapping
  return [...(name ? [name] : []), ...variables.filter((v) => v !== name)]
}

/** The first contact's values, for previews and the test message. */
export function firstContact(result: ImportResult | null): Record<string, string> {
  return result?.preview[0] ?? {}
}
