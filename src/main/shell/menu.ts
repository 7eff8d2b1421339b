// The tray menu as data: index.ts turns it into an Electron Menu and routes clicks by id.

import { shellText, type ShellLang } from './i18n'
import { progressText, type ProgressSummary } from './progress'

export type TrayAction = 'open' | 'pauseAll' | 'resumeAll' | 'quit'

export type TrayMenuItem =
  | { kind: 'status'; label: string }
  | { kind: 'action'; action: TrayAction; label: string; enabled: boolean }
  | { kind: 'separator' }

/** `resumablePaused`: campaigns paused by the owner (auto-paused ones are resumed from the monitor, which explains the risk). */
export function trayMenu(summary: ProgressSummary, resumablePaused: number, lang: ShellLang): TrayMenuItem[] {
  const t = shellText(lang)
  return [
    { kind: 'status', label: progressText(summary, lang) },
    { kind: 'separator' },
    { kind: 'action', action: 'open', label: t.open, enabled: true },
    { kind: 'action', action: 'pauseAll', label: t.pauseAll, enabled: summary.sending > 0 },
    { kind: 'action', action: 'resumeAll', label: t.resumeAll, enabled: resumablePaused > 0 },
    { kind: 'separator' },
    { kind: 'action', action: 'quit', label: t.quit, enabled: true },
  ]
}
