// Applies stored webhook deliveries in order: statuses to the ledger, opt-outs to suppressions, replies
// to campaigns, template pauses to the engine. Re-applying a delivery changes nothing, so a crash
// between applying and marking it processed is harmless (everything below is idempotent).

import type { Account, CampaignError, Recipient } from '../../shared/types'
import { isFromAnotherSender } from '../store/correlation'
import type { StatusUpdate, Suppression } from '../store/ports'
import { classifyError } from '../whatsapp/classify'
import { DEFAULT_STOP_KEYWORDS, isStopReply, parseWebhook } from '../whatsapp/webhook'
import type { InboundMessage, OptOutEvent, ParsedWebhook, TemplateStatusEvent } from '../whatsapp/types'
import type { App } from './index'
import { applyQualityUpdates } from './qualityUpdates'

/** Deliveries read per round; at most ~1,000 statuses each, so one ledger transaction stays bounded. */
const ROWS_PER_ROUND = 50
const STOPPING_TEMPLATE_EVENTS = new Set(['PAUSED', 'DISABLED'])
const TEMPLATE_ERROR: CampaignError = 'template_error'
const RETRY_AFTER_MS = 5_000

export interface WebhookProcessor {
  /** Applies everything stored and not yet processed; concurrent calls share one run. */
  process(): Promise<number>
  /** Schedules a run (after a webhook was stored). */
  kick(): void
  /** Resolves when nothing is left to process. */
  drain(): Promise<void>
  /** No new runs; waits for the current one. */
  close(): Promise<void>
}

export function createWebhookProcessor(app: App): WebhookProcessor {
  let running: Promise<number> | null = null
  let again = false
  let closed = false
  let retryTimer: NodeJS.Timeout | null = null

  /** A failed round (a busy database, a bug fixed by a restart) is tried again without waiting for the next webhook. */
  function retryLater(): void {
    if (closed || retryTimer) return
    retryTimer = setTimeout(() => {
      retryTimer = null
      void run()
    }, RETRY_AFTER_MS)
    retryTimer.unref()
  }

  async function runRounds(): Promise<number> {
    let total = 0
    for (;;) {
      const rows = await app.store.inbox.unprocessed(ROWS_PER_ROUND)
      if (rows.length === 0) return total
      await applyDeliveries(app, rows)
      await app.store.inbox.markProcessed(rows.map((r) => r.seq))
      total += rows.length
    }
  }

  function run(): Promise<number> {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      let total = 0
      try {
        do {
          again = false
          total += await runRounds()
        } while (again && !closed)
      } catch (error) {
        app.log.error({ err: error }, 'webhook processing failed; the deliveries stay stored and are retried shortly')
        retryLater()
      } finally {
        running = null
      }
      return total
    })()
    return running
  }

  return {
    process: run,
    kick() {
      if (!closed) void run()
    },
    async drain() {
      while (running || (await app.store.inbox.unprocessed(1)).length > 0) {
        const wasRunning = Boolean(running)
        const applied = await (running ?? run())
        if (!wasRunning && applied === 0) throw new Error('Webhook deliveries are stored but cannot be applied; the log says why.')
      }
    },
    async close() {
      closed = true
      if (retryTimer) clearTimeout(retryTimer)
      await running
    },
  }
}

async function applyDeliveries(app: App, rows: { seq: number; body: string }[]): Promise<void> {
  const parsed: ParsedWebhook = { statuses: [], inbound: [], optOuts: [], templateEvents: [] }
  const receivedAt = Date.now()
  for (const row of rows) {
    let body: unknown
    try {
      body = JSON.parse(row.body)
    } catch {
      // Signed by Meta yet not JSON: nothing to apply; keep it stored for inspection.
      app.log.warn({ seq: row.seq }, 'stored webhook is not JSON; skipped')
      continue
    }
    const one = parseWebhook(body, receivedAt)
    parsed.statuses.push(...one.statuses)
    parsed.inbound.push(...one.inbound)
    parsed.optOuts.push(...one.optOuts)
    parsed.templateEvents.push(...one.templateEvents)
  }

  const touched = new Set<string>()
  const accounts = accountLookup(app)
  if (parsed.statuses.length > 0) {
    const result = await app.store.ledger.applyStatuses(parsed.statuses)
    for (const id of result.campaignIds) touched.add(id)
    for (const { accountId, phone } of result.optedOut) {
      await suppress(app, { accountId, phone, source: 'error_131050', reason: 'WhatsApp error 131050: the person stopped marketing messages' })
    }
    if (result.unknown > 0) app.log.debug({ unknown: result.unknown }, 'statuses for messages this installation did not send')
    await pauseForLateFatalFailures(app, parsed.statuses)
  }
  for (const message of parsed.inbound) {
    const campaignId = await applyInbound(app, accounts, message)
    if (campaignId) touched.add(campaignId)
  }
  for (const optOut of parsed.optOuts) await applyOptOut(app, accounts, optOut)
  for (const event of parsed.templateEvents) await applyTemplateEvent(app, event)
  await applyQualityUpdates(app, rows)
  await emitProgress(app, touched)
}

type AccountLookup = (phoneNumberId: string | null) => Promise<Account[]>

/** Accounts by the business number a webhook names; several users may hold the same number. */
function accountLookup(app: App): AccountLookup {
  const cache = new Map<string, Account[]>()
  return async (phoneNumberId) => {
    if (!phoneNumberId) return []
    let accounts = cache.get(phoneNumberId)
    if (!accounts) {
      accounts = await app.store.accounts.findByPhoneNumberId(phoneNumberId)
      cache.set(phoneNumberId, accounts)
    }
    return accounts
  }
}

async function suppress(app: App, entry: Omit<Suppression, 'createdAt'>): Promise<void> {
  if (await app.store.suppressions.add(entry)) {
    app.log.info({ accountId: entry.accountId, source: entry.source }, 'number opted out')
  }
}

async function stopKeywordsOf(app: App, userId: string): Promise<readonly string[]> {
  const settings = await app.store.settings.get<{ stopKeywords?: string[] }>(`user:${userId}:settings`)
  return settings?.stopKeywords?.length ? settings.stopKeywords : DEFAULT_STOP_KEYWORDS
}

/** A reply counts for its campaign (by `context.id`); a STOP word or stop button suppresses the number. */
async function applyInbound(app: App, accounts: AccountLookup, message: InboundMessage): Promise<string | null> {
  const campaignId = message.contextId ? await app.store.ledger.markReplied(message.contextId, message.at) : null
  const phone = message.from ? `+${message.from.replace(/^\+/, '')}` : null
  let stopped = false
  if (phone) {
    for (const account of await accounts(message.phoneNumberId)) {
      if (!isStopReply(message, await stopKeywordsOf(app, account.userId))) continue
      stopped = true
      const viaButton = message.type === 'button' || message.type === 'interactive'
      await suppress(app, {
        accountId: account.id,
        phone,
        source: viaButton ? 'button' : 'keyword',
        reason: `replied "${(message.text ?? message.payload ?? '').slice(0, 60)}"`,
      })
    }
  }
  await app.store.events.insert({
    wamid: message.id,
    kind: 'inbound',
    status: stopped ? 'stop' : message.type,
    campaignId,
    recipientId: null,
    phone,
    at: message.at,
    errorCode: null,
    payload: JSON.stringify(message),
  })
  return campaignId
}

async function applyOptOut(app: App, accounts: AccountLookup, optOut: OptOutEvent): Promise<void> {
  const phone = `+${optOut.waId.replace(/^\+/, '')}`
  for (const account of await accounts(optOut.phoneNumberId)) {
    await suppress(app, { accountId: account.id, phone, source: 'user_preferences', reason: 'stopped marketing messages in WhatsApp' })
  }
}

/** PAUSED/DISABLED: every campaign still able to send with that template stops with `template_error`. */
async function applyTemplateEvent(app: App, event: TemplateStatusEvent): Promise<void> {
  if (!STOPPING_TEMPLATE_EVENTS.has(event.event.toUpperCase()) || !event.wabaId) return
  const detail = `Meta set the template "${event.templateName}" to ${event.event}${event.reason && event.reason !== 'NONE' ? ` (${event.reason})` : ''}.`
  const campaigns = await app.store.campaigns.findActiveByTemplate(event.wabaId, event.templateName)
  for (const campaign of campaigns) {
    if (event.language && campaign.template.language !== event.language) continue
    if ((await app.engine.pauseFor(campaign.id, TEMPLATE_ERROR, detail)).ok) {
      app.log.warn({ campaignId: campaign.id, template: event.templateName, event: event.event }, 'campaign paused: template no longer usable')
    }
  }
}

/**
 * A failure Meta reports later with a code that stops the whole campaign (an account locked, a payment
 * problem, a template paused …) pauses it as the same answer to the send would have.
 */
async function pauseForLateFatalFailures(app: App, statuses: StatusUpdate[]): Promise<void> {
  const paused = new Set<string>()
  for (const status of statuses) {
    if (status.status !== 'failed' || status.errorCode == null) continue
    const { errorClass, campaignError } = classifyError(status.errorCode)
    if (errorClass !== 'campaign_fatal' || !campaignError) continue
    const row = await app.store.ledger.findByWamid(status.wamid)
    if (!row || paused.has(row.campaignId) || (await isFromAnotherSenderThan(app, row, status))) continue
    const detail = `${status.errorCode} ${status.errorMessage ?? ''}`.trim()
    if ((await app.engine.pauseFor(row.campaignId, campaignError, detail)).ok) {
      paused.add(row.campaignId)
      app.log.warn({ campaignId: row.campaignId, code: status.errorCode }, 'campaign paused: Meta reported a failure that stops the campaign')
    }
  }
}

/** The ledger's rule: a status naming another number than the one its row was sent from is not about it. */
async function isFromAnotherSenderThan(app: App, row: Recipient, status: StatusUpdate): Promise<boolean> {
  const campaign = await app.store.campaigns.get(row.campaignId)
  const account = campaign ? await app.store.accounts.get(campaign.accountId) : null
  return isFromAnotherSender({ phoneNumberId: account?.phoneNumberId ?? null, phone: row.phone, waId: row.waId }, status)
}

/**
 * Delivered/read/replied/failed counters moved: a running campaign's runner reads them again (and may
 * pause for failures Meta reported late); the others get a fresh progress event from the ledger.
 */
async function emitProgress(app: App, campaignIds: Set<string>): Promise<void> {
  for (const id of campaignIds) {
    if (await app.engine.statusesApplied(id)) continue
    const campaign = await app.store.campaigns.get(id)
    if (!campaign) continue
    app.events.emit('campaign:progress', {
      campaignId: campaign.id,
      accountId: campaign.accountId,
      userId: campaign.userId,
      status: campaign.status,
      processed: campaign.processed,
      successCount: campaign.successCount,
      failedCount: campaign.failedCount,
      contactsCount: campaign.contactsCount,
      deliveredCount: campaign.deliveredCount,
      readCount: campaign.readCount,
      repliedCount: campaign.repliedCount,
      skippedCount: campaign.skippedCount,
      uncertainCount: campaign.uncertainCount,
      ratePerSec: 0,
      etaSec: null,
      waitingFor: null,
      resumesAt: null,
    })
  }
}
