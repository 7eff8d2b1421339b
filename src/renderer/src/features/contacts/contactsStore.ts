// The contact list being prepared: the picked file (kept to re-run the import with another mapping) and its result.
// A file opened with Pregón on the desktop is kept as its local path instead of its bytes.

import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import type { ImportResult } from '../../../../shared/contract'

interface ContactsState {
  fileName: string | null
  dataBase64: string | null
  path: string | null
  result: ImportResult | null
  setFile(fileName: string, dataBase64: string): void
  openPath(fileName: string, path: string): void
  setResult(result: ImportResult | null): void
  reset(): void
}

const initial = { fileName: null, dataBase64: null, path: null, result: null }

/** Above this a picked file is not kept across a reload (session storage holds ~5 MB): the import is, and remapping asks for the file again. */
const KEEP_FILE_CHARS = 1_500_000

// The wizard survives a reload of the window (session storage: this tab only, gone when it closes).
export const useContactsStore = create<ContactsState>()(
  persist(
    (set) => ({
      ...initial,
      setFile: (fileName, dataBase64) => set({ fileName, dataBase64, path: null, result: null }),
      openPath: (fileName, path) => set({ fileName, dataBase64: null, path, result: null }),
      setResult: (result) => set({ result }),
      reset: () => set(initial),
    }),
    {
      name: 'pregon:wizard:contacts',
      storage: createJSONStorage(() => sessionStorage),
      partialize: ({ fileName, dataBase64, path, result }) => ({
        fileName,
        dataBase64: dataBase64 && dataBase64.length <= KEEP_FILE_CHARS ? dataBase64 : null,
        path,
        result,
      }),
    },
  ),
)

/** What contacts.import reads: the picked file's bytes, or the path of a file opened with Pregón. */
export function fileSource(state: Pick<ContactsState, 'dataBase64' | 'path'>): { dataBase64: string } | { path: string } | null {
  if (state.dataBase64) return { dataBase64: state.dataBase64 }
  if (state.path) return { path: state.path }
  return null
}

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
