// `pregon serve` as a process: a clean SIGTERM mid-campaign loses and repeats nothing, and `--demo` works out of the box.

import { afterAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../../src/sim'
import { request, startServe, tempDir, waitFor, type ServeProcess } from './httpHarness'
import { freePort } from '../../bench/processes'

const KEY = 'key-lifecycle-0123456789'
const TOKEN = 'sim-token-for-lifecycle'
const HELLO = { name: 'hello_world', language: { code: 'en_US' } }

const started: ServeProcess[] = []
let sim: Simulator | null = null

afterAll(async () => {
  for (const p of started) await p.stop('SIGKILL')
  await sim?.stop()
})

interface Doc {
  status: string
  successCount: number
  uncertainCount: number
  contactsCount: number
  deliveredCount: number
}

describe('shutdown', () => {
  it('finishes in-flight sends on SIGTERM and resumes the campaign on the next start without repeating anyone', async () => {
    const dataDir = tempDir('sigterm')
    const env = { PREGON_API_KEYS: `${KEY}:shop` }
    // The simulator is this installation's Graph API, so it starts first, on the port serve will take.
    const port = await freePort()
    sim = await startSimulator({ accessTokens: [TOKEN], latencyMs: 30, webhook: { url: `http://127.0.0.1:${port}/webhook`, appSecret: 'unused', statuses: false } })
    let serve = await startServe({ dataDir, port, graphUrl: sim.url }, env)
    started.push(serve)
    const put = await request(`${serve.url}/api/user/meta-credentials`, {
      method: 'PUT',
      key: KEY,
      body: { phoneNumberId: '100000000000001', wabaId: '200000000000001', accessToken: TOKEN },
    })
    expect(put.status, JSON.stringify(put.body)).toBe(200)
    const contacts = Array.from({ length: 40 }, (_, i) => ({ numero: `57304${String(1_000_000 + i).padStart(7, '0')}` }))
    const created = await request<{ campaignId: string }>(`${serve.url}/api/campaigns/create`, {
      key: KEY,
      body: { contacts, template: HELLO, campaignName: 'Interrumpida', pacing: { kind: 'custom', intervalMs: 80 } },
    })
    const id = created.body.campaignId
    const status = async () => (await request<Doc>(`${serve.url}/api/campaigns/${id}/status`, { key: KEY })).body
    await waitFor('some sends', async () => (await status()).successCount >= 5)

    expect(await serve.stop('SIGTERM')).toBe(0)
    expect(serve.output()).toMatch(/SIGTERM/)
    serve = await startServe({ dataDir, port, graphUrl: sim.url }, env)
    started.push(serve)

    const done = await waitFor('the campaign to complete after the restart', async () => {
      const doc = await status()
      return doc.status === 'completed' ? doc : null
    }, 30_000)
    expect(done).toMatchObject({ successCount: 40, uncertainCount: 0, contactsCount: 40 })
    const accepted = [...sim.acceptedByRecipient().values()]
    expect(accepted).toHaveLength(40)
    expect(accepted.every((n) => n === 1)).toBe(true)
  })
})

describe('--demo', () => {
  it('prints a signed-in URL, adds the demo account and receives the simulator\'s signed webhooks', async () => {
    const serve = await startServe({ dataDir: tempDir('demo'), demo: true })
    started.push(serve)
    const key = await waitFor('the demo URL', async () => /#key=(\S+)/.exec(serve.output())?.[1])
    const accounts = await request<{ value: { id: string; simulated: boolean }[] }>(`${serve.url}/api/accounts.list`, { key, body: {} })
    expect(accounts.body.value).toEqual([expect.objectContaining({ simulated: true })])
    const info = await request<{ value: { simulatorUrl: string | null } }>(`${serve.url}/api/app.info`, { key, body: {} })
    expect(info.body.value.simulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const created = await request<{ campaignId: string }>(`${serve.url}/api/campaigns/create`, {
      key,
      body: { contacts: [{ numero: '573001112233' }, { numero: '573001112234' }], template: HELLO, campaignName: 'Demo', pacing: { kind: 'off' } },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const doc = await waitFor('delivery receipts from the simulator', async () => {
      const current = (await request<Doc>(`${serve.url}/api/campaigns/${created.body.campaignId}/status`, { key })).body
      return current.deliveredCount === 2 ? current : null
    })
    expect(doc).toMatchObject({ status: 'completed', successCount: 2, deliveredCount: 2 })
  })
})
