// The simulator's signed webhooks, received by a real HTTP server that checks the HMAC over the raw bytes.

import { afterEach, describe, expect, it } from 'vitest'
import { serializeForSigning, startSimulator, type Simulator, type WebhookOptions } from '../../../src/sim'
import { PHONE_ID, WABA_ID, get, hasValidSignature, post, promo, startReceiver, statusesOf } from './helpers'

const SECRET = 'app-secret-for-tests'
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
})

async function setup(webhook: Partial<WebhookOptions> = {}, extra: { failRecipients?: Record<string, number> } = {}) {
  const receiver = await startReceiver()
  const sim = await startSimulator({
    seed: 11,
    enforceThroughput: false,
    webhook: { url: receiver.url, appSecret: SECRET, statuses: true, deliverDelayMs: 20, ...webhook },
    ...extra,
  })
  cleanups.push(() => sim.stop(), () => receiver.close())
  return { sim, receiver }
}

async function sendMany(sim: Simulator, n: number, extra: Record<string, unknown> = {}): Promise<string[]> {
  const replies = await Promise.all(Array.from({ length: n }, (_, i) => post(sim.url, promo(`+57300${String(i).padStart(7, '0')}`, extra))))
  return replies.map((r) => r.body.messages?.[0].id ?? '')
}

describe('status webhooks', () => {
  it('posts signed, batched sent → delivered → read statuses with string timestamps, pricing and the callback data', async () => {
    const { sim, receiver } = await setup({ readRate: 1, batchSize: 7 })
    const wamids = await sendMany(sim, 20, { biz_opaque_callback_data: 'campaña-1' })
    await sim.flushWebhooks()

    expect(receiver.received.length).toBeGreaterThan(0)
    for (const hook of receiver.received) {
      expect(hasValidSignature(hook, SECRET)).toBe(true)
      expect(hook.raw.every((byte) => byte < 0x80)).toBe(true)
      expect(hook.raw.toString()).toContain('campa\\u00f1a-1')
      expect(hook.json.object).toBe('whatsapp_business_account')
      expect(hook.json.entry[0].id).toBe(WABA_ID)
      expect(hook.json.entry[0].changes[0].field).toBe('messages')
      const value = hook.json.entry[0].changes[0].value
      expect(value.messaging_product).toBe('whatsapp')
      expect(value.metadata).toEqual({ display_phone_number: '15550100001', phone_number_id: PHONE_ID })
      expect(value.statuses?.length).toBeLessThanOrEqual(7)
    }

    const statuses = statusesOf(receiver.received)
    for (const wamid of wamids) {
      const mine = statuses.filter((s) => s.id === wamid)
      expect(mine.map((s) => s.status).sort()).toEqual(['delivered', 'read', 'sent'])
      const sent = mine.find((s) => s.status === 'sent')
      expect(sent?.pricing).toEqual({ billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' })
      expect(mine.filter((s) => s.pricing).length).toBe(2)
      expect(sent?.recipient_id).toMatch(/^57300\d{7}$/)
      for (const status of mine) {
        expect(status.timestamp).toMatch(/^\d{10}$/)
        expect(status.biz_opaque_callback_data).toBe('campaña-1')
      }
    }
  })

  it('posts a failed status with errors[] and href, and no sent, for an async failure', async () => {
    const { sim, receiver } = await setup({}, { failRecipients: { '573001234567': 131026 } })
    const reply = await post(sim.url, promo('+573001234567'))
    expect(reply.status).toBe(200)
    await sim.flushWebhooks()

    const statuses = statusesOf(receiver.received)
    expect(statuses.map((s) => s.status)).toEqual(['failed'])
    expect(statuses[0].id).toBe(reply.body.messages?.[0].id)
    expect(statuses[0].errors?.[0]).toMatchObject({
      code: 131026,
      title: 'Message undeliverable',
      message: 'Message undeliverable',
      href: '/documentation/business-messaging/whatsapp/support/error-codes',
    })
  })

  it('injects async failures from the failures list as failed statuses', async () => {
    const { sim, receiver } = await setup()
    sim.setFailures([{ code: 131049, rate: 1, async: true }])
    await sendMany(sim, 5)
    await sim.flushWebhooks()
    const statuses = statusesOf(receiver.received)
    expect(statuses).toHaveLength(5)
    expect(statuses.every((s) => s.status === 'failed' && s.errors?.[0].code === 131049)).toBe(true)
  })

  it('retries a POST that was not answered with 200', async () => {
    const { sim, receiver } = await setup({ readRate: 0 })
    receiver.failNext(2)
    const [wamid] = await sendMany(sim, 1)
    await sim.flushWebhooks()
    expect(statusesOf(receiver.received).filter((s) => s.id === wamid).map((s) => s.status).sort()).toEqual(['delivered', 'sent'])
    expect(sim.droppedWebhooks).toBe(0)
  })

  it('drops a POST after its bounded attempts', async () => {
    const { sim, receiver } = await setup({ readRate: 0, maxAttempts: 2, batchSize: 1000 })
    receiver.failNext(1000)
    await sendMany(sim, 1)
    await sim.flushWebhooks()
    expect(receiver.received).toHaveLength(0)
    expect(sim.droppedWebhooks).toBeGreaterThanOrEqual(1)
  })

  it('skips delivered for read messages, putting the pricing on read', async () => {
    const { sim, receiver } = await setup({ readRate: 1, skipDelivered: true })
    await sendMany(sim, 10)
    await sim.flushWebhooks()
    const statuses = statusesOf(receiver.received)
    expect(statuses.filter((s) => s.status === 'delivered')).toHaveLength(0)
    expect(statuses.filter((s) => s.status === 'read' && s.pricing)).toHaveLength(10)
  })

  it('posts some statuses twice when duplicates are on, and may deliver read before delivered when reordering', async () => {
    const { sim, receiver } = await setup({ readRate: 1, duplicates: true, reorder: true, deliverDelayMs: 30 })
    await sendMany(sim, 60)
    await sim.flushWebhooks()
    const statuses = statusesOf(receiver.received)
    const keys = statuses.map((s) => `${s.id}:${s.status}`)
    expect(new Set(keys).size).toBe(180)
    expect(keys.length).toBeGreaterThan(180)

    const readSeen = new Set<string>()
    const deliveredSeen = new Set<string>()
    const outOfOrder = statuses.filter((s) => {
      if (s.status === 'read') readSeen.add(s.id)
      if (s.status !== 'delivered' || deliveredSeen.has(s.id)) return false
      deliveredSeen.add(s.id)
      return readSeen.has(s.id)
    })
    expect(outOfOrder.length).toBeGreaterThan(0)
  })
})

describe('injected events', () => {
  it('posts a signed inbound text and a quick-reply tap tied to the template message', async () => {
    const { sim, receiver } = await setup({ statuses: false })
    const [templateWamid] = await sendMany(sim, 1)
    const textId = await sim.injectInbound({ from: '573001234567', text: 'Hola, ¿tienen envíos?' })
    await sim.injectInbound({ from: '+57 300 123 4567', buttonPayload: 'No recibir más', contextWamid: templateWamid })

    expect(receiver.received).toHaveLength(2)
    expect(receiver.received.every((h) => hasValidSignature(h, SECRET))).toBe(true)
    const [text, button] = receiver.received.map((h) => h.json.entry[0].changes[0].value)
    expect(text.contacts?.[0].wa_id).toBe('573001234567')
    expect(text.messages?.[0]).toMatchObject({ from: '573001234567', id: textId, type: 'text', text: { body: 'Hola, ¿tienen envíos?' } })
    expect(text.messages?.[0].timestamp).toMatch(/^\d{10}$/)
    expect(button.messages?.[0]).toMatchObject({
      type: 'button',
      button: { payload: 'No recibir más', text: 'No recibir más' },
      context: { from: '15550100001', id: templateWamid },
    })
  })

  it('pauses a template with a status update webhook, after which sends fail', async () => {
    const { sim, receiver } = await setup({ statuses: false })
    await sim.injectTemplateStatus('promo_verano', 'PAUSED')
    const change = receiver.received[0].json.entry[0].changes[0]
    expect(change.field).toBe('message_template_status_update')
    expect(change.value).toMatchObject({ event: 'PAUSED', message_template_name: 'promo_verano', message_template_language: 'es', reason: 'NONE' })
    expect(typeof change.value.message_template_id).toBe('number')
    expect((await post(sim.url, promo('+573001234567'))).body.error?.code).toBe(132015)

    await sim.injectTemplateStatus('promo_verano', 'REINSTATED')
    expect((await post(sim.url, promo('+573001234567'))).status).toBe(200)
  })

  it('posts a signed phone_number_quality_update and changes the number’s tier and quality as Graph reads them', async () => {
    const { sim, receiver } = await setup({ statuses: false })
    const phone = sim.phoneNumbers[0]
    await sim.injectQualityUpdate(phone.id, { event: 'DOWNGRADE', currentLimit: 'TIER_250' })
    const first = receiver.received[0]
    expect(hasValidSignature(first, SECRET)).toBe(true)
    expect(first.json.entry[0].id).toBe(phone.wabaId)
    expect(first.json.entry[0].changes[0]).toEqual({
      field: 'phone_number_quality_update',
      value: {
        display_phone_number: phone.displayPhoneNumber.replace(/\D/g, ''),
        event: 'DOWNGRADE',
        old_limit: 'TIER_UNLIMITED',
        current_limit: 'TIER_250',
        max_daily_conversations_per_business: 'TIER_250',
      },
    })
    await sim.injectQualityUpdate(phone.id, { event: 'FLAGGED' })
    expect(receiver.received[1].json.entry[0].changes[0].value).toMatchObject({ event: 'FLAGGED', current_limit: 'TIER_250' })
    expect(receiver.received[1].json.entry[0].changes[0].value).not.toHaveProperty('old_limit')
    const read = await get(`${sim.url}/v25.0/${phone.id}?fields=quality_rating,whatsapp_business_manager_messaging_limit`)
    expect(read.body).toMatchObject({ quality_rating: 'RED', whatsapp_business_manager_messaging_limit: 'TIER_250' })
  })

  it('explains that injection needs the webhook option', async () => {
    const sim = await startSimulator({})
    cleanups.push(() => sim.stop())
    await expect(sim.injectInbound({ from: '573001234567', text: 'hola' })).rejects.toThrow('needs the webhook option')
  })
})

describe('serializeForSigning', () => {
  it('escapes every code unit above U+007F, surrogate pairs included, and stays valid JSON', () => {
    const payload = { text: 'ñandú 😀', plain: 'abc' }
    const bytes = serializeForSigning(payload)
    expect(bytes.toString()).toBe('{"text":"\\u00f1and\\u00fa \\ud83d\\ude00","plain":"abc"}')
    expect(JSON.parse(bytes.toString())).toEqual(payload)
  })
})
