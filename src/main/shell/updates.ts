// When Pregón looks for updates and when it may install one: at start and daily, downloaded in the
// background, installed at the next quit — never while a campaign sends — and never when turned off.

export const FIRST_CHECK_DELAY_MS = 30_000
export const CHECK_INTERVAL_MS = 24 * 60 * 60_000

export type UpdateSkip = 'not_packaged' | 'no_feed' | 'turned_off'

/** Why a build looks for updates or not: a clone never does, nor a build made without a feed. */
export function updateSkipReason(opts: { packaged: boolean; feedConfigured: boolean; enabled: boolean }): UpdateSkip | null {
  if (!opts.packaged) return 'not_packaged'
  if (!opts.feedConfigured) return 'no_feed'
  if (!opts.enabled) return 'turned_off'
  return null
}

/**
 * Install a downloaded update as the app quits only when nothing is left sending: after "pause and
 * quit" yes; at an OS shutdown (campaigns stay running so the next start resumes them) no.
 */
export function installOnQuit(opts: { sending: number; systemShutdown: boolean }): boolean {
  return opts.sending === 0 && !opts.systemShutdown
}

/** electron-updater's autoUpdater, reduced to what we use. */
export interface UpdaterPort {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  logger: unknown
  checkForUpdates(): Promise<unknown>
}

export interface UpdateTimers {
  setTimeout(run: () => void, ms: number): unknown
  setInterval(run: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export interface UpdateSchedulerOptions {
  packaged: boolean
  feedConfigured: boolean
  /** Loaded on first use: a clone or a build without a feed never loads electron-updater. */
  loadUpdater(): Promise<UpdaterPort>
  timers: UpdateTimers
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void }
}

export class UpdateScheduler {
  private enabled = false
  private handles: unknown[] = []
  private updater: UpdaterPort | null = null

  constructor(private readonly opts: UpdateSchedulerOptions) {}

  /** The "check for updates" setting: on starts the schedule (first check shortly after), off stops it. */
  setEnabled(enabled: boolean): void {
    if (enabled === this.enabled) return
    this.enabled = enabled
    this.stop()
    const skip = updateSkipReason({ packaged: this.opts.packaged, feedConfigured: this.opts.feedConfigured, enabled })
    if (skip) {
      this.opts.log.info({ reason: skip }, 'not checking for updates')
      return
    }
    const { timers } = this.opts
    this.handles = [timers.setTimeout(() => void this.check(), FIRST_CHECK_DELAY_MS), timers.setInterval(() => void this.check(), CHECK_INTERVAL_MS)]
  }

  /** Called as the app quits, after campaigns were paused (or left running at an OS shutdown): the last word on installing. */
  prepareQuit(opts: { sending: number; systemShutdown: boolean }): void {
    this.stop()
    if (!this.updater) return
    this.updater.autoInstallOnAppQuit = this.enabled && installOnQuit(opts)
    // Our log file closes with the core before electron-updater installs at 'quit'; writing to it
    // then would throw in the middle of quitting.
    this.updater.logger = null
  }

  stop(): void {
    for (const handle of this.handles) this.opts.timers.clear(handle)
    this.handles = []
  }

  private async check(): Promise<void> {
    if (!this.enabled) return
    try {
      if (!this.updater) {
        const updater = await this.opts.loadUpdater()
        updater.autoDownload = true
        // electron-updater registers its quit handler only if this is on when a download ends; every
        // quit passes through prepareQuit, which sets the final value.
        updater.autoInstallOnAppQuit = true
        this.updater = updater
      }
      await this.updater.checkForUpdates()
    } catch (error) {
      // Offline, feed down, bad signature: try again tomorrow; sending is never affected.
      this.opts.log.warn({ err: error }, 'update check failed')
    }
  }
}
