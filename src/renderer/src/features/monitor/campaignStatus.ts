// What each campaign status looks like (the seed's colours) and which controls it allows.

import { assertNever } from '../../../../shared/assertNever'
import type { CampaignStatus } from '../../../../shared/types'

export type StatusTone = 'green' | 'blue' | 'yellow' | 'orange' | 'red' | 'grey' | 'purple'

/** The seed's colours: completed green, processing blue (pulsing), pending yellow, paused orange, failed red, cancelled black/grey. */
export function statusTone(status: CampaignStatus): StatusTone {
  switch (status) {
    case 'completed':
      return 'green'
    case 'processing':
      return 'blue'
    case 'pending':
      return 'yellow'
    case 'paused':
      return 'orange'
    case 'failed':
      return 'red'
    case 'cancelled':
      return 'grey'
    case 'scheduled':
      return 'purple'
    default:
      return assertNever(status, 'campaign status')
  }
}

export interface Controls {
  pause: boolean
  resume: boolean
  cancel: boolean
}

export function allowedControls(status: CampaignStatus): Controls {
  switch (status) {
    case 'pending':
    case 'processing':
      return { pause: true, resume: false, cancel: true }
    // The engine pauses only what is queued or sending; a scheduled campaign is cancelled (or left to start).
    case 'scheduled':
      return { pause: false, resume: false, cancel: true }
    case 'paused':
      return { pause: false, resume: true, cancel: true }
    case 'completed':
    case 'cancelled':
    case 'failed':
      return { pause: false, resume: false, cancel: false }
    default:
      return assertNever(status, 'campaign status')
  }
}

export function isActive(status: CampaignStatus): boolean {
  return status === 'pending' || status === 'processing' || status === 'scheduled'
}
