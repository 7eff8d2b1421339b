// Issue 10, point 1, against a real `pregon serve`: a status sent for another installation behind the same
// Meta app or relay (so signed with our app secret) names one of our small row ids as its callback data.
// It must change nothing of ours and count as unknown.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator } from '../../src/sim'
import { messagesWebhook, postWebhook, readStore, request, startServe, statusOf, tempDir, waitFor, type ServeProcess } from './httpHarness'

const KEY = 'key-foreign-statuses-0123456789'
const SECRET = 'app-secret-shared-by-two-installations'
const TOKEN = 'sim-token-for-foreign-statuses'
const PHONE_ID = DEFAULT_PHONE_NUMBERS[0].id
const OTHER_PHONE_ID = '109999999999999'
const OTHER_RECIPIENT = '15550009999'
const HELLO = { name: 'hello_world', language: { code: 'en_US' } }
/** Rejected at once by the simulator: the row fails without a wamid. */
const INVALID_PARAMETER = 131009

interface Row {
  id: string
  phone: string
  wamid: string | null
  state: string
  errorCode: number | null
}
interface CampaignDoc {
  status: string
  error: string | null
  successCount: number
  failedCount: number
  uncertainCount: number
  deliveredCount: number
  readCount: number
}

let serve: ServeProcess
let sim: Simulator
let base: string

const campaign = async (id: string) => (await request<CampaignDoc>(`${base}/api/campaigns/${id}/status`, { key: KEY })).body
const rows = async (id: string) =>
  (await request<{ value: { rows: Row[] } }>(`${base}/api/campaigns.recipients`, { key: KEY, body: { id, limit: 100 } })).body.value.rows
const digits = (phone: string) => phone.replace(/^\+/, '')

/** One recipient, sent until it reaches a final state; returns its row. */
async function oneRecipientCampaign(numero: string, name: string): Promise<{ id: string; row: Row }> {
  const created = await request<{ campaignId: string }>(`${base}/api/campaigns/create`, {
    key: KEY,
    body: { contacts: [{ numero }], template: HELLO, campaignName: name, pacing: { kind: 'off' } },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  const id = created.body.campaignId
  const [row] = await waitFor(`${name} to settle`, async () => {
    const current = await rows(id)
    return current[0] && current[0].state !== 'queued' && current[0].state !== 'sending' ? current : null
  })
  return { id, row }
}

/** Posts statuses signed with our secret and waits until the server has applied them. */
async function deliver(phoneNumberId: string, statuses: object[]): Promise<void> {
  expect((await postWebhook(base, messagesWebhook(phoneNumberId, { statuses }), SECRET)).status).toBe(200)
  await waitFor('the inbox to be processed', () => readStore(serve.dataDir, async (store) => (await store.inbox.unprocessed(1)).length === 0))
}

beforeAll(async () => {
  sim = await startSimulator({ accessTokens: [TOKEN], phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1000 }], pairLimit: false })
  // The Graph API address is the installation's (tenants cannot set it).
  const env = { PREGON_API_KEYS: `${KEY}:shop`, PREGON_APP_SECRET: SECRET, PREGON_VERIFY_TOKEN: 'verify' }
  serve = await startServe({ dataDir: tempDir('foreign'), graphUrl: sim.url }, env)
  base = serve.url
  const put = await request(`${base}/api/user/meta-credentials`, {
    method: 'PUT',
    key: KEY,
    body: { phoneNumberId: PHONE_ID, wabaId: DEFAULT_PHONE_NUMBERS[0].wabaId, accessToken: TOKEN, maxMessagesPerSecond: 1000 },
  })
  expect(put.status, JSON.stringify(put.body)).toBe(200)
})

afterAll(async () => {
  await serve?.stop()
  await sim?.stop()
})

describe('statuses from another installation', () => {
  it('leave row 1 uncertain when they carry callback data "1" with another number and recipient', async () => {
    sim.setFault('reset')
    const { id, row } = await oneRecipientCampaign('573019990001', 'Incierta')
    sim.setFault('none')
    expect(row).toMatchObject({ id: '1', state: 'uncertain', wamid: null })

    await deliver(OTHER_PHONE_ID, [statusOf('wamid.FROM-ANOTHER-INSTALLATION', 'read', { callback: '1', recipient: OTHER_RECIPIENT })])
    // Our own number and the row's recipient do not make a guessed callback ours either.
    await deliver(PHONE_ID, [statusOf('wamid.GUESSED-CALLBACK', 'delivered', { callback: '1', recipient: digits(row.phone) })])

    expect((await rows(id))[0]).toMatchObject({ state: 'uncertain', wamid: null })
    expect(await campaign(id)).toMatchObject({ uncertainCount: 1, successCount: 0, deliveredCount: 0, readCount: 0 })
  })

  it('cannot turn a failed row without a wamid into a success', async () => {
    sim.setFailRecipients({ '573019990002': INVALID_PARAMETER })
    const { id, row } = await oneRecipientCampaign('573019990002', 'Fallida')
    sim.setFailRecipients({})
    expect(row).toMatchObject({ state: 'failed', wamid: null, errorCode: INVALID_PARAMETER })

    await deliver(OTHER_PHONE_ID, [statusOf('wamid.FROM-ANOTHER-INSTALLATION-2', 'read', { callback: row.id, recipient: OTHER_RECIPIENT })])
    await deliver(PHONE_ID, [statusOf('wamid.GUESSED-CALLBACK-2', 'read', { callback: row.id, recipient: digits(row.phone) })])

    expect((await rows(id))[0]).toMatchObject({ state: 'failed', wamid: null, errorCode: INVALID_PARAMETER })
    expect(await campaign(id)).toMatchObject({ failedCount: 1, successCount: 0, readCount: 0 })
  })

  it('cannot pause our running campaign with a late failure that names our wamid but another number', async () => {
    // The second message waits an hour, so the campaign is running while the statuses come.
    const created = await request<{ campaignId: string }>(`${base}/api/campaigns/create`, {
      key: KEY,
      body: { contacts: [{ numero: '573019990004' }, { numero: '573019990005' }], template: HELLO, campaignName: 'En curso', pacing: { kind: 'custom', intervalMs: 3_600_000 } },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const id = created.body.campaignId
    const [first] = await waitFor('the first message to be sent', async () => {
      const current = await rows(id)
      return current[0]?.state === 'sent' ? current : null
    })
    const payment = { recipient: digits(first.phone), errorCode: 131042 }

    await deliver(OTHER_PHONE_ID, [statusOf(first.wamid as string, 'failed', payment)])
    expect(await campaign(id)).toMatchObject({ status: 'processing', failedCount: 0 })
    expect((await rows(id))[0]).toMatchObject({ state: 'sent' })

    // The same failure from our number is ours: it stops the campaign as Meta's answer would have.
    await deliver(PHONE_ID, [statusOf(first.wamid as string, 'failed', payment)])
    expect(await campaign(id)).toMatchObject({ status: 'paused', error: 'payment_required', failedCount: 1 })
  })
})

describe('our own statuses', () => {
  it('resolve an uncertain row by the signed callback data only when they name our number and its recipient', async () => {
    sim.setFault('lose-answer')
    const { id, row } = await oneRecipientCampaign('573019990003', 'Respuesta perdida')
    sim.setFault('none')
    expect(row).toMatchObject({ state: 'uncertain', wamid: null })
    const [[wamid, sent]] = [...sim.sentMessages].filter(([, message]) => message.waId === '573019990003')
    expect(sent.callbackData).toMatch(new RegExp(`^${row.id}\\.[A-Za-z0-9_-]{22}$`))
    const callback = sent.callbackData as string

    // Our callback data replayed for another sender, or for another recipient, is not about this row.
    await deliver(OTHER_PHONE_ID, [statusOf('wamid.REPLAYED-1', 'read', { callback, recipient: digits(row.phone) })])
    await deliver(PHONE_ID, [statusOf('wamid.REPLAYED-2', 'read', { callback, recipient: OTHER_RECIPIENT })])
    expect((await rows(id))[0]).toMatchObject({ state: 'uncertain', wamid: null })

    await deliver(PHONE_ID, [statusOf(wamid, 'delivered', { callback, recipient: digits(row.phone) })])
    expect((await rows(id))[0]).toMatchObject({ state: 'delivered', wamid })
    // Known by its wamid now, the message still belongs to our number only.
    await deliver(OTHER_PHONE_ID, [statusOf(wamid, 'failed', { callback, recipient: digits(row.phone), errorCode: 131026 })])
    expect((await rows(id))[0]).toMatchObject({ state: 'delivered', wamid })
    expect(await campaign(id)).toMatchObject({ uncertainCount: 0, successCount: 1, deliveredCount: 1, failedCount: 0 })
  })
})
