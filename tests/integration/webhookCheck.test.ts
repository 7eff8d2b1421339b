// The webhook check across real processes: a desktop-side `pregon serve` that pulls from a relay posts a
// signed test event to the relay's /webhook and sees it come back through the relay feed; with another
// app secret the relay refuses it; with a wrong relay key it is accepted there and never comes back.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccountView, WebhookStatus, WebhookTestResult } from '../../src/shared/contract'
import { DEFAULT_ACCESS_TOKEN, DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator } from '../../src/sim'
import { request, startServe, tempDir, type ServeProcess } from './httpHarness'

const SECRET = 'webhook-check-app-secret'
const RELAY_KEY = 'relay-key-for-the-webhook-check'
const DESK_KEY = 'desk-key-for-the-webhook-check'
const running: ServeProcess[] = []
let relay: ServeProcess
let sim: Simulator

async function desk(env: Record<string, string>): Promise<ServeProcess> {
  const p = await startServe({ dataDir: tempDir('desk'), relayUrl: relay.url, graphUrl: sim.url }, { PREGON_API_KEYS: `${DESK_KEY}:shop`, ...env })
  running.push(p)
  return p
}

async function webhookTest(p: ServeProcess): Promise<WebhookTestResult> {
  const reply = await request<{ ok: boolean; value: WebhookTestResult }>(`${p.url}/api/webhooks.test`, { key: DESK_KEY, body: {} })
  expect(reply.status, JSON.stringify(reply.body)).toBe(200)
  return reply.body.value
}

beforeAll(async () => {
  sim = await startSimulator({ host: '127.0.0.1', port: 0 })
  relay = await startServe({ dataDir: tempDir('relay'), relay: true }, { PREGON_API_KEYS: `${RELAY_KEY}:desk`, PREGON_APP_SECRET: SECRET })
  running.push(relay)
}, 60_000)

afterAll(async () => {
  for (const p of running) await p.stop()
  await sim?.stop()
})

describe('the webhook check through a relay', () => {
  it('comes back through the relay when the secret and the key are right, and says the relay is the way in', async () => {
    const p = await desk({ PREGON_APP_SECRET: SECRET, PREGON_RELAY_API_KEY: RELAY_KEY })
    expect(await webhookTest(p)).toMatchObject({ target: `${relay.url}/webhook`, outcome: 'arrived', httpStatus: 200 })

    const number = DEFAULT_PHONE_NUMBERS[0]
    const added = await request<{ ok: boolean; value: AccountView }>(`${p.url}/api/accounts.add`, {
      key: DESK_KEY,
      body: { phoneNumberId: number.id, wabaId: number.wabaId, accessToken: DEFAULT_ACCESS_TOKEN },
    })
    expect(added.status, JSON.stringify(added.body)).toBe(200)
    const status = await request<{ ok: boolean; value: WebhookStatus }>(`${p.url}/api/webhooks.status`, { key: DESK_KEY, body: { accountId: added.body.value.id } })
    // The test event is not a status: nothing about this number has arrived yet.
    expect(status.body.value).toEqual({ lastStatusAt: null, callbackUrl: `${p.url}/webhook`, relayConfigured: true, appSecretSet: true })
  }, 60_000)

  it('is refused by the relay when this installation signs with another app secret', async () => {
    const p = await desk({ PREGON_APP_SECRET: 'another-app-secret', PREGON_RELAY_API_KEY: RELAY_KEY })
    expect(await webhookTest(p)).toMatchObject({ target: `${relay.url}/webhook`, outcome: 'refused', httpStatus: 401 })
  }, 60_000)

  it('is accepted by the relay but never comes back when the relay key is wrong', async () => {
    const p = await desk({ PREGON_APP_SECRET: SECRET, PREGON_RELAY_API_KEY: 'not-the-relay-key' })
    expect(await webhookTest(p)).toMatchObject({ outcome: 'lost', httpStatus: 200 })
  }, 60_000)

  it('answers a tenant without an account id with a clear error', async () => {
    const p = running[1]
    const reply = await request<{ ok: boolean; error: { message: string } }>(`${p.url}/api/webhooks.status`, { key: DESK_KEY, body: {} })
    expect(reply.status).toBe(400)
    expect(reply.body.error.message).toMatch(/accountId/)
  })
})
