// The limiter of one sender phone number, shared by every campaign sending from it: a token bucket at
// the number's (adaptive) rate, a bound on requests in flight sized from that rate, the rests Meta asks
// for, and the network hold.

import type { Clock } from './clock'
import { AdaptiveRate } from './adaptiveRate'
import { InFlightBound } from './inFlightBound'
import { NetworkHold } from './networkHold'
import { RateLimitRest } from './rateLimitRest'
import { TokenBucket } from './tokenBucket'
import { assertNever } from '../../shared/assertNever'

/** What became of a permit's request; the limiter learns the number's health from it. */
export type PermitResult =
  | { kind: 'unused' }
  /** The API answered (success or any error other than a rate limit): the network works. */
  | { kind: 'answered' }
  /** 130429: the rate backs off in proportion; a wait Meta names is honoured up to a cap. */
  | { kind: 'rate_limited'; retryAfterMs: number | null }
  /** Never left the machine (refused, DNS, no route). */
  | { kind: 'network_down' }
  /** Left, but no answer (timeout, reset). */
  | { kind: 'lost' }

export interface Permit {
  /** Let through while the number waits for the network, to find out whether it is back. */
  readonly probe: boolean
  release(result: PermitResult): void
}

export interface AcquireOptions {
  signal?: AbortSignal
  /** Pacing `off`: no token bucket (the in-flight bound, cool-downs and the network hold still apply). */
  unlimited?: boolean
}

interface Waiter {
  max: number
  unlimited: boolean
  resolve: (permits: Permit[]) => void
  detach: () => void
}

export interface NumberLimiterOptions {
  maxPerSec: number
  /** The ceiling of the in-flight bound (which is otherwise sized from the rate and the latency). */
  maxInFlight: number
  clock: Clock
}

/** Why sending from the number is held back, and until when when that is known. */
export interface LimiterWait {
  reason: 'network' | 'rate_limit'
  /** Epoch ms; null while waiting for the network (nobody knows when it comes back). */
  resumesAt: number | null
}

export class NumberLimiter {
  private readonly clock: Clock
  private readonly bucket: TokenBucket
  private readonly rate: AdaptiveRate
  private readonly hold = new NetworkHold()
  private readonly rest = new RateLimitRest()
  private readonly bound: InFlightBound
  private inFlightCount = 0
  /** First come, first served: campaigns of one number take turns. */
  private waiters: Waiter[] = []
  private wake: { at: number; abort: AbortController } | null = null

  constructor(options: NumberLimiterOptions) {
    this.clock = options.clock
    const now = options.clock.now()
    this.rate = new AdaptiveRate(options.maxPerSec, now)
    this.bucket = new TokenBucket(options.maxPerSec, now)
    this.bound = new InFlightBound(options.maxInFlight)
  }

  get inFlight(): number {
    return this.inFlightCount
  }

  /** How many requests may be in flight now at the number's current rate. */
  get maxInFlight(): number {
    return this.bound.at(this.ratePerSec)
  }

  /** The rate the number is allowed right now (below the maximum after a slow-down). */
  get ratePerSec(): number {
    return this.rate.at(this.clock.now())
  }

  get maxPerSec(): number {
    return this.rate.maxPerSec
  }

  setLimits(maxPerSec: number, maxInFlight: number): void {
    this.rate.setMax(maxPerSec, this.clock.now())
    this.bound.setCeiling(maxInFlight)
    this.pump()
  }

  /**
   * Why sending from this number is stopped, if it is. A number sending below its maximum after a
   * backoff is not waiting: it is sending, at the rate its progress shows.
   */
  waiting(): LimiterWait | null {
    if (this.hold.isHeld) return { reason: 'network', resumesAt: null }
    const resumesAt = this.rest.resumesAt(this.clock.now())
    return resumesAt === null ? null : { reason: 'rate_limit', resumesAt }
  }

  waitingFor(): LimiterWait['reason'] | null {
    return this.waiting()?.reason ?? null
  }

  /**
   * Waits for between 1 and `max` permits (fewer when only fewer are free now). Resolves `[]` when
   * `signal` aborts. Each permit must be released exactly once.
   */
  acquire(max: number, options: AcquireOptions = {}): Promise<Permit[]> {
    const { signal, unlimited = false } = options
    if (signal?.aborted) return Promise.resolve([])
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        resolve([])
        this.pump()
      }
      const waiter: Waiter = {
        max: Math.max(1, max),
        unlimited,
        resolve,
        detach: () => signal?.removeEventListener('abort', onAbort),
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(waiter)
      this.pump()
    })
  }

  /** Stops the wake-up timer (engine shutdown). */
  close(): void {
    this.wake?.abort.abort()
    this.wake = null
  }

  private pump(): void {
    while (this.waiters.length > 0) {
      const head = this.waiters[0]
      const grant = this.grant(head)
      if (grant.count === 0) {
        this.scheduleWake(grant.retryInMs)
        return
      }
      this.waiters.shift()
      head.detach()
      const permits: Permit[] = []
      for (let i = 0; i < grant.count; i += 1) permits.push(this.permit(grant.probe, head.unlimited))
      head.resolve(permits)
    }
  }

  private grant(waiter: Waiter): { count: number; probe: boolean; retryInMs: number } {
    const none = (retryInMs: number) => ({ count: 0, probe: false, retryInMs })
    const now = this.clock.now()
    // Pacing off has no rate of its own: its bound is sized from the number's maximum.
    const free = this.bound.at(waiter.unlimited ? this.rate.maxPerSec : this.rate.at(now)) - this.inFlightCount
    if (free <= 0) return none(Number.POSITIVE_INFINITY)
    const probe = this.hold.isHeld
    if (probe) {
      const wait = this.hold.msUntilProbe(now)
      if (wait > 0) return none(wait)
    }
    const resumesAt = this.rest.resumesAt(now)
    if (resumesAt !== null) return none(resumesAt - now)
    let count = probe ? 1 : Math.min(waiter.max, free)
    if (!waiter.unlimited) {
      this.bucket.setRate(this.rate.at(now), now)
      const tokens = this.bucket.available(now)
      if (tokens < 1) return none(this.bucket.msUntilNext(now))
      count = Math.min(count, tokens)
      this.bucket.take(count, now)
    }
    if (probe) this.hold.startProbe()
    this.inFlightCount += count
    return { count, probe, retryInMs: 0 }
  }

  private permit(probe: boolean, unlimited: boolean): Permit {
    let released = false
    const grantedAt = this.clock.now()
    return {
      probe,
      release: (result) => {
        if (released) return
        released = true
        this.inFlightCount -= 1
        this.learn(result, probe, unlimited, grantedAt)
        this.pump()
      },
    }
  }

  private learn(result: PermitResult, probe: boolean, unlimited: boolean, grantedAt: number): void {
    const now = this.clock.now()
    switch (result.kind) {
      case 'unused':
        if (!unlimited) this.bucket.giveBack(1, now)
        if (probe) this.hold.probeUnused()
        return
      case 'answered':
        this.hold.reached()
        this.bound.observe(now - grantedAt)
        this.rate.record(false, grantedAt, now)
        return
      case 'rate_limited':
        this.hold.reached()
        this.bound.observe(now - grantedAt)
        this.rate.record(true, grantedAt, now)
        this.rest.asked(result.retryAfterMs, now)
        return
      case 'network_down':
        this.hold.failed(now, probe)
        return
      case 'lost':
        // Requests that hang until they time out look like a dead link too: hold and probe rather than
        // turning every queued row into an `uncertain` one.
        this.hold.failed(now, probe)
        return
      default:
        assertNever(result, 'permit result')
    }
  }

  private scheduleWake(inMs: number): void {
    if (!Number.isFinite(inMs)) return
    const at = this.clock.now() + inMs
    if (this.wake && this.wake.at <= at) return
    this.wake?.abort.abort()
    const abort = new AbortController()
    this.wake = { at, abort }
    void this.clock.sleep(inMs, abort.signal).then(() => {
      if (abort.signal.aborted) return
      this.wake = null
      this.pump()
    })
  }
}
