// Meta's stateful send limits: a token bucket per phone number (130429) and per (number, recipient) pair (131056).

/** A continuously refilling token bucket; `take` never blocks, it only says yes or no. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = capacity
    this.last = now
  }

  take(now: number): boolean {
    this.refill(now)
    // Tolerate float drift: 5/6 + 1/6 must make a whole token.
    if (this.tokens < 1 - 1e-9) return false
    this.tokens -= 1
    return true
  }

  /** How long until `take` can succeed. */
  msUntilToken(now: number): number {
    this.refill(now)
    return this.tokens >= 1 - 1e-9 ? 0 : ((1 - this.tokens) / this.perSecond) * 1000
  }

  /** Consumes a token even when empty (inbound traffic counts against the number, but is never refused). */
  force(now: number): void {
    this.refill(now)
    this.tokens = Math.max(this.tokens - 1, -this.capacity)
  }

  private refill(now: number): void {
    const elapsed = (now - this.last) / 1000
    if (elapsed > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.perSecond)
      this.last = now
    }
  }
}

/** Pair limit: one message per 6 s to the same user, with bursts of up to 45 that borrow from future quota. */
const PAIR_BURST = 45
const PAIR_PER_SECOND = 1 / 6

export class PairLimiter {
  private readonly buckets = new Map<string, TokenBucket>()

  take(phoneNumberId: string, recipient: string, now: number): boolean {
    const key = `${phoneNumberId}:${recipient}`
    let bucket = this.buckets.get(key)
    if (!bucket) {
      bucket = new TokenBucket(PAIR_BURST, PAIR_PER_SECOND, now)
      this.buckets.set(key, bucket)
    }
    return bucket.take(now)
  }

  clear(): void {
    this.buckets.clear()
  }
}
