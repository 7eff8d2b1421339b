// App-wide state: which screen is open, app info, settings and the sender accounts.

import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
import type { AccountView, AppInfo, Settings } from '../../../shared/contract'
import { pushRoute } from './route'

export type Screen = 'welcome' | 'accounts' | 'contacts' | 'template' | 'review' | 'monitor' | 'campaign' | 'optouts' | 'settings'

interface AppState {
  screen: Screen
  /** The campaign shown by the detail page. */
  campaignId: string | null
  info: AppInfo | null
  settings: Settings | null
  accounts: AccountView[]
  selectedAccountId: string | null
  /** Opens a screen and records it in the address bar (Back returns here). */
  go(screen: Screen, campaignId?: string): void
  /** Shows the screen the address bar names (Back, Forward, reload): nothing is pushed. */
  follow(screen: Screen, campaignId: string | null): void
  setInfo(info: AppInfo): void
  setSettings(settings: Settings): void
  setAccounts(accounts: AccountView[]): void
  selectAccount(id: string | null): void
}

const initial = { screen: 'accounts' as Screen, campaignId: null, info: null, settings: null, accounts: [], selectedAccountId: null }

// The chosen sender survives a reload (this tab's session storage), like the rest of the wizard.
export const useAppStore = create<AppState>()(
  persist(
    (set, get) => ({
      ...initial,
      go: (screen, campaignId) => {
        const next = { screen, campaignId: campaignId ?? (screen === 'campaign' ? get().campaignId : null) }
        set(next)
        pushRoute(next)
      },
      follow: (screen, campaignId) => set({ screen, campaignId }),
      setInfo: (info) => set({ info }),
      setSettings: (settings) => set({ settings }),
      setAccounts: (accounts) => {
        const { selectedAccountId, settings } = get()
        const stillThere = accounts.some((a) => a.id === selectedAccountId)
        const preferred = accounts.find((a) => a.id === settings?.defaultAccountId) ?? accounts[0]
        set({ accounts, selectedAccountId: stillThere ? selectedAccountId : (preferred?.id ?? null) })
      },
      selectAccount: (id) => set({ selectedAccountId: id }),
    }),
    {
      name: 'pregon:wizard:account',
      storage: createJSONStorage(() => sessionStorage),
      partialize: ({ selectedAccountId }) => ({ selectedAccountId }),
    },
  ),
)

export function selectedAccount(state: Pick<AppState, 'accounts' | 'selectedAccountId'>): AccountView | null {
  return state.accounts.find((a) => a.id === state.selectedAccountId) ?? null
}

export function resetAppStore(): void {
  useAppStore.setState(initial)
}
