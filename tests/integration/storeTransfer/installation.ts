// A data folder as a shop would have it after a while: two users, an account with a sealed token, campaigns in
// every status with rows in every ledger state, send logs, webhook events, opt-outs, raw webhook deliveries and
// settings — all written through the store's own ports, sealed with the folder's own secret.key.

import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSecretBox, loadHeadlessKey } from '../../../src/main/store/secrets'
import { openSqliteStore } from '../../../src/main/store/sqlite'
import type { ClaimedRecipient, NewRecipient, Store } from '../../../src/main/store/ports'
import type { CampaignStatus } from '../../../src/shared/types'

export const ACCESS_TOKEN = 'EAAG-shop-token-that-must-survive-the-copy'
export const PHONE_NUMBER_ID = '100000000000001'
const LOG = { httpStatus: 200, latencyMs: 40, summary: 'template promo_verano/es' }
const T0 = Date.UTC(2026, 10, 20, 15, 0, 0)

export interface BuiltInstallation {
  dataDir: string
  /** A row left uncertain before the copy (no wamid): only its signed callback data can match its late status. */
  lateStatus: { campaignId: string; recipientId: string; callbackData: string; phone: string }
  campaignIds: Record<CampaignStatus, string>
}

export const openWithKey = (dataDir: string): Store => openSqliteStore({ dataDir, secrets: createSecretBox(loadHeadlessKey(dataDir, {})) })

const contacts = (n: number, tag: number): NewRecipient[] =>
  Array.from({ length: n }, (_, i) => ({ phone: `+5730${tag}${String(i).padStart(6, '0')}`, name: `Cliente ${i}`, variables: { Nombre: `Cliente ${i}` } }))

export async function buildInstallation(recipientsPerCampaign = 12): Promise<BuiltInstallation> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pregon-copy-src-'))
  const store = openWithKey(dataDir)
  try {
    const user = await store.users.ensureLocal()
    await store.users.create('tienda-centro')
    const account = await store.accounts.create({
      userId: user.id, label: 'Tienda', phoneNumberId: PHONE_NUMBER_ID, wabaId: '200000000000001', accessToken: ACCESS_TOKEN, defaultCountry: 'CO',
    })
    await store.suppressions.add({ accountId: account.id, phone: '+573009999999', reason: 'BAJA', source: 'keyword' })
    await store.settings.set(`user:${user.id}:settings`, { language: 'es', theme: 'dark' })
    await store.inbox.append('{"object":"whatsapp_business_account","entry":[]}', T0)

    const statuses: CampaignStatus[] = ['scheduled', 'pending', 'processing', 'paused', 'completed', 'cancelled', 'failed']
    const campaignIds = {} as Record<CampaignStatus, string>
    let lateStatus: BuiltInstallation['lateStatus'] | null = null
    for (const [i, status] of statuses.entries()) {
      const rows = [...contacts(recipientsPerCampaign, i), { phone: '+57300', name: null, variables: {}, skipReason: 'invalid_number' as const, skipDetail: '300' }]
      const campaign = await store.campaigns.create(
        { userId: user.id, accountId: account.id, campaignName: `Campaña ${status}`, batchId: `cmp_${i}`, template: { name: 'promo_verano', language: 'es' },
          pacing: { kind: 'seed' }, status: status === 'scheduled' ? 'scheduled' : 'pending', resumeAt: status === 'scheduled' ? new Date(T0 + 86_400_000).toISOString() : null },
        rows,
      )
      campaignIds[status] = campaign.id
      if (status === 'scheduled' || status === 'pending') continue
      const claimed = await store.ledger.claim(campaign.id, recipientsPerCampaign, T0)
      const sent = await sendSome(store, campaign.id, claimed, T0 + i * 1000)
      lateStatus ??= { campaignId: campaign.id, recipientId: sent.id, callbackData: sent.callbackData, phone: sent.phone }
      await store.campaigns.transition(campaign.id, ['pending'], 'processing', { startedAt: new Date(T0).toISOString() })
      if (status === 'paused') await store.campaigns.transition(campaign.id, ['processing'], 'paused', { error: 'too_many_failures', pausedAt: new Date(T0 + 5000).toISOString() })
      if (status === 'completed') await store.campaigns.transition(campaign.id, ['processing'], 'completed', { completedAt: new Date(T0 + 9000).toISOString() })
      if (status === 'cancelled') {
        await store.ledger.skipRemaining(campaign.id, 'cancelled', T0 + 6000)
        await store.campaigns.transition(campaign.id, ['processing'], 'cancelled', { completedAt: new Date(T0 + 6000).toISOString() })
      }
      if (status === 'failed') await store.campaigns.transition(campaign.id, ['processing'], 'failed', { error: 'nothing_sent', completedAt: new Date(T0 + 7000).toISOString() })
    }
    return { dataDir, lateStatus: lateStatus as BuiltInstallation['lateStatus'], campaignIds }
  } finally {
    await store.close()
  }
}

/**
 * Of the claimed rows: a third accepted (then delivered, read and replied to through webhooks), some failed,
 * one to retry, one uncertain; the rest stay `sending` (a campaign that was sending when the copy ran).
 * Returns the uncertain row.
 */
async function sendSome(store: Store, campaignId: string, claimed: ClaimedRecipient[], at: number): Promise<ClaimedRecipient> {
  const [late, delivered, read, failed, retry, uncertain] = claimed
  const wamid = (r: ClaimedRecipient) => `wamid.${campaignId}.${r.position}`
  await store.ledger.record(campaignId, [
    ...[late, delivered, read].map((r) => ({ kind: 'sent' as const, recipientId: r.id, wamid: wamid(r), waId: r.phone.slice(1), log: LOG })),
    { kind: 'failed', recipientId: failed.id, errorCode: 131026, errorMessage: 'Message undeliverable', log: { ...LOG, httpStatus: 400 } },
    { kind: 'retry', recipientId: retry.id, nextAttemptAt: at + 60_000, errorCode: 131056, errorMessage: 'Pair rate limit', log: { ...LOG, httpStatus: 400 } },
    { kind: 'uncertain', recipientId: uncertain.id, errorMessage: 'timeout', log: null },
  ], at)
  const status = (r: ClaimedRecipient, s: 'delivered' | 'read', dt: number) => ({
    wamid: wamid(r), callbackId: r.callbackData, status: s, at: at + dt, recipientWaId: r.phone.slice(1), phoneNumberId: PHONE_NUMBER_ID,
  })
  await store.ledger.applyStatuses([status(delivered, 'delivered', 100), status(read, 'delivered', 100), status(read, 'read', 200)])
  for (const [r, s] of [[delivered, 'delivered'], [read, 'read']] as const) {
    await store.events.insert({ wamid: wamid(r), kind: 'status', status: s, campaignId, recipientId: r.id, phone: r.phone, at: at + 200, errorCode: null, payload: '{}' })
  }
  await store.ledger.markReplied(wamid(read), at + 300)
  return uncertain
}
