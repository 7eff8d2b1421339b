// Where the wizard's stores keep their state across a reload: this tab's session storage, and never an
// error when it is full or disabled (the state then lives until the reload, as before).

import { createJSONStorage } from 'zustand/middleware'

export const sessionJsonStorage = createJSONStorage(() => ({
  getItem: (key: string) => {
    try {
      return sessionStorage.getItem(key)
    } catch {
      return null
    }
  },
  setItem: (key: string, value: string) => {
    try {
      sessionStorage.setItem(key, value)
    } catch {
      // Quota reached (a big file) or storage disabled: not kept across a reload, nothing else changes.
    }
  },
  removeItem: (key: string) => {
    try {
      sessionStorage.removeItem(key)
    } catch {
      // As above.
    }
  },
}))
