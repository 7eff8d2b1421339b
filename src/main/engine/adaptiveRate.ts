// A sender number's current rate: halved when Meta says "too fast", climbing back slowly to the maximum.

/** One slow-down per this window: a burst of 130429 answers to in-flight requests counts once. */
const SLOWDOWN_DEBOUNCE_MS = 1_000
/** Recovery: +10 % every 5 s without a new slow-down, back to the maximum. */
const RECOVERY_STEP_MS = 5_000
const RECOVERY_FACTOR = 1.1
const FLOOR_MPS = 1

export class AdaptiveRate {
  private current: number
  private lastChangeAt: number
  private lastSlowDownAt = Number.NEGATIVE_INFINITY

  constructor(
    private max: number,
    now: number,
  ) {
    this.current = max
    this.lastChangeAt = now
  }

  get maxPerSec(): number {
    return this.max
  }

  /** The rate now, after any recovery steps that have come due. */
  at(now: number): number {
    if (this.current < this.max) {
      const steps = Math.floor((now - this.lastChangeAt) / RECOVERY_STEP_MS)
      if (steps > 0) {
        this.current = Math.min(this.max, this.current * RECOVERY_FACTOR ** steps)
        this.lastChangeAt += steps * RECOVERY_STEP_MS
      }
    }
    return this.current
  }

  /** Halves the rate (never below 1 msg/s). Returns whether it changed. */
  slowDown(now: number): boolean {
    if (now - this.lastSlowDownAt < SLOWDOWN_DEBOUNCE_MS) return false
    this.current = Math.max(FLOOR_MPS, this.at(now) / 2)
    this.lastChangeAt = now
    this.lastSlowDownAt = now
    return true
  }

  setMax(max: number, now: number): void {
    this.max = max
    this.current = Math.min(this.at(now), max)
  }

  /** Whether the number is below its maximum because of a recent slow-down. */
  isSlowed(now: number): boolean {
    return this.at(now) < this.max
  }
}
