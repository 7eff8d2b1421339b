// Runs one campaign: paces, claims rows from the ledger, sends them, records outcomes, and decides to
// pause or complete. One runner per running campaign; the engine (index.ts) owns their lifecycle.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import type { Campaign, CampaignError, CampaignStatus, WaitingFor } from '../../shared/types'
import { assertNever } from '../../shared/assertNever'
import type { CampaignPatch, ClaimedRecipient, SendOutcome, Store } from '../store/ports'
import { classifyError } from '../whatsapp/classify'
import { buildTemplatePayload } from '../whatsapp/templatePayload'
import type { CloudApi, SendResult, TemplatePayload } from '../whatsapp/types'
import { AccountUnavailableError, type AccountContext, type AccountDirectory } from './accountDirectory'
import { FailureGuard } from './autoPause'
import type { Clock } from './clock'
import { LedgerWriter } from './ledgerWriter'
import { LiveCounters, type Counters } from './liveCounters'
import type { Permit } from './numberLimiter'
import { CampaignPacer, isSpaced } from './pacing'
import { RateWindow, Throttle } from './progress'
import { decideFailure, permitResultFor } from './retryPolicy'
import type { EngineConfig, EngineEmit, EngineLogger, LiveStats } from './types'

/** Why a runner stopped: the user, the engine's shutdown, its own decision, or nothing left to do. */
export type StopReason = 'pause' | 'cancel' | 'shutdown' | 'engine_decision' | 'finished'

export interface RunnerDeps {
  store: Store
  api: CloudApi
  clock: Clock
  emit: EngineEmit
  log: EngineLogger
  config: EngineConfig
  accounts: AccountDirectory
  random: () => number
  /** Compare-and-set transition that also emits `campaign:status`. */
  move(id: string, from: readonly CampaignStatus[], to: CampaignStatus, patch: CampaignPatch): Promise<Campaign | null>
  /** The engine arms a timer to resume a campaign paused for its daily limit. */
  scheduleResume(campaign: Campaign): void
  /** A row turned uncertain: the engine settles it later, by evidence. */
  watchUncertain(campaignId: string): void
}

export interface RunnerOptions {
  /** Count the auto-pause rule from here (a user resumed a campaign paused for too many failures). */
  failureBaseline: { failed: number; processed: number }
  /** Rows "retry failed" put back that failed with 131049 less than 24 h ago: failed again, not sent. */
  holdBack?: Map<string, { errorCode: number; errorMessage: string }>
}

export class CampaignRunner {
  readonly campaignId: string
  private readonly deps: RunnerDeps
  private readonly campaign: Campaign
  private readonly live: LiveCounters
  private readonly guard: FailureGuard
  private readonly holdBack: Map<string, { errorCode: number; errorMessage: string }>
  private readonly writer: LedgerWriter
  private readonly rate = new RateWindow()
  private readonly progress: Throttle
  private readonly pacer: CampaignPacer
  private readonly abort = new AbortController()
  /** Aborted to cut an idle wait short (rows were requeued by the user). */
  private idleWake = new AbortController()
  private stopReason: StopReason | null = null
  private status: CampaignStatus
  private inFlight = 0
  private drainWaiters: (() => void)[] = []
  private decision: Promise<void> = Promise.resolve()
  private waitingForDailyLimit = false
  private context: AccountContext | null = null
  private finished: Promise<void> | null = null
  /** The loop failed unexpectedly (e.g. the database was busy): the engine starts a new runner later. */
  crashed = false
  /** Outcomes applied, and what the last progress event showed: the final event is not sent twice. */
  private version = 0
  private emitted: { version: number; status: CampaignStatus } | null = null

  constructor(deps: RunnerDeps, campaign: Campaign, options: RunnerOptions) {
    this.deps = deps
    this.campaign = campaign
    this.campaignId = campaign.id
    this.status = campaign.status
    this.live = new LiveCounters(campaign)
    this.guard = new FailureGuard(options.failureBaseline.failed, options.failureBaseline.processed)
    this.holdBack = options.holdBack ?? new Map()
    const { config } = deps
    this.writer = new LedgerWriter(deps.store.ledger, campaign.id, deps.clock, config.flushBatch, config.flushIntervalMs, deps.log, (outcomes) =>
      this.recorded(outcomes),
    )
    this.progress = new Throttle(deps.clock, config.progressIntervalMs, () => this.emitProgress())
    this.pacer = new CampaignPacer(campaign.pacing, deps.clock, campaign.processed)
  }

  /** Resolves when the runner has stopped and everything it did is in the ledger. */
  get done(): Promise<void> {
    return this.finished ?? Promise.resolve()
  }

  get halted(): boolean {
    return this.stopReason !== null
  }

  start(): void {
    void this.heartbeat()
    this.finished ??= this.loop()
      .catch((error: unknown) => {
        if (error instanceof AccountUnavailableError) return this.pauseForError('invalid_credentials', error.message)
        this.deps.log.error({ err: error, campaignId: this.campaignId }, `Campaign ${this.campaignId} stopped on an error; retrying shortly`)
        this.crashed = !this.halted
      })
      .then(() => this.windDown())
  }

  /** No request starts after this returns; in-flight ones finish and are recorded, claimed ones go back. */
  stop(reason: StopReason, status?: CampaignStatus): void {
    if (status) this.status = status
    this.stopReason ??= reason
    this.abort.abort()
  }

  /** Rows were put back in the queue: stop waiting for the next retry time. */
  nudge(holdBack?: RunnerOptions['holdBack']): void {
    for (const [id, failure] of holdBack ?? []) this.holdBack.set(id, failure)
    this.idleWake.abort()
  }

  liveStats(): LiveStats {
    const c = this.live.current
    return { total: c.contactsCount, processed: c.processed, success: c.successCount, failed: c.failedCount, status: this.status, ...this.waiting() }
  }

  /** A batch of outcomes reached the ledger: the counters and the messaging tier count it from there on. */
  private recorded(outcomes: readonly SendOutcome[]): void {
    this.live.written(outcomes)
    this.context?.tier.confirm(outcomes.filter((outcome) => outcome.kind === 'sent').length)
  }

  /** The campaign's counters now: the ledger's plus what this runner has decided and not yet written. */
  counters(): Counters {
    return this.live.current
  }

  /**
   * The ledger changed behind this runner (statuses from a webhook: delivered, read, or a failure Meta
   * reports minutes after accepting the send): read its counters again and apply the auto-pause rule to
   * them, whether the runner is sending, waiting on pacing or idle.
   */
  async refresh(): Promise<void> {
    const { store } = this.deps
    const [fresh, settled] = await this.writer.between(() => {
      // Both reads start in the same turn of the event loop (the SQLite store reads within the call), so
      // no status webhook is applied between the counters and the rows they are matched against.
      const held = this.live.heldRows
      return Promise.all([store.campaigns.get(this.campaignId), held.length === 0 ? [] : store.ledger.settledAmong(this.campaignId, held)])
    })
    if (!fresh) return
    this.live.reread(fresh, settled)
    this.version += 1
    this.progress.poke()
    this.checkFailureRule()
  }

  private async loop(): Promise<void> {
    const { config } = this.deps
    const spaced = isSpaced(this.campaign.pacing)
    const unlimited = this.campaign.pacing.kind === 'off'
    this.progress.poke()
    while (!this.halted) {
      await this.pacer.wait(this.abort.signal)
      if (this.halted) break
      const context = await this.deps.accounts.get(this.campaign.accountId)
      this.context = context
      // Permits first, then claim: a row is `sending` only once it can leave, so a crash or a long
      // network hold never strands unsent rows as `uncertain`.
      const permits = await context.limiter.acquire(spaced ? 1 : config.claimBatch, { signal: this.abort.signal, unlimited })
      if (permits.length === 0) break
      const claimed = await this.claimFor(context, permits)
      if (claimed === 'stop') break
      if (claimed === 'nothing') {
        if ((await this.idle()) === 'done') break
        continue
      }
      await yieldToEventLoop()
    }
  }

  /**
   * Claims as many rows as it holds permits (and tier room) for, and dispatches them. Whatever is not
   * handed to a send goes back — the limiter and the tier are shared, and a claimed row must never stay
   * `sending` unsent (it would turn `uncertain` at the next start).
   */
  private async claimFor(context: AccountContext, permits: Permit[]): Promise<'sent' | 'nothing' | 'stop'> {
    const { store, clock } = this.deps
    let reserved = 0
    let rows: ClaimedRecipient[] = []
    try {
      reserved = await context.tier.reserve(permits.length)
      releaseUnused(permits.splice(reserved))
      if (reserved === 0) {
        this.pauseForDailyLimit(context)
        return 'stop'
      }
      if (this.halted) return 'stop'
      rows = await store.ledger.claim(this.campaignId, permits.length, clock.now())
      if (rows.length === 0) return 'nothing'
      this.live.claimed(rows.map((row) => row.id))
      const suppressed = await store.suppressions.filter(this.campaign.accountId, rows.map((row) => row.phone))
      const handed = rows
      rows = []
      reserved = 0
      handed.forEach((row) => this.dispatch(context, row, permits.shift() as Permit, suppressed))
      return 'sent'
    } finally {
      for (let i = 0; i < reserved; i += 1) context.tier.settle(false)
      releaseUnused(permits.splice(0))
      for (const row of rows) this.apply({ kind: 'requeue', recipientId: row.id })
    }
  }

  /** Sends one claimed row, or settles it without sending. Synchronous up to the request leaving. */
  private dispatch(context: AccountContext, row: ClaimedRecipient, permit: Permit, suppressed: Set<string>): void {
    const settleUnsent = (outcome: SendOutcome) => {
      permit.release({ kind: 'unused' })
      context.tier.settle(false)
      this.apply(outcome)
    }
    if (this.halted) return settleUnsent({ kind: 'requeue', recipientId: row.id })
    if (suppressed.has(row.phone)) {
      return settleUnsent({ kind: 'skipped', recipientId: row.id, reason: 'opted_out', detail: 'The number opted out after the campaign was created.' })
    }
    const held = this.holdBack.get(row.id)
    if (held) {
      this.holdBack.delete(row.id)
      return settleUnsent({ kind: 'failed', recipientId: row.id, log: null, ...held })
    }
    const built = buildTemplatePayload(this.campaign.template, { phone: row.phone, name: row.name, variables: row.variables })
    if (!built.ok) return settleUnsent({ kind: 'skipped', recipientId: row.id, reason: built.reason, detail: built.detail })
    this.pacer.markSent()
    void this.send(context, row, built.payload, permit)
  }

  private async send(context: AccountContext, row: ClaimedRecipient, payload: TemplatePayload, permit: Permit): Promise<void> {
    this.inFlight += 1
    const { api, clock, log } = this.deps
    const startedAt = clock.now()
    try {
      let result: SendResult
      try {
        result = await api.sendTemplate(context.creds, row.phone, payload, row.callbackData)
      } catch (error) {
        // The client reports failures as results; a throw is a bug somewhere, and the request may have left.
        const message = error instanceof Error ? error.message : String(error)
        result = { ok: false, kind: 'network', phase: 'after_write', message, latencyMs: clock.now() - startedAt }
      }
      this.onResult(context, row, payload, permit, result)
    } catch (error) {
      log.error({ err: error, campaignId: this.campaignId }, 'Recording a send result failed')
    } finally {
      this.inFlight -= 1
      if (this.inFlight === 0) for (const resolve of this.drainWaiters.splice(0)) resolve()
    }
  }

  private onResult(context: AccountContext, row: ClaimedRecipient, payload: TemplatePayload, permit: Permit, result: SendResult): void {
    const now = this.deps.clock.now()
    const summary = `template ${payload.name}/${payload.language.code} → ${row.phone}`
    if (result.ok) {
      permit.release({ kind: 'answered' })
      context.tier.settle(true)
      this.apply({
        kind: 'sent',
        recipientId: row.id,
        wamid: result.wamid,
        waId: result.waId,
        log: { httpStatus: result.httpStatus, latencyMs: result.latencyMs, summary },
      })
      return
    }
    const classification = result.kind === 'api' ? classifyError(result.code) : null
    permit.release(permitResultFor(result, classification))
    context.tier.settle(false)
    const errorCode = result.kind === 'api' ? result.code : null
    const errorMessage = result.kind === 'api' ? `${result.message}${result.details ? ` (${result.details})` : ''}` : result.message
    const log = { httpStatus: result.kind === 'api' ? result.httpStatus : null, latencyMs: result.latencyMs, summary }
    const decision = decideFailure(result, classification, row.attempts, this.deps.random)
    switch (decision.action) {
      case 'retry':
        this.apply({ kind: 'retry', recipientId: row.id, nextAttemptAt: now + decision.delayMs, errorCode, errorMessage, log })
        return
      case 'uncertain':
        this.apply({ kind: 'uncertain', recipientId: row.id, errorMessage, log })
        this.deps.watchUncertain(this.campaignId)
        return
      case 'requeue':
        this.apply({ kind: 'requeue', recipientId: row.id })
        return
      case 'fail':
        if (decision.pauseCampaign) {
          // Meta refused the request for a reason of the whole campaign (token, template, account): the
          // message was not sent, so the row waits in the queue for the resume — no attempt, no failure.
          this.apply({ kind: 'requeue', recipientId: row.id, refused: { errorCode, errorMessage, log } })
          this.pauseForError(decision.pauseCampaign, `${errorCode ?? ''} ${errorMessage}`.trim())
          return
        }
        this.apply({ kind: 'failed', recipientId: row.id, errorCode, errorMessage, log })
        if (decision.suppress) this.suppress(row, errorMessage)
        return
      default:
        assertNever(decision, 'failure decision')
    }
  }

  /** Records an outcome, counts it, and applies the auto-pause rule. */
  private apply(outcome: SendOutcome): void {
    this.writer.add(outcome)
    this.live.decided(outcome)
    this.version += 1
    if (outcome.kind === 'sent' || outcome.kind === 'failed' || outcome.kind === 'uncertain') this.rate.add(this.deps.clock.now())
    this.progress.poke()
    if (outcome.kind === 'failed') this.checkFailureRule()
  }

  /** The seed's rule, on every failure the ledger knows of — answered by Meta at once or reported later. */
  private checkFailureRule(): void {
    const c = this.live.current
    if (this.guard.tripped(c.failedCount, c.processed)) {
      this.pauseForError('too_many_failures', `${c.failedCount} of ${c.processed} messages failed`)
    }
  }

  private suppress(row: ClaimedRecipient, reason: string): void {
    void this.deps.store.suppressions
      .add({ accountId: this.campaign.accountId, phone: row.phone, reason, source: 'error_131050' })
      .catch((error: unknown) => this.deps.log.error({ err: error, campaignId: this.campaignId }, 'Could not store an opt-out'))
  }

  /** Pauses at once: no request starts after this; the decision is written after a flush. */
  private pauseForError(error: CampaignError, detail: string): void {
    if (this.halted) return
    this.stop('engine_decision')
    const { clock, log } = this.deps
    this.decision = (async () => {
      await this.writer.flush()
      const paused = await this.deps.move(this.campaignId, ['processing', 'pending'], 'paused', {
        pausedAt: new Date(clock.now()).toISOString(),
        error,
        errorDetail: detail,
      })
      if (paused) {
        this.status = 'paused'
        this.progress.flush()
        log.warn({ campaignId: this.campaignId, error, detail }, `Campaign ${this.campaignId} paused: ${error} (${detail})`)
      }
    })()
  }

  private pauseForDailyLimit(context: AccountContext): void {
    if (this.halted) return
    this.stop('engine_decision')
    this.waitingForDailyLimit = true
    const { clock, log } = this.deps
    this.decision = (async () => {
      await this.drained()
      await this.writer.flush()
      const resumeAt = await context.tier.resumeAt()
      const paused = await this.deps.move(this.campaignId, ['processing'], 'paused', {
        pausedAt: new Date(clock.now()).toISOString(),
        error: 'daily_limit_reached',
        errorDetail: `The messaging limit of ${context.tier.limit} people per 24 hours is reached; sending resumes by itself.`,
        resumeAt: new Date(resumeAt).toISOString(),
      })
      if (paused) {
        this.status = 'paused'
        this.progress.flush()
        log.warn({ campaignId: this.campaignId, resumeAt: paused.resumeAt }, `Campaign ${this.campaignId} paused: daily_limit_reached`)
        this.deps.scheduleResume(paused)
      }
    })()
  }

  /** Nothing to claim now: finish, or wait for the next retry time. */
  private async idle(): Promise<'done' | 'continue'> {
    const { store, clock } = this.deps
    await this.drained()
    await this.writer.flush()
    if (this.halted) return 'done'
    const pending = await store.ledger.pendingCount(this.campaignId)
    if (pending === 0) {
      await this.finish()
      return 'done'
    }
    const nextRetryAt = await store.ledger.nextRetryAt(this.campaignId)
    // No retry time but rows pending: they are `sending` elsewhere; look again shortly.
    const wait = nextRetryAt === null ? 1_000 : nextRetryAt - clock.now()
    if (wait > 0) {
      this.idleWake = new AbortController()
      const both = AbortSignal.any([this.abort.signal, this.idleWake.signal])
      await clock.sleep(wait, both)
    }
    return 'continue'
  }

  /** Nothing left to send: completed — or failed, saying why, when not one message was accepted. */
  private async finish(): Promise<void> {
    const { clock, log } = this.deps
    await this.refresh()
    if (this.halted) return
    const c = this.live.current
    const at = new Date(clock.now()).toISOString()
    const nothingSent = c.successCount === 0 && c.uncertainCount === 0
    const ended = nothingSent
      ? await this.deps.move(this.campaignId, ['processing'], 'failed', { completedAt: at, error: 'nothing_sent', errorDetail: await this.whyNothingSent(c) })
      : await this.deps.move(this.campaignId, ['processing'], 'completed', { completedAt: at })
    if (!ended) return
    this.status = ended.status
    this.progress.flush()
    const summary = `${ended.successCount} success, ${ended.failedCount} failed`
    if (nothingSent) log.warn({ campaignId: this.campaignId }, `Campaign ${this.campaignId} failed: nothing was sent (${ended.errorDetail})`)
    else log.info({ campaignId: this.campaignId }, `Campaign ${this.campaignId} completed: ${summary}`)
  }

  private async whyNothingSent(c: Counters): Promise<string> {
    const parts: string[] = []
    if (c.failedCount > 0) {
      const [top] = await this.deps.store.ledger.errorBreakdown(this.campaignId)
      const cause = top?.errorCode ? `, most with error ${top.errorCode}${top.errorMessage ? `: ${top.errorMessage}` : ''}` : ''
      parts.push(`${c.failedCount} failed${cause}`)
    }
    if (c.skippedCount > 0) parts.push(`${c.skippedCount} skipped`)
    return `None of the ${c.contactsCount} messages was sent (${parts.join('; ') || 'no recipients'}).`
  }

  /** Progress keeps coming while the runner is parked (waiting for the network, a retry time …). */
  private async heartbeat(): Promise<void> {
    const every = Math.max(1_000, this.deps.config.progressIntervalMs)
    while (!this.halted) {
      await this.deps.clock.sleep(every, this.abort.signal)
      if (this.halted) break
      // Also catches statuses applied by another process sharing the database.
      await this.refresh().catch((error: unknown) => this.deps.log.error({ err: error, campaignId: this.campaignId }, 'Reading the counters failed'))
    }
  }

  private drained(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => this.drainWaiters.push(resolve))
  }

  private async windDown(): Promise<void> {
    this.stop('finished')
    await this.drained()
    await this.writer.flush()
    await this.decision
    await this.writer.flush()
    this.writer.close()
    if (this.emitted?.version !== this.version || this.emitted.status !== this.status) this.progress.flush()
    this.progress.close()
  }

  private emitProgress(): void {
    const now = this.deps.clock.now()
    const c = this.live.current
    const ratePerSec = Math.round(this.rate.perSec(now) * 10) / 10
    const remaining = Math.max(0, c.contactsCount - c.processed - c.skippedCount)
    this.emitted = { version: this.version, status: this.status }
    this.deps.emit('campaign:progress', {
      campaignId: this.campaignId,
      accountId: this.campaign.accountId,
      userId: this.campaign.userId,
      status: this.status,
      ...c,
      ratePerSec,
      etaSec: ratePerSec > 0 ? Math.round(remaining / ratePerSec) : null,
      ...this.waiting(),
    })
  }

  /** What holds sending back right now, and until when when that is known. */
  private waiting(): { waitingFor: WaitingFor | null; resumesAt: string | null } {
    if (this.waitingForDailyLimit) return { waitingFor: 'daily_limit', resumesAt: null }
    const wait = this.context?.limiter.waiting() ?? null
    return { waitingFor: wait?.reason ?? null, resumesAt: wait?.resumesAt == null ? null : new Date(wait.resumesAt).toISOString() }
  }
}

function releaseUnused(permits: Permit[]): void {
  for (const permit of permits) permit.release({ kind: 'unused' })
}
