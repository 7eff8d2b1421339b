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
  /** Outcomes handed to the writer and not in the ledger yet. */
  private readonly unwritten = zero()

  constructor(ledger: CampaignCounters) {
    this.recorded = countersOf(ledger)
  }

  get current(): Counters {
    const sum = countersOf(this.recorded)
    addInto(sum, this.unwritten, 1)
    return sum
  }

  /** An outcome was decided (and handed to the writer). */
  decided(outcome: SendOutcome): void {
    addInto(this.unwritten, outcomeDelta(outcome), 1)
  }

  /** The writer put these outcomes in the ledger: they move from unwritten to recorded, the sum is unchanged. */
  written(outcomes: readonly SendOutcome[]): void {
    for (const outcome of outcomes) {
      const delta = outcomeDelta(outcome)
      addInto(this.unwritten, delta, -1)
      addInto(this.recorded, delta, 1)
    }
  }

  /** The ledger was read again (with no write of this runner in progress): it is the truth for what it holds. */
  reread(ledger: CampaignCounters): void {
    this.recorded = countersOf(ledger)
  }
}
