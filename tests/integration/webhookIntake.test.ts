// Meta's webhooks against a real `pregon serve`: the handshake, signatures over raw bytes, status
// correlation (duplicates, out of order, read without delivered, batches of 1,000), opt-outs and replies.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PHONE_NUMBERS, serializeForSigning, startSimulator, type Simulator } from '../../src/sim'
import {
  messagesWebhook,
  postWebhook,
  readStore,
  request,
  sign,
  startServe,
  statusOf,
  tempDir,
  waitFor,
  type ServeProcess,
} from './httpHarness'
import { freePort } from '../../bench/processes'

const KEY = 'key-webhooks-0123456789'
const SECRET = 'app-secret-for-webhook-tests'
const VERIFY = 'verify-token-for-tests'
const TOKEN = 'sim-token-for-webhook-tests'
const PHONE_ID = DEFAULT_PHONE_NUMBERS[0].id
const HELLO = { name: 'hello_world', language: { code: 'en_US' } }
/** A start a week away: the campaign stays `scheduled`. */
const LATER = new Date(Date.now() + 7 * 24 * 3_600_000).toISOString()

interface Row {
  id: string
  phone: string
  wamid: string | null
  state: string
}
interface CampaignDoc {
  status: string
  deliveredCount: number
  readCount: number
  failedCount: number
  repliedCount: number
  successCount: number
}

let serve: ServeProcess
let sim: Simulator
let base: string
let nextNumber = 0

const inboxCount = (): Promise<number> => readStore(serve.dataDir, async (store) => (await store.inbox.after(0, 1_000_000)).length)
const campaign = async (id: string) => (await request<CampaignDoc>(`${base}/api/campaigns/${id}/status`, { key: KEY })).body
const rows = async (id: string) =>
  (await request<{ value: { rows: Row[] } }>(`${base}/api/campaigns.recipients`, { key: KEY, body: { id, limit: 1000 } })).body.value.rows
const suppressions = async () =>
  (await request<{ value: { phone: string; source: string }[] }>(`${base}/api/suppressions.list`, { key: KEY, body: {} })).body.value

/** Sends a campaign to `n` new numbers through the simulator and returns its rows once all were accepted. */
async function sentCampaign(n: number, contacts?: { numero: string }[]): Promise<{ id: string; rows: Row[] }> {
  const list = contacts ?? Array.from({ length: n }, () => ({ numero: `57301${String(1_000_000 + nextNumber++).padStart(7, '0')}` }))
  const created = await request<{ campaignId: string }>(`${base}/api/campaigns/create`, {
    key: KEY,
    body: { contacts: list, template: HELLO, campaignName: `Webhooks ${nextNumber}`, pacing: { kind: 'off' } },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  const id = created.body.campaignId
  await waitFor('the campaign to complete', async () => (await campaign(id)).status === 'completed', 30_000)
  return { id, rows: await rows(id) }
}

const post = (payload: object) => postWebhook(base, payload, SECRET)
const digits = (phone: string) => phone.replace(/^\+/, '')

beforeAll(async () => {
  // The simulator is this installation's Graph API, so it starts first, on the port serve will take.
  const port = await freePort()
  sim = await startSimulator({
    accessTokens: [TOKEN],
    phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1000 }],
    pairLimit: false,
    webhook: { url: `http://127.0.0.1:${port}/webhook`, appSecret: SECRET, statuses: false },
  })
  serve = await startServe({ dataDir: tempDir('webhooks'), port, graphUrl: sim.url }, { PREGON_API_KEYS: `${KEY}:shop`, PREGON_APP_SECRET: SECRET, PREGON_VERIFY_TOKEN: VERIFY })
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

describe('the verification handshake', () => {
  it('echoes hub.challenge for the right verify token and answers 403 otherwise', async () => {
    const ok = await request(`${base}/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`)
    expect(ok.status).toBe(200)
    expect(ok.body).toBe(1158201444)
    expect((await request(`${base}/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status).toBe(403)
    expect((await request(`${base}/webhook?hub.mode=unsubscribe&hub.verify_token=${VERIFY}&hub.challenge=1`)).status).toBe(403)
  })
})

describe('signatures', () => {
  it('refuses unsigned, forged and re-serialised bodies with 401 and stores nothing', async () => {
    const payload = messagesWebhook(PHONE_ID, { statuses: [statusOf('wamid.unknown', 'delivered')] })
    const before = await inboxCount()
    const raw = JSON.stringify(payload)
    expect((await request(`${base}/webhook`, { raw })).status).toBe(401)
    expect((await request(`${base}/webhook`, { raw, headers: { 'x-hub-signature-256': sign(raw, 'another-secret') } })).status).toBe(401)
    expect((await request(`${base}/webhook`, { raw, headers: { 'x-hub-signature-256': 'sha256=zz' } })).status).toBe(401)
    // Meta signs its own bytes (non-ASCII escaped); a body re-serialised by a proxy no longer matches.
    const accented = messagesWebhook(PHONE_ID, { messages: [{ id: 'wamid.in.1', from: '573000000001', type: 'text', timestamp: '1', text: { body: 'Cancelación' } }] })
    const metaBytes = serializeForSigning(accented)
    const reserialised = JSON.stringify(accented)
    expect(metaBytes.toString()).not.toBe(reserialised)
    expect((await request(`${base}/webhook`, { raw: reserialised, headers: { 'x-hub-signature-256': sign(metaBytes, SECRET) } })).status).toBe(401)
    expect((await request(`${base}/webhook`, { raw: JSON.stringify(payload, null, 2), headers: { 'x-hub-signature-256': sign(raw, SECRET) } })).status).toBe(401)
    expect(await inboxCount()).toBe(before)

    expect((await request(`${base}/webhook`, { raw: metaBytes.toString(), headers: { 'x-hub-signature-256': sign(metaBytes, SECRET) } })).status).toBe(200)
    expect((await post(payload)).status).toBe(200)
    expect(await inboxCount()).toBe(before + 2)
  })
})

describe('status correlation', () => {
  it('counts duplicates once, moves statuses only forward and counts read without delivered as both', async () => {
    const { id, rows: [a, b, c] } = await sentCampaign(3)
    const t = Date.now()
    const statuses = [
      statusOf(a.wamid!, 'delivered', { at: t }),
      statusOf(a.wamid!, 'delivered', { at: t }),
      statusOf(b.wamid!, 'read', { at: t }),
      statusOf(c.wamid!, 'read', { at: t + 2_000 }),
    ]
    expect((await post(messagesWebhook(PHONE_ID, { statuses }))).status).toBe(200)
    // Late and repeated deliveries, as Meta retries for days.
    expect((await post(messagesWebhook(PHONE_ID, { statuses: [statusOf(c.wamid!, 'delivered', { at: t + 1_000 }), statusOf(a.wamid!, 'delivered', { at: t })] }))).status).toBe(200)
    expect((await post(messagesWebhook(PHONE_ID, { statuses: [statusOf(b.wamid!, 'read', { at: t })] }))).status).toBe(200)

    const doc = await waitFor('the counters', async () => {
      const current = await campaign(id)
      return current.deliveredCount === 3 && current.readCount === 2 ? current : null
    })
    expect(doc).toMatchObject({ deliveredCount: 3, readCount: 2, successCount: 3, failedCount: 0 })
    await new Promise((r) => setTimeout(r, 300))
    expect(await campaign(id)).toMatchObject({ deliveredCount: 3, readCount: 2 })
    const states = Object.fromEntries((await rows(id)).map((r) => [r.wamid, r.state]))
    expect(states).toEqual({ [a.wamid!]: 'delivered', [b.wamid!]: 'read', [c.wamid!]: 'read' })
  })

  it('applies a batch of 1,000 statuses in one POST, and the same batch again changes nothing', async () => {
    const { id, rows: sent } = await sentCampaign(1000)
    const batch = messagesWebhook(PHONE_ID, { statuses: sent.map((r) => statusOf(r.wamid!, 'delivered', { recipient: digits(r.phone) })) })
    expect((await post(batch)).status).toBe(200)
    await waitFor('1,000 deliveries', async () => (await campaign(id)).deliveredCount === 1000, 20_000)
    expect((await post(batch)).status).toBe(200)
    await waitFor('the inbox to be processed', async () =>
      readStore(serve.dataDir, async (store) => (await store.inbox.unprocessed(1)).length === 0),
    )
    expect(await campaign(id)).toMatchObject({ deliveredCount: 1000, contactsCount: 1000 })
  })

  it('resolves an uncertain row by its callback data when the status names a wamid we never saw', async () => {
    // Meta takes the message but its answer is lost: the row is uncertain and the message went out.
    sim.setFault('lose-answer')
    const created = await request<{ campaignId: string }>(`${base}/api/campaigns/create`, {
      key: KEY,
      body: { contacts: [{ numero: '573019999001' }], template: HELLO, campaignName: 'Incierta', pacing: { kind: 'off' } },
    })
    const id = created.body.campaignId
    const [row] = await waitFor('an uncertain row', async () => {
      const current = await rows(id)
      return current[0]?.state === 'uncertain' ? current : null
    })
    sim.setFault('none')
    expect(row.wamid).toBeNull()
    const [[wamid, sent]] = [...sim.sentMessages].filter(([, message]) => message.waId === '573019999001')
    const delivered = statusOf(wamid, 'delivered', { callback: sent.callbackData as string, recipient: '573019999001' })
    expect((await post(messagesWebhook(PHONE_ID, { statuses: [delivered] }))).status).toBe(200)
    const resolved = await waitFor('the row to be delivered', async () => {
      const [current] = await rows(id)
      return current.state === 'delivered' ? current : null
    })
    expect(resolved.wamid).toBe(wamid)
  })
})

describe('opt-outs and replies', () => {
  it('suppresses STOP words, stop buttons and 131050, counts replies, and skips those numbers later', async () => {
    const { id, rows: sent } = await sentCampaign(5)
    const [stopWord, noMas, button, optedOut, happy] = sent
    await sim.injectInbound({ from: digits(stopWord.phone), text: 'Stop', contextWamid: stopWord.wamid! })
    await sim.injectInbound({ from: digits(noMas.phone), text: '¡No más!', contextWamid: noMas.wamid! })
    await sim.injectInbound({ from: digits(button.phone), buttonPayload: 'STOP_PROMOS', buttonText: 'Stop promotions', contextWamid: button.wamid! })
    await sim.injectInbound({ from: digits(happy.phone), text: 'Cancelar mi pedido, por favor', contextWamid: happy.wamid! })
    await sim.injectInbound({ from: digits(happy.phone), text: 'Gracias', contextWamid: happy.wamid! })
    await post(messagesWebhook(PHONE_ID, { statuses: [statusOf(optedOut.wamid!, 'failed', { errorCode: 131050, recipient: digits(optedOut.phone) })] }))

    const list = await waitFor('four suppressions', async () => {
      const current = await suppressions()
      return current.length >= 4 ? current : null
    })
    const sources = Object.fromEntries(list.map((s) => [s.phone, s.source]))
    expect(sources).toEqual({
      [stopWord.phone]: 'keyword',
      [noMas.phone]: 'keyword',
      [button.phone]: 'button',
      [optedOut.phone]: 'error_131050',
    })
    const doc = await waitFor('replies', async () => {
      const current = await campaign(id)
      return current.repliedCount === 4 ? current : null
    })
    expect(doc.repliedCount).toBe(4)

    const again = await request<{ total: number; skipped: Record<string, number> }>(`${base}/api/campaigns/create`, {
      key: KEY,
      body: { contacts: sent.map((r) => ({ numero: digits(r.phone) })), template: HELLO, campaignName: 'Otra vez', scheduledAt: LATER },
    })
    expect(again.status).toBe(200)
    expect(again.body.skipped).toMatchObject({ opted_out: 4 })
  })
})

describe('template status events', () => {
  it('pauses every running or scheduled campaign of a template Meta pauses, with template_error', async () => {
    const contacts = Array.from({ length: 30 }, (_, i) => ({ numero: `57303${String(1_000_000 + i).padStart(7, '0')}` }))
    const running = await request<{ campaignId: string }>(`${base}/api/campaigns/create`, {
      key: KEY,
      body: { contacts, template: HELLO, campaignName: 'Corriendo', pacing: { kind: 'custom', intervalMs: 300 } },
    })
    const scheduled = await request<{ campaignId: string }>(`${base}/api/campaigns/create`, {
      key: KEY,
      body: { contacts, template: HELLO, campaignName: 'Más tarde', scheduledAt: LATER },
    })
    await waitFor('the first sends', async () => (await campaign(running.body.campaignId)).successCount > 0)

    await sim.injectTemplateStatus('hello_world', 'PAUSED', { reason: 'LOW_QUALITY' })
    for (const id of [running.body.campaignId, scheduled.body.campaignId]) {
      const doc = await waitFor('the pause', async () => {
        const current = (await request<{ status: string; error: string | null; errorDetail: string | null }>(`${base}/api/campaigns/${id}/status`, { key: KEY })).body
        return current.status === 'paused' && current.error ? current : null
      })
      expect(doc).toMatchObject({ status: 'paused', error: 'template_error' })
      expect(doc.errorDetail).toMatch(/hello_world.*PAUSED/)
    }
  })
})
