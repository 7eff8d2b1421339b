// The engine's public shapes: its dependencies (ports only), configuration, results and API.

import type { ApiEventName, ApiEvents, Campaign, CampaignError, CampaignStatus } from '../../shared/types'
import type { Store } from '../store/ports'
import type { CloudApi } from '../whatsapp/types'
import type { Clock } from './clock'
import type { LiveStats } from '../../shared/contract'

/** pino-compatible: `log.info({ campaignId }, 'message')` or `log.info('message')`. */
export interface EngineLogger {
  info(objOrMsg: object | string, msg?: string): void
  warn(objOrMsg: object | string, msg?: string): void
  error(objOrMsg: object | string, msg?: string): void
}

export type EngineEmit = <K extends ApiEventName>(name: K, payload: ApiEvents[K]) => void

export interface EngineConfig {
  /** e.g. v25.0 */
  graphVersion: string
  /** For accounts without their own `graphUrl`. */
  defaultGraphUrl: string
  /**
   * The ceiling of a number's in-flight bound, which is otherwise sized from its rate and observed latency
   * (Little's law); pacing `off` uses the number's maximum rate.
   */
  maxInFlightPerNumber: number
  /** For accounts without `maxMessagesPerSecond`. */
  defaultMps: number
  progressIntervalMs: number
  flushIntervalMs: number
  flushBatch: number
  claimBatch: number
  /**
   * An uncertain row with no status this long after it became uncertain, while statuses for its
   * campaign's other messages keep arriving, never reached Meta and is sent again.
   */
  uncertainWindowMs: number
}

export const DEFAULT_ENGINE_CONFIG: Omit<EngineConfig, 'graphVersion' | 'defaultGraphUrl'> = {
  maxInFlightPerNumber: 1_024,
  defaultMps: 80,
  progressIntervalMs: 250,
  flushIntervalMs: 20,
  flushBatch: 200,
  claimBatch: 50,
  uncertainWindowMs: 15 * 60_000,
}

export interface EngineDeps {
  store: Store
  api: CloudApi
  clock: Clock
  emit: EngineEmit
  log: EngineLogger
  config: Pick<EngineConfig, 'graphVersion' | 'defaultGraphUrl'> & Partial<EngineConfig>
  /** Jitter source for retry delays (tests pass a fixed one). */
  random?: () => number
}

export type EngineError =
  | { code: 'not_found'; message: string }
  | { code: 'invalid_transition'; status: CampaignStatus; message: string }

export type EngineResult<T> = { ok: true; value: T } | { ok: false; error: EngineError }

/** The seed's `inMemory` block of `GET /api/campaigns/:id/status`, as the contract defines it. */
export type { LiveStats }

export interface Engine {
  /** Recovery: interrupted rows → uncertain; pending/processing campaigns resume; timers for the rest. */
  start(): Promise<void>
  /** Starts a pending campaign (a scheduled one starts at its time, or now when that has passed). */
  run(campaignId: string, userId?: string): Promise<EngineResult<Campaign>>
  pause(campaignId: string, userId?: string): Promise<EngineResult<Campaign>>
  /**
   * The engine pauses a campaign for a reason found outside its runner (a webhook): like `pause`, keeping
   * `error`. A scheduled campaign does not start, and one waiting out its daily limit does not resume by itself.
   */
  pauseFor(campaignId: string, error: CampaignError, detail: string): Promise<EngineResult<Campaign>>
  resume(campaignId: string, userId?: string): Promise<EngineResult<Campaign>>
  cancel(campaignId: string, userId?: string): Promise<EngineResult<Campaign>>
  /**
   * An explicit user choice: `uncertain` rows are sent again (they may arrive twice). A completed
   * campaign runs again; a paused one stays paused until resumed; cancelled ones refuse.
   */
  resendUncertain(campaignId: string, userId?: string): Promise<EngineResult<{ campaign: Campaign; requeued: number }>>
  /**
   * Failed rows are sent again, except 131049 failures younger than 24 h: those are failed again
   * without a request (their failure time restarts), since Meta may block a user retried inside 24 h.
   */
  retryFailed(campaignId: string, userId?: string): Promise<EngineResult<{ campaign: Campaign; requeued: number }>>
  /** Counters of a campaign this engine is running; null when it is not running here. */
  liveStats(campaignId: string): LiveStats | null
  /**
   * The campaign with the counters its runner holds (the ledger's plus outcomes not written yet), so
   * every view of a running campaign — events, the status document, lists — shows the same numbers.
   */
  withLiveCounters(campaign: Campaign): Campaign
  /**
   * Webhook statuses changed this campaign's rows: a running campaign reads its counters again and
   * applies the auto-pause rule to failures Meta reported later. False when it is not running here.
   */
  statusesApplied(campaignId: string): Promise<boolean>
  /** The account's token, limits or tier changed: read them again before the next send. */
  accountChanged(accountId: string): void
  /** Graceful: no new sends, in-flight ones finish and are recorded, campaigns stay resumable. */
  stop(): Promise<void>
}
