// The simulator's public option and state types (the simulator plays "Meta": it never imports src/main).

import type { MessagingLimitTier, QualityRating } from '../shared/types'

export type MessagingTier = MessagingLimitTier

/** The phone-number fields through which Meta tells the tier (the second one deprecated). */
export type TierField = 'whatsapp_business_manager_messaging_limit' | 'messaging_limit_tier'

export interface SimPhoneNumber {
  id: string
  /** Formatted as the Graph API shows it, e.g. `+1 555-010-0001`; webhooks carry its bare digits. */
  displayPhoneNumber: string
  verifiedName: string
  wabaId: string
  qualityRating?: QualityRating
  /** The limit the number really has (enforced with `messagingLimit`). Default TIER_UNLIMITED. */
  tier?: MessagingTier
  /** Which tier fields the number answers; the others are left out, as Graph omits fields without a value. Default both. */
  tierFields?: readonly TierField[]
  /** `STANDARD` or `HIGH`; by default derived from `mps`. */
  throughputLevel?: string
  /** Messages per second of this number's token bucket (inbound + outbound). Default 80. */
  mps?: number
}

export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED'
export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION'

export interface SimTemplateComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS'
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'GIF' | 'DOCUMENT' | 'LOCATION'
  text?: string
  buttons?: { type: string; text: string; url?: string }[]
  example?: unknown
}

export interface SimTemplate {
  /** Generated when omitted. */
  id?: string
  name: string
  language: string
  status: TemplateStatus
  category: TemplateCategory
  parameterFormat: 'POSITIONAL' | 'NAMED'
  components: SimTemplateComponent[]
}

/**
 * How an injected failure reaches the client:
 * - `sync`: the POST answers Meta's error envelope (what Meta does for request, template and account errors);
 * - `webhook`: the POST answers 200 with a wamid, and a signed `failed` status webhook carrying the error
 *   (code, title, message, error_data.details) follows later. This is how Meta reports 131026, 131049, 130472,
 *   131050 and 131047: a client that trusts the 200 never learns of them otherwise.
 */
export type FailureDelivery = 'sync' | 'webhook'

/** An injected failure: each send fails with `code` with probability `rate`. */
export interface InjectedFailure {
  code: number
  /** 0..1 */
  rate: number
  /** Default `sync`. `webhook` needs the simulator's `webhook` option. */
  delivery?: FailureDelivery
  /**
   * For `webhook` delivery: how long after the send the `failed` status is posted, in ms or a range
   * (Meta: seconds to minutes). Default: like `delivered`, `webhook.deliverDelayMs` × 0.5–1.5.
   */
  delayMs?: Latency
  /** @deprecated Same as `delivery: 'webhook'`. */
  async?: boolean
}

/**
 * `hang`: never answer; `reset`: close the connection without handling the request; `lose-answer`: handle
 * it (a message is accepted, its statuses follow) and close the connection instead of answering — the
 * message left, and the sender cannot know.
 */
export type Fault = 'none' | 'hang' | 'reset' | 'lose-answer'

export type Latency = number | { min: number; max: number }

export interface WebhookOptions {
  url: string
  appSecret: string
  /** Post status webhooks (sent/delivered/read/failed) for sends. */
  statuses: boolean
  /** Share of delivered messages that are also read. Default 0.6. */
  readRate?: number
  /** Delay between `sent` and `delivered` (and again before `read`). Default 100 ms. */
  deliverDelayMs?: number
  /** Statuses per POST at most: 1 posts each status alone, as Meta mostly does. Default 100 (batches). */
  batchSize?: number
  /**
   * Share (0..1) of statuses posted without their optional fields: no `pricing`, no `conversation`, no
   * `biz_opaque_callback_data`, as Meta sometimes sends them. Default 0.
   */
  sparseStatusRate?: number
  /** Post about a fifth of the statuses twice (webhooks are at-least-once). */
  duplicates?: boolean
  /** Jitter status times and shuffle batches, so e.g. `read` may arrive before `delivered`. */
  reorder?: boolean
  /** When a message is read, post `read` without `delivered` (what Meta does when both happen at once). */
  skipDelivered?: boolean
  /** Delivery attempts per POST before it is dropped. Default 5. */
  maxAttempts?: number
}

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number
  host?: string
  accessTokens?: string[]
  /**
   * Tokens granted `whatsapp_business_messaging` only: they send and read their numbers, but a WABA's
   * edges (phone_numbers, message_templates) answer Meta's permission error (#200, HTTP 403).
   */
  messagingOnlyTokens?: string[]
  phoneNumbers?: SimPhoneNumber[]
  templates?: SimTemplate[]
  latencyMs?: Latency
  /** Per phone number token bucket at its `mps`; beyond it 130429. Default true. */
  enforceThroughput?: boolean
  /** 1 message / 6 s per (number, recipient) with a burst of 45; beyond it 131056. Default true. */
  pairLimit?: boolean
  /**
   * Unique recipients per WABA (the portfolio) capped at the number's tier; beyond it `code`.
   * Meta documents no code for this, so it is configurable. Default off.
   */
  messagingLimit?: { code: number }
  /** Rules tried in order on each send that passed validation and the limits; the first that fires decides. */
  failures?: InjectedFailure[]
  /**
   * Recipient digits → error code, for deterministic failures, delivered as Meta does for that code: by
   * `failed` status webhook for 131026, 131047, 131049, 131050, 130472 (and 131048, 131053), else synchronously.
   */
  failRecipients?: Record<string, number>
  /**
   * Throttled answers (130429 from the throughput bucket or a rule, and rules for 4 or 80007) carry
   * `Retry-After` and Meta's usage headers. By default `Retry-After` is the seconds until the bucket has a
   * token again (at least 1) and `estimated_time_to_regain_access` is 0; set them to play a Meta that asks
   * for long waits (e.g. 15 minutes).
   */
  throttle?: { retryAfterSeconds?: number; regainAccessMinutes?: number }
  /**
   * Answer error envelopes with only message, type and code (no error_subcode, error_data or fbtrace_id),
   * and failed statuses with only code and message in `errors[]`, as Meta sometimes does. Default false.
   */
  sparseErrors?: boolean
  fault?: Fault
  webhook?: WebhookOptions
  /** Seeds every random choice (failures, latency, read rate, ids' random part). */
  seed?: number
}

export interface SentMessage {
  to: string
  waId: string
  phoneNumberId: string
  template: { name: string; language: string }
  callbackData: string | null
  /** The code of a failure delivered by webhook (the send was accepted, a `failed` status follows); else null. */
  webhookFailure: number | null
}

export interface InboundMessage {
  /** The user's phone digits. */
  from: string
  text?: string
  /** A quick-reply tap: arrives as `type:"button"`. */
  buttonPayload?: string
  buttonText?: string
  /** The wamid of the template message the user replied to. */
  contextWamid?: string
  profileName?: string
  /** Which business number receives it; default the first one. */
  phoneNumberId?: string
}

/** `phone_number_quality_update` events: today's (ONBOARDING, THROUGHPUT_UPGRADE) and those before 2025-10. */
export type QualityEvent = 'FLAGGED' | 'UNFLAGGED' | 'UPGRADE' | 'DOWNGRADE' | 'ONBOARDING' | 'THROUGHPUT_UPGRADE'

export interface QualityUpdate {
  event: QualityEvent
  /** The number's tier after the event; its current tier when omitted. */
  currentLimit?: MessagingTier
}

export interface Simulator {
  /** e.g. `http://127.0.0.1:PORT` (no version: clients add `/v25.0`). */
  readonly url: string
  readonly port: number
  readonly accessTokens: readonly string[]
  readonly phoneNumbers: readonly SimPhoneNumber[]
  /** Every HTTP request received (any route, any outcome). */
  readonly totalRequests: number
  /** The most requests the simulator held at once (received, not yet answered): what a client keeps in flight. */
  readonly peakConcurrentRequests: number
  /** wamid → what was sent. */
  readonly sentMessages: ReadonlyMap<string, SentMessage>
  /** Closes every socket, keep-alive and hung ones included, and stops webhook delivery. */
  stop(): Promise<void>
  setFault(fault: Fault): void
  setFailures(failures: InjectedFailure[]): void
  setFailRecipients(map: Record<string, number>): void
  setLatency(latency: Latency): void
  /**
   * Send requests per recipient digits that passed request and template validation (so they reached the
   * limits, the injected failures, or were accepted). Retries count each time.
   */
  requestsByRecipient(): Map<string, number>
  acceptedByRecipient(): Map<string, number>
  /** Clears the counters and `sentMessages`. */
  resetCounters(): void
  /** Refills every throughput and pair bucket and forgets the messaging-limit recipients. */
  resetLimits(): void
  /** Resolves once every queued or scheduled webhook was delivered (or dropped after its retries). */
  flushWebhooks(): Promise<void>
  /** Posts a signed inbound message webhook; resolves with the inbound wamid once it was delivered. */
  injectInbound(message: InboundMessage): Promise<string>
  /** Sets the template's status (all its languages unless given) and posts `message_template_status_update`. */
  injectTemplateStatus(name: string, event: string, opts?: { language?: string; reason?: string }): Promise<void>
  /**
   * Changes the number's tier (and its quality: FLAGGED → RED, UNFLAGGED → GREEN) and posts a signed
   * `phone_number_quality_update` webhook, as Meta does when a number's limit or quality changes.
   */
  injectQualityUpdate(phoneNumberId: string, update: QualityUpdate): Promise<void>
  /** Re-rates a number's quality without a webhook, as Meta does today (GET /{phone-number-id} shows it). */
  setQualityRating(phoneNumberId: string, rating: QualityRating): void
  /** Current templates, with their ids and statuses. */
  templates(): SimTemplate[]
  /** Webhook POSTs that failed every attempt. */
  readonly droppedWebhooks: number
}
