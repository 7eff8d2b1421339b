// A WhatsApp sender (phone number id + WABA) owned by a user (tenant), what Meta last told us about it,
// and the messaging tier Pregón holds it to.

import { assertNever } from '../assertNever'

export type QualityRating = 'GREEN' | 'YELLOW' | 'RED' | 'NA' | 'UNKNOWN'

/** The tiers Meta has documented (TIER_1K before 2025-10, TIER_2K after). */
export const MESSAGING_LIMIT_TIERS = ['TIER_50', 'TIER_250', 'TIER_1K', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'] as const
export type MessagingLimitTier = (typeof MESSAGING_LIMIT_TIERS)[number]

/** What a new business starts with: the tier assumed while neither Meta nor the user says one. */
export const ASSUMED_TIER: MessagingLimitTier = 'TIER_250'

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
  /** What Meta last said (Graph API or a quality webhook), e.g. `TIER_250`; null when it said nothing readable. */
  messagingLimitTier: string | null
  /** The tier the user entered, used only while Meta says none. */
  userMessagingLimitTier: MessagingLimitTier | null
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

/** Unique recipients per moving 24 h of a tier; Infinity when unlimited. */
export function tierLimit(tier: MessagingLimitTier): number {
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
    case 'TIER_UNLIMITED':
      return Number.POSITIVE_INFINITY
    default:
      return assertNever(tier, 'messaging tier')
  }
}

/** Meta writes a limit as `TIER_*` or as a number (`2000`, `-1` for unlimited): see the reference §5.5. */
const TIER_BY_NUMBER = new Map<number, MessagingLimitTier>([
  [50, 'TIER_50'],
  [250, 'TIER_250'],
  [1_000, 'TIER_1K'],
  [2_000, 'TIER_2K'],
  [10_000, 'TIER_10K'],
  [100_000, 'TIER_100K'],
  [-1, 'TIER_UNLIMITED'],
])

/** A tier Meta sent, or null when it is missing or unreadable (`TIER_NOT_SET`, an unknown name, a stray number). */
export function readTier(value: unknown): MessagingLimitTier | null {
  if (typeof value === 'number') return TIER_BY_NUMBER.get(value) ?? null
  if (typeof value !== 'string') return null
  const text = value.trim().toUpperCase()
  if (/^-?\d+$/.test(text)) return TIER_BY_NUMBER.get(Number(text)) ?? null
  return (MESSAGING_LIMIT_TIERS as readonly string[]).includes(text) ? (text as MessagingLimitTier) : null
}

/** Who the tier Pregón applies comes from: Meta, the user (Meta said none), or the safe assumption. */
export type TierSource = 'meta' | 'user' | 'assumed'

export interface AccountTier {
  tier: MessagingLimitTier
  /** Unique recipients per moving 24 h; null when unlimited. */
  limit: number | null
  source: TierSource
}

/** The tier to respect: Meta's when readable, else the user's, else 250 (a new business) — never unlimited by default. */
export function accountTier(account: Pick<Account, 'messagingLimitTier' | 'userMessagingLimitTier'>): AccountTier {
  const fromMeta = readTier(account.messagingLimitTier)
  const fromUser = fromMeta ? null : readTier(account.userMessagingLimitTier)
  const tier = fromMeta ?? fromUser ?? ASSUMED_TIER
  const limit = tierLimit(tier)
  return { tier, limit: Number.isFinite(limit) ? limit : null, source: fromMeta ? 'meta' : fromUser ? 'user' : 'assumed' }
}
