// Batches one campaign's send outcomes into ledger.record calls: every `batch` outcomes or `intervalMs`.

import type { LedgerStore, SendOutcome } from '../store/ports'
import type { Clock } from './clock'
import type { EngineLogger } from './types'

export class LedgerWriter {
  private buffer: SendOutcome[] = []
  /** Flushes run one after another so outcomes reach the ledger in order. */
  private chain: Promise<void> = Promise.resolve()
  private timer: AbortController | null = null

  constructor(
    private readonly ledger: LedgerStore,
    private readonly campaignId: string,
    private readonly clock: Clock,
    private readonly batch: number,
    private readonly intervalMs: number,
    private readonly log: EngineLogger,
    /** Told what reached the ledger, once it has (the messaging tier counts accepted sends until then). */
    private readonly onRecorded: (outcomes: SendOutcome[]) => void = () => {},
  ) {}

  get buffered(): number {
    return this.buffer.length
  }

  add(outcome: SendOutcome): void {
    this.buffer.push(outcome)
    if (this.buffer.length >= this.batch) void this.flush()
    else this.armTimer()
  }

  /** Resolves when everything added so far is in the ledger (or has failed and been logged). */
  flush(): Promise<void> {
    this.timer?.abort()
    this.timer = null
    if (this.buffer.length === 0) return this.chain
    const outcomes = this.buffer
    this.buffer = []
    this.chain = this.chain.then(async () => {
      try {
        await this.ledger.record(this.campaignId, outcomes, this.clock.now())
        this.onRecorded(outcomes)
      } catch (error) {
        // Keep them for the next flush: losing an outcome would desynchronise counters and rows.
        this.log.error({ err: error, campaignId: this.campaignId, outcomes: outcomes.length }, 'Ledger write failed; will retry')
        this.buffer = outcomes.concat(this.buffer)
        this.armTimer(1_000)
      }
    })
    return this.chain
  }

  /** Stops the timer; call after a final flush. */
  close(): void {
    this.timer?.abort()
    this.timer = null
  }

  private armTimer(ms = this.intervalMs): void {
    if (this.timer) return
    const abort = new AbortController()
    this.timer = abort
    void this.clock.sleep(ms, abort.signal).then(() => {
      if (abort.signal.aborted) return
      this.timer = null
      void this.flush()
    })
  }
}
