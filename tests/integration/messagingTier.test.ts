// The messaging tier and the number's quality against a real `pregon serve` and the simulator over HTTP:
// an unknown tier is held to 250 and said so, Meta's quality webhooks change the account and its campaigns
// at once, and a WABA id that is not the number's is refused when the credentials are saved.

import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSimulator, type SimPhoneNumber, type Simulator } from '../../src/sim'
import { freePort } from '../../bench/processes'
import { request, startServe, tempDir, waitFor, type Reply, type ServeProcess } from './httpHarness'

// Two cores shared by many test runs: waits are generous, and no assertion is about time.
vi.setConfig({ testTimeout: 120_000 })
const until = <T>(what: string, probe: () => Promise<T | null | undefined | false>) => waitFor(what, probe, 60_000)

const KEY = 'key-tier-0123456789'
const SECRET = 'app-secret-for-tier-tests'
const TOKEN = 'sim-token-for-tier-tests'
/** A token Meta lets send but not read the WABA (no whatsapp_business_management). */
const SEND_ONLY_TOKEN = 'sim-token-without-management'
const PROMO = {
  name: 'promo_verano',
  language: { code: 'es' },
  components: [{ type: 'body', parameters: [{ type: 'text', text: '{{Nombre}}' }, { type: 'text', text: '20% de descuento' }] }],
}
const UTILITY = { name: 'pedido_listo', language: { code: 'es' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'A-1' }] }] }

const number = (n: number, extra: Partial<SimPhoneNumber> = {}): SimPhoneNumber => ({
  id: `10000000000001${n}`,
  displayPhoneNumber: `+1 555-010-001${n}`,
  verifiedName: `Tienda ${n}`,
  wabaId: `20000000000001${n}`,
  qualityRating: 'GREEN',
  tier: 'TIER_UNLIMITED',
  mps: 1000,
  ...extra,
})
const NO_TIER = number(1, { tierFields: [] })
const DOWNGRADED = number(2, { tier: 'TIER_250' })
const FLAGGED = number(3)
const DEPRECATED_TIER_ONLY = number(4, { tier: 'TIER_2K', tierFields: ['messaging_limit_tier'] })
const FRESH = number(5)
const RERATED = number(6)

interface TierView {
  tier: string
  limit: number | null
  source: string
  notice: string | null
}
interface Credentials {
  accountId: string
  wabaId: string
  messagingLimitTier: string | null
  qualityRating: string | null
  messagingTier: TierView
}
interface CampaignDoc {
  status: string
  error: string | null
  errorDetail: string | null
  successCount: number
  contactsCount: number
}
interface ErrorBody {
  ok: false
  error: { code: string; message: string; details?: Record<string, unknown> }
}

let serve: ServeProcess
let sim: Simulator
let base: string
let nextContact = 0

const putCredentials = (phone: SimPhoneNumber, wabaId = phone.wabaId): Promise<Reply<Credentials & ErrorBody>> =>
  request<Credentials & ErrorBody>(`${base}/api/user/meta-credentials`, {
    method: 'PUT',
    key: KEY,
    body: { phoneNumberId: phone.id, wabaId, accessToken: TOKEN, maxMessagesPerSecond: 1000 },
  })
const call = <T>(method: string, body: object) => request<{ ok: boolean; value: T } & ErrorBody>(`${base}/api/${method}`, { key: KEY, body })
const campaign = async (id: string) => (await request<CampaignDoc>(`${base}/api/campaigns/${id}/status`, { key: KEY })).body
const accountOf = async (accountId: string) =>
  (await call<(Omit<Credentials, 'accountId'> & { id: string })[]>('accounts.list', {})).body.value.find((a) => a.id === accountId)
const sentFrom = (phone: SimPhoneNumber) => [...sim.sentMessages.values()].filter((m) => m.phoneNumberId === phone.id).length

async function createCampaign(accountId: string, count: number, template: object, pacing: object): Promise<string> {
  const contacts = Array.from({ length: count }, () => ({ numero: `57302${String(1_000_000 + nextContact++).padStart(7, '0')}`, Nombre: 'Ana' }))
  const created = await request<{ campaignId: string }>(`${base}/api/campaigns/create`, {
    key: KEY,
    body: { accountId, contacts, template, campaignName: `Tier ${nextContact}`, pacing },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  return created.body.campaignId
}

beforeAll(async () => {
  // The simulator is this installation's Graph API (`--graph-url`) and posts webhooks to serve's port.
  const port = await freePort()
  sim = await startSimulator({
    accessTokens: [TOKEN],
    messagingOnlyTokens: [SEND_ONLY_TOKEN],
    phoneNumbers: [NO_TIER, DOWNGRADED, FLAGGED, DEPRECATED_TIER_ONLY, FRESH, RERATED],
    pairLimit: false,
    webhook: { url: `http://127.0.0.1:${port}/webhook`, appSecret: SECRET, statuses: false },
  })
  serve = await startServe({ dataDir: tempDir('tier'), port, graphUrl: sim.url }, { PREGON_API_KEYS: `${KEY}:shop`, PREGON_APP_SECRET: SECRET })
  base = serve.url
})

afterAll(async () => {
  await serve?.stop()
  await sim?.stop()
})

describe('a number whose tier Meta does not say', () => {
  it('is held to 250 a day, says so in the account and the estimate, and sends more once the user sets a tier', async () => {
    const put = await putCredentials(NO_TIER)
    expect(put.status, JSON.stringify(put.body)).toBe(200)
    expect(put.body.messagingLimitTier).toBeNull()
    expect(put.body.messagingTier).toEqual({
      tier: 'TIER_250',
      limit: 250,
      source: 'assumed',
      notice: 'Tier unknown: assuming 250 until Meta says otherwise; change it in the account.',
    })
    const { accountId } = put.body
    const estimate = await call<{ tierLimit: number; tierSource: string }>('campaigns.estimate', { accountId, recipients: 260 })
    expect(estimate.body.value).toMatchObject({ tierLimit: 250, tierSource: 'assumed', days: 2 })

    const id = await createCampaign(accountId, 260, PROMO, { kind: 'off' })
    const paused = await until('the campaign to stop at the assumed tier', async () => {
      const doc = await campaign(id)
      return doc.status === 'paused' ? doc : null
    })
    expect(paused).toMatchObject({ error: 'daily_limit_reached', successCount: 250 })
    expect(sentFrom(NO_TIER)).toBe(250)

    const updated = await call<{ messagingTier: TierView }>('accounts.update', { id: accountId, userMessagingLimitTier: 'TIER_1K' })
    expect(updated.status, JSON.stringify(updated.body)).toBe(200)
    expect(updated.body.value.messagingTier).toMatchObject({ tier: 'TIER_1K', limit: 1_000, source: 'user' })
    expect((await call('campaigns.resume', { id })).status).toBe(200)
    await until('the campaign to finish under the user’s tier', async () => (await campaign(id)).status === 'completed')
    expect(sentFrom(NO_TIER)).toBe(260)
  })

  it('reads the deprecated messaging_limit_tier when it is the only field Meta answers', async () => {
    const put = await putCredentials(DEPRECATED_TIER_ONLY)
    expect(put.status, JSON.stringify(put.body)).toBe(200)
    expect(put.body.messagingTier).toEqual({ tier: 'TIER_2K', limit: 2_000, source: 'meta', notice: null })
  })
})

describe('Meta’s phone_number_quality_update webhooks', () => {
  it('shrink the daily budget at once when the tier is downgraded mid-campaign', async () => {
    const put = await putCredentials(DOWNGRADED)
    expect(put.body.messagingTier).toMatchObject({ tier: 'TIER_250', source: 'meta' })
    const id = await createCampaign(put.body.accountId, 200, PROMO, { kind: 'custom', intervalMs: 25 })
    await until('60 messages to be sent', async () => (await campaign(id)).successCount >= 60)
    await sim.injectQualityUpdate(DOWNGRADED.id, { event: 'DOWNGRADE', currentLimit: 'TIER_50' })
    const paused = await until('the campaign to pause for its new limit', async () => {
      const doc = await campaign(id)
      return doc.status !== 'processing' ? doc : null
    })
    expect(paused).toMatchObject({ status: 'paused', error: 'daily_limit_reached' })
    expect(paused.errorDetail).toContain('50 people')
    expect(paused.successCount).toBeLessThan(200)
    const account = await accountOf(put.body.accountId)
    expect(account).toMatchObject({ messagingLimitTier: 'TIER_50', messagingTier: { limit: 50, source: 'meta' } })
  })

  it('pause the number’s marketing campaigns when its quality turns red, and only those', async () => {
    const put = await putCredentials(FLAGGED)
    const { accountId } = put.body
    const marketing = await createCampaign(accountId, 60, PROMO, { kind: 'custom', intervalMs: 100 })
    const utility = await createCampaign(accountId, 30, UTILITY, { kind: 'custom', intervalMs: 100 })
    await until('both campaigns to be sending', async () => (await campaign(marketing)).successCount >= 3 && (await campaign(utility)).successCount >= 3)
    await sim.injectQualityUpdate(FLAGGED.id, { event: 'FLAGGED' })

    const paused = await until('the marketing campaign to pause', async () => {
      const doc = await campaign(marketing)
      return doc.status === 'paused' ? doc : null
    })
    expect(paused.error).toBe('quality_low')
    expect(paused.errorDetail).toContain('FLAGGED')
    expect(paused.successCount).toBeLessThan(60)
    await until('the utility campaign to complete', async () => (await campaign(utility)).status === 'completed')
    expect((await campaign(utility)).successCount).toBe(30)
    expect((await campaign(marketing)).status).toBe('paused')
    expect(await accountOf(accountId)).toMatchObject({ qualityRating: 'RED' })
  })
})

describe('Meta re-rating a number without a webhook', () => {
  it('pauses the marketing campaigns when a refresh finds the quality newly red', async () => {
    const put = await putCredentials(RERATED)
    const { accountId } = put.body
    const marketing = await createCampaign(accountId, 60, PROMO, { kind: 'custom', intervalMs: 100 })
    await until('the campaign to be sending', async () => (await campaign(marketing)).successCount >= 3)
    sim.setQualityRating(RERATED.id, 'RED')
    const refreshed = await call<{ qualityRating: string }>('accounts.refresh', { id: accountId })
    expect(refreshed.body.value.qualityRating).toBe('RED')
    const paused = await until('the campaign to pause', async () => {
      const doc = await campaign(marketing)
      return doc.status === 'paused' ? doc : null
    })
    expect(paused).toMatchObject({ error: 'quality_low' })
    expect(paused.errorDetail).toContain('low (red)')
  })
})

describe('saving credentials', () => {
  it('refuses a WABA id the number does not belong to, saying what to fix, and stores nothing', async () => {
    const before = (await call<unknown[]>('accounts.list', {})).body.value.length
    const otherWaba = await putCredentials(FRESH, DOWNGRADED.wabaId)
    expect(otherWaba.status).toBe(400)
    expect(otherWaba.body.error).toMatchObject({ code: 'invalid_args', details: { field: 'wabaId', problem: 'waba_mismatch' } })
    expect(otherWaba.body.error.message).toContain(`does not belong to the WhatsApp Business Account ${DOWNGRADED.wabaId}`)

    const unknownWaba = await putCredentials(FRESH, '299999999999999')
    expect(unknownWaba.status).toBe(400)
    expect(unknownWaba.body.error.message).toContain('Meta knows no WhatsApp Business Account 299999999999999')

    const validated = await call('accounts.validate', { phoneNumberId: FRESH.id, wabaId: DOWNGRADED.wabaId, accessToken: TOKEN })
    expect(validated.status).toBe(400)
    expect((await call<unknown[]>('accounts.list', {})).body.value).toHaveLength(before)
    expect((await putCredentials(FRESH)).status).toBe(200)
  })

  it('refuses a token that cannot read the WABA\'s templates, naming the permission, and stores nothing', async () => {
    const before = (await call<unknown[]>('accounts.list', {})).body.value.length
    const sendOnly = await call('accounts.validate', { phoneNumberId: FRESH.id, wabaId: FRESH.wabaId, accessToken: SEND_ONLY_TOKEN })
    expect(sendOnly.status).toBe(400)
    expect(sendOnly.body.error).toMatchObject({ code: 'invalid_args', details: { field: 'accessToken', problem: 'token_cannot_manage_waba' } })
    expect(sendOnly.body.error.message).toContain('whatsapp_business_management')
    expect(sendOnly.body.error.message).not.toContain(SEND_ONLY_TOKEN)
    const saved = await request<ErrorBody>(`${base}/api/user/meta-credentials`, {
      method: 'PUT',
      key: KEY,
      body: { phoneNumberId: FRESH.id, wabaId: FRESH.wabaId, accessToken: SEND_ONLY_TOKEN },
    })
    expect(saved.status).toBe(400)
    expect((await call<unknown[]>('accounts.list', {})).body.value).toHaveLength(before)
  })

  it('refuses to move a saved number to a WABA that is not its own, and keeps the stored one', async () => {
    const saved = await putCredentials(FRESH)
    const moved = await putCredentials(FRESH, FLAGGED.wabaId)
    expect(moved.status).toBe(400)
    expect(moved.body.error.details).toMatchObject({ field: 'wabaId', problem: 'waba_mismatch' })
    expect(await accountOf(saved.body.accountId)).toMatchObject({ wabaId: FRESH.wabaId })
  })

  it('refuses the wrong WABA in `pregon accounts add` too, and prints the assumed tier for a number without one', async () => {
    const pregon = (...args: string[]) =>
      promisify(execFile)(process.execPath, [path.resolve(__dirname, '../../bin/pregon.js'), 'accounts', 'add', ...args], {
        env: { ...process.env, PREGON_LOG_LEVEL: 'warn' },
      })
    const dataDir = tempDir('tier-cli')
    const common = ['--token', TOKEN, '--graph-url', sim.url, '--data-dir', dataDir]
    const refused = await pregon('--phone-number-id', NO_TIER.id, '--waba-id', FLAGGED.wabaId, ...common).catch((error: { code: number; stderr: string }) => error)
    expect(refused).toMatchObject({ code: 1 })
    expect((refused as { stderr: string }).stderr).toContain(`does not belong to the WhatsApp Business Account ${FLAGGED.wabaId}`)
    const added = await pregon('--phone-number-id', NO_TIER.id, '--waba-id', NO_TIER.wabaId, ...common)
    expect(added.stdout).toContain('Tier unknown: assuming 250 until Meta says otherwise; change it in the account.')
  })
})
