// Progress reporting helpers: a sliding-window rate and a throttle for `campaign:progress` events.

import type { Clock } from './clock'

/** Messages per second over the last `windowMs`, counted in small buckets. */
export class RateWindow {
  private readonly buckets = new Map<number, number>()

  constructor(
    private readonly windowMs = 5_000,
    private readonly bucketMs = 250,
  ) {}

  add(now: number, count = 1): void {
    const bucket = Math.floor(now / this.bucketMs)
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + count)
  }

  perSec(now: number): number {
    const oldest = Math.floor((now - this.windowMs) / this.bucketMs)
    let total = 0
    for (const [bucket, count] of this.buckets) {
      if (bucket <= oldest) this.buckets.delete(bucket)
      else total += count
    }
    return (total * 1000) / this.windowMs
  }
}

/** Calls `emit` at most once per `intervalMs`; a poke inside the interval schedules one trailing call. */
export class Throttle {
  private lastAt = Number.NEGATIVE_INFINITY
  private timer: AbortController | null = null

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly emit: () => void,
  ) {}

  poke(): void {
    if (this.timer) return
    const wait = this.lastAt + this.intervalMs - this.clock.now()
    if (wait <= 0) return this.fire()
    const abort = new AbortController()
    this.timer = abort
    void this.clock.sleep(wait, abort.signal).then(() => {
      if (abort.signal.aborted) return
      this.timer = null
      this.fire()
    })
  }

  /** Emits now (the final event) and stops any pending one. */
  flush(): void {
    this.timer?.abort()
    this.timer = null
    this.fire()
  }

  close(): void {
    this.timer?.abort()
    this.timer = null
  }

  private fire(): void {
    this.lastAt = this.clock.now()
    this.emit()
  }
}
