// The local SQLite mirror: campaigns, send_logs and message_events copied one way into a MongoDB in the seed's
// shape, so the seed's dashboards see the desktop's campaigns. It runs beside the engine and never in its way:
// it only reads the database (plus its own cursor), in small batches, and waits on the network asynchronously.
// Idempotent from a persisted cursor: documents are written by key, the cursor moves after they are written,
// and a target that lost what was written (wiped, or a memory-only test server restarted) is sent everything again.

import { createHash } from 'node:crypto'
import { canonicalJson } from '../transfer/checksum'
import { redactMongoUri } from '../transfer/location'
import { campaignDocument, messageEventDocument, sendLogDocument } from '../mongo/seedDocuments'
import type { MirrorSource } from './sqliteSource'
import type { MirrorTarget } from './mongoTarget'

export const MIRROR_STATE_KEY = 'mirror:state'

/** Where the mirror stands with one target, kept in the desktop's own database. */
interface MirrorState {
  /** The target's address without credentials, and its marker: either changing starts over. */
  target: string
  epoch: string
  sendLogId: number
  eventId: number
  /** Each campaign's last document written, hashed: only changed campaigns are written again. */
  campaigns: Record<string, string>
}

export type MirrorHealth = 'starting' | 'caught_up' | 'syncing' | 'unreachable' | 'stopped'

export interface MirrorStatus {
  target: string
  health: MirrorHealth
  /** Last pass that reached the target and wrote everything there was (ISO). */
  lastSyncAt: string | null
  /** Why the last pass failed, without the address's credentials. */
  lastError: string | null
  backlog: { sendLogs: number; events: number }
}

export interface MirrorOptions {
  uri: string
  source: MirrorSource
  target: MirrorTarget
  /** Between passes while the target answers. */
  intervalMs?: number
  /** After a failed pass. */
  retryMs?: number
  batchSize?: number
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void }
}

export interface Mirror {
  /** One pass now (tests, and "Sync now"); resolves when it has written everything it found. */
  syncNow(): Promise<void>
  status(): MirrorStatus
  stop(): Promise<void>
}

const hashOf = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32)

export function startMirror(opts: MirrorOptions): Mirror {
  const { source, target } = opts
  const label = redactMongoUri(opts.uri)
  const batchSize = opts.batchSize ?? 500
  const status: MirrorStatus = { target: label, health: 'starting', lastSyncAt: null, lastError: null, backlog: { sendLogs: 0, events: 0 } }
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> | null = null

  const stateFor = async (): Promise<MirrorState> => {
    const epoch = await target.epoch(source.installationId)
    const saved = source.loadState<MirrorState>(MIRROR_STATE_KEY)
    if (saved && saved.target === label && saved.epoch === epoch) return saved
    // Another target, or this one lost what we wrote: send everything again (by key, so nothing doubles).
    if (saved) opts.log?.info({ target: label }, 'mirror target is new or was emptied: sending everything again')
    const fresh = { target: label, epoch, sendLogId: 0, eventId: 0, campaigns: {} }
    source.saveState(MIRROR_STATE_KEY, fresh)
    return fresh
  }

  // The state is written only when a batch moved it: an idle pass writes nothing to the engine's database.
  const pass = async (): Promise<void> => {
    const state = await stateFor()
    const changed = (await source.campaigns()).map(campaignDocument).filter((doc) => state.campaigns[String(doc._id)] !== hashOf(doc))
    for (let i = 0; i < changed.length; i += batchSize) {
      const batch = changed.slice(i, i + batchSize)
      await target.campaigns(batch)
      for (const doc of batch) state.campaigns[String(doc._id)] = hashOf(doc)
      source.saveState(MIRROR_STATE_KEY, state)
    }
    for (let rows = source.sendLogsAfter(state.sendLogId, batchSize); rows.length > 0; rows = source.sendLogsAfter(state.sendLogId, batchSize)) {
      await target.sendLogs(rows.map((r) => ({ _id: `${source.installationId}:${r.id}`, ...sendLogDocument(r.entry, r.batchId ?? '') })))
      state.sendLogId = rows[rows.length - 1].id
      source.saveState(MIRROR_STATE_KEY, state)
    }
    for (let rows = source.eventsAfter(state.eventId, batchSize); rows.length > 0; rows = source.eventsAfter(state.eventId, batchSize)) {
      await target.events(rows.map((r) => messageEventDocument(r.entry, r.batchId)))
      state.eventId = rows[rows.length - 1].id
      source.saveState(MIRROR_STATE_KEY, state)
    }
    status.backlog = source.backlog(state.sendLogId, state.eventId)
  }

  const runPass = (): Promise<void> =>
    (running ??= (async () => {
      const wasUnreachable = status.health === 'unreachable'
      if (status.health === 'starting') status.health = 'syncing'
      try {
        await pass()
        if (wasUnreachable) opts.log?.info({ target: label }, 'mirror target reachable again: caught up')
        Object.assign(status, { health: 'caught_up', lastSyncAt: new Date().toISOString(), lastError: null })
      } catch (error) {
        const message = error instanceof Error ? error.message.replaceAll(opts.uri, label) : String(error)
        if (!wasUnreachable) opts.log?.warn({ target: label, err: message }, 'mirror target unreachable: will catch up')
        Object.assign(status, { health: 'unreachable', lastError: message })
        throw error
      } finally {
        running = null
      }
    })())

  const schedule = (ms: number) => {
    if (stopped) return
    timer = setTimeout(() => {
      runPass().then(
        () => schedule(opts.intervalMs ?? 2_000),
        () => schedule(opts.retryMs ?? 15_000),
      )
    }, ms)
    timer.unref?.()
  }
  schedule(0)

  return {
    syncNow: runPass,
    status: () => ({ ...status, backlog: { ...status.backlog } }),
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running?.catch(() => undefined)
      status.health = 'stopped'
      await target.close()
      source.close()
    },
  }
}
