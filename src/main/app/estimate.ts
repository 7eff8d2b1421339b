// How long a campaign will take under its pacing, and how the account's moving-24 h tier fits it.

import type { PacingProfile } from '../../shared/types'
import { assertNever } from '../../shared/assertNever'
import { seedIntervalMs } from '../engine/pacing'

/** Seconds to send `count` messages starting after `alreadySent`, at most `mps` per second. */
export function estimateDurationSec(profile: PacingProfile, count: number, mps: number, alreadySent = 0): number {
  if (count <= 0) return 0
  const floorMs = 1000 / Math.max(1, mps)
  switch (profile.kind) {
    case 'seed': {
      let ms = 0
      for (let n = alreadySent + 2; n <= alreadySent + count; n++) ms += Math.max(seedIntervalMs(n), floorMs)
      return Math.round(ms / 1000)
    }
    case 'custom':
      return Math.round(((count - 1) * Math.max(profile.intervalMs, floorMs)) / 1000)
    case 'standard':
    case 'off':
      return Math.round((count * floorMs) / 1000)
    default:
      return assertNever(profile, 'pacing profile')
  }
}

/** How many moving 24 h windows an audience needs under a tier limit. */
export function daysNeeded(recipients: number, remainingToday: number, limit: number): number {
  if (!Number.isFinite(limit) || recipients <= remainingToday) return recipients > 0 ? 1 : 0
  return 1 + Math.ceil((recipients - Math.max(0, remainingToday)) / limit)
}
