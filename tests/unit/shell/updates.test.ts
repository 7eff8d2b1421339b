import { describe, expect, it } from 'vitest'
import { CHECK_INTERVAL_MS, FIRST_CHECK_DELAY_MS, UpdateScheduler, installOnQuit, updateSkipReason, type UpdaterPort } from '../../../src/main/shell/updates'

/** Timers the test fires by hand: no waiting, no clock. */
function manualTimers() {
  const live = new Map<number, { ms: number; repeat: boolean; run: () => void }>()
  let next = 1
  return {
    live,
    setTimeout: (run: () => void, ms: number) => (live.set(next, { ms, repeat: false, run }), next++),
    setInterval: (run: () => void, ms: number) => (live.set(next, { ms, repeat: true, run }), next++),
    clear: (handle: unknown) => void live.delete(handle as number),
    /** Runs the timer of that delay, as if it had elapsed. */
    fire(ms: number) {
      const entry = [...live].find(([, t]) => t.ms === ms)
      if (!entry) throw new Error(`no timer of ${ms} ms is set`)
      if (!entry[1].repeat) live.delete(entry[0])
      entry[1].run()
    },
  }
}

function fakeUpdater() {
  const updater: UpdaterPort & { checks: number; fail: Error | null } = {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    logger: 'the app log',
    checks: 0,
    fail: null,
    async checkForUpdates() {
      updater.checks++
      if (updater.fail) throw updater.fail
      return null
    },
  }
  return updater
}

function scheduler(opts: { packaged?: boolean; feedConfigured?: boolean } = {}) {
  const timers = manualTimers()
  const updater = fakeUpdater()
  const logs: { msg: string; obj: object }[] = []
  let loads = 0
  const log = { info: (obj: object, msg: string) => logs.push({ obj, msg }), warn: (obj: object, msg: string) => logs.push({ obj, msg }) }
  const s = new UpdateScheduler({
    packaged: opts.packaged ?? true,
    feedConfigured: opts.feedConfigured ?? true,
    loadUpdater: async () => (loads++, updater),
    timers,
    log,
  })
  return { s, timers, updater, logs, loads: () => loads }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('when Pregón looks for updates', () => {
  it('never from a clone, nor from a build made without an update feed, nor when the owner turned it off', () => {
    expect(updateSkipReason({ packaged: false, feedConfigured: true, enabled: true })).toBe('not_packaged')
    expect(updateSkipReason({ packaged: true, feedConfigured: false, enabled: true })).toBe('no_feed')
    expect(updateSkipReason({ packaged: true, feedConfigured: true, enabled: false })).toBe('turned_off')
    expect(updateSkipReason({ packaged: true, feedConfigured: true, enabled: true })).toBeNull()
  })

  it('checks shortly after start and then once a day, downloading in the background', async () => {
    const { s, timers, updater } = scheduler()
    s.setEnabled(true)
    expect([...timers.live.values()].map((t) => [t.ms, t.repeat])).toEqual([
      [FIRST_CHECK_DELAY_MS, false],
      [CHECK_INTERVAL_MS, true],
    ])
    expect(CHECK_INTERVAL_MS).toBe(24 * 60 * 60 * 1000)
    timers.fire(FIRST_CHECK_DELAY_MS)
    await settle()
    expect(updater.checks).toBe(1)
    expect(updater.autoDownload).toBe(true)
    timers.fire(CHECK_INTERVAL_MS)
    timers.fire(CHECK_INTERVAL_MS)
    await settle()
    expect(updater.checks).toBe(3)
  })

  it('does not even load electron-updater when the setting is off, and stops checking when it is turned off', async () => {
    const { s, timers, loads, logs } = scheduler()
    s.setEnabled(false)
    expect(timers.live.size).toBe(0)
    s.setEnabled(true)
    s.setEnabled(false)
    expect(timers.live.size).toBe(0)
    expect(loads()).toBe(0)
    expect(logs.at(-1)).toEqual({ msg: 'not checking for updates', obj: { reason: 'turned_off' } })
  })

  it('sets no timer at all in a build without a feed', () => {
    const { s, timers, logs } = scheduler({ feedConfigured: false })
    s.setEnabled(true)
    expect(timers.live.size).toBe(0)
    expect(logs).toEqual([{ msg: 'not checking for updates', obj: { reason: 'no_feed' } }])
  })

  it('logs a failed check and tries again the next day', async () => {
    const { s, timers, updater, logs } = scheduler()
    s.setEnabled(true)
    updater.fail = new Error('getaddrinfo ENOTFOUND')
    timers.fire(FIRST_CHECK_DELAY_MS)
    await settle()
    expect(logs.at(-1)?.msg).toBe('update check failed')
    updater.fail = null
    timers.fire(CHECK_INTERVAL_MS)
    await settle()
    expect(updater.checks).toBe(2)
  })
})

describe('when a downloaded update is installed', () => {
  it('only at a quit that leaves nothing sending, never at an OS shutdown that keeps campaigns for the next start', () => {
    expect(installOnQuit({ sending: 0, systemShutdown: false })).toBe(true)
    expect(installOnQuit({ sending: 2, systemShutdown: false })).toBe(false)
    expect(installOnQuit({ sending: 0, systemShutdown: true })).toBe(false)
  })

  it('is left to the quit to decide, with electron-updater’s quit handler kept armed until then', async () => {
    const { s, timers, updater } = scheduler()
    updater.autoInstallOnAppQuit = false
    s.setEnabled(true)
    timers.fire(FIRST_CHECK_DELAY_MS)
    await settle()
    // electron-updater adds its quit handler after a download only while this is on.
    expect(updater.autoInstallOnAppQuit).toBe(true)
    s.prepareQuit({ sending: 1, systemShutdown: false })
    expect(updater.autoInstallOnAppQuit).toBe(false)
    s.prepareQuit({ sending: 0, systemShutdown: false })
    expect(updater.autoInstallOnAppQuit).toBe(true)
    expect(timers.live.size).toBe(0)
    // The app's log closes before electron-updater installs at 'quit'.
    expect(updater.logger).toBeNull()
  })

  it('is not installed at quit once the owner turned updates off', async () => {
    const { s, timers, updater } = scheduler()
    s.setEnabled(true)
    timers.fire(FIRST_CHECK_DELAY_MS)
    await settle()
    s.setEnabled(false)
    s.prepareQuit({ sending: 0, systemShutdown: false })
    expect(updater.autoInstallOnAppQuit).toBe(false)
  })
})
