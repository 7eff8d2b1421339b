// Runs the local SQLite mirror for the process that sends: started from the installation's setting (or
// PREGON_MIRROR_URI), restarted when Settings → Storage changes it, stopped on close. The address is kept sealed.

import type { StorageSettings } from '../../shared/contract'
import { redactMongoUri } from '../store/transfer/location'
import { startMirror, type Mirror } from '../store/mirror/mirror'
import { openMirrorSource } from '../store/mirror/sqliteSource'
import { openMirrorTarget } from '../store/mirror/mongoTarget'
import type { AppServices } from './index'

export const MIRROR_SETTING_KEY = 'storage:mirror'

interface SavedMirror {
  enabled: boolean
  /** Sealed by the SecretBox: the address may carry a password. */
  uri: string | null
}

export interface MirrorTiming {
  intervalMs: number
  retryMs: number
  timeoutMs: number
}

export interface MirrorService {
  /** Starts, restarts or stops the mirror to match the setting. */
  apply(): Promise<void>
  view(): Promise<StorageSettings['mirror']>
  save(enabled: boolean, uri: string | undefined): Promise<void>
  syncNow(): Promise<void>
  stop(): Promise<void>
}

const numberFromEnv = (name: string, fallback: number): number => {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

export function mirrorTimingFromEnv(): MirrorTiming {
  return {
    intervalMs: numberFromEnv('PREGON_MIRROR_INTERVAL_MS', 2_000),
    retryMs: numberFromEnv('PREGON_MIRROR_RETRY_MS', 15_000),
    timeoutMs: numberFromEnv('PREGON_MIRROR_TIMEOUT_MS', 5_000),
  }
}

export function mirrorService(s: Pick<AppServices, 'store' | 'config' | 'log'>, timing: MirrorTiming = mirrorTimingFromEnv()): MirrorService {
  let mirror: Mirror | null = null
  let runningUri: string | null = null

  const saved = async (): Promise<SavedMirror> => (await s.store.settings.get<SavedMirror>(MIRROR_SETTING_KEY)) ?? { enabled: false, uri: null }
  const wanted = async (): Promise<string | null> => {
    if (process.env.PREGON_MIRROR_URI) return process.env.PREGON_MIRROR_URI
    const setting = await saved()
    return setting.enabled && setting.uri ? s.config.secrets.open(setting.uri) : null
  }
  const stop = async () => {
    const current = mirror
    mirror = null
    runningUri = null
    await current?.stop()
  }

  return {
    async apply() {
      // Only a SQLite installation mirrors: a MongoDB store already is the seed's database.
      const uri = s.config.store || s.config.mongodbUri ? null : await wanted()
      if (uri === runningUri) return
      await stop()
      if (!uri) return
      mirror = startMirror({
        uri,
        source: openMirrorSource(s.config.dataDir),
        target: openMirrorTarget({ uri, timeoutMs: timing.timeoutMs }),
        intervalMs: timing.intervalMs,
        retryMs: timing.retryMs,
        log: s.log,
      })
      runningUri = uri
      s.log.info({ target: redactMongoUri(uri) }, 'mirroring campaigns, send_logs and message_events into MongoDB')
    },
    async view() {
      const setting = await saved()
      const fromEnvironment = Boolean(process.env.PREGON_MIRROR_URI)
      const uri = fromEnvironment ? process.env.PREGON_MIRROR_URI! : setting.uri ? s.config.secrets.open(setting.uri) : null
      return {
        enabled: fromEnvironment || setting.enabled,
        target: uri ? redactMongoUri(uri) : null,
        fromEnvironment,
        status: mirror?.status() ?? null,
      }
    },
    async save(enabled, uri) {
      const setting = await saved()
      await s.store.settings.set<SavedMirror>(MIRROR_SETTING_KEY, { enabled, uri: uri ? s.config.secrets.seal(uri) : setting.uri })
    },
    syncNow: async () => mirror?.syncNow(),
    stop,
  }
}
