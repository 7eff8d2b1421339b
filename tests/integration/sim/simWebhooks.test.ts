// The simulator's signed webhooks, received by a real HTTP server that checks the HMAC over the raw bytes.

import { afterEach, describe, expect, it } from 'vitest'
import { serializeForSigning, startSimulator, type Simulator, type SimulatorOptions, type WebhookOptions } from '../../../src/sim'
import { parseWebhook } from '../../../src/main/whatsapp/webhook'
import { PHONE_ID, WABA_ID, get, hasValidSignature, post, promo, startReceiver, statusesOf } from './helpers'

const SECRET = 'app-secret-for-tests'
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
})

async function setup(webhook: Partial<WebhookOptions> = {}, extra: Pick<SimulatorOptions, 'failRecipients' | 'failures'> = {}) {
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

describe('failures delivered only by status webhook', () => {
  const ASYNC_ON_META = [131026, 131047, 131049, 131050, 130472]

  it('accepts the send with 200 and a wamid, then posts a signed failed status with the full error after the delay', async () => {
    const { sim, receiver } = await setup({}, { failures: [{ code: 131026, rate: 1, delivery: 'webhook', delayMs: { min: 300, max: 400 } }] })
    const sentAt = Date.now()
    const reply = await post(sim.url, promo('+573001234567', { biz_opaque_callback_data: 'row-7' }))
    expect(reply.status).toBe(200)
    const wamid = reply.body.messages?.[0].id ?? ''
    expect(wamid).toMatch(/^wamid\./)
    expect(reply.body.messages?.[0].message_status).toBe('accepted')
    expect(sim.sentMessages.get(wamid)?.webhookFailure).toBe(131026)
    await sim.flushWebhooks()

    expect(receiver.received).toHaveLength(1)
    const [hook] = receiver.received
    expect(hasValidSignature(hook, SECRET)).toBe(true)
    expect(hook.receivedAt - sentAt).toBeGreaterThanOrEqual(300)
    const [status] = statusesOf(receiver.received)
    expect(status).toMatchObject({ id: wamid, status: 'failed', recipient_id: '573001234567', biz_opaque_callback_data: 'row-7' })
    expect(status.errors).toEqual([
      {
        code: 131026,
        title: 'Message undeliverable',
        message: 'Message undeliverable',
        error_data: { details: 'Message Undeliverable.' },
        href: '/documentation/business-messaging/whatsapp/support/error-codes',
      },
    ])
  })

  it.each(ASYNC_ON_META)('reports %i with its own title and details when delivered by webhook', async (code) => {
    const { sim, receiver } = await setup({}, { failures: [{ code, rate: 1, delivery: 'webhook' }] })
    const reply = await post(sim.url, promo('+573001234567'))
    expect(reply.status).toBe(200)
    await sim.flushWebhooks()
    const [status] = statusesOf(receiver.received)
    expect(status.status).toBe('failed')
    expect(status.errors?.[0].code).toBe(code)
    expect(status.errors?.[0].title).not.toBe('Simulated error')
    expect(status.errors?.[0].message).toBe(status.errors?.[0].title)
    expect(status.errors?.[0].error_data?.details.length).toBeGreaterThan(0)
  })

  it('still answers the same code synchronously when the rule says sync, and posts no status for it', async () => {
    const { sim, receiver } = await setup({}, { failures: [{ code: 131026, rate: 1, delivery: 'sync' }] })
    const reply = await post(sim.url, promo('+573001234567'))
    expect(reply.status).toBe(400)
    expect(reply.body.error).toMatchObject({ code: 131026, message: '(#131026) Message undeliverable' })
    await sim.flushWebhooks()
    expect(receiver.received).toHaveLength(0)
  })

  it('lets each rule choose: some sends fail at once, others are accepted and fail later, the rest are delivered', async () => {
    const { sim, receiver } = await setup(
      { readRate: 0 },
      {
        failures: [
          { code: 131000, rate: 0.25, delivery: 'sync' },
          { code: 131049, rate: 0.4, delivery: 'webhook', delayMs: 50 },
        ],
      },
    )
    const replies = await Promise.all(Array.from({ length: 80 }, (_, i) => post(sim.url, promo(`+57300${String(i).padStart(7, '0')}`))))
    await sim.flushWebhooks()
    const refused = replies.filter((r) => r.status !== 200)
    expect(refused.length).toBeGreaterThan(0)
    expect(refused.every((r) => r.body.error?.code === 131000)).toBe(true)

    const statuses = statusesOf(receiver.received)
    const acceptedIds = replies.flatMap((r) => r.body.messages?.map((m) => m.id) ?? [])
    const failedIds = new Set(statuses.filter((s) => s.status === 'failed').map((s) => s.id))
    expect(failedIds.size).toBeGreaterThan(0)
    for (const id of acceptedIds) {
      const expected = sim.sentMessages.get(id)?.webhookFailure
      if (expected === 131049) {
        expect(statuses.filter((s) => s.id === id).map((s) => s.status)).toEqual(['failed'])
      } else {
        expect(expected).toBeNull()
        expect(statuses.filter((s) => s.id === id).map((s) => s.status).sort()).toEqual(['delivered', 'sent'])
      }
    }
    expect(failedIds.size + refused.length).toBeLessThan(80)
  })

  it('refuses a webhook-delivered rule when it has nowhere to post the failure, saying what to add', async () => {
    await expect(startSimulator({ failures: [{ code: 131026, rate: 1, delivery: 'webhook' }] })).rejects.toThrow(
      'start the simulator with webhook { url, appSecret, statuses: true }',
    )
    const sim = await startSimulator({})
    cleanups.push(() => sim.stop())
    expect(() => sim.setFailures([{ code: 131026, rate: 1, delivery: 'webhook' }])).toThrow('delivered by webhook')
    expect(() => sim.setFailures([{ code: 131026, rate: 2 }])).toThrow('rate between 0 and 1')
  })
})

describe('status webhooks shaped as Meta sends them', () => {
  it('posts each status alone with batchSize 1, all signed', async () => {
    const { sim, receiver } = await setup({ readRate: 0, batchSize: 1 })
    await sendMany(sim, 6)
    await sim.flushWebhooks()
    expect(receiver.received).toHaveLength(12)
    for (const hook of receiver.received) {
      expect(hasValidSignature(hook, SECRET)).toBe(true)
      expect(hook.json.entry[0].changes[0].value.statuses).toHaveLength(1)
    }
  })

  it('leaves out pricing, conversation and the callback data on every status with sparseStatusRate 1', async () => {
    const { sim, receiver } = await setup({ readRate: 1, sparseStatusRate: 1 })
    const replies = await Promise.all(
      Array.from({ length: 5 }, (_, i) => post(sim.url, promo(`+5730000000${i}`, { biz_opaque_callback_data: `row-${i}` }), { path: `/v23.0/${PHONE_ID}/messages` })),
    )
    expect(replies.every((r) => r.status === 200)).toBe(true)
    await sim.flushWebhooks()
    const statuses = statusesOf(receiver.received)
    expect(statuses).toHaveLength(15)
    for (const status of statuses) {
      expect(Object.keys(status).sort()).toEqual(['id', 'recipient_id', 'status', 'timestamp'])
    }
  })

  it('sends some statuses whole and some bare with a sparseStatusRate between 0 and 1', async () => {
    const { sim, receiver } = await setup({ readRate: 0, sparseStatusRate: 0.5 })
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(sim.url, promo(`+573000000${String(i).padStart(2, '0')}`, { biz_opaque_callback_data: 'c' }), { path: `/v23.0/${PHONE_ID}/messages` })),
    )
    await sim.flushWebhooks()
    const statuses = statusesOf(receiver.received)
    const whole = statuses.filter((s) => s.pricing && s.conversation && s.biz_opaque_callback_data === 'c')
    const bare = statuses.filter((s) => !s.pricing && !s.conversation && s.biz_opaque_callback_data === undefined)
    expect(whole.length).toBeGreaterThan(0)
    expect(bare.length).toBeGreaterThan(0)
    expect(whole.length + bare.length).toBe(statuses.length)
  })

  it('posts failed statuses with only code and message in errors[] when sparseErrors is on, which our parser reads', async () => {
    const receiver = await startReceiver()
    const sim = await startSimulator({
      seed: 3,
      sparseErrors: true,
      failures: [{ code: 131049, rate: 1, delivery: 'webhook' }],
      webhook: { url: receiver.url, appSecret: SECRET, statuses: true, deliverDelayMs: 20, sparseStatusRate: 1 },
    })
    cleanups.push(() => sim.stop(), () => receiver.close())
    const reply = await post(sim.url, promo('+573001234567', { biz_opaque_callback_data: 'row-1' }))
    await sim.flushWebhooks()
    const [status] = statusesOf(receiver.received)
    expect(status.errors).toEqual([{ code: 131049, message: 'This message was not delivered to maintain healthy ecosystem engagement.' }])

    const parsed = parseWebhook(receiver.received[0].json)
    expect(parsed.statuses).toEqual([
      expect.objectContaining({
        wamid: reply.body.messages?.[0].id,
        status: 'failed',
        callbackId: null,
        errorCode: 131049,
        errorMessage: 'This message was not delivered to maintain healthy ecosystem engagement.',
        recipientWaId: '573001234567',
        phoneNumberId: PHONE_ID,
      }),
    ])
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
