// The simulator's public option and state types (the simulator plays "Meta": it never imports src/main).

import type { QualityRating } from '../shared/types'

export type MessagingTier = 'TIER_50' | 'TIER_250' | 'TIER_1K' | 'TIER_2K' | 'TIER_10K' | 'TIER_100K' | 'TIER_UNLIMITED'

export interface SimPhoneNumber {
  id: string
  /** Formatted as the Graph API shows it, e.g. `+1 555-010-0001`; webhooks carry its bare digits. */
  displayPhoneNumber: string
  verifiedName: string
  wabaId: string
  qualityRating?: QualityRating
  tier?: MessagingTier
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

/** An injected failure: each send fails with `code` with probability `rate`. */
export interface InjectedFailure {
  code: number
  /** 0..1 */
  rate: number
  /** true: the send is accepted and a `failed` status webhook follows; false: a synchronous error envelope. */
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
  /** Statuses per POST at most. Default 100. */
  batchSize?: number
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
  failures?: InjectedFailure[]
  /** Recipient digits → error code, for deterministic failures (async for codes Meta reports by webhook). */
  failRecipients?: Record<string, number>
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

export interface Simulator {
  /** e.g. `http://127.0.0.1:PORT` (no version: clients add `/v25.0`). */
  readonly url: string
  readonly port: number
  readonly accessTokens: readonly string[]
  readonly phoneNumbers: readonly SimPhoneNumber[]
  /** Every HTTP request received (any route, any outcome). */
  readonly totalRequests: number
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
  /** Current templates, with their ids and statuses. */
  templates(): SimTemplate[]
  /** Webhook POSTs that failed every attempt. */
  readonly droppedWebhooks: number
}
