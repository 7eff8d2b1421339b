// The typed contract between the UI and the core: method name → (validated args) → result.
// Electron IPC ('api:invoke') and HTTP (`POST /api/<method>`) are two thin adapters over it.

import type { z } from 'zod'
import * as s from './schemas'
import type {
  Account,
  AccountTier,
  ApprovedTemplate,
  Campaign,
  CampaignStatus,
  Recipient,
  RecipientState,
} from './types'
import type { ApiEventName, ApiEvents, WaitingFor } from './types/events'
import type { ApiResult } from './errors'
import type { RateCard, TemplateCategory } from './rateCard'

/** Every method and the zod schema of its single argument object. */
export const methods = {
  'app.info': s.empty,
  'settings.get': s.empty,
  'settings.set': s.settingsSchema,
  'installation.get': s.empty,
  'installation.set': s.installationSchema,
  'storage.get': s.empty,
  'storage.test': s.storageTestSchema,
  'storage.setMirror': s.storageMirrorSchema,
  'storage.choose': s.storageChoiceSchema,
  'accounts.list': s.empty,
  'accounts.validate': s.accountInputSchema,
  'accounts.add': s.accountInputSchema,
  'accounts.addDemo': s.empty,
  'accounts.update': s.accountUpdateSchema,
  'accounts.refresh': s.campaignIdSchema,
  'accounts.remove': s.campaignIdSchema,
  'templates.list': s.templatesListSchema,
  'contacts.import': s.contactsImportSchema,
  'campaigns.create': s.campaignCreateSchema,
  'campaigns.preview': s.campaignPreviewSchema,
  'campaigns.list': s.campaignListSchema,
  'campaigns.get': s.campaignIdSchema,
  'campaigns.pause': s.campaignIdSchema,
  'campaigns.resume': s.campaignIdSchema,
  'campaigns.cancel': s.campaignIdSchema,
  'campaigns.resendUncertain': s.campaignIdSchema,
  'campaigns.retryFailed': s.campaignIdSchema,
  'campaigns.recipients': s.recipientPageSchema,
  'campaigns.errors': s.campaignIdSchema,
  'campaigns.estimate': s.estimateSchema,
  'campaigns.sendTest': s.sendTestSchema,
  'campaigns.archive': s.campaignArchiveSchema,
  'campaigns.clone': s.campaignCloneSchema,
  'webhooks.status': s.webhookStatusSchema,
  'webhooks.test': s.webhookTestSchema,
  'suppressions.list': s.templatesListSchema,
  'suppressions.add': s.suppressionSchema,
  'suppressions.remove': s.suppressionSchema,
  'reports.save': s.reportSchema,
} as const

export type ApiMethod = keyof typeof methods

/**
 * Methods of the installation's operator, never of a tenant: the desktop app (its one user runs it),
 * the `pregon` CLI on the server, or an HTTP request with the admin key (PREGON_ADMIN_KEY).
 */
export const OPERATOR_METHODS: readonly ApiMethod[] = ['installation.get', 'installation.set', 'storage.get', 'storage.test', 'storage.setMirror', 'storage.choose']
export type ApiArgs<M extends ApiMethod> = z.input<(typeof methods)[M]>
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof methods)[M]>

/** The seed's `inMemory` block: what the live engine holds for a running campaign. */
export interface LiveStats {
  total: number
  processed: number
  success: number
  failed: number
  status: CampaignStatus
  /** Why sending is held right now, as in `campaign:progress`; null while it sends. */
  waitingFor: WaitingFor | null
  /** When a rate-limit wait ends (ISO 8601). */
  resumesAt: string | null
}

/** The seed's status document: the campaign's fields, `_id`, and `inMemory` (null when not running). */
export type CampaignStatusView = Campaign & { _id: string; inMemory: LiveStats | null }

export interface CreateCampaignResult {
  ok: true
  campaignId: string
  status: CampaignStatus
  total: number
  /** Exactly how many messages it will try to send: `total` less the rows skipped at creation. */
  willSend: number
  message: string
  /** Rows stored as skipped at creation, by reason (duplicate, opted_out, invalid_number, missing_variable). */
  skipped: Record<string, number>
}

/** Meta's price of a campaign's messages under a dated rate card, by market. */
export interface CampaignCost {
  currency: 'USD'
  category: TemplateCategory
  /** The rate card's date (YYYY-MM-DD). */
  effective: string
  /** Rounded to cents. */
  total: number
  markets: { market: string; count: number; rate: number }[]
}

/** campaigns.preview: exactly what campaigns.create would store, computed by the same code, without storing it. */
export interface CampaignPreview {
  /** Contacts of the import (opted-out ones included): willSend + the skipped ones. */
  contacts: number
  willSend: number
  /** Contacts that would be stored as skipped, by reason (opted_out, missing_variable, marketing_us …). */
  skipped: Record<string, number>
  /** The message as the first recipient who receives it will read it. */
  sample: { phone: string; name: string | null; body: string } | null
  cost: CampaignCost | null
  /** Why campaigns.create would refuse this (null: it would create it). */
  refusal: { message: string; details: Record<string, unknown> | null } | null
}

export interface ImportResult {
  importId: string
  /** The Excel sheet read (null for CSV), and every sheet of the workbook, so another can be chosen. */
  sheet: string | null
  sheets: string[]
  columns: string[]
  mapping: { phone: string | null; name: string | null; variables: string[] }
  /** First rows as read, for the preview. */
  preview: Record<string, string>[]
  summary: { rows: number; valid: number; invalid: number; duplicates: number; optedOut: number; fixedLine: number }
  /** Rejected rows with their line and a reason code (explained by src/shared/importReasons). */
  rejected: { line: number; value: string; reason: string; message: string }[]
  /** The rejected rows as CSV, for "download". */
  rejectedCsv: string
  /**
   * The rejected rows with every original column plus the reason, written like the file that came in (same
   * delimiter and encoding; an Excel workbook's rows as CSV UTF-8), base64, to fix and import again.
   */
  rejectedFile?: { dataBase64: string; encoding: string; delimiter: string } | null
  /** The workbook's first sheet had no phone column and this one was read instead (its name is `sheet`). */
  skippedSheets?: string[]
}

export interface AppInfo {
  version: string
  mode: 'desktop' | 'headless'
  /** The built-in simulator's URL when the demo account is available. */
  simulatorUrl: string | null
  user: { id: string; name: string }
  /** The caller is the installation's operator (installation.get/set), not only a tenant. */
  operator: boolean
  osLanguage: 'es' | 'en'
}

export interface Settings {
  language: 'es' | 'en' | null
  theme: 'system' | 'light' | 'dark'
  defaultAccountId: string | null
  defaultPacing: Campaign['pacing']
  stopKeywords: string[]
  startAtLogin: boolean
  /** Desktop: look for Pregón updates at start and daily; installed at the next quit. */
  autoUpdate: boolean
  /** Meta's prices the cost estimates use: the user's own card, or the one shipped with Pregón. */
  rateCard?: RateCard
  /** True when `rateCard` is the user's edit rather than the shipped card. */
  rateCardEdited?: boolean
}

/** What the whole installation shares, which only its operator reads and changes (README: whose settings). */
export interface InstallationSettings {
  webhookVerifyToken: string
  /** Write-only: reads show whether one is set. */
  webhookAppSecretSet: boolean
  relayUrl: string
  relayApiKeySet: boolean
  /** Where accounts' Graph API calls go: PREGON_GRAPH_URL, `--graph-url` or `--demo`; not changed here. */
  graphUrl: string
  /** Set in the environment (PREGON_APP_SECRET, PREGON_VERIFY_TOKEN), which wins over what is saved here. */
  fromEnvironment: ('webhookAppSecret' | 'webhookVerifyToken')[]
}

/** Whether Meta's status webhooks reach this installation for an account, and how they are meant to. */
export interface WebhookStatus {
  /** When the newest delivered/read/sent/failed status about one of its messages arrived; null: never. */
  lastStatusAt: string | null
  /** This installation's own callback URL (a tunnel points here), when it listens for webhooks. */
  callbackUrl: string | null
  /** Webhooks are pulled from a relay (Settings → Webhook). */
  relayConfigured: boolean
  /** An app secret is set, so signed webhooks can be accepted at all. */
  appSecretSet: boolean
}

/** A signed test event posted to the public webhook address: did it come back into this installation? */
export interface WebhookTestResult {
  /** Where the test was posted. */
  target: string
  /** `arrived`: stored here (directly or through the relay); `refused`: the address answered but not 200; `unreachable`: no answer; `lost`: accepted there, never came back. */
  outcome: 'arrived' | 'refused' | 'unreachable' | 'lost'
  /** The HTTP status the address answered with, when it answered. */
  httpStatus: number | null
  elapsedMs: number
}

export interface Estimate {
  recipients: number
  durationSec: number
  /** Unique recipients left in the account's moving 24 h window (null: unlimited/unknown). */
  tierRemaining: number | null
  tierLimit: number | null
  /** `assumed`: Meta does not say the tier and the user set none, so 250 is assumed (the UI says so). */
  tierSource: AccountTier['source']
  /** How many 24 h windows the audience needs under the tier. */
  days: number
}

/** The tier Pregón holds an account to, and when it is a guess, a notice saying so. */
export interface AccountTierView extends AccountTier {
  /** Null when Meta said the tier; otherwise what is assumed and how to change it. */
  notice: string | null
}

export interface AccountView extends Account {
  /** The token is never sent back: only its last 4 characters, as "…abcd". */
  accessTokenHint: string
  messagingTier: AccountTierView
}

/** Settings → Storage: where this installation keeps its data, and its mirror into MongoDB. */
export interface StorageSettings {
  /** This installation's own store: SQLite in the data folder (the default), or MongoDB (`pregon serve --mongodb`). */
  backend: 'sqlite' | 'mongodb'
  dataDir: string
  /** The MongoDB store's address without its credentials; null on SQLite. */
  mongodb: string | null
  /** What Settings → Storage saved for the next start (a --mongodb flag or PREGON_MONGODB_URI wins over it). */
  chosen: { backend: 'sqlite' | 'mongodb'; target: string | null }
  /** MongoDB was chosen but did not answer at this start: SQLite's data is shown and campaigns are not sending. */
  unreachable: { target: string; detail: string } | null
  mirror: {
    enabled: boolean
    /** The address without its credentials, or null when none is saved. */
    target: string | null
    /** PREGON_MIRROR_URI sets it, which wins over what is saved here. */
    fromEnvironment: boolean
    status: {
      health: 'starting' | 'caught_up' | 'syncing' | 'unreachable' | 'stopped'
      lastSyncAt: string | null
      lastError: string | null
      backlog: { sendLogs: number; events: number }
    } | null
  }
}

export type StorageTestResult =
  | { ok: true; target: string; serverVersion: string | null }
  | { ok: false; target: string; reason: 'invalid_address' | 'unreachable' | 'auth_failed' | 'not_writable'; detail: string }

export interface ApiResults {
  'app.info': AppInfo
  'settings.get': Settings
  'settings.set': Settings
  'installation.get': InstallationSettings
  'installation.set': InstallationSettings
  'storage.get': StorageSettings
  'storage.test': StorageTestResult
  'storage.setMirror': StorageSettings
  'storage.choose': StorageSettings
  'accounts.list': AccountView[]
  'accounts.validate': {
    verifiedName: string | null
    displayPhoneNumber: string | null
    qualityRating: string | null
    messagingLimitTier: string | null
    throughputLevel: string | null
    messagingTier: AccountTierView
  }
  'accounts.add': AccountView
  'accounts.addDemo': AccountView
  'accounts.update': AccountView
  'accounts.refresh': AccountView
  'accounts.remove': { removed: boolean }
  'templates.list': ApprovedTemplate[]
  'contacts.import': ImportResult
  'campaigns.create': CreateCampaignResult
  'campaigns.preview': CampaignPreview
  'campaigns.list': Campaign[]
  'campaigns.get': CampaignStatusView
  'campaigns.pause': Campaign
  'campaigns.resume': Campaign
  'campaigns.cancel': Campaign
  'campaigns.resendUncertain': { requeued: number }
  'campaigns.retryFailed': { requeued: number }
  'campaigns.recipients': { rows: Recipient[]; total: number; counts: Record<RecipientState, number> }
  'campaigns.errors': { errorCode: number | null; count: number; errorMessage: string | null }[]
  'campaigns.estimate': Estimate
  'campaigns.sendTest': { wamid: string }
  'campaigns.archive': { archived: boolean }
  'campaigns.clone': CreateCampaignResult
  'webhooks.status': WebhookStatus
  'webhooks.test': WebhookTestResult
  'suppressions.list': { phone: string; reason: string; source: string; createdAt: string }[]
  'suppressions.add': { added: boolean }
  'suppressions.remove': { removed: boolean }
  /** Desktop: the report written to `path`. In a browser, download `GET /api/campaigns/:id/report.<format>`. */
  'reports.save': { path: string; bytes: number; fileName: string }
}

/** What the renderer calls: `api.invoke('campaigns.pause', {id})`. */
export interface ApiClient {
  invoke<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<ApiResults[M]>>
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void
}

export const IPC_INVOKE = 'api:invoke'
export const IPC_EVENT = 'api:event'

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(methods, name)
}
