// Settles `uncertain` rows by evidence. Pregón never resends by itself a request that may have reached
// Meta; but when a campaign's webhooks keep working (statuses for its other messages arrive after the
// row became uncertain) and none comes for that row within the window, Meta never had it: the row is
// queued again and sent. With no webhooks there is no evidence, and the row waits for the user.

import type { Store } from '../store/ports'
import type { Clock } from './clock'
import type { EngineLogger } from './types'

/** Campaigns in these states can hold uncertain rows worth settling (cancelled ones are final). */
const SETTLEABLE = ['pending', 'processing', 'paused', 'completed', 'failed'] as const

export interface UncertainSweepDeps {
  store: Store
  clock: Clock
  log: EngineLogger
  windowMs: number
  /** Rows of this campaign went back to the queue: send them (or leave them for the resume of a paused one). */
  requeued(campaignId: string, count: number): Promise<void>
}

export class UncertainSweep {
  private readonly watched = new Set<string>()
  private readonly abort = new AbortController()

  constructor(private readonly deps: UncertainSweepDeps) {}

  /** A campaign got uncertain rows: look at it until they are settled. */
  watch(campaignId: string): void {
    this.watched.add(campaignId)
  }

  /** Watches every campaign that already holds uncertain rows (after a crash), then checks periodically. */
  async start(): Promise<void> {
    for (const campaign of await this.deps.store.campaigns.listByStatus([...SETTLEABLE])) {
      if (campaign.uncertainCount > 0) this.watch(campaign.id)
    }
    void this.loop()
  }

  stop(): void {
    this.abort.abort()
  }

  /** One pass over the watched campaigns. */
  async check(): Promise<void> {
    const { store, clock, windowMs, log } = this.deps
    for (const id of [...this.watched]) {
      const campaign = await store.campaigns.get(id)
      if (!campaign || campaign.uncertainCount === 0 || !(SETTLEABLE as readonly string[]).includes(campaign.status)) {
        this.watched.delete(id)
        continue
      }
      const now = clock.now()
      const count = await store.ledger.requeueUnreported(id, now - windowMs, now)
      if (count === 0) continue
      log.warn({ campaignId: id, count }, `${count} unconfirmed messages of campaign ${id} never reached Meta (no status while its webhooks worked); sending them`)
      await this.deps.requeued(id, count)
    }
  }

  private async loop(): Promise<void> {
    const every = Math.min(60_000, Math.max(1_000, this.deps.windowMs / 4))
    while (!this.abort.signal.aborted) {
      await this.deps.clock.sleep(every, this.abort.signal)
      if (this.abort.signal.aborted) return
      await this.check().catch((error: unknown) => this.deps.log.error({ err: error }, 'Settling unconfirmed messages failed; will try again'))
    }
  }
}
