// The Cloud API as the engine sees it: a port (CloudApi) with typed results instead of exceptions.

import type { ApprovedTemplate, CampaignError, MessagingLimitTier } from '../../shared/types'
import type { StatusUpdate as LedgerStatusUpdate } from '../store/ports'

/** Where and as whom to call the Graph API. The token never reaches a log line. */
export interface GraphCredentials {
  /** e.g. https://graph.facebook.com (or the simulator's URL). */
  graphUrl: string
  /** e.g. v25.0 */
  version: string
  phoneNumberId: string
  wabaId: string
  accessToken: string
}

/** The JSON `template` object of a send, already hydrated for one recipient. */
export interface TemplatePayload {
  name: string
  language: { code: string; policy?: 'deterministic' }
  components?: unknown[]
}

export type SendResult =
  | { ok: true; wamid: string; waId: string | null; messageStatus: string | null; httpStatus: number; latencyMs: number }
  | {
      ok: false
      kind: 'api'
      /** Meta's `error.code`; classify by this, never by HTTP status. */
      code: number
      subcode: number | null
      message: string
      details: string | null
      httpStatus: number
      latencyMs: number
      /**
       * The longest wait Meta asked for, in ms, uncapped: `Retry-After` (seconds or a date) or
       * `x-business-use-case-usage.estimated_time_to_regain_access` (minutes). Null when it gave none.
       */
      retryAfterMs: number | null
    }
  | {
      ok: false
      kind: 'network'
      /**
       * `before_write`: the request never left (refused, DNS, no route): safe to retry.
       * `after_write`: it may have reached Meta (timeout, reset): ambiguous, the row becomes `uncertain`.
       */
      phase: 'before_write' | 'after_write'
      message: string
      latencyMs: number
    }

export interface PhoneNumberInfo {
  id: string
  verifiedName: string | null
  displayPhoneNumber: string | null
  qualityRating: string | null
  /** Readable tiers only: `whatsapp_business_manager_messaging_limit`, else the deprecated `messaging_limit_tier`. */
  messagingLimitTier: MessagingLimitTier | null
  throughputLevel: string | null
  status: string | null
  accountMode: string | null
}

/** A Graph call that failed, with Meta's reason in its own words. */
export class GraphApiError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly httpStatus: number | null,
    readonly details: string | null = null,
  ) {
    super(message)
    this.name = 'GraphApiError'
  }
}

export interface CloudApi {
  sendTemplate(creds: GraphCredentials, to: string, template: TemplatePayload, callbackData: string): Promise<SendResult>
  /** Throws GraphApiError with Meta's reason when the credentials are not valid. */
  getPhoneNumber(creds: GraphCredentials): Promise<PhoneNumberInfo>
  /** The ids of every number of the WABA (`GET /{waba}/phone_numbers`). Throws GraphApiError. */
  listPhoneNumberIds(creds: GraphCredentials): Promise<string[]>
  /** Every page of `GET /{waba}/message_templates`. Throws GraphApiError. */
  listTemplates(creds: GraphCredentials): Promise<ApprovedTemplate[]>
  close(): Promise<void>
}

/**
 * What an error code means for the campaign (reference §3):
 * - transient: retry this recipient with backoff;
 * - rate_limited: the sender number is over its throughput: slow the number down, retry;
 * - pair_limited: only this recipient waits (≥ 6 s, 4^x);
 * - recipient: permanent for this recipient, the campaign goes on;
 * - marketing_limited (131049): failed, and never retried within 24 h;
 * - suppress (131050): failed, and the number is opted out;
 * - campaign_fatal: pause the whole campaign at once with `campaignError`.
 */
export type ErrorClass =
  | 'transient'
  | 'rate_limited'
  | 'pair_limited'
  | 'recipient'
  | 'marketing_limited'
  | 'suppress'
  | 'campaign_fatal'

export interface Classification {
  errorClass: ErrorClass
  /** Set for campaign_fatal. */
  campaignError?: CampaignError
  /** A fixed wait Meta asks for (e.g. 131057 maintenance ≈ 60 s). */
  minDelayMs?: number
}

// ── Webhooks (added by the whatsapp module: what parseWebhook reads out of Meta's POSTs) ──

/**
 * A delivery status for one message we sent (`value.statuses[]`): the ledger's StatusUpdate, with every
 * field read (null when Meta left it out) and the number it came to.
 */
export interface StatusUpdate extends LedgerStatusUpdate {
  errorCode: number | null
  errorMessage: string | null
  recipientWaId: string | null
  phoneNumberId: string | null
}

/** A message a user sent us (`value.messages[]`): text, a quick-reply tap, an interactive reply … */
export interface InboundMessage {
  id: string
  from: string | null
  phoneNumberId: string | null
  at: number
  type: string
  /** `text.body`, `button.text` or the interactive reply's title. */
  text: string | null
  /** `button.payload` or the interactive reply's id. */
  payload: string | null
  /** The wamid of our message this one answers (`context.id`). */
  contextId: string | null
}

/** A user tapped "stop" for marketing in WhatsApp (`user_preferences`, value `stop`). */
export interface OptOutEvent {
  waId: string
  phoneNumberId: string | null
  at: number
  category: string | null
}

/** `message_template_status_update`: on PAUSED or DISABLED every campaign using the template stops. */
export interface TemplateStatusEvent {
  event: string
  templateName: string
  templateId: string | null
  language: string | null
  wabaId: string | null
  reason: string | null
}

/**
 * `phone_number_quality_update`: the number's tier or quality changed. Meta names the number by its display
 * digits under the WABA (no phone_number_id). Events: today ONBOARDING, THROUGHPUT_UPGRADE; before 2025-10
 * also FLAGGED (quality fell to low), UNFLAGGED, UPGRADE, DOWNGRADE.
 */
export interface QualityUpdateEvent {
  wabaId: string | null
  /** Bare digits, e.g. 15550783881. */
  displayPhoneNumber: string | null
  /** Upper case. */
  event: string
  /** The limit now, when readable: `max_daily_conversations_per_business`, else the older `current_limit`. */
  tier: MessagingLimitTier | null
}

export interface ParsedWebhook {
  statuses: StatusUpdate[]
  inbound: InboundMessage[]
  optOuts: OptOutEvent[]
  templateEvents: TemplateStatusEvent[]
}
