// Seedable randomness, so a simulator run with `seed` repeats its failures, latencies and reads exactly.

import type { Latency } from './types'

export type Random = () => number

/** mulberry32: tiny, fast and good enough for simulation (not for secrets). */
export function createRandom(seed: number = Math.floor(Math.random() * 2 ** 32)): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function randomToken(random: Random, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)]
  return out
}

/** A fixed number of ms, or one drawn uniformly from `{ min, max }`. */
export function sampleMs(latency: Latency, random: Random): number {
  if (typeof latency === 'number') return latency
  return latency.min + random() * (latency.max - latency.min)
}
