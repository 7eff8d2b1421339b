// A campaign's own pacing profile, on top of its sender number's shared limiter.

import type { PacingProfile } from '../../shared/types'
import { assertNever } from '../../shared/assertNever'
import type { Clock } from './clock'

/**
 * The seed's progressive table, by message index `n` (1-based count of messages this campaign has
 * sent, continuing after a resume): message `n` starts this long after message `n − 1`.
 */
export function seedIntervalMs(n: number): number {
  if (n <= 100) return 1_200
  if (n <= 500) return 800
  if (n <= 2_000) return 600
  return 400
}

/** The gap a profile asks for before message `n`; 0 means only the number's limiter decides. */
export function profileIntervalMs(profile: PacingProfile, n: number): number {
  switch (profile.kind) {
    case 'seed':
      return seedIntervalMs(n)
    case 'custom':
      return Math.max(0, profile.intervalMs)
    case 'standard':
    case 'off':
      return 0
    default:
      return assertNever(profile, 'pacing profile')
  }
}

/** Whether a profile spaces its messages itself (then the runner sends one at a time). */
export function isSpaced(profile: PacingProfile): boolean {
  return profile.kind === 'seed' || profile.kind === 'custom'
}

/**
 * Spaces one campaign's sends. Start times are scheduled from the previous start (not from when the
 * sleep ended), so timer lateness does not accumulate; a late start never makes the next one early.
 */
export class CampaignPacer {
  private lastStartAt: number | null = null

  constructor(
    private readonly profile: PacingProfile,
    private readonly clock: Clock,
    /** Messages this campaign has already sent (the seed's index continues after a resume). */
    private sent: number,
  ) {}

  /** The index the next message will have. */
  get nextIndex(): number {
    return this.sent + 1
  }

  /** Waits until the next message may start (early when `signal` aborts). */
  async wait(signal?: AbortSignal): Promise<void> {
    const gap = profileIntervalMs(this.profile, this.nextIndex)
    if (gap === 0 || this.lastStartAt === null) return
    const dueAt = this.lastStartAt + gap
    const now = this.clock.now()
    if (dueAt > now) await this.clock.sleep(dueAt - now, signal)
  }

  /** Records that a message started now. */
  markSent(): void {
    const gap = profileIntervalMs(this.profile, this.nextIndex)
    const now = this.clock.now()
    const dueAt = this.lastStartAt === null ? now : this.lastStartAt + gap
    // Anchor to the due time when a timer woke a little late, so lateness does not accumulate; after a
    // long hold (network, limiter) anchor to now, so the campaign does not burst to catch up.
    const slightlyLate = now >= dueAt && now - dueAt < gap / 10
    this.lastStartAt = slightlyLate ? dueAt : now
    this.sent += 1
  }
}
