// Failures Meta reports minutes after accepting a send, through the whole path: the simulator answers
// 200 and later posts signed `failed` statuses to a real `pregon serve`, whose webhook intake hands them
// to the running campaign — which pauses by the seed's rule as it would for failures answered at once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator } from '../../src/sim'
import { freePort } from '../../bench/processes'
import { request, startServe, tempDir, waitFor, type ServeProcess } from './httpHarness'

const KEY = 'key-async-failures-0123456789'
const SECRET = 'app-secret-for-async-failures'
const TOKEN = 'sim-token-for-async-failures'
const PROMO = {
  name: 'promo_verano',
  language: { code: 'es' },
  components: [{ type: 'body', parameters: [{ type: 'text', text: '{{Nombre}}' }, { type: 'text', text: '{{Oferta}}' }] }],
}

interface StatusDoc {
  status: string
  error: string | null
  errorDetail: string | null
  processed: number
  failedCount: number
  successCount: number
}

let serve: ServeProcess
let sim: Simulator

beforeAll(async () => {
  // The simulator is this installation's Graph API and posts its webhooks to serve: serve's port is picked first.
  const port = await freePort()
  sim = await startSimulator({
    seed: 21,
    accessTokens: [TOKEN],
    phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }],
    // One status per POST, as Meta often does; 60 % of accepted sends fail 0.3–2 s later (131026).
    webhook: { url: `http://127.0.0.1:${port}/webhook`, appSecret: SECRET, statuses: true, batchSize: 1, deliverDelayMs: 200 },
    failures: [{ code: 131026, rate: 0.6, delivery: 'webhook', delayMs: { min: 300, max: 2_000 } }],
  })
  serve = await startServe({ dataDir: tempDir('async-failures'), port, graphUrl: sim.url }, { PREGON_API_KEYS: `${KEY}:tienda`, PREGON_APP_SECRET: SECRET })
  const put = await request(`${serve.url}/api/user/meta-credentials`, {
    method: 'PUT',
    key: KEY,
    body: { phoneNumberId: DEFAULT_PHONE_NUMBERS[0].id, wabaId: '200000000000001', accessToken: TOKEN, maxMessagesPerSecond: 1000 },
  })
  expect(put.status, JSON.stringify(put.body)).toBe(200)
})

afterAll(async () => {
  await serve?.stop()
  await sim?.stop()
})

describe('failures reported by status webhook', () => {
  it('pause a 200-recipient campaign, all of whose sends were accepted, with too_many_failures, and nothing is sent after', async () => {
    const contacts = Array.from({ length: 200 }, (_, i) => ({ numero: `57301${String(i).padStart(7, '0')}`, Nombre: `Cliente ${i}`, Oferta: '2x1' }))
    const created = await request<{ campaignId: string; willSend: number }>(`${serve.url}/api/campaigns/create`, {
      key: KEY,
      body: { contacts, template: PROMO, campaignName: 'Fallos tardíos', pacing: { kind: 'custom', intervalMs: 40 } },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    expect(created.body.willSend).toBe(200)
    const id = created.body.campaignId

    const paused = await waitFor(
      'the campaign to pause or end',
      async () => {
        const doc = (await request<StatusDoc>(`${serve.url}/api/campaigns/${id}/status`, { key: KEY })).body
        return doc.status === 'processing' || doc.status === 'pending' ? null : doc
      },
      30_000,
    )
    expect(paused).toMatchObject({ status: 'paused', error: 'too_many_failures' })
    // Every one of those sends was accepted by the API (200 and a wamid): the failures came by webhook.
    const [failed, processed] = (/^(\d+) of (\d+) messages failed$/.exec(paused.errorDetail ?? '') ?? []).slice(1).map(Number)
    expect(failed).toBeGreaterThan(50)
    expect(failed / processed).toBeGreaterThan(0.5)
    // The decision is taken as the ledger first holds more than 50 failures and more than half: a
    // delivery round may apply a few statuses at once, so at most a handful past the 51st.
    expect(failed).toBeLessThanOrEqual(56)
    expect(processed).toBeLessThan(200)

    const acceptedAtPause = [...sim.acceptedByRecipient().values()].reduce((a, b) => a + b, 0)
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    const acceptedLater = [...sim.acceptedByRecipient().values()].reduce((a, b) => a + b, 0)
    expect(acceptedLater).toBe(acceptedAtPause)
    const final = (await request<StatusDoc>(`${serve.url}/api/campaigns/${id}/status`, { key: KEY })).body
    expect(final.processed).toBe(acceptedAtPause)
  })

  it('pause a campaign with the reason when Meta reports later a failure that stops every send (131042 payment)', async () => {
    sim.setFailures([{ code: 131042, rate: 1, delivery: 'webhook', delayMs: 100 }])
    const contacts = Array.from({ length: 100 }, (_, i) => ({ numero: `57302${String(i).padStart(7, '0')}`, Nombre: `Cliente ${i}`, Oferta: '2x1' }))
    const created = await request<{ campaignId: string }>(`${serve.url}/api/campaigns/create`, {
      key: KEY,
      body: { contacts, template: PROMO, campaignName: 'Pago pendiente', pacing: { kind: 'custom', intervalMs: 50 } },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const paused = await waitFor('the campaign to pause', async () => {
      const doc = (await request<StatusDoc>(`${serve.url}/api/campaigns/${created.body.campaignId}/status`, { key: KEY })).body
      return doc.status === 'paused' ? doc : null
    })
    expect(paused.error).toBe('payment_required')
    expect(paused.errorDetail).toMatch(/^131042 /)
    expect(paused.processed).toBeLessThan(50)
  })
})
