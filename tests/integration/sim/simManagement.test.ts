// The simulator's Graph reads over real HTTP: phone number fields and the paged template list, plus the CLI entry.

import { afterEach, describe, expect, it } from 'vitest'
import { runSimulatorCli, startSimulator, type Simulator, type SimTemplate } from '../../../src/sim'
import { simulatorOptionsFromArgs } from '../../../src/sim/cli'
import { PHONE_ID, WABA_ID, get, post, promo } from './helpers'

const running: Simulator[] = []
async function start(templates?: SimTemplate[]): Promise<Simulator> {
  const sim = await startSimulator({ templates })
  running.push(sim)
  return sim
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()))
})

describe('GET /{phone-number-id}', () => {
  it('returns the requested fields of the demo number', async () => {
    const sim = await start()
    const fields = [
      'verified_name',
      'display_phone_number',
      'quality_rating',
      'throughput',
      'whatsapp_business_manager_messaging_limit',
      'status',
      'account_mode',
      'name_status',
      'id',
    ].join(',')
    const reply = await get(`${sim.url}/v25.0/${PHONE_ID}?fields=${fields}`)
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({
      verified_name: 'Pregón Demo',
      display_phone_number: '+1 555-010-0001',
      quality_rating: 'GREEN',
      throughput: { level: 'STANDARD' },
      whatsapp_business_manager_messaging_limit: 'TIER_UNLIMITED',
      status: 'CONNECTED',
      account_mode: 'LIVE',
      name_status: 'APPROVED',
      id: PHONE_ID,
    })
  })

  it('returns the default fields without `fields`, and 100 for a field that does not exist', async () => {
    const sim = await start()
    const defaults = await get(`${sim.url}/v23.0/${PHONE_ID}`)
    expect(Object.keys(defaults.body).sort()).toEqual(['display_phone_number', 'id', 'quality_rating', 'verified_name'])

    const unknown = await get(`${sim.url}/v23.0/${PHONE_ID}?fields=favourite_colour`)
    expect(unknown.status).toBe(400)
    expect(unknown.body.error?.code).toBe(100)
    expect(unknown.body.error?.message).toContain('nonexisting field (favourite_colour)')
  })

  it('lets a messaging-only token read its number and send, but answers #200 (403) on the WABA\'s edges', async () => {
    const sim = await startSimulator({ messagingOnlyTokens: ['send-only'] })
    running.push(sim)
    expect((await get(`${sim.url}/v25.0/${PHONE_ID}`, 'send-only')).status).toBe(200)
    expect((await post(sim.url, promo('573001234567'), { token: 'send-only' })).status).toBe(200)
    for (const edge of ['message_templates', 'phone_numbers']) {
      const refused = await get(`${sim.url}/v25.0/${WABA_ID}/${edge}`, 'send-only')
      expect(refused.status).toBe(403)
      expect(refused.body.error).toMatchObject({ code: 200, message: expect.stringContaining('whatsapp_business_management') })
    }
  })

  it('answers 400/100/33 for an unknown id and 190 for a bad token', async () => {
    const sim = await start()
    expect((await get(`${sim.url}/v25.0/123`)).body.error).toMatchObject({ code: 100, error_subcode: 33 })
    expect((await get(`${sim.url}/v25.0/${PHONE_ID}`, 'bad')).body.error?.code).toBe(190)
  })
})

describe('the tier fields of a number', () => {
  it('leaves out the tier fields a number does not answer, as Graph omits fields without a value', async () => {
    const base = { displayPhoneNumber: '+1 555-010-0009', verifiedName: 'Sin tier', wabaId: WABA_ID, tier: 'TIER_2K' as const }
    const sim = await startSimulator({
      phoneNumbers: [
        { ...base, id: '100000000000009', tierFields: [] },
        { ...base, id: '100000000000008', tierFields: ['messaging_limit_tier'] },
      ],
    })
    running.push(sim)
    const fields = 'whatsapp_business_manager_messaging_limit,messaging_limit_tier,quality_rating'
    expect((await get(`${sim.url}/v25.0/100000000000009?fields=${fields}`)).body).toEqual({ quality_rating: 'GREEN', id: '100000000000009' })
    expect((await get(`${sim.url}/v25.0/100000000000008?fields=${fields}`)).body).toEqual({
      messaging_limit_tier: 'TIER_2K',
      quality_rating: 'GREEN',
      id: '100000000000008',
    })
  })
})

describe('GET /{waba-id}/phone_numbers', () => {
  it('lists the WABA’s numbers, and answers a WABA it does not know with Meta’s error envelope', async () => {
    const sim = await start()
    expect((await get(`${sim.url}/v25.0/${WABA_ID}/phone_numbers?fields=id`)).body.data).toEqual([{ id: PHONE_ID }])
    const unknown = await get(`${sim.url}/v25.0/299999999999999/phone_numbers?fields=id`)
    expect(unknown.status).toBe(400)
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' })
    expect(unknown.body.error?.message).toContain('299999999999999')
  })
})

describe('GET /{waba-id}/message_templates', () => {
  it('pages through every template, with paging.next on the simulator origin only while more remain', async () => {
    const sim = await start()
    let url: string | undefined = `${sim.url}/v25.0/${WABA_ID}/message_templates?limit=2&fields=name,language,status`
    const names: string[] = []
    let pages = 0
    while (url) {
      const reply = await get(url)
      expect(reply.status).toBe(200)
      names.push(...(reply.body.data ?? []).map((t) => `${String(t.name)}/${String(t.language)}`))
      expect(Object.keys(reply.body.data?.[0] ?? {}).sort()).toEqual(['id', 'language', 'name', 'status'])
      url = reply.body.paging?.next
      if (url) expect(url.startsWith(`${sim.url}/v25.0/${WABA_ID}/message_templates?`)).toBe(true)
      pages++
    }
    expect(pages).toBe(3)
    expect(names).toEqual(sim.templates().map((t) => `${t.name}/${t.language}`))
  })

  it('defaults to 25 per page, with all fields, and no next when everything fits', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      name: `t_${i}`,
      language: 'es',
      status: 'APPROVED' as const,
      category: 'UTILITY' as const,
      parameterFormat: 'POSITIONAL' as const,
      components: [{ type: 'BODY' as const, text: 'Hola {{1}}' }],
    }))
    const sim = await start(many)
    const first = await get(`${sim.url}/v25.0/${WABA_ID}/message_templates`)
    expect(first.body.data).toHaveLength(25)
    expect(first.body.data?.[0]).toMatchObject({ name: 't_0', parameter_format: 'POSITIONAL', category: 'UTILITY', components: many[0].components })
    const second = await get(first.body.paging?.next ?? '')
    expect(second.body.data).toHaveLength(5)
    expect(second.body.paging?.next).toBeUndefined()
  })

  it('filters by status and by name', async () => {
    const sim = await start()
    const approved = await get(`${sim.url}/v25.0/${WABA_ID}/message_templates?status=APPROVED&fields=name,status`)
    expect(approved.body.data?.every((t) => t.status === 'APPROVED')).toBe(true)
    expect(approved.body.data?.map((t) => t.name)).not.toContain('oferta_pausada')

    const paused = await get(`${sim.url}/v25.0/${WABA_ID}/message_templates?status=paused`)
    expect(paused.body.data?.map((t) => t.name)).toEqual(['oferta_pausada'])

    const byName = await get(`${sim.url}/v25.0/${WABA_ID}/message_templates?name=promo_verano`)
    expect(byName.body.data).toHaveLength(1)
    expect(byName.body.data?.[0]).toMatchObject({ name: 'promo_verano', language: 'es', category: 'MARKETING' })
    expect(String((byName.body.data?.[0].components as { text?: string }[])[0].text)).toMatch(/^Hola \{\{1\}\}, tenemos \{\{2\}\} para ti/)

    const none = await get(`${sim.url}/v25.0/${WABA_ID}/message_templates?name=nothing_like_this`)
    expect(none.body).toEqual({ data: [] })
  })

  it('rejects a cursor it did not issue', async () => {
    const sim = await start()
    const reply = await get(`${sim.url}/v25.0/${WABA_ID}/message_templates?after=garbage`)
    expect(reply.body.error?.code).toBe(100)
    expect(reply.body.error?.error_data?.details).toContain('Invalid cursor')
  })
})

describe('runSimulatorCli', () => {
  it('prints the URL, token and demo number, serves until aborted, then stops', async () => {
    const lines: string[] = []
    const controller = new AbortController()
    const done = runSimulatorCli({ port: '0', latency: '0', failRate: '0' }, { print: (l) => lines.push(l), signal: controller.signal })
    await expect.poll(() => lines.some((l) => l.includes('Press Ctrl+C'))).toBe(true)
    const url = /listening on (\S+)/.exec(lines[0])?.[1] ?? ''
    expect(lines.join('\n')).toContain('sim-token')
    expect(lines.join('\n')).toContain(PHONE_ID)
    expect((await post(url, promo('+573001234567'))).status).toBe(200)

    controller.abort()
    await done
    await expect(post(url, promo('+573001234567'))).rejects.toThrow()
  })

  it('explains an invalid option', async () => {
    await expect(runSimulatorCli({ failRate: '3' })).rejects.toThrow('--fail-rate 3 is not valid')
    await expect(runSimulatorCli({ webhookUrl: 'http://127.0.0.1:9/x' })).rejects.toThrow('--app-secret')
    await expect(runSimulatorCli({ failRate: '0.1', failDelivery: 'later' })).rejects.toThrow('use sync (an error answer) or webhook')
    await expect(runSimulatorCli({ failRate: '0.1', failDelivery: 'webhook' })).rejects.toThrow('--fail-delivery webhook needs --webhook-url')
    await expect(runSimulatorCli({ failRate: '0.1', failDelivery: 'webhook', failDelay: '9-1', webhookUrl: 'http://127.0.0.1:9/x', appSecret: 's' })).rejects.toThrow(
      '--fail-delay 9-1 is not valid',
    )
    await expect(runSimulatorCli({ retryAfter: '0' })).rejects.toThrow('--retry-after 0 is not valid')
    await expect(runSimulatorCli({ webhookBatch: '0', webhookUrl: 'http://127.0.0.1:9/x', appSecret: 's' })).rejects.toThrow('--webhook-batch 0 is not valid')
  })

  it('turns the strictness flags into simulator options', () => {
    const options = simulatorOptionsFromArgs({
      failRate: '0.6',
      failCode: '131026',
      failDelivery: 'webhook',
      failDelay: '2000-30000',
      webhookUrl: 'http://127.0.0.1:8787/webhook',
      appSecret: 's',
      webhookBatch: '1',
      sparseStatuses: '0.3',
      sparseErrors: true,
      retryAfter: '30',
      regainMinutes: '15',
    })
    expect(options.failures).toEqual([{ code: 131026, rate: 0.6, delivery: 'webhook', delayMs: { min: 2000, max: 30000 } }])
    expect(options.webhook).toMatchObject({ batchSize: 1, sparseStatusRate: 0.3 })
    expect(options.sparseErrors).toBe(true)
    expect(options.throttle).toEqual({ retryAfterSeconds: 30, regainAccessMinutes: 15 })
  })
})
