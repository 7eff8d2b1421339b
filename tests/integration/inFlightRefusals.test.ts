// A refusal that stops the whole campaign (an expired token, an unregistered number, a paused template)
// while many requests are in flight, through the whole path: a real `pregon serve` sends to the simulator
// at a real API's latency. Meta sent none of the refused messages, so none is failed: they wait in the
// queue with no attempt counted, the refusals stay in send_logs, and the resume sends each recipient once.

import path from 'node:path'
// eslint-disable-next-line no-restricted-imports -- send_logs have no port: the test reads the file itself
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../bench/processes'
import { DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator } from '../../src/sim'
import { readStore, request, startServe, tempDir, waitFor, type ServeProcess } from './httpHarness'

const KEY = 'key-in-flight-refusals-0123456789'
const TOKEN = 'sim-token-for-in-flight-refusals'
const RECIPIENTS = 500
const LATENCY_MS = 300
/** The account's rate: at 300 ms an answer, the engine keeps some 60–90 requests in flight. */
const MPS = 200

interface StatusDoc {
  status: string
  error: string | null
  errorDetail: string | null
  processed: number
  successCount: number
  failedCount: number
  uncertainCount: number
}

let serve: ServeProcess
let sim: Simulator

beforeAll(async () => {
  const port = await freePort()
  sim = await startSimulator({
    seed: 41,
    accessTokens: [TOKEN],
    phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }],
    latencyMs: { min: LATENCY_MS - 30, max: LATENCY_MS + 30 },
  })
  serve = await startServe({ dataDir: tempDir('in-flight-refusals'), port, graphUrl: sim.url }, { PREGON_API_KEYS: `${KEY}:tienda` })
  const put = await request(`${serve.url}/api/user/meta-credentials`, {
    method: 'PUT',
    key: KEY,
    body: { phoneNumberId: DEFAULT_PHONE_NUMBERS[0].id, wabaId: '200000000000001', accessToken: TOKEN, maxMessagesPerSecond: MPS },
  })
  expect(put.status, JSON.stringify(put.body)).toBe(200)
})

afterAll(async () => {
  await serve?.stop()
  await sim?.stop()
})

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0)
const digits = (phone: string) => phone.replace(/\D/g, '')

async function statusOf(id: string): Promise<StatusDoc> {
  return (await request<StatusDoc>(`${serve.url}/api/campaigns/${id}/status`, { key: KEY })).body
}

/** Each attempt logged for the campaign's rows: what became of it and Meta's error code. */
function sendLogs(campaignId: string): { recipientId: number; outcome: string; errorCode: number | null }[] {
  const db = new Database(path.join(serve.dataDir, 'pregon.db'), { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare('SELECT recipient_id AS recipientId, outcome, error_code AS errorCode FROM send_logs WHERE campaign_id = ? ORDER BY id')
      .all(campaignId) as { recipientId: number; outcome: string; errorCode: number | null }[]
  } finally {
    db.close()
  }
}

describe('a campaign-fatal refusal of the requests in flight', () => {
  const cases = [
    { code: 190, error: 'invalid_credentials', prefix: '57310' },
    { code: 133010, error: 'account_blocked', prefix: '57311' },
    { code: 132015, error: 'template_error', prefix: '57312' },
  ] as const

  for (const { code, error, prefix } of cases) {
    it(`on ${code}, pauses with ${error}, puts every refused message back in the queue with no attempt counted, and the resume sends each recipient once`, async () => {
      sim.setFailures([])
      sim.resetCounters()
      const contacts = Array.from({ length: RECIPIENTS }, (_, i) => ({ numero: `${prefix}${String(i).padStart(7, '0')}`, Nombre: `Cliente ${i}` }))
      const created = await request<{ campaignId: string; willSend: number }>(`${serve.url}/api/campaigns/create`, {
        key: KEY,
        body: { contacts, template: { name: 'hello_world', language: { code: 'en_US' } }, campaignName: `Rechazo ${code}`, pacing: { kind: 'standard' } },
      })
      expect(created.status, JSON.stringify(created.body)).toBe(200)
      const id = created.body.campaignId

      // Sending at full speed, then Meta starts refusing everything that reaches it.
      await waitFor('a hundred sends to reach the simulator', async () => total(sim.requestsByRecipient()) >= 100)
      sim.setFailures([{ code, rate: 1 }])

      const paused = await waitFor('the campaign to pause', async () => {
        const doc = await statusOf(id)
        return doc.status === 'processing' || doc.status === 'pending' ? null : doc
      })
      expect(paused).toMatchObject({ status: 'paused', error })
      expect(paused.errorDetail).toMatch(new RegExp(`^${code} `))
      // The answers still in flight come back and are recorded; after that nothing is `sending`.
      await waitFor('the requests in flight to be recorded', async () => (await readStore(serve.dataDir, (s) => s.ledger.stateCounts(id))).sending === 0)
      const requested = sim.requestsByRecipient()
      const accepted = sim.acceptedByRecipient()
      const refused = [...requested.keys()].filter((recipient) => !accepted.has(recipient))
      // Refusals kept coming while the first one travelled back: many requests were in flight.
      expect(refused.length).toBeGreaterThanOrEqual(20)
      expect(total(requested)).toBe(accepted.size + refused.length)
      console.info(`${code}: ${refused.length} refused in flight, ${accepted.size} accepted before the pause`)

      const atPause = await statusOf(id)
      expect(atPause).toMatchObject({ status: 'paused', failedCount: 0, uncertainCount: 0, successCount: accepted.size, processed: accepted.size })
      const rows = await readStore(serve.dataDir, async (s) => (await s.ledger.page(id, { offset: 0, limit: RECIPIENTS })).rows)
      const byRecipient = new Map(rows.map((row) => [digits(row.phone), row]))
      for (const recipient of refused) expect(byRecipient.get(recipient)).toMatchObject({ state: 'queued', attempts: 0, errorCode: null })
      expect(rows.filter((row) => row.state === 'queued')).toHaveLength(RECIPIENTS - accepted.size)
      expect(rows.filter((row) => row.state === 'queued').every((row) => row.attempts === 0)).toBe(true)
      // Each refusal is in send_logs with Meta's code: the record of what happened is kept.
      const logs = sendLogs(id)
      const refusals = logs.filter((log) => log.outcome === 'requeue')
      expect(refusals).toHaveLength(refused.length)
      expect(refusals.every((log) => log.errorCode === code)).toBe(true)
      expect(new Set(refusals.map((log) => digits(rows.find((row) => row.id === String(log.recipientId))?.phone ?? '')))).toEqual(new Set(refused))

      // The fault is fixed (a new token, the number registered, the template active again) and the user resumes.
      sim.setFailures([])
      const resumed = await request(`${serve.url}/api/campaigns/${id}/resume`, { method: 'POST', key: KEY })
      expect(resumed.status, JSON.stringify(resumed.body)).toBe(200)
      const done = await waitFor('the campaign to end', async () => {
        const doc = await statusOf(id)
        return doc.status === 'processing' || doc.status === 'pending' ? null : doc
      }, 60_000)
      expect(done).toMatchObject({ status: 'completed', error: null, successCount: RECIPIENTS, failedCount: 0, uncertainCount: 0, processed: RECIPIENTS })
      const acceptedAtEnd = sim.acceptedByRecipient()
      expect(acceptedAtEnd.size).toBe(RECIPIENTS)
      expect([...acceptedAtEnd.values()].every((n) => n === 1)).toBe(true)
      // The refused ones were sent once, on the resume: one attempt counted, as for every other row.
      const final = await readStore(serve.dataDir, async (s) => (await s.ledger.page(id, { offset: 0, limit: RECIPIENTS })).rows)
      expect(final.every((row) => row.state === 'sent' && row.attempts === 1)).toBe(true)
    }, 90_000)
  }
})
