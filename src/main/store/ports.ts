// The storage ports: every read and write of Pregón goes through these interfaces. SQLite
// (store/sqlite) implements them today and MongoDB (store/mongo) next; tests/contract holds the one
// conformance suite every backend passes. All methods are async so a network database fits.

import type {
  Account,
  Campaign,
  CampaignError,
  CampaignStatus,
  PacingProfile,
  Recipient,
  RecipientState,
  SkipReason,
  TemplateSpec,
} from '../../shared/types'

// ───────────────────────────── users (tenants) ─────────────────────────────

export interface User {
  id: string
  name: string
  createdAt: string
}

export interface UserStore {
  /** Creates a user with a fresh API key; only a hash of the key is stored, so it is shown once. */
  create(name: string): Promise<{ user: User; apiKey: string }>
  /** Registers a key chosen elsewhere (PREGON_API_KEYS); creates the user by name if needed. */
  upsertWithKey(name: string, apiKey: string): Promise<User>
  findByApiKey(apiKey: string): Promise<User | null>
  /** The single local user of the desktop app, created on first use. */
  ensureLocal(): Promise<User>
  get(id: string): Promise<User | null>
  list(): Promise<User[]>
}

// ───────────────────────────── accounts ─────────────────────────────

export interface NewAccount {
  userId: string
  label: string
  phoneNumberId: string
  wabaId: string
  accessToken: string
  defaultCountry: string
  maxMessagesPerSecond?: number
  simulated?: boolean
  graphUrl?: string | null
  webhookVerifyToken?: string | null
}

export type AccountPatch = Partial<
  Omit<Account, 'id' | 'userId' | 'createdAt'> & { accessToken: string }
>

export interface AccountStore {
  create(input: NewAccount): Promise<Account>
  /** With `userId`, another user's account is not found (null). */
  get(id: string, userId?: string): Promise<Account | null>
  list(userId: string): Promise<Account[]>
  /** Every account of every user (the engine's limiter setup, webhook routing by phone number id). */
  listAll(): Promise<Account[]>
  findByPhoneNumberId(phoneNumberId: string): Promise<Account[]>
  update(id: string, patch: AccountPatch): Promise<Account>
  /** Decrypted; never log it. */
  getAccessToken(id: string): Promise<string>
  remove(id: string, userId: string): Promise<boolean>
}

// ───────────────────────────── campaigns ─────────────────────────────

export interface NewCampaign {
  userId: string
  accountId: string
  campaignName: string
  batchId: string
  template: TemplateSpec
  pacing: PacingProfile
  status: Extract<CampaignStatus, 'pending' | 'scheduled'>
  resumeAt?: string | null
}

/** A contact already normalised by the caller. A set `skipReason` stores the row as `skipped`. */
export interface NewRecipient {
  phone: string
  name: string | null
  variables: Record<string, string>
  skipReason?: SkipReason | null
  /** Why it was skipped, in words (e.g. the number as typed). */
  skipDetail?: string | null
}

export interface CampaignListQuery {
  status?: CampaignStatus
  accountId?: string
  /** Default 50, at most 200 (the seed's limits; callers clamp). */
  limit: number
}

export type CampaignPatch = Partial<
  Pick<
    Campaign,
    | 'startedAt'
    | 'lastProcessedAt'
    | 'completedAt'
    | 'pausedAt'
    | 'resumeAt'
    | 'error'
    | 'errorDetail'
    | 'pacing'
  >
>

/**
 * A campaign being filled from a stream (a 1,000,000-row file never sits in memory): `begin`, then
 * `appendRecipients` batch after batch, then `seal`. Until sealed it is invisible (`get`, `list`,
 * `listByStatus`, `findActiveByTemplate` do not see it, `transition` cannot move it) and the ledger never
 * claims its rows. Its id becomes the campaign's id at `seal`.
 */
export interface CampaignDraft {
  id: string
}

export interface CampaignStore {
  /** Starts a draft of this campaign, with no rows yet. */
  begin(input: NewCampaign): Promise<CampaignDraft>
  /**
   * Appends rows at the next positions (the first batch starts at 0), the draft's counts following.
   * Rejects with `not_found` when the draft is gone: sealed, discarded, or removed by recovery.
   */
  appendRecipients(draftId: string, batch: NewRecipient[]): Promise<void>
  /** Makes the draft a campaign in its `status` (visible, claimable) in one write; `createdAt` is now. */
  seal(draftId: string): Promise<Campaign>
  /** Removes an unsealed draft and its rows (true); a sealed campaign or an unknown id is left alone (false). */
  discardDraft(draftId: string): Promise<boolean>
  /**
   * Recovery at start, by the process holding the engine lock (the only one that creates campaigns):
   * every unsealed draft is what a crash left half-made, and is removed with its rows. Returns how many.
   */
  discardUnsealed(): Promise<number>
  /** `begin` → `appendRecipients` → `seal` for a list already in memory (the seed's body, tests). */
  create(input: NewCampaign, recipients: NewRecipient[]): Promise<Campaign>
  /** With `userId`, another user's campaign is not found (null). */
  get(id: string, userId?: string): Promise<Campaign | null>
  /** Newest first. */
  list(userId: string, query: CampaignListQuery): Promise<Campaign[]>
  /** Every campaign in these states, of every user (recovery, the scheduler). */
  listByStatus(statuses: CampaignStatus[]): Promise<Campaign[]>
  /**
   * Compare-and-set: moves the campaign to `to` only if its status is one of `from`, applying
   * `patch` in the same write. Returns the updated campaign, or null when the status did not match.
   */
  transition(
    id: string,
    from: readonly CampaignStatus[],
    to: CampaignStatus,
    patch?: CampaignPatch,
  ): Promise<Campaign | null>
  update(id: string, patch: CampaignPatch): Promise<Campaign>
  /** Running campaigns whose template is (name, language?) on one WABA: template status webhooks. */
  findActiveByTemplate(wabaId: string, templateName: string): Promise<Campaign[]>
}

// ───────────────────────────── the ledger ─────────────────────────────

/** What the CloudAPI call is logged as in send_logs (one row per attempt). */
export interface AttemptLog {
  httpStatus: number | null
  latencyMs: number
  /** e.g. `template hello_world/es → +57300…`; never the token. */
  summary?: string
}

/** The result of one send attempt, applied by `LedgerStore.record`. */
export type SendOutcome =
  | { kind: 'sent'; recipientId: string; wamid: string; waId: string | null; log: AttemptLog }
  | {
      kind: 'retry'
      recipientId: string
      nextAttemptAt: number
      errorCode: number | null
      errorMessage: string
      log: AttemptLog | null
    }
  | { kind: 'failed'; recipientId: string; errorCode: number | null; errorMessage: string; log: AttemptLog | null }
  | { kind: 'uncertain'; recipientId: string; errorMessage: string; log: AttemptLog | null }
  /**
   * Not sent: it never left the machine (paused, network down before writing), or Meta refused the
   * request for a reason of the whole campaign (`refused`: an expired token, a paused template). Back to
   * `queued`, no attempt counted; a refusal is kept in send_logs.
   */
  | {
      kind: 'requeue'
      recipientId: string
      refused?: { errorCode: number | null; errorMessage: string; log: AttemptLog }
    }
  | { kind: 'skipped'; recipientId: string; reason: SkipReason; detail: string }

/**
 * A status from a webhook, correlated by wamid, or for rows with no wamid yet by the callback data their
 * claim returned, when it also names the row's sender number and recipient (store/correlation.ts).
 */
export interface StatusUpdate {
  wamid: string
  /** `biz_opaque_callback_data`: a claim's `callbackData`. */
  callbackId: string | null
  status: 'sent' | 'delivered' | 'read' | 'failed'
  /** Epoch ms. */
  at: number
  errorCode?: number | null
  errorMessage?: string | null
  recipientWaId?: string | null
  /** The business number it is about (`metadata.phone_number_id`). */
  phoneNumberId?: string | null
}

export interface StatusApplyResult {
  applied: number
  duplicates: number
  /** No matching recipient (another app's message, or an old campaign). */
  unknown: number
  /** Rows whose status carried 131050: the caller suppresses these numbers. */
  optedOut: { accountId: string; phone: string }[]
  campaignIds: string[]
}

export interface RecipientQuery {
  state?: RecipientState | RecipientState[]
  /** Substring of the phone number. */
  search?: string
  offset: number
  limit: number
}

export interface ErrorBreakdownRow {
  errorCode: number | null
  count: number
  /** One example of Meta's message for it. */
  errorMessage: string | null
}

/** What a sender needs of a claimed row (the rest of it stays in the ledger). */
export type ClaimedRecipient = Pick<Recipient, 'id' | 'campaignId' | 'position' | 'phone' | 'name' | 'variables' | 'attempts'> & {
  state: 'sending'
  /** Sent as `biz_opaque_callback_data`: names this row to this installation only (unguessable elsewhere). */
  callbackData: string
}

export interface LedgerStore {
  /**
   * Durably marks up to `limit` due rows `sending` (queued, or retry_wait whose time has come), in
   * position order, counting an attempt on each, and returns them. The claim is on disk when this
   * resolves (it survives a power loss), so a request sent after it is never sent again by itself.
   * The caller sends only what it claimed. An unsealed draft's rows are never claimed (empty).
   */
  claim(campaignId: string, limit: number, now: number): Promise<ClaimedRecipient[]>
  /** Applies outcomes of one campaign: rows, send_logs and the campaign's counters in one transaction. */
  record(campaignId: string, outcomes: SendOutcome[], now: number): Promise<void>
  /** Earliest `nextAttemptAt` among this campaign's retry_wait rows; null when none. */
  nextRetryAt(campaignId: string): Promise<number | null>
  /**
   * Of these rows (claimed by a runner, their outcome not recorded yet), the ones no longer `sending`: a
   * status webhook matched them by callback id first, and the ledger already counts them.
   */
  settledAmong(campaignId: string, recipientIds: readonly string[]): Promise<string[]>
  /** Rows still to send: queued + retry_wait + sending. */
  pendingCount(campaignId: string): Promise<number>
  /** After a crash: every `sending` row (all campaigns) becomes `uncertain`. Returns how many. */
  markInterruptedUncertain(now: number): Promise<number>
  /** Cancel: queued and retry_wait rows become skipped with `reason`. Returns how many. */
  skipRemaining(campaignId: string, reason: SkipReason, now: number): Promise<number>
  /** An explicit user action: rows in `states` go back to `queued` (uncertain ones marked `resent`). Returns how many. */
  requeue(campaignId: string, states: ('uncertain' | 'failed')[], now: number): Promise<number>
  /**
   * Uncertain rows Meta never reported on go back to `queued` (resolution `no_status`): those uncertain
   * since before `uncertainBefore`, in a campaign that has received a status stamped after they became
   * uncertain — its webhooks work, so their silence means the request never reached Meta. Returns how many.
   */
  requeueUnreported(campaignId: string, uncertainBefore: number, now: number): Promise<number>
  /**
   * Webhook statuses: forward-only, deduplicated on (wamid, status), counters follow. A status naming
   * another sender than its row's, or correlated by callback data that is not ours or not addressed to
   * the row's sender and recipient, changes nothing and counts as unknown.
   */
  applyStatuses(updates: StatusUpdate[]): Promise<StatusApplyResult>
  /** A reply whose `context.id` is one of our wamids; counted once per recipient. Returns its campaign. */
  markReplied(contextWamid: string, at: number): Promise<string | null>
  get(campaignId: string, recipientId: string): Promise<Recipient | null>
  findByWamid(wamid: string): Promise<Recipient | null>
  page(campaignId: string, query: RecipientQuery): Promise<{ rows: Recipient[]; total: number }>
  /** Streams every row in position order, `batchSize` at a time (reports). */
  iterate(campaignId: string, batchSize: number): AsyncIterable<Recipient[]>
  stateCounts(campaignId: string): Promise<Record<RecipientState, number>>
  errorBreakdown(campaignId: string): Promise<ErrorBreakdownRow[]>
  /** Accepted sends per time bucket, from send_logs (reports' rate chart). */
  sendTimeline(campaignId: string, bucketMs: number): Promise<{ at: number; sent: number; failed: number }[]>
  /** Unique numbers accepted for this account since `since` (the moving-24 h messaging tier). */
  uniqueRecipientsSince(accountId: string, since: number): Promise<number>
  /** When the oldest of those leaves the window: its last send time. */
  oldestRecipientSince(accountId: string, since: number): Promise<number | null>
}

// ───────────────────────────── opt-outs, events, webhooks, settings ─────────────────────────────

export interface Suppression {
  accountId: string
  phone: string
  reason: string
  source: 'keyword' | 'button' | 'error_131050' | 'user_preferences' | 'manual' | 'import'
  createdAt: string
}

export interface SuppressionStore {
  add(entry: Omit<Suppression, 'createdAt'>): Promise<boolean>
  remove(accountId: string, phone: string): Promise<boolean>
  /** The subset of `phones` suppressed for this account. */
  filter(accountId: string, phones: string[]): Promise<Set<string>>
  list(accountId: string): Promise<Suppression[]>
}

export interface MessageEvent {
  /** wamid for statuses; the inbound message id for messages. */
  wamid: string
  kind: 'status' | 'inbound'
  status: string
  campaignId: string | null
  recipientId: string | null
  phone: string | null
  at: number
  errorCode: number | null
  payload: string
}

export interface MessageEventStore {
  /** Deduplicated on (wamid, status): returns false for a duplicate. */
  insert(event: MessageEvent): Promise<boolean>
  list(campaignId: string, limit: number): Promise<MessageEvent[]>
}

/** Raw webhook deliveries, stored before they are answered, processed after; the relay's feed. */
export interface WebhookInboxStore {
  /** On disk when this resolves (it survives a power loss): the webhook is answered only then. */
  append(body: string, receivedAt: number): Promise<number>
  unprocessed(limit: number): Promise<{ seq: number; body: string }[]>
  markProcessed(seqs: number[]): Promise<void>
  after(seq: number, limit: number): Promise<{ seq: number; body: string; receivedAt: number }[]>
}

export interface SettingsStore {
  get<T>(key: string): Promise<T | null>
  set<T>(key: string, value: T): Promise<void>
}

export interface Store {
  users: UserStore
  accounts: AccountStore
  campaigns: CampaignStore
  ledger: LedgerStore
  suppressions: SuppressionStore
  events: MessageEventStore
  inbox: WebhookInboxStore
  settings: SettingsStore
  close(): Promise<void>
}

/** Encrypts secrets (access tokens) at rest; the key comes from the host (safeStorage, key file, env). */
export interface SecretBox {
  seal(plain: string): string
  open(sealed: string): string
}

export type { CampaignError }
