// How many requests a sender number keeps in flight: Little's law (in flight = rate × latency) on the
// latency actually observed, with headroom, a floor and a ceiling.

/** Room above rate × latency, so latency jitter does not cut the rate. */
const HEADROOM = 1.5
/** Never fewer than this (the old fixed bound): at low rates the token bucket paces, not this. */
export const IN_FLIGHT_FLOOR = 32
/** Weight of each new observation in the moving average. */
const EWMA_WEIGHT = 0.1

export class InFlightBound {
  private latencyMs: number | null = null

  private ceiling = 1

  /** `ceiling`: the configured maximum (`maxInFlightPerNumber`). */
  constructor(ceiling: number) {
    this.setCeiling(ceiling)
  }

  setCeiling(ceiling: number): void {
    this.ceiling = Math.max(1, ceiling)
  }

  /** The moving average of the time a request held its permit, in ms (null before any answer). */
  get observedLatencyMs(): number | null {
    return this.latencyMs
  }

  observe(latencyMs: number): void {
    const sample = Math.max(0, latencyMs)
    this.latencyMs = this.latencyMs === null ? sample : this.latencyMs + EWMA_WEIGHT * (sample - this.latencyMs)
  }

  /**
   * The bound for a number sending at `ratePerSec`. The floor until the first answer: a campaign-fatal
   * answer (a wrong token) then finds few requests in flight.
   */
  at(ratePerSec: number): number {
    if (this.latencyMs === null) return Math.min(this.ceiling, IN_FLIGHT_FLOOR)
    const sized = Math.ceil((ratePerSec * this.latencyMs * HEADROOM) / 1_000)
    return Math.min(this.ceiling, Math.max(IN_FLIGHT_FLOOR, sized))
  }
}
