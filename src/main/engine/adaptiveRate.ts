// A sender number's current rate: additive increase, and a backoff in proportion to the share of sends
// Meta refused with 130429, so the rate settles just under what the number really allows.
//
// Refusals that go on at the same share however slowly the number sends (seen with some emulators and
// proxies) are measured as a background share and not answered by slowing down further: the old "halve
// on every refusal" rule made such a number collapse to a few messages a second.

/** Answers are judged in windows of at least this long … */
const WINDOW_MS = 1_000
/** … and at least this many answers (one refusal in 20 is not a 5 % signal), unless this long passed. */
const WINDOW_MIN_ANSWERS = 100
const WINDOW_MAX_MS = 10_000
/** A burst of refusals this large and dense is judged at once (the number's maximum is far above its limit). */
const QUICK_REFUSALS = 10
const QUICK_SHARE = 0.1
/** After a backoff the rate lands this far below the rate that went through, so the number's burst refills. */
const MARGIN = 0.03
/** Above the landing, refusals beyond the background share by more than this mean "too fast". */
const EXCESS_SHARE = 0.005
/** At or below the landing, only a larger excess does (the rate was already lowered for the last refusals). */
const EXCESS_SHARE_AT_LANDING = 0.03
/** A number refusing more than this at any rate is too fast, whatever it refused before. */
const BACKGROUND_MAX = 0.05
/** Below the known ceiling by more than this, the rate climbs fast (it was lowered for what was noise, or long ago). */
const NEAR_CEILING = 2 * MARGIN
/** Additive increase up to the ceiling: this share of it per second (80 → 0.5 msg/s each second) … */
const SLOW_INCREASE_PER_SEC = 0.006
/** … and beyond it, where the last refusals came from, slower still: a probe for a raised limit. */
const PROBE_INCREASE_PER_SEC = 0.002
/** Additive increase far below it: this share of the maximum per second. */
const FAST_INCREASE_PER_SEC = 0.05
const FLOOR_MPS = 1

interface Tally {
  answers: number
  refused: number
}

export class AdaptiveRate {
  private current: number
  private updatedAt: number
  /** The rate the number let through at the last backoff (its estimated limit); the maximum before any. */
  private ceiling: number
  /** Where the last backoff put the rate; 0 before any. */
  private landing = 0
  /** The share of refusals seen at or below the landing, where the rate is not the cause. */
  private background = 0
  private window: Tally & { start: number }
  private atLanding: Tally = { answers: 0, refused: 0 }
  /** Answers to requests sent before the last backoff say nothing about the rate since. */
  private backedOffAt = Number.NEGATIVE_INFINITY

  constructor(
    private max: number,
    now: number,
  ) {
    this.current = max
    this.ceiling = max
    this.updatedAt = now
    this.window = { start: now, answers: 0, refused: 0 }
  }

  get maxPerSec(): number {
    return this.max
  }

  /** The rate now, after the additive increase that came due. */
  at(now: number): number {
    const elapsed = Math.max(0, now - this.updatedAt)
    this.updatedAt = now
    if (this.current < this.max) {
      this.current = Math.min(this.max, this.current + (this.increasePerSec() * elapsed) / 1_000)
      this.ceiling = Math.max(this.ceiling, this.current)
    }
    return this.current
  }

  /**
   * Counts the answer to a request sent at `sentAt` (`refused`: 130429); judges the window when it is
   * complete.
   */
  record(refused: boolean, sentAt: number, now: number): void {
    if (sentAt < this.backedOffAt) return
    const w = this.window
    w.answers += 1
    if (refused) w.refused += 1
    const elapsed = now - w.start
    const long = elapsed >= WINDOW_MS && (w.answers >= WINDOW_MIN_ANSWERS || elapsed >= WINDOW_MAX_MS)
    const dense = w.refused >= QUICK_REFUSALS && w.refused >= QUICK_SHARE * w.answers
    if (!long && !dense) return
    this.window = { start: now, answers: 0, refused: 0 }
    this.judge(w, now)
  }

  setMax(max: number, now: number): void {
    const wasAtMax = this.at(now) >= this.max
    this.max = max
    // An upgraded number starts at its new limit; one that was being held back keeps climbing from where it is.
    this.current = wasAtMax ? max : Math.min(this.current, max)
    this.ceiling = Math.min(Math.max(this.ceiling, this.current), max)
  }

  private increasePerSec(): number {
    if (this.current < this.ceiling * (1 - NEAR_CEILING)) return this.max * FAST_INCREASE_PER_SEC
    const share = this.current < this.ceiling ? SLOW_INCREASE_PER_SEC : PROBE_INCREASE_PER_SEC
    return Math.max(0.1, this.ceiling * share)
  }

  private judge(w: Tally, now: number): void {
    const rate = this.at(now)
    const nearLanding = rate <= this.landing * (1 + MARGIN)
    const excess = w.refused / w.answers - this.background
    // Two standard deviations of the background's sampling noise in a window of this size.
    const noise = 2 * Math.sqrt((this.background * (1 - this.background)) / w.answers)
    if (excess > noise + (nearLanding ? EXCESS_SHARE_AT_LANDING : EXCESS_SHARE)) return this.backOff(rate, excess, now)
    if (!nearLanding) return
    // Refusals at the landing that did not call for a backoff: what this number refuses whatever the rate.
    this.atLanding.answers += w.answers
    this.atLanding.refused += w.refused
    if (this.atLanding.answers >= WINDOW_MIN_ANSWERS) {
      this.background = Math.min(BACKGROUND_MAX, this.atLanding.refused / this.atLanding.answers)
    }
  }

  private backOff(rate: number, excess: number, now: number): void {
    this.ceiling = Math.max(FLOOR_MPS, rate * (1 - excess))
    this.current = Math.max(FLOOR_MPS, this.ceiling * (1 - MARGIN))
    this.landing = this.current
    this.atLanding = { answers: 0, refused: 0 }
    this.backedOffAt = now
    this.window = { start: now, answers: 0, refused: 0 }
  }
}
