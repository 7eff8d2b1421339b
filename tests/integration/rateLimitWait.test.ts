// A 130429 whose usage header names 15 minutes, against a real `pregon serve` and the simulator over HTTP:
// sending waits at most 60 s, and the status document says so and when it resumes.

import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../../src/sim'
import { freePort } from '../../bench/processes'
import { request, startServe, tempDir, waitFor, type ServeProcess } from './httpHarness'

const KEY = 'key-rate-0123456789'
const TOKEN = 'sim-token-for-rate-tests'
const PHONE_ID = '100000000000001'
const WABA_ID = '200000000000001'
const FIFTEEN_MINUTES = 15

let serve: ServeProcess
let sim: Simulator
let proxy: http.Server
/** When the decorated 130429 left the proxy (this machine's clock, as the server's). */
let refusedAt: number | null = null

/**
 * In front of the simulator: passes every request through, and adds to the first 130429 the usage header
 * Meta sends when a business must wait (`estimated_time_to_regain_access` in minutes). The simulator then
 * stops refusing, so only the wait Pregón imposes on itself decides when the campaign goes on.
 */
async function startUsageHeaderProxy(target: string): Promise<string> {
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      void (async () => {
        const headers: Record<string, string> = {}
        for (const name of ['authorization', 'content-type']) if (req.headers[name]) headers[name] = String(req.headers[name])
        const body = chunks.length ? Buffer.concat(chunks) : undefined
        const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body })
        const text = await answer.text()
        const out: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' }
        if (refusedAt === null && text.includes('"code":130429')) {
          refusedAt = Date.now()
          sim.setFailRecipients({})
          out['x-business-use-case-usage'] = JSON.stringify({
            [WABA_ID]: [{ type: 'whatsapp', call_count: 100, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: FIFTEEN_MINUTES }],
          })
        }
        res.writeHead(answer.status, out).end(text)
      })()
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
}

const contacts = (n: number) => Array.from({ length: n }, (_, i) => ({ numero: `57300${String(3_000_000 + i).padStart(7, '0')}`, Nombre: `Cliente ${i}` }))

beforeAll(async () => {
  // The Graph API address belongs to the installation: the server starts pointed at the proxy.
  const port = await freePort()
  sim = await startSimulator({ accessTokens: [TOKEN], webhook: { url: `http://127.0.0.1:${port}/webhook`, appSecret: 'unused', statuses: false } })
  const graphUrl = await startUsageHeaderProxy(sim.url)
  serve = await startServe({ dataDir: tempDir('rate'), graphUrl, port }, { PREGON_API_KEYS: `${KEY}:alice` })
  const put = await request(`${serve.url}/api/user/meta-credentials`, {
    method: 'PUT',
    key: KEY,
    body: { phoneNumberId: PHONE_ID, wabaId: WABA_ID, accessToken: TOKEN, maxMessagesPerSecond: 80 },
  })
  expect(put.status, JSON.stringify(put.body)).toBe(200)
})

afterAll(async () => {
  await serve?.stop()
  await sim?.stop()
  await new Promise((resolve) => proxy?.close(resolve))
})

describe("a rate limit with Meta's 15-minute usage header", () => {
  it('holds sending for at most 60 s, shows the wait and its end in the status document, then completes', async () => {
    const list = contacts(40)
    // The first recipient is refused with 130429 (once: the proxy lifts it when it adds the header).
    sim.setFailRecipients({ [list[0].numero]: 130429 })
    const created = await request<{ campaignId: string }>(`${serve.url}/api/campaigns/create`, {
      key: KEY,
      body: { contacts: list, template: { name: 'hello_world', language: { code: 'en_US' } }, campaignName: 'Con límite', pacing: { kind: 'custom', intervalMs: 100 } },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    const id = created.body.campaignId

    const waiting = await waitFor('the rate-limit wait in the status document', async () => {
      const status = await request<{ inMemory: { waitingFor: string | null; resumesAt: string | null } | null }>(`${serve.url}/api/campaigns/${id}/status`, { key: KEY })
      return status.body.inMemory?.waitingFor === 'rate_limit' ? status.body.inMemory : null
    })
    expect(refusedAt).not.toBeNull()
    const resumesAt = Date.parse(String(waiting.resumesAt))
    // 60 s after the refusal (the cap), not the 15 minutes the header named.
    expect(resumesAt - (refusedAt as number)).toBeGreaterThanOrEqual(59_000)
    expect(resumesAt - (refusedAt as number)).toBeLessThanOrEqual(61_000)
    const heldAt = await request<{ processed: number }>(`${serve.url}/api/campaigns/${id}/status`, { key: KEY })

    const done = await waitFor(
      'the campaign to complete after the wait',
      async () => {
        const status = await request<{ status: string; successCount: number; inMemory: unknown }>(`${serve.url}/api/campaigns/${id}/status`, { key: KEY })
        return status.body.status === 'completed' ? status.body : null
      },
      120_000,
    )
    expect(done.successCount).toBe(40)
    expect(heldAt.body.processed).toBeLessThan(40)
    expect([...sim.acceptedByRecipient().values()].every((n) => n === 1)).toBe(true)
    expect(sim.acceptedByRecipient().size).toBe(40)
  }, 180_000)
})
