// A token bucket: `rate` tokens a second, holding at most a short burst.

/**
 * The burst a bucket may hold, in seconds of its rate (at least one token). A quarter of a second: an
 * event loop that stalls for 100 ms (a busy machine) catches up instead of losing the tokens, which
 * at 1,000 msg/s cost 9 % of the rate with 50 ms; still well inside the second of burst Meta allows.
 */
const BURST_SECONDS = 0.25

export class TokenBucket {
  private tokens: number
  private updatedAt: number

  constructor(
    private rate: number,
    now: number,
  ) {
    this.tokens = 1
    this.updatedAt = now
  }

  get ratePerSec(): number {
    return this.rate
  }

  setRate(rate: number, now: number): void {
    this.refill(now)
    this.rate = Math.max(rate, Number.MIN_VALUE)
    this.tokens = Math.min(this.tokens, this.capacity)
  }

  /** Whole tokens available now. */
  available(now: number): number {
    this.refill(now)
    return Math.floor(this.tokens)
  }

  take(count: number, now: number): void {
    this.refill(now)
    this.tokens -= count
  }

  /** Gives back tokens that were taken but not used. */
  giveBack(count: number, now: number): void {
    this.refill(now)
    this.tokens = Math.min(this.capacity, this.tokens + count)
  }

  /** Milliseconds until one whole token is available. */
  msUntilNext(now: number): number {
    this.refill(now)
    if (this.tokens >= 1) return 0
    return Math.ceil(((1 - this.tokens) * 1000) / this.rate)
  }

  private get capacity(): number {
    return Math.max(1, this.rate * BURST_SECONDS)
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt)
    this.updatedAt = now
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.rate) / 1000)
  }
}
