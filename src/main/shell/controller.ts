// Keeps the tray, taskbar progress, power-save blocker and notifications in step with the engine's events.

import { join } from 'node:path'
import type { BusEvent } from '../app/eventBus'
import type { Campaign } from '../../shared/types'
import { assertNever } from '../../shared/assertNever'
import type { ShellLang } from './i18n'
import { PowerSaveGuard, type PowerSaveBlockerPort } from './lifecycle'
import { trayMenu, type TrayAction, type TrayMenuItem } from './menu'
import { notificationFor, type ShellNotification } from './notifications'
import { ProgressTracker, isSending, pausedByUser, progressBarValue, trayState, trayTooltip, type ProgressSummary, type TrayState } from './progress'

/** `resources/tray/<state>.png` (16 px) with `<state>@2x.png` (32 px) beside it for HiDPI. */
export function trayIconFile(state: TrayState, resourcesDir: string): string {
  return join(resourcesDir, 'tray', `${state}.png`)
}

export interface TrayView {
  tooltip: string
  icon: TrayState
  menu: TrayMenuItem[]
}

/** What the Electron side does with the shell's decisions. */
export interface ShellPorts {
  renderTray(view: TrayView): void
  setProgressBar(value: number): void
  notify(notification: ShellNotification): void
  powerSaveBlocker: PowerSaveBlockerPort
}

export interface CampaignControl {
  pause(campaignId: string): Promise<unknown>
  resume(campaignId: string): Promise<unknown>
}

export interface ShellControllerOptions {
  ports: ShellPorts
  engine: CampaignControl
  lang: ShellLang
  /** Names for campaigns first seen through events (events carry ids only). */
  campaignName?: (campaignId: string) => Promise<string | null>
}

export class ShellController {
  readonly tracker = new ProgressTracker()
  private readonly power: PowerSaveGuard
  private lastTray = ''
  private lastBar = Number.NaN
  private lang: ShellLang

  constructor(private readonly opts: ShellControllerOptions) {
    this.power = new PowerSaveGuard(opts.ports.powerSaveBlocker)
    this.lang = opts.lang
  }

  start(campaigns: readonly Campaign[]): void {
    this.tracker.seed(campaigns)
    this.render()
  }

  setLanguage(lang: ShellLang): void {
    this.lang = lang
    this.render()
  }

  summary(): ProgressSummary {
    return this.tracker.summary()
  }

  get keepingAwake(): boolean {
    return this.power.active
  }

  handle(event: BusEvent): void {
    switch (event.name) {
      case 'campaign:progress':
        this.tracker.onProgress(event.payload as BusEvent<'campaign:progress'>['payload'])
        this.lookUpName(event.payload.campaignId)
        break
      case 'campaign:status': {
        const payload = event.payload as BusEvent<'campaign:status'>['payload']
        // Read before the tracker forgets a finished campaign: the notification needs its name and counts.
        const known = this.tracker.get(payload.campaignId)
        this.tracker.onStatus(payload)
        const notification = notificationFor(payload, known, this.lang)
        if (notification) this.opts.ports.notify(notification)
        this.lookUpName(payload.campaignId)
        break
      }
      case 'app:navigate':
      case 'app:openFile':
        return // the shell sends these; nothing to show in the tray
      default:
        assertNever(event, 'event')
    }
    this.render()
  }

  async pauseAll(): Promise<void> {
    const ids = this.tracker.active().filter(isSending).map((s) => s.campaignId)
    await Promise.all(ids.map((id) => this.opts.engine.pause(id)))
  }

  /** Only campaigns the owner paused: auto-paused ones need the monitor's explanation first. */
  async resumeAll(): Promise<void> {
    const ids = this.tracker.active().filter(pausedByUser).map((s) => s.campaignId)
    await Promise.all(ids.map((id) => this.opts.engine.resume(id)))
  }

  private lookUpName(campaignId: string): void {
    const known = this.tracker.get(campaignId)
    if (!known || known.name || !this.opts.campaignName) return
    void this.opts.campaignName(campaignId).then((name) => {
      if (name) this.tracker.setName(campaignId, name)
    }, () => undefined)
  }

  private render(): void {
    const summary = this.tracker.summary()
    const resumable = this.tracker.active().filter(pausedByUser).length
    const view: TrayView = { tooltip: trayTooltip(summary, this.lang), icon: trayState(summary), menu: trayMenu(summary, resumable, this.lang) }
    // Progress events come several times a second; Electron only hears about real changes.
    const key = JSON.stringify(view)
    if (key !== this.lastTray) {
      this.lastTray = key
      this.opts.ports.renderTray(view)
    }
    const bar = progressBarValue(summary)
    if (bar !== this.lastBar) {
      this.lastBar = bar
      this.opts.ports.setProgressBar(bar)
    }
    this.power.update(summary.sending > 0)
  }
}

export type { TrayAction }
