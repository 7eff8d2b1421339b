import { describe, expect, it } from 'vitest'
import { osLanguage } from '../../../src/main/shell/i18n'
import { PowerSaveGuard, closeAction, loginItemSettings, quitDecision, shellSettingsChange, startsHidden } from '../../../src/main/shell/lifecycle'
import { trayMenu } from '../../../src/main/shell/menu'
import { summarize, type CampaignSnapshot } from '../../../src/main/shell/progress'

const snap = (id: string, status: CampaignSnapshot['status']): CampaignSnapshot => ({
  campaignId: id,
  name: id,
  status,
  error: null,
  processed: 1,
  total: 4,
  successCount: 1,
  failedCount: 0,
})
const sending = summarize([snap('a', 'processing'), snap('b', 'processing')])
const idle = summarize([])

describe('tray menu', () => {
  it('lists the progress, open, pause all, resume all and quit, in that order', () => {
    const menu = trayMenu(sending, 0, 'en')
    expect(menu.map((i) => (i.kind === 'action' ? i.action : i.kind))).toEqual(['status', 'separator', 'open', 'pauseAll', 'resumeAll', 'separator', 'quit'])
    expect(menu[0]).toEqual({ kind: 'status', label: '2 campaigns · 2 / 8 · 25 %' })
  })

  it('enables pause all only while sending and resume all only with owner-paused campaigns', () => {
    const enabled = (menu: ReturnType<typeof trayMenu>) => Object.fromEntries(menu.flatMap((i) => (i.kind === 'action' ? [[i.action, i.enabled]] : [])))
    expect(enabled(trayMenu(sending, 0, 'en'))).toEqual({ open: true, pauseAll: true, resumeAll: false, quit: true })
    expect(enabled(trayMenu(idle, 2, 'en'))).toEqual({ open: true, pauseAll: false, resumeAll: true, quit: true })
  })

  it('speaks Spanish', () => {
    const labels = trayMenu(idle, 0, 'es').flatMap((i) => (i.kind === 'separator' ? [] : [i.label]))
    expect(labels).toEqual(['Sin envíos en curso', 'Abrir Pregón', 'Pausar todo', 'Reanudar todo', 'Salir'])
  })
})

describe('quitting', () => {
  it('quits straight away when nothing is sending', () => {
    expect(quitDecision(idle, { systemShutdown: false }, 'en')).toEqual({ kind: 'quit' })
  })

  it('asks first while campaigns send, offering to pause them, with cancel as the safe default', () => {
    const decision = quitDecision(sending, { systemShutdown: false }, 'en')
    expect(decision.kind).toBe('ask')
    if (decision.kind !== 'ask') return
    expect(decision.dialog.message).toBe('2 campaigns are sending. Pause them and quit?')
    expect(decision.dialog.buttons[decision.pauseButton]).toBe('Pause and quit')
    expect(decision.dialog.buttons[decision.dialog.cancelId]).toBe('Cancel')
    expect(decision.dialog.defaultId).toBe(decision.dialog.cancelId)
  })

  it('asks in Spanish', () => {
    const decision = quitDecision(summarize([snap('a', 'processing')]), { systemShutdown: false }, 'es')
    expect(decision.kind === 'ask' && decision.dialog.message).toBe('Hay 1 campaña enviando. ¿Pausarla y salir?')
  })

  it('does not ask during an OS shutdown, so campaigns stay running for the next login', () => {
    expect(quitDecision(sending, { systemShutdown: true }, 'en')).toEqual({ kind: 'quit' })
  })

  it('hides the window to the tray on close unless the app is quitting', () => {
    expect(closeAction({ quitting: false, trayPresent: true })).toBe('hide')
    expect(closeAction({ quitting: true, trayPresent: true })).toBe('close')
    expect(closeAction({ quitting: false, trayPresent: false })).toBe('close')
  })
})

describe('power-save blocker', () => {
  it('holds exactly one blocker while anything sends and releases it after', () => {
    const calls: string[] = []
    let next = 7
    const guard = new PowerSaveGuard({
      start: (type) => {
        calls.push(`start ${type}`)
        return next++
      },
      stop: (id) => calls.push(`stop ${id}`),
    })
    guard.update(true)
    guard.update(true)
    expect(guard.active).toBe(true)
    guard.update(false)
    guard.update(false)
    guard.update(true)
    expect(calls).toEqual(['start prevent-app-suspension', 'stop 7', 'start prevent-app-suspension'])
  })
})

describe('start at login', () => {
  it('registers a hidden start so a reboot resumes sending from the tray', () => {
    expect(loginItemSettings(true)).toEqual({ openAtLogin: true, openAsHidden: true, args: ['--hidden'] })
    expect(loginItemSettings(false)).toEqual({ openAtLogin: false, openAsHidden: false, args: [] })
  })

  it('starts hidden when launched with --hidden or opened as hidden by macOS', () => {
    expect(startsHidden(['/app/pregon', '--hidden'], false)).toBe(true)
    expect(startsHidden(['/app/pregon'], true)).toBe(true)
    expect(startsHidden(['/app/pregon'], false)).toBe(false)
  })

  it('picks the shell settings out of a successful settings.set only', () => {
    const saved = { ok: true as const, value: { language: 'es', startAtLogin: true, autoUpdate: false, theme: 'dark' } }
    expect(shellSettingsChange('settings.set', saved)).toEqual({ language: 'es', startAtLogin: true, autoUpdate: false })
    expect(shellSettingsChange('settings.get', saved)).toBeNull()
    expect(shellSettingsChange('settings.set', { ok: false, error: { code: 'invalid_args', message: 'x' } })).toBeNull()
  })
})

describe('OS language', () => {
  it('takes the first preferred language we speak', () => {
    expect(osLanguage(['es-419', 'en-US'])).toBe('es')
    expect(osLanguage(['fr-FR', 'en-GB', 'es-ES'])).toBe('en')
    expect(osLanguage(['de_DE', 'ES_mx'])).toBe('es')
  })

  it('falls back to English', () => {
    expect(osLanguage(['fr-FR'])).toBe('en')
    expect(osLanguage([])).toBe('en')
  })
})
