// How long a sender number stops after Meta names a wait (Retry-After, or the usage header's
// estimated_time_to_regain_access): honoured, but one answer can impose at most a capped wait.

/** What a single answer may impose: a usage header of 15 minutes must not hold every campaign 15 minutes. */
export const REST_CAP_MS = 60_000
/** When Meta names a wait again right after a rest the cap cut short, the cap doubles, up to this. */
const REST_CAP_MAX_MS = 15 * 60_000
/** After this long without a named wait, the cap is back to REST_CAP_MS. */
const CALM_AFTER_MS = 10 * 60_000

export class RateLimitRest {
  private until = 0
  private capMs = REST_CAP_MS
  /** The current (or last) rest is shorter than Meta asked. */
  private cutShort = false

  /** When sending from the number may resume; null when it is not resting. */
  resumesAt(now: number): number | null {
    return this.until > now ? this.until : null
  }

  /** Meta asked for `waitMs` (null: it named none, and the rate's backoff is the whole answer). */
  asked(waitMs: number | null, now: number): void {
    if (waitMs === null || waitMs <= 0) return
    if (this.until <= now) this.startRest(now)
    const wait = Math.min(waitMs, this.capMs)
    if (wait < waitMs) this.cutShort = true
    this.until = Math.max(this.until, now + wait)
  }

  /** A new rest, not another answer to a request sent before this one began. */
  private startRest(now: number): void {
    const sinceLast = now - this.until
    if (sinceLast >= CALM_AFTER_MS) this.capMs = REST_CAP_MS
    else if (this.cutShort) this.capMs = Math.min(REST_CAP_MAX_MS, this.capMs * 2)
    this.cutShort = false
  }
}
