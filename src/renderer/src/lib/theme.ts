// Light or dark: the owner's choice, or the system's while the choice is "system" (followed live).
// The stylesheet then needs one dark palette, keyed on <html data-theme="dark">.

export type ThemeChoice = 'system' | 'light' | 'dark'

const darkQuery = (): MediaQueryList | null => (typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null)

let stopFollowing: (() => void) | null = null

export function applyTheme(choice: ThemeChoice): void {
  stopFollowing?.()
  stopFollowing = null
  const root = document.documentElement
  if (choice !== 'system') {
    root.dataset.theme = choice
    return
  }
  const query = darkQuery()
  const update = () => (root.dataset.theme = query?.matches ? 'dark' : 'light')
  update()
  query?.addEventListener('change', update)
  stopFollowing = () => query?.removeEventListener('change', update)
}
