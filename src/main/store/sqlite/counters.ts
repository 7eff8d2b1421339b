// Campaign counters as deltas of row state changes, flushed in the same transaction as the rows.
import type { RecipientState } from '../../../shared/types'
import type { Statements } from './db'

interface Counters {
  success: number
  failed: number
  uncertain: number
  skipped: number
  delivered: number
  read: number
  replied: number
}

const zero = (): Counters => ({ success: 0, failed: 0, uncertain: 0, skipped: 0, delivered: 0, read: 0, replied: 0 })

/** What one row in `state` adds to its campaign's counters (replies are counted apart). */
function contribution(state: RecipientState): Omit<Counters, 'replied'> {
  return {
    success: state === 'sent' || state === 'delivered' || state === 'read' ? 1 : 0,
    failed: state === 'failed' ? 1 : 0,
    uncertain: state === 'uncertain' ? 1 : 0,
    skipped: state === 'skipped' ? 1 : 0,
    delivered: state === 'delivered' || state === 'read' ? 1 : 0,
    read: state === 'read' ? 1 : 0,
  }
}

/**
 * Collects counter changes while rows move, then writes one UPDATE per campaign. Deriving every
 * counter from the row's old and new state keeps them equal to the rows by construction.
 */
export class CounterDeltas {
  private readonly byCampaign = new Map<string, Counters>()

  constructor(private readonly sql: Statements) {}

  move(campaignId: string, from: RecipientState, to: RecipientState, rows = 1): void {
    if (from === to) return
    const before = contribution(from)
    const after = contribution(to)
    const delta = this.deltaOf(campaignId)
    for (const key of Object.keys(before) as (keyof typeof before)[]) delta[key] += (after[key] - before[key]) * rows
  }

  replied(campaignId: string): void {
    this.deltaOf(campaignId).replied += 1
  }

  /** Writes the deltas; `lastProcessedAt` (ISO) is stamped on every campaign touched when given. */
  flush(lastProcessedAt: string | null = null): void {
    const update = this.sql.prepare(
      `UPDATE campaigns SET
         success_count = success_count + @success,
         failed_count = failed_count + @failed,
         uncertain_count = uncertain_count + @uncertain,
         skipped_count = skipped_count + @skipped,
         delivered_count = delivered_count + @delivered,
         read_count = read_count + @read,
         replied_count = replied_count + @replied,
         processed = processed + @success + @failed + @uncertain,
         last_processed_at = coalesce(@lastProcessedAt, last_processed_at)
       WHERE id = @id`,
    )
    for (const [id, delta] of this.byCampaign) update.run({ id, lastProcessedAt, ...delta })
    this.byCampaign.clear()
  }

  private deltaOf(campaignId: string): Counters {
    let delta = this.byCampaign.get(campaignId)
    if (!delta) {
      delta = zero()
      this.byCampaign.set(campaignId, delta)
    }
    return delta
  }
}
