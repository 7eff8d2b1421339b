// One ledger row per (campaign, recipient): the states of ARCHITECTURE.md's ledger.

export const RECIPIENT_STATES = [
  'queued',
  'sending',
  'retry_wait',
  'sent',
  'delivered',
  'read',
  'failed',
  'uncertain',
  'skipped',
] as const
export type RecipientState = (typeof RECIPIENT_STATES)[number]

export const SKIP_REASONS = [
  'opted_out',
  'duplicate',
  'invalid_number',
  'missing_variable',
  'invalid_parameter',
  'cancelled',
  /** A marketing template to a US number: Meta does not deliver those (since April 2025). */
  'marketing_us',
] as const
export type SkipReason = (typeof SKIP_REASONS)[number]

/** States a row never leaves by itself (webhooks may still move sent → delivered → read, or → failed). */
export const FINAL_RECIPIENT_STATES: readonly RecipientState[] = [
  'sent',
  'delivered',
  'read',
  'failed',
  'uncertain',
  'skipped',
]

/**
 * How a row that was `uncertain` (its request may have reached Meta, no answer came) was settled:
 * `status` — a webhook status for it arrived, so Meta had it; `no_status` — the campaign's webhooks
 * kept working and none came for it within the window, so Meta never had it and it was queued again;
 * `resent` — the user chose to send it again.
 */
export const UNCERTAIN_RESOLUTIONS = ['status', 'no_status', 'resent'] as const
export type UncertainResolution = (typeof UNCERTAIN_RESOLUTIONS)[number]

/** The rank that makes webhook statuses monotonic: a late `delivered` after `read` changes nothing. */
export const DELIVERY_RANK: Partial<Record<RecipientState, number>> = { sent: 1, delivered: 2, read: 3 }

export interface Recipient {
  /** Signed into each send's `biz_opaque_callback_data`, so a webhook can resolve an `uncertain` row. */
  id: string
  campaignId: string
  /** 0-based order in the uploaded list; the seed's pacing counts messages by it. */
  position: number
  /** E.164 with `+`, e.g. `+573001234567`. For invalid numbers, what the user typed. */
  phone: string
  name: string | null
  /** Every contact field except the phone, e.g. `{ Nombre: 'Juan', Ciudad: 'Cali' }`. */
  variables: Record<string, string>
  state: RecipientState
  attempts: number
  /** Epoch ms; set while `retry_wait`. */
  nextAttemptAt: number | null
  wamid: string | null
  waId: string | null
  errorCode: number | null
  errorMessage: string | null
  skipReason: SkipReason | null
  sentAt: number | null
  deliveredAt: number | null
  readAt: number | null
  failedAt: number | null
  repliedAt: number | null
  updatedAt: number
  /** Set once an `uncertain` row was settled, and how. */
  resolution: UncertainResolution | null
}

/** A contact in the seed's shape: `numero`, `Nombre`, any other field becomes a variable. */
export type SeedContact = { numero: string | number; Nombre?: string } & Record<string, unknown>
