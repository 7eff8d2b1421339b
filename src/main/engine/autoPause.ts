// The seed's auto-pause rule, counted from a baseline so a user's resume gets a fresh start.

/** The seed: more than 50 failures and a failure rate above 50 %. */
export const AUTO_PAUSE_MIN_FAILURES = 50
export const AUTO_PAUSE_MAX_RATE = 0.5

export function exceedsFailureRule(failedCount: number, processed: number): boolean {
  return failedCount > AUTO_PAUSE_MIN_FAILURES && failedCount / processed > AUTO_PAUSE_MAX_RATE
}

/**
 * Evaluated after every outcome. After a user resumes a campaign the engine paused for
 * `too_many_failures`, the rule counts only what happened since that resume — counted on the
 * totals, it would pause again at once.
 */
export class FailureGuard {
  constructor(
    private readonly baseFailed: number,
    private readonly baseProcessed: number,
  ) {}

  tripped(failedCount: number, processed: number): boolean {
    return exceedsFailureRule(failedCount - this.baseFailed, processed - this.baseProcessed)
  }
}
