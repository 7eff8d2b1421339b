// A WhatsApp sender (phone number id + WABA) owned by a user (tenant), and what Meta last told us about it.

export type QualityRating = 'GREEN' | 'YELLOW' | 'RED' | 'NA' | 'UNKNOWN'

export interface Account {
  id: string
  userId: string
  label: string
  phoneNumberId: string
  wabaId: string
  /** Default country (ISO 3166 alpha-2) for numbers written without a country code. */
  defaultCountry: string
  /** Sender-number limit in messages per second (80 by default; 20 for coexistence numbers). */
  maxMessagesPerSecond: number
  /** Last read from the Graph API. */
  verifiedName: string | null
  displayPhoneNumber: string | null
  qualityRating: QualityRating | null
  /** e.g. `TIER_250`, `TIER_2K`, `TIER_UNLIMITED`. */
  messagingLimitTier: string | null
  throughputLevel: string | null
  validatedAt: string | null
  /** The demo account runs against the built-in simulator; the UI labels it everywhere. */
  simulated: boolean
  /** The demo account's Graph base URL (the simulator's); see graphUrlOf. Null: the installation's. */
  graphUrl: string | null
  webhookVerifyToken: string | null
  createdAt: string
}

/**
 * Where an account's Graph API calls go. Only the demo account has its own address (the built-in
 * simulator); every other account uses the installation's, even one an older version let a tenant point
 * elsewhere, so no stored account can make the server fetch an address its operator did not choose.
 */
export function graphUrlOf(account: Pick<Account, 'simulated' | 'graphUrl'>, installationGraphUrl: string): string {
  return account.simulated && account.graphUrl ? account.graphUrl : installationGraphUrl
}

/** Unique recipients per moving 24 h for a tier string; Infinity when unlimited or unknown. */
export function tierLimit(tier: string | null): number {
  switch (tier) {
    case 'TIER_50':
      return 50
    case 'TIER_250':
      return 250
    case 'TIER_1K':
      return 1_000
    case 'TIER_2K':
      return 2_000
    case 'TIER_10K':
      return 10_000
    case 'TIER_100K':
      return 100_000
    default:
      return Number.POSITIVE_INFINITY
  }
}
