// What a running campaign's counters are right now: the ledger's, plus the outcomes its runner has
// decided and not written yet. Statuses from webhooks (delivered, read, a failure Meta reports later)
// change the ledger behind the runner's back, so the ledger's part is read again whenever they arrive.

import { CAMPAIGN_COUNTER_KEYS, type CampaignCounters } from '../../shared/types'
import { assertNever } from '../../shared/assertNever'
import type { SendOutcome } from '../store/ports'

export type Counters = CampaignCounters


const zero = (): Counters => ({
  processed: 0,
  successCount: 0,
  failedCount: 0,
  contactsCount: 0,
  deliveredCount: 0,
  readCount: 0,
  repliedCount: 0,
  skippedCount: 0,
  uncertainCount: 0,
})

export function countersOf(source: CampaignCounters): Counters {
  const counters = zero()
  for (const key of CAMPAIGN_COUNTER_KEYS) counters[key] = source[key]
  return counters
}

/** What one outcome of a claimed (`sending`) row adds to its campaign's counters, as the ledger counts it. */
export function outcomeDelta(outcome: SendOutcome): Partial<Counters> {
  switch (outcome.kind) {
    case 'sent':
      return { successCount: 1, processed: 1 }
    case 'failed':
      return { failedCount: 1, processed: 1 }
    case 'uncertain':
      return { uncertainCount: 1, processed: 1 }
    case 'skipped':
      return { skippedCount: 1 }
    case 'retry':
    case 'requeue':
      return {}
    default:
      return assertNever(outcome, 'send outcome')
  }
}

function addInto(target: Counters, delta: Partial<Counters>, sign: 1 | -1): void {
  for (const key of CAMPAIGN_COUNTER_KEYS) target[key] += sign * (delta[key] ?? 0)
}

export class LiveCounters {
  /** The ledger's counters as last read, plus every batch this runner wrote since. */
  private recorded: Counters
  /** Outcomes handed to the writer and not in the ledger yet: their sum, and each by recipient row. */
  private readonly unwritten = zero()
  private readonly unwrittenByRow = new Map<string, Partial<Counters>>()
  /** Rows this runner claimed whose outcome is not in the ledger yet. */
  private readonly held = new Set<string>()
  /**
   * Held rows a status webhook settled in the ledger first (matched by callback id): the ledger counts
   * them already, and their outcome, when written, changes nothing there — so it must not count here.
   */
  private readonly settledByWebhook = new Set<string>()

  constructor(ledger: CampaignCounters) {
    this.recorded = countersOf(ledger)
  }

  get current(): Counters {
    const sum = countersOf(this.recorded)
    addInto(sum, this.unwritten, 1)
    return sum
  }

  /** The rows this runner holds (claimed, outcome not yet written), for `reread`. */
  get heldRows(): string[] {
    return [...this.held]
  }

  /** Rows were claimed (`sending`): this runner holds them until their outcome is written. */
  claimed(recipientIds: readonly string[]): void {
    for (const id of recipientIds) this.held.add(id)
  }

  /** An outcome was decided (and handed to the writer). */
  decided(outcome: SendOutcome): void {
    if (this.settledByWebhook.has(outcome.recipientId)) return
    const delta = outcomeDelta(outcome)
    this.unwrittenByRow.set(outcome.recipientId, delta)
    addInto(this.unwritten, delta, 1)
  }

  /** The writer put these outcomes in the ledger: they move from unwritten to recorded, the sum is unchanged. */
  written(outcomes: readonly SendOutcome[]): void {
    for (const { recipientId } of outcomes) {
      this.held.delete(recipientId)
      if (this.settledByWebhook.delete(recipientId)) continue
      const delta = this.unwrittenByRow.get(recipientId) ?? {}
      this.unwrittenByRow.delete(recipientId)
      addInto(this.unwritten, delta, -1)
      addInto(this.recorded, delta, 1)
    }
  }

  /**
   * The ledger was read again (with no write of this runner in progress): it is the truth for what it
   * holds. `settled`: the held rows it no longer has `sending` — counted there, so no longer here.
   */
  reread(ledger: CampaignCounters, settled: readonly string[]): void {
    this.recorded = countersOf(ledger)
    for (const id of settled) {
      if (!this.held.has(id) || this.settledByWebhook.has(id)) continue
      this.settledByWebhook.add(id)
      const delta = this.unwrittenByRow.get(id)
      if (!delta) continue
      this.unwrittenByRow.delete(id)
      addInto(this.unwritten, delta, -1)
    }
  }
}
