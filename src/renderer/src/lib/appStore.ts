// App-wide state: which screen is open, app info, settings and the sender accounts.

import { create } from 'zustand'
import type { AccountView, AppInfo, Settings } from '../../../shared/contract'

export type Screen = 'accounts' | 'contacts' | 'template' | 'review' | 'monitor' | 'campaign' | 'optouts' | 'settings'

interface AppState {
  screen: Screen
  /** The campaign shown by the detail page. */
  campaignId: string | null
  info: AppInfo | null
  settings: Settings | null
  accounts: AccountView[]
  selectedAccountId: string | null
  go(screen: Screen, campaignId?: string): void
  setInfo(info: AppInfo): void
  setSettings(settings: Settings): void
  setAccounts(accounts: AccountView[]): void
  selectAccount(id: string | null): void
}

const initial = { screen: 'accounts' as Screen, campaignId: null, info: null, settings: null, accounts: [], selectedAccountId: null }

export const useAppStore = create<AppState>()((set, get) => ({
  ...initial,
  go: (screen, campaignId) => set({ screen, campaignId: campaignId ?? (screen === 'campaign' ? get().campaignId : null) }),
  setInfo: (info) => set({ info }),
  setSettings: (settings) => set({ settings }),
  setAccounts: (accounts) => {
    const { selectedAccountId, settings } = get()
    const stillThere = accounts.some((a) => a.id === selectedAccountId)
    const preferred = accounts.find((a) => a.id === settings?.defaultAccountId) ?? accounts[0]
    set({ accounts, selectedAccountId: stillThere ? selectedAccountId : (preferred?.id ?? null) })
  },
  selectAccount: (id) => set({ selectedAccountId: id }),
}))

export function selectedAccount(state: Pick<AppState, 'accounts' | 'selectedAccountId'>): AccountView | null {
  return state.accounts.find((a) => a.id === state.selectedAccountId) ?? null
}

export function resetAppStore(): void {
  useAppStore.setState(initial)
}
