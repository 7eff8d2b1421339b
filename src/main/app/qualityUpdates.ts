// Applies Meta's `phone_number_quality_update` webhooks: the account's tier and quality change at once in
// the store and the engine, and a number whose quality fell to red stops its promotional campaigns.

import type { Account, CampaignStatus, QualityRating } from '../../shared/types'
import type { AccountPatch } from '../store/ports'
import type { QualityUpdateEvent } from '../whatsapp/types'
import { QUALITY_UPDATE_FIELD, parseQualityUpdates } from '../whatsapp/webhook'
import type { App, AppServices } from './index'

/** Campaigns that would still send: running ones, scheduled ones, and those waiting out their daily limit. */
const MAY_SEND: CampaignStatus[] = ['pending', 'processing', 'scheduled', 'paused']

/** Stored deliveries, as the webhook processor reads them; only those naming the field are parsed. */
export async function applyQualityUpdates(app: App, rows: { seq: number; body: string }[]): Promise<void> {
  for (const row of rows) {
    // A cheap look first: status batches of 1,000 are not parsed a second time.
    if (!row.body.includes(QUALITY_UPDATE_FIELD)) continue
    let body: unknown
    try {
      body = JSON.parse(row.body)
    } catch {
      continue
    }
    for (const update of parseQualityUpdates(body)) await applyQualityUpdate(app, update)
  }
}

async function applyQualityUpdate(app: App, update: QualityUpdateEvent): Promise<void> {
  const quality = qualityAfter(update.event)
  const patch: AccountPatch = {
    ...(update.tier ? { messagingLimitTier: update.tier } : {}),
    ...(quality ? { qualityRating: quality } : {}),
  }
  for (const account of await accountsNamed(app, update)) {
    if (Object.keys(patch).length > 0) {
      await app.store.accounts.update(account.id, patch)
      // The runner reads the account again before its next claim: a downgrade shrinks the budget at once.
      app.engine.accountChanged(account.id)
    }
    app.log.warn(
      { accountId: account.id, event: update.event, tier: update.tier, quality },
      `Meta changed the number ${account.displayPhoneNumber ?? account.phoneNumberId}: ${update.event}`,
    )
    const number = account.displayPhoneNumber ?? account.phoneNumberId
    if (quality === 'RED') await pauseMarketing(app, account, `Meta reported the number ${number} as ${update.event}: its quality is low (red).`)
  }
}

/**
 * FLAGGED meant the quality had fallen to low (red); UNFLAGGED that it recovered, to a rating the event
 * does not give. The other events change the limit only.
 */
function qualityAfter(event: string): QualityRating | null {
  if (event === 'FLAGGED') return 'RED'
  if (event === 'UNFLAGGED') return 'UNKNOWN'
  return null
}

/**
 * The webhook names the number by its display digits under the WABA. An account whose display number was
 * never read is taken to be that number: the tier is shared by the portfolio anyway.
 */
async function accountsNamed(app: App, update: QualityUpdateEvent): Promise<Account[]> {
  if (!update.wabaId) return []
  const digits = (text: string) => text.replace(/\D/g, '')
  return (await app.store.accounts.listAll()).filter(
    (account) =>
      account.wabaId === update.wabaId &&
      (update.displayPhoneNumber === null || account.displayPhoneNumber === null || digits(account.displayPhoneNumber) === update.displayPhoneNumber),
  )
}

/** Red quality: promotions are what lower it further, so every marketing campaign of the number stops. */
export async function pauseMarketing(s: Pick<AppServices, 'store' | 'engine' | 'log'>, account: Account, detail: string): Promise<void> {
  const campaigns = await s.store.campaigns.listByStatus(MAY_SEND)
  for (const campaign of campaigns) {
    // A template whose category was never read may be a promotion: it stops too.
    if (campaign.accountId !== account.id || (campaign.template.category ?? 'MARKETING') !== 'MARKETING') continue
    if (campaign.status === 'paused' && campaign.error !== 'daily_limit_reached') continue
    const paused = await s.engine.pauseFor(campaign.id, 'quality_low', detail)
    if (paused.ok) s.log.warn({ campaignId: campaign.id, accountId: account.id }, 'campaign paused: the number’s quality is low')
  }
}
