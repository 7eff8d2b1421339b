// Decisions around closing and quitting: hide to tray, ask before quitting mid-send, keep the laptop awake.

import type { Settings } from '../../shared/contract'
import type { ApiResult } from '../../shared/errors'
import { shellText, type ShellLang } from './i18n'
import type { ProgressSummary } from './progress'

/** Closing the window only hides it (campaigns keep sending) unless the app is really quitting. */
export function closeAction(opts: { quitting: boolean; trayPresent: boolean }): 'hide' | 'close' {
  return opts.quitting || !opts.trayPresent ? 'close' : 'hide'
}

export interface QuitDialog {
  type: 'question'
  title: string
  message: string
  detail: string
  buttons: string[]
  defaultId: number
  cancelId: number
}

export type QuitDecision = { kind: 'quit' } | { kind: 'ask'; dialog: QuitDialog; pauseButton: number }

/**
 * Quitting while something sends asks first. An OS shutdown cannot wait for an answer: the engine
 * stops gracefully and campaigns stay running, so the next start (at login) resumes them.
 */
export function quitDecision(summary: ProgressSummary, opts: { systemShutdown: boolean }, lang: ShellLang): QuitDecision {
  if (summary.sending === 0 || opts.systemShutdown) return { kind: 'quit' }
  const t = shellText(lang)
  return {
    kind: 'ask',
    pauseButton: 0,
    dialog: {
      type: 'question',
      title: t.quitTitle,
      message: t.quitMessage(summary.sending),
      detail: t.quitDetail,
      buttons: [t.pauseAndQuit, t.cancel],
      defaultId: 1,
      cancelId: 1,
    },
  }
}

/** Electron's powerSaveBlocker, reduced to what we use. */
export interface PowerSaveBlockerPort {
  start(type: 'prevent-app-suspension'): number
  stop(id: number): void
}

/** Holds one 'prevent-app-suspension' blocker exactly while anything sends. */
export class PowerSaveGuard {
  private blockerId: number | null = null

  constructor(private readonly blocker: PowerSaveBlockerPort) {}

  get active(): boolean {
    return this.blockerId !== null
  }

  update(sending: boolean): void {
    if (sending && this.blockerId === null) this.blockerId = this.blocker.start('prevent-app-suspension')
    if (!sending && this.blockerId !== null) {
      this.blocker.stop(this.blockerId)
      this.blockerId = null
    }
  }
}

export const HIDDEN_ARG = '--hidden'

/** `app.setLoginItemSettings`: macOS honours openAsHidden, Windows passes args, both land in startsHidden. */
export function loginItemSettings(enabled: boolean): { openAtLogin: boolean; openAsHidden: boolean; args: string[] } {
  return { openAtLogin: enabled, openAsHidden: enabled, args: enabled ? [HIDDEN_ARG] : [] }
}

/** Launched at login: start minimised to the tray (recovery resumes sending without a window). */
export function startsHidden(argv: readonly string[], wasOpenedAsHidden: boolean): boolean {
  return wasOpenedAsHidden || argv.includes(HIDDEN_ARG)
}

export type ShellSettings = Pick<Settings, 'language' | 'startAtLogin' | 'autoUpdate'>

/** The shell settings a successful 'settings.set' call carries (start at login, language, updates); null for other calls. */
export function shellSettingsChange(method: string, result: ApiResult<unknown>): ShellSettings | null {
  if (method !== 'settings.set' || !result.ok) return null
  const { language, startAtLogin, autoUpdate } = result.value as Settings
  return { language, startAtLogin, autoUpdate }
}
