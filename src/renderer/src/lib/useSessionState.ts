// State that survives a reload of this tab (session storage), for the wizard's own fields.

import { useCallback, useState } from 'react'

function read<T>(key: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(key)
    return raw === null ? undefined : (JSON.parse(raw) as T)
  } catch {
    // Storage off or a value from another version: start from the default.
    return undefined
  }
}

export function useSessionState<T>(key: string, initial: () => T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => read<T>(key) ?? initial())
  const set = useCallback(
    (next: T) => {
      setValue(next)
      try {
        sessionStorage.setItem(key, JSON.stringify(next))
      } catch {
        // Full or disabled storage: the value still holds until the reload.
      }
    },
    [key],
  )
  return [value, set]
}

/** Forgets every kept value whose key starts with `prefix` (a finished wizard). */
export function forgetSessionState(prefix: string): void {
  for (const key of Object.keys(sessionStorage)) if (key.startsWith(prefix)) sessionStorage.removeItem(key)
}
