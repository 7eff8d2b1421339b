// The sending engine: starts, pauses, resumes and cancels campaign runners, recovers after a crash,
// and keeps the timers of scheduled and daily-limited campaigns. Sees ports only (store, CloudApi, clock).

import type { Campaign, CampaignStatus } from '../../shared/types'
import type { CampaignPatch } from '../store/ports'
import { AccountDirectory } from './accountDirectory'
import { CampaignRunner, type RunnerOptions, type StopReason } from './campaignRunner'
import { isMarketingQuiet } from './retryPolicy'
import { UncertainSweep } from './uncertainSweep'
import {
  DEFAULT_ENGINE_CONFIG,
  type Engine,
  type EngineConfig,
  type EngineDeps,
  type EngineError,
  type EngineResult,
  type LiveStats,
} from './types'

export { systemClock, FakeClock, type Clock } from './clock'
export { seedIntervalMs, profileIntervalMs } from './pacing'
export { exceedsFailureRule } from './autoPause'
export { decideFailure, MARKETING_LIMIT_QUIET_MS } from './retryPolicy'
export * from './types'

const RUNNABLE: readonly CampaignStatus[] = ['pending', 'processing']
const PAUSABLE: readonly CampaignStatus[] = ['pending', 'processing']
const STOPPABLE_BY_ENGINE: readonly CampaignStatus[] = ['scheduled', ...PAUSABLE]
const CANCELLABLE: readonly CampaignStatus[] = ['scheduled', 'pending', 'processing', 'paused']
const REQUEUEABLE: readonly CampaignStatus[] = ['pending', 'processing', 'paused', 'completed', 'failed']
/** Ended campaigns that run again when rows are put back in the queue. */
const ENDED: readonly CampaignStatus[] = ['completed', 'failed']

/** A runner that failed on an unexpected error (database busy, disk full …) is started again after this. */
const RESTART_AFTER_CRASH_MS = 5_000

const iso = (ms: number) => new Date(ms).toISOString()

/** Fills in defaults and rejects values the engine cannot work with, saying which one to fix. */
export function resolveConfig(partial: EngineDeps['config']): EngineConfig {
  const config: EngineConfig = { ...DEFAULT_ENGINE_CONFIG, ...partial }
  const positive = ['maxInFlightPerNumber', 'defaultMps', 'progressIntervalMs', 'flushBatch', 'claimBatch', 'uncertainWindowMs'] as const
  for (const key of positive) {
    if (!Number.isFinite(config[key]) || config[key] <= 0) {
      throw new Error(`Engine config ${key} must be a positive number (got ${String(config[key])}).`)
    }
  }
  if (!Number.isFinite(config.flushIntervalMs) || config.flushIntervalMs < 0) {
    throw new Error(`Engine config flushIntervalMs must be 0 or more (got ${String(config.flushIntervalMs)}).`)
  }
  if (!/^v\d+\.\d+$/.test(config.graphVersion)) {
    throw new Error(`Engine config graphVersion must look like v25.0 (got "${config.graphVersion}").`)
  }
  if (!/^https?:\/\//.test(config.defaultGraphUrl)) {
    throw new Error(`Engine config defaultGraphUrl must be an http(s) URL (got "${config.defaultGraphUrl}").`)
  }
  return config
}

export function createEngine(deps: EngineDeps): Engine {
  const config = resolveConfig(deps.config)
  const { store, clock, emit, log } = deps
  const accounts = new AccountDirectory(store, clock, config)
  const runners = new Map<string, CampaignRunner>()
  const timers = new Map<string, AbortController>()
  let stopping = false
  const uncertain = new UncertainSweep({ store, clock, log, windowMs: config.uncertainWindowMs, requeued: (id) => sendRequeued(id, new Map()) })

  const fail = (error: EngineError): { ok: false; error: EngineError } => ({ ok: false, error })
  const notFound = (id: string) => fail({ code: 'not_found', message: `Campaign ${id} was not found.` })
  const invalid = (campaign: Campaign, action: string) =>
    fail({
      code: 'invalid_transition',
      status: campaign.status,
      message: `Cannot ${action} campaign ${campaign.id}: it is ${campaign.status}.`,
    })

  /** Compare-and-set on the status we observed, so `campaign:status` carries the true `from`. */
  async function move(id: string, from: readonly CampaignStatus[], to: CampaignStatus, patch: CampaignPatch): Promise<Campaign | null> {
    const before = await store.campaigns.get(id)
    if (!before || !from.includes(before.status)) return null
    const after = await store.campaigns.transition(id, [before.status], to, patch)
    if (after) {
      emit('campaign:status', {
        campaignId: id,
        accountId: after.accountId,
        userId: after.userId,
        from: before.status,
        to,
        error: after.error,
        errorDetail: after.errorDetail,
      })
    }
    return after
  }

  function clearTimer(id: string): void {
    timers.get(id)?.abort()
    timers.delete(id)
  }

  function at(id: string, when: number, action: () => Promise<unknown>): void {
    clearTimer(id)
    const abort = new AbortController()
    timers.set(id, abort)
    void clock.sleep(Math.max(0, when - clock.now()), abort.signal).then(async () => {
      if (abort.signal.aborted || stopping) return
      timers.delete(id)
      try {
        await action()
      } catch (error) {
        log.error({ err: error, campaignId: id }, `Timer of campaign ${id} failed`)
      }
    })
  }

  function scheduleResume(campaign: Campaign): void {
    const when = campaign.resumeAt ? Date.parse(campaign.resumeAt) : clock.now()
    at(campaign.id, when, async () => {
      const current = await store.campaigns.get(campaign.id)
      // The user may have resumed, paused or cancelled it meanwhile: then it is theirs.
      if (current?.status !== 'paused' || current.error !== 'daily_limit_reached') return
      const resumed = await move(campaign.id, ['paused'], 'processing', { pausedAt: null, resumeAt: null, error: null, errorDetail: null })
      if (resumed) await startRunner(campaign.id, {})
    })
  }

  function scheduleStart(campaign: Campaign): void {
    const when = campaign.resumeAt ? Date.parse(campaign.resumeAt) : clock.now()
    at(campaign.id, when, async () => {
      const started = await move(campaign.id, ['scheduled'], 'processing', { startedAt: iso(clock.now()), resumeAt: null })
      if (started) await startRunner(campaign.id, {})
    })
  }

  /** Starts in progress, so two quick calls (resume twice, a timer and a click) make one runner. */
  const starting = new Map<string, Promise<void>>()

  /** Starts (or keeps) the runner of a `processing` campaign, after any previous one has wound down. */
  function startRunner(id: string, options: { afterFailurePause?: boolean; holdBack?: RunnerOptions['holdBack'] }): Promise<void> {
    const pending = starting.get(id)
    if (pending) return pending
    const start = launchRunner(id, options).finally(() => starting.delete(id))
    starting.set(id, start)
    return start
  }

  async function launchRunner(id: string, options: { afterFailurePause?: boolean; holdBack?: RunnerOptions['holdBack'] }): Promise<void> {
    if (stopping) return
    const previous = runners.get(id)
    if (previous && !previous.halted) return
    if (previous) await previous.done
    // Read after the previous runner recorded everything, so the counters mirror the ledger.
    const campaign = await store.campaigns.get(id)
    if (!campaign || campaign.status !== 'processing') return
    const baseline = options.afterFailurePause
      ? { failed: campaign.failedCount, processed: campaign.processed }
      : { failed: 0, processed: 0 }
    const runner = new CampaignRunner(
      {
        store,
        api: deps.api,
        clock,
        emit,
        log,
        config,
        accounts,
        random: deps.random ?? Math.random,
        move,
        scheduleResume,
        watchUncertain: (campaignId) => uncertain.watch(campaignId),
      },
      campaign,
      { failureBaseline: baseline, holdBack: options.holdBack },
    )
    runners.set(id, runner)
    runner.start()
    void runner.done.then(() => {
      if (runners.get(id) === runner) runners.delete(id)
      if (runner.crashed && !stopping) at(id, clock.now() + RESTART_AFTER_CRASH_MS, () => startRunner(id, {}))
    })
  }

  function stopRunner(id: string, reason: StopReason, status: CampaignStatus): Promise<void> {
    const runner = runners.get(id)
    if (!runner) return Promise.resolve()
    runner.stop(reason, status)
    return runner.done
  }

  async function find(id: string, userId?: string): Promise<Campaign | null> {
    return store.campaigns.get(id, userId)
  }

  /** 131049 failures younger than 24 h: "retry failed" must not send them yet. */
  async function marketingQuietRows(id: string): Promise<Map<string, { errorCode: number; errorMessage: string }>> {
    const quiet = new Map<string, { errorCode: number; errorMessage: string }>()
    const now = clock.now()
    for (let offset = 0; ; offset += 500) {
      const { rows } = await store.ledger.page(id, { state: 'failed', offset, limit: 500 })
      for (const row of rows) {
        if (isMarketingQuiet(row.errorCode, row.failedAt, now)) {
          quiet.set(row.id, { errorCode: 131049, errorMessage: row.errorMessage ?? 'Not retried within 24 h of a 131049.' })
        }
      }
      if (rows.length < 500) return quiet
    }
  }

  async function requeueAndRun(
    id: string,
    userId: string | undefined,
    states: ('uncertain' | 'failed')[],
    action: string,
  ): Promise<EngineResult<{ campaign: Campaign; requeued: number }>> {
    const campaign = await find(id, userId)
    if (!campaign) return notFound(id)
    if (!REQUEUEABLE.includes(campaign.status)) return invalid(campaign, action)
    const holdBack = states.includes('failed') ? await marketingQuietRows(id) : new Map()
    const requeued = await store.ledger.requeue(id, states, clock.now())
    if (requeued > 0) await sendRequeued(id, holdBack)
    return { ok: true, value: { campaign: (await store.campaigns.get(id)) ?? campaign, requeued } }
  }

  /** Rows went back to the queue: an ended campaign runs again, a running one picks them up; a paused one waits for its resume. */
  async function sendRequeued(id: string, holdBack: Map<string, { errorCode: number; errorMessage: string }>): Promise<void> {
    const campaign = await store.campaigns.get(id)
    if (campaign && ENDED.includes(campaign.status)) {
      await move(id, ENDED, 'processing', { completedAt: null, error: null, errorDetail: null })
    }
    if ((await store.campaigns.get(id))?.status !== 'processing') return
    const running = runners.get(id)
    if (running && !running.halted) running.nudge(holdBack)
    else await startRunner(id, { holdBack })
  }

  return {
    async start() {
      stopping = false
      // Only this process (it holds the engine lock) creates campaigns: a draft found now was left by a crash.
      const halfMade = await store.campaigns.discardUnsealed()
      if (halfMade > 0) log.warn({ halfMade }, `${halfMade} campaigns a crash left unfinished before they were sealed removed`)
      const interrupted = await store.ledger.markInterruptedUncertain(clock.now())
      if (interrupted > 0) log.warn({ interrupted }, `${interrupted} interrupted sends marked uncertain`)
      const pending = await store.campaigns.listByStatus(['pending', 'processing'])
      log.info(`Recovered ${pending.length} pending campaigns`)
      for (const campaign of pending) {
        if (campaign.status === 'pending') await move(campaign.id, ['pending'], 'processing', { startedAt: iso(clock.now()) })
        await startRunner(campaign.id, {})
      }
      for (const campaign of await store.campaigns.listByStatus(['paused', 'scheduled'])) {
        if (campaign.status === 'scheduled') scheduleStart(campaign)
        else if (campaign.error === 'daily_limit_reached' && campaign.resumeAt) scheduleResume(campaign)
      }
      await uncertain.start()
    },

    async run(id, userId) {
      const campaign = await find(id, userId)
      if (!campaign) return notFound(id)
      if (campaign.status === 'scheduled') {
        scheduleStart(campaign)
        return { ok: true, value: campaign }
      }
      if (!RUNNABLE.includes(campaign.status)) return invalid(campaign, 'run')
      const running =
        campaign.status === 'pending'
          ? await move(id, ['pending'], 'processing', { startedAt: iso(clock.now()), error: null, errorDetail: null })
          : campaign
      if (!running) return invalid((await store.campaigns.get(id)) ?? campaign, 'run')
      await startRunner(id, {})
      return { ok: true, value: running }
    },

    async pause(id, userId) {
      const campaign = await find(id, userId)
      if (!campaign) return notFound(id)
      if (!PAUSABLE.includes(campaign.status)) return invalid(campaign, 'pause')
      const paused = await move(id, PAUSABLE, 'paused', { pausedAt: iso(clock.now()), error: null, errorDetail: null })
      if (!paused) return invalid((await store.campaigns.get(id)) ?? campaign, 'pause')
      // Synchronously after the write: from here on no request of this campaign starts.
      void stopRunner(id, 'pause', 'paused')
      return { ok: true, value: paused }
    },

    async pauseFor(id, error, detail) {
      const campaign = await find(id)
      if (!campaign) return notFound(id)
      const waitingForDailyLimit = campaign.status === 'paused' && campaign.error === 'daily_limit_reached'
      if (!STOPPABLE_BY_ENGINE.includes(campaign.status) && !waitingForDailyLimit) return invalid(campaign, 'pause')
      const paused = await move(id, [campaign.status], 'paused', { pausedAt: iso(clock.now()), resumeAt: null, error, errorDetail: detail })
      if (!paused) return invalid((await store.campaigns.get(id)) ?? campaign, 'pause')
      clearTimer(id)
      void stopRunner(id, 'pause', 'paused')
      return { ok: true, value: paused }
    },

    async resume(id, userId) {
      const campaign = await find(id, userId)
      if (!campaign) return notFound(id)
      if (campaign.status !== 'paused') return invalid(campaign, 'resume')
      clearTimer(id)
      const resumed = await move(id, ['paused'], 'processing', {
        pausedAt: null,
        resumeAt: null,
        error: null,
        errorDetail: null,
        startedAt: campaign.startedAt ?? iso(clock.now()),
      })
      if (!resumed) return invalid((await store.campaigns.get(id)) ?? campaign, 'resume')
      await startRunner(id, { afterFailurePause: campaign.error === 'too_many_failures' })
      return { ok: true, value: resumed }
    },

    async cancel(id, userId) {
      const campaign = await find(id, userId)
      if (!campaign) return notFound(id)
      if (!CANCELLABLE.includes(campaign.status)) return invalid(campaign, 'cancel')
      const cancelled = await move(id, CANCELLABLE, 'cancelled', { resumeAt: null })
      if (!cancelled) return invalid((await store.campaigns.get(id)) ?? campaign, 'cancel')
      clearTimer(id)
      await stopRunner(id, 'cancel', 'cancelled')
      await store.ledger.skipRemaining(id, 'cancelled', clock.now())
      return { ok: true, value: (await store.campaigns.get(id)) ?? cancelled }
    },

    resendUncertain(id, userId) {
      return requeueAndRun(id, userId, ['uncertain'], 'resend the uncertain messages of')
    },

    retryFailed(id, userId) {
      return requeueAndRun(id, userId, ['failed'], 'retry the failed messages of')
    },

    liveStats(id): LiveStats | null {
      return runners.get(id)?.liveStats() ?? null
    },

    withLiveCounters(campaign) {
      const runner = runners.get(campaign.id)
      return runner ? { ...campaign, ...runner.counters() } : campaign
    },

    async statusesApplied(id) {
      const runner = runners.get(id)
      if (!runner) return false
      await runner.refresh()
      return true
    },

    accountChanged(accountId) {
      accounts.invalidate(accountId)
    },

    async stop() {
      stopping = true
      uncertain.stop()
      for (const id of [...timers.keys()]) clearTimer(id)
      await Promise.all([...runners.values()].map((runner) => stopRunner(runner.campaignId, 'shutdown', 'processing')))
      accounts.close()
    },
  }
}
