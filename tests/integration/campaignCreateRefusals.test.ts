// A campaign that can send nothing is refused at create, names what to fix, and one that ends having
// sent nothing ends failed — never green. Against a real `pregon serve` and the simulator.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../../src/sim'
import { request, startServe, tempDir, waitFor, type ServeProcess } from './httpHarness'

const KEY = 'key-refusals-0123456789'
const TOKEN = 'sim-token-for-refusals'
const PROMO_ONE_PARAM = { name: 'promo_verano', language: { code: 'es' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '{{Nombre}}' }] }] }
const PROMO_NO_COMPONENTS = { name: 'promo_verano', language: { code: 'es' } }
const PROMO_UNKNOWN_COLUMN = {
  name: 'promo_verano',
  language: { code: 'es' },
  components: [{ type: 'body', parameters: [{ type: 'text', text: '{{Nombre}}' }, { type: 'text', text: '{{Descuento}}' }] }],
}
const PROMO = {
  name: 'promo_verano',
  language: { code: 'es' },
  components: [{ type: 'body', parameters: [{ type: 'text', text: '{{Nombre}}' }, { type: 'text', text: '{{Oferta}}' }] }],
}

let serve: ServeProcess
let sim: Simulator

const contacts = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ numero: `57300${String(2_000_000 + from + i).padStart(7, '0')}`, Nombre: `Cliente ${i}`, Oferta: '2x1' }))

type CreateReply = { ok: boolean; campaignId: string; total: number; willSend: number; skipped: Record<string, number>; error?: { code: string; message: string } }

const create = (body: Record<string, unknown>) => request<CreateReply>(`${serve.url}/api/campaigns/create`, { key: KEY, body })
const campaignCount = async () => (await request<{ count: number }>(`${serve.url}/api/campaigns`, { key: KEY })).body.count

beforeAll(async () => {
  // The simulator is this installation's Graph API (`--graph-url`), so it starts first.
  sim = await startSimulator({ accessTokens: [TOKEN] })
  serve = await startServe({ dataDir: tempDir('refusals'), graphUrl: sim.url }, { PREGON_API_KEYS: `${KEY}:tienda` })
  const put = await request(`${serve.url}/api/user/meta-credentials`, {
    method: 'PUT',
    key: KEY,
    body: { phoneNumberId: '100000000000001', wabaId: '200000000000001', accessToken: TOKEN, maxMessagesPerSecond: 1000 },
  })
  expect(put.status, JSON.stringify(put.body)).toBe(200)
})

afterAll(async () => {
  await serve?.stop()
  await sim?.stop()
})

describe('creating a campaign that cannot send', () => {
  it('refuses a template given 1 of its 2 body parameters, or none, naming the parameter, and stores nothing', async () => {
    for (const template of [PROMO_ONE_PARAM, PROMO_NO_COMPONENTS]) {
      const reply = await create({ contacts: contacts(3), template, campaignName: 'Mal mapeada' })
      expect(reply.status).toBe(400)
      expect(reply.body.error).toMatchObject({ code: 'invalid_args' })
      expect(reply.body.error?.message).toMatch(/^template\.bodyParams: "promo_verano" has 2 body parameters and the request fills [01]/)
    }
    expect(await campaignCount()).toBe(0)
  })

  it('refuses a {{Column}} that no contact has, listing the columns the list does have', async () => {
    const reply = await create({ contacts: contacts(3), template: PROMO_UNKNOWN_COLUMN, campaignName: 'Columna inventada' })
    expect(reply.status).toBe(400)
    expect(reply.body.error?.message).toBe('template.bodyParams[1]: no contact has a value for {{Descuento}}. Columns in the list: Nombre, Oferta.')
    expect(await campaignCount()).toBe(0)
  })

  it('refuses a list where every number is rejected, saying how many and why', async () => {
    const reply = await create({ contacts: [{ numero: '123', Nombre: 'A', Oferta: 'x' }, { numero: 'abc', Nombre: 'B', Oferta: 'y' }], template: PROMO, campaignName: 'Sin números' })
    expect(reply.status).toBe(400)
    expect(reply.body.error?.message).toContain('none of the 2 contacts can receive this campaign (2 invalid_number)')
    expect(await campaignCount()).toBe(0)
  })

  it('says exactly how many will be sent when some contacts are skipped', async () => {
    const list = [...contacts(4, 100), { numero: '999', Nombre: 'Malo', Oferta: 'z' }, { ...contacts(1, 100)[0] }, { numero: '573002000200', Nombre: 'Sin oferta' }]
    const reply = await create({ contacts: list, template: PROMO, campaignName: 'Algunos omitidos', scheduledAt: new Date(Date.now() + 86_400_000).toISOString() })
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({ total: 7, willSend: 4, skipped: { invalid_number: 1, duplicate: 1, missing_variable: 1 } })
  })

  it('ends a campaign whose every message Meta refuses as failed with the reason, not completed', async () => {
    sim.setFailures([{ code: 131026, rate: 1 }])
    try {
      const reply = await create({ contacts: contacts(5, 300), template: PROMO, campaignName: 'Todo falla', pacing: { kind: 'off' } })
      expect(reply.status).toBe(200)
      const ended = await waitFor('the campaign to end', async () => {
        const status = await request<{ status: string; error: string | null; errorDetail: string | null }>(
          `${serve.url}/api/campaigns/${reply.body.campaignId}/status`,
          { key: KEY },
        )
        return ['completed', 'failed'].includes(status.body.status) ? status.body : null
      })
      expect(ended).toMatchObject({ status: 'failed', error: 'nothing_sent' })
      expect(ended.errorDetail).toContain('None of the 5 messages was sent (5 failed, most with error 131026')
    } finally {
      sim.setFailures([])
    }
  })
})
