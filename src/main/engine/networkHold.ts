// "Waiting for network": while a sender number cannot reach the API, one probe at a time with backoff.

const FIRST_PROBE_MS = 1_000
const MAX_PROBE_MS = 30_000

export class NetworkHold {
  private held = false
  private probeDelayMs = FIRST_PROBE_MS
  private probeAt = 0
  private probing = false

  get isHeld(): boolean {
    return this.held
  }

  /** A request failed before it was written: hold, or (for the probe) back off further. */
  failed(now: number, wasProbe: boolean): void {
    if (!this.held) {
      this.held = true
      this.probeDelayMs = FIRST_PROBE_MS
      this.probeAt = now + this.probeDelayMs
      return
    }
    if (wasProbe) {
      this.probing = false
      this.probeDelayMs = Math.min(MAX_PROBE_MS, this.probeDelayMs * 2)
      this.probeAt = now + this.probeDelayMs
    }
  }

  /** Any answer from the API (even an error) proves the network is back. */
  reached(): void {
    this.held = false
    this.probing = false
    this.probeDelayMs = FIRST_PROBE_MS
  }

  /** A probe that was granted but never sent. */
  probeUnused(): void {
    this.probing = false
  }

  /** While held: ms until a probe may go (0 = now); Infinity while one is out. */
  msUntilProbe(now: number): number {
    if (this.probing) return Number.POSITIVE_INFINITY
    return Math.max(0, this.probeAt - now)
  }

  startProbe(): void {
    this.probing = true
  }
}
