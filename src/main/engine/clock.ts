// Time as the engine sees it: the real clock, and a fake one that tests move by hand.

import { setTimeout as delay } from 'node:timers/promises'

export interface Clock {
  /** Epoch milliseconds. */
  now(): number
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  async sleep(ms, signal) {
    if (signal?.aborted) return
    try {
      await delay(Math.max(0, ms), undefined, { signal })
    } catch (error) {
      if (!signal?.aborted) throw error
    }
  },
}

interface Sleeper {
  at: number
  seq: number
  resolve: () => void
}

/** A clock that only moves on `advance`, waking sleepers in time order (ties in the order they slept). */
export class FakeClock implements Clock {
  private time: number
  private seq = 0
  private sleepers: Sleeper[] = []

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const sleeper: Sleeper = { at: this.time + Math.max(0, ms), seq: this.seq++, resolve }
      this.sleepers.push(sleeper)
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper)
          resolve()
        },
        { once: true },
      )
    })
  }

  /** Moves time forward by `ms`, letting each woken sleeper's continuation run before the next wakes. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms
    await settle()
    for (;;) {
      const next = this.earliestDue(target)
      if (!next) break
      this.sleepers = this.sleepers.filter((s) => s !== next)
      this.time = next.at
      next.resolve()
      await settle()
    }
    this.time = target
    await settle()
  }

  /** How many sleepers are waiting (tests use it to know the code under test has parked). */
  get pendingSleepers(): number {
    return this.sleepers.length
  }

  private earliestDue(target: number): Sleeper | undefined {
    let best: Sleeper | undefined
    for (const s of this.sleepers) {
      if (s.at > target) continue
      if (!best || s.at < best.at || (s.at === best.at && s.seq < best.seq)) best = s
    }
    return best
  }
}

/** Lets pending promise continuations (and anything they chain) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
