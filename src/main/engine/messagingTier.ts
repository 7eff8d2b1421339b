// An account's messaging tier: unique recipients over a moving 24 h, read from the ledger and counted locally.

import type { LedgerStore } from '../store/ports'
import type { Clock } from './clock'

export const TIER_WINDOW_MS = 24 * 60 * 60_000
/** When the window is full, the ledger is asked again at most this often (the window moves). */
const REFRESH_WHEN_FULL_MS = 1_000
/** If the ledger cannot say when the oldest recipient leaves the window, look again after this. */
const UNKNOWN_RESUME_MS = 60_000

export class MessagingTier {
  private used: number | null = null
  private reserved = 0
  /** Sends Meta accepted, and those of them the ledger holds: the writer batches, so the ledger's count lags. */
  private accepted = 0
  private confirmed = 0
  private refreshedAt = Number.NEGATIVE_INFINITY

  constructor(
    private readonly ledger: LedgerStore,
    private readonly accountId: string,
    private currentLimit: number,
    private readonly clock: Clock,
  ) {}

  get limit(): number {
    return this.currentLimit
  }

  /** The tier changed (a quality webhook, the user): the next reservation reads the ledger against the new limit. */
  setLimit(limit: number): void {
    this.currentLimit = limit
    this.refreshedAt = Number.NEGATIVE_INFINITY
  }

  /**
   * Reserves room for up to `count` sends and returns how many fit. Conservative: every send counts
   * as a new recipient until the ledger (which knows repeats) is read again.
   */
  async reserve(count: number): Promise<number> {
    if (!Number.isFinite(this.limit)) return count
    const full = () => this.used === null || this.used + this.reserved + count > this.limit
    if (full() && this.clock.now() - this.refreshedAt >= REFRESH_WHEN_FULL_MS) await this.refresh()
    const room = Math.max(0, this.limit - (this.used ?? 0) - this.reserved)
    const granted = Math.min(count, room)
    this.reserved += granted
    return granted
  }

  /** A reservation ended: `accepted` when Meta took the message. */
  settle(accepted: boolean): void {
    this.reserved = Math.max(0, this.reserved - 1)
    if (!accepted) return
    this.accepted += 1
    if (this.used !== null) this.used += 1
  }

  /** `count` accepted sends reached the ledger (the writer flushed them). */
  confirm(count: number): void {
    this.confirmed = Math.min(this.accepted, this.confirmed + count)
  }

  /** When the window will have room again: the oldest recipient's send + 24 h. */
  async resumeAt(): Promise<number> {
    const now = this.clock.now()
    const oldest = await this.ledger.oldestRecipientSince(this.accountId, now - TIER_WINDOW_MS)
    return oldest === null ? now + UNKNOWN_RESUME_MS : Math.max(now + 1_000, oldest + TIER_WINDOW_MS)
  }

  private async refresh(): Promise<void> {
    const now = this.clock.now()
    this.refreshedAt = now
    const confirmedBefore = this.confirmed
    const inLedger = await this.ledger.uniqueRecipientsSince(this.accountId, now - TIER_WINDOW_MS)
    // Whatever was flushed while the ledger answered is counted at worst twice, never missed.
    this.used = inLedger + (this.accepted - confirmedBefore)
  }
}
