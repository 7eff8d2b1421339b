// Webhooks: signatures over raw bytes, the GET handshake, parsing the reference's payloads, and STOP detection.

import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isStopMessage, isStopReply, parseQualityUpdates, parseWebhook, verifyHandshake, verifySignature } from '../../../src/main/whatsapp/webhook'

const SECRET = 'app-secret-123'
const sign = (raw: Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`

const envelope = (field: string, value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field, value }] }],
})
const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' }

describe('verifySignature', () => {
  const raw = Buffer.from(JSON.stringify(envelope('messages', { metadata, statuses: [] })))

  it('accepts the signature Meta computes over the raw body', () => {
    expect(verifySignature(raw, sign(raw), SECRET)).toBe(true)
  })

  it('accepts an upper-case hex digest', () => {
    expect(verifySignature(raw, sign(raw).toUpperCase().replace('SHA256=', 'sha256='), SECRET)).toBe(true)
  })

  it('rejects a signature made with another secret', () => {
    expect(verifySignature(raw, sign(raw, 'forged'), SECRET)).toBe(false)
  })

  it('rejects a body changed after signing', () => {
    const tampered = Buffer.from(raw.toString().replace('106540352242922', '999'))
    expect(verifySignature(tampered, sign(raw), SECRET)).toBe(false)
  })

  it('rejects an unsigned request, a malformed header and an empty secret', () => {
    expect(verifySignature(raw, undefined, SECRET)).toBe(false)
    expect(verifySignature(raw, '', SECRET)).toBe(false)
    expect(verifySignature(raw, 'sha256=abc', SECRET)).toBe(false)
    expect(verifySignature(raw, sign(raw).replace('sha256=', 'sha1='), SECRET)).toBe(false)
    expect(verifySignature(raw, sign(raw, ''), '')).toBe(false)
  })

  it('rejects a non-ASCII body re-serialised by a JSON parser instead of the bytes Meta signed', () => {
    // Meta escapes non-ASCII as \uXXXX in the bytes it signs; JSON.parse + stringify writes the characters instead.
    const metaBytes = Buffer.from('{"text":{"body":"Hola, \\u00bfqu\\u00e9 tal? \\ud83d\\ude00"}}')
    const header = sign(metaBytes)
    expect(verifySignature(metaBytes, header, SECRET)).toBe(true)
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(metaBytes.toString('utf8'))))
    expect(reserialised.equals(metaBytes)).toBe(false)
    expect(verifySignature(reserialised, header, SECRET)).toBe(false)
  })
})

describe('verifyHandshake', () => {
  it('returns the challenge when the verify token matches', () => {
    expect(verifyHandshake({ 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': 'tok' }, 'tok')).toBe('1158201444')
  })

  it('returns null for a wrong token, another mode, or missing fields', () => {
    expect(verifyHandshake({ 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': 'nope' }, 'tok')).toBeNull()
    expect(verifyHandshake({ 'hub.mode': 'unsubscribe', 'hub.challenge': '1', 'hub.verify_token': 'tok' }, 'tok')).toBeNull()
    expect(verifyHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'tok' }, 'tok')).toBeNull()
    expect(verifyHandshake({ 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': '' }, '')).toBeNull()
  })
})

describe('parseWebhook', () => {
  it('reads a sent status with its callback data and time in ms', () => {
    const parsed = parseWebhook(
      envelope('messages', {
        messaging_product: 'whatsapp',
        metadata,
        statuses: [
          {
            id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
            status: 'sent',
            timestamp: '1750030073',
            recipient_id: '16505551234',
            biz_opaque_callback_data: 'rcp_42',
            conversation: { id: '72b1', expiration_timestamp: '1750116480', origin: { type: 'marketing' } },
            pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
          },
        ],
      }),
    )
    expect(parsed.statuses).toEqual([
      {
        wamid: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        callbackId: 'rcp_42',
        status: 'sent',
        at: 1_750_030_073_000,
        errorCode: null,
        errorMessage: null,
        recipientWaId: '16505551234',
        phoneNumberId: '106540352242922',
      },
    ])
    expect(parsed.inbound).toEqual([])
  })

  it('reads a read status without a callback', () => {
    const parsed = parseWebhook(envelope('messages', { metadata, statuses: [{ id: 'wamid.A', status: 'read', timestamp: '1750030073', recipient_id: '16505551234' }] }))
    expect(parsed.statuses).toMatchObject([{ wamid: 'wamid.A', status: 'read', callbackId: null }])
  })

  it('reads a failed status with its error code and message', () => {
    const parsed = parseWebhook(
      envelope('messages', {
        metadata,
        statuses: [
          {
            id: 'wamid.F',
            status: 'failed',
            timestamp: '1751142888',
            recipient_id: '16505551234',
            errors: [
              {
                code: 131049,
                title: 'This message was not delivered to maintain healthy ecosystem engagement.',
                message: 'This message was not delivered to maintain healthy ecosystem engagement.',
                error_data: { details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.' },
                href: '/documentation/business-messaging/whatsapp/support/error-codes',
              },
            ],
          },
        ],
      }),
    )
    expect(parsed.statuses[0]).toMatchObject({
      status: 'failed',
      errorCode: 131049,
      errorMessage: expect.stringContaining('healthy ecosystem engagement'),
      at: 1_751_142_888_000,
    })
  })

  it('reads an inbound STOP text', () => {
    const parsed = parseWebhook(
      envelope('messages', {
        metadata,
        contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
        messages: [{ from: '16505551234', id: 'wamid.IN', timestamp: '1749416383', type: 'text', text: { body: 'STOP' } }],
      }),
    )
    expect(parsed.inbound).toEqual([
      {
        id: 'wamid.IN',
        from: '16505551234',
        phoneNumberId: '106540352242922',
        at: 1_749_416_383_000,
        type: 'text',
        text: 'STOP',
        payload: null,
        contextId: null,
      },
    ])
    expect(isStopReply(parsed.inbound[0])).toBe(true)
  })

  it('reads a quick-reply tap with its payload and the wamid it answers', () => {
    const parsed = parseWebhook(
      envelope('messages', {
        metadata,
        messages: [
          {
            context: { from: '15550783881', id: 'wamid.OURS' },
            from: '16505551234',
            id: 'wamid.TAP',
            timestamp: '1750091045',
            type: 'button',
            button: { payload: 'Unsubscribe', text: 'Unsubscribe' },
          },
        ],
      }),
    )
    expect(parsed.inbound[0]).toMatchObject({ type: 'button', text: 'Unsubscribe', payload: 'Unsubscribe', contextId: 'wamid.OURS' })
    expect(isStopReply(parsed.inbound[0])).toBe(true)
  })

  it('reads interactive button and list replies', () => {
    const parsed = parseWebhook(
      envelope('messages', {
        metadata,
        messages: [
          { from: '1', id: 'wamid.B', timestamp: '1', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'cancel-button', title: 'Cancel' } } },
          { from: '1', id: 'wamid.L', timestamp: '1', type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'opt-2', title: 'Dos', description: 'x' } } },
        ],
      }),
    )
    expect(parsed.inbound.map((m) => [m.text, m.payload])).toEqual([
      ['Cancel', 'cancel-button'],
      ['Dos', 'opt-2'],
    ])
  })

  it('reads a user_preferences stop, with its integer timestamp, and ignores resume', () => {
    const parsed = parseWebhook(
      envelope('user_preferences', {
        messaging_product: 'whatsapp',
        metadata,
        contacts: [{ wa_id: '16505551234' }],
        user_preferences: [
          { wa_id: '16505551234', detail: 'User requested to stop marketing messages', category: 'marketing_messages', value: 'stop', timestamp: 1731705721 },
          { wa_id: '16505550000', category: 'marketing_messages', value: 'resume', timestamp: 1731705722 },
        ],
      }),
    )
    expect(parsed.optOuts).toEqual([
      { waId: '16505551234', phoneNumberId: '106540352242922', at: 1_731_705_721_000, category: 'marketing_messages' },
    ])
  })

  it('reads a template status update with the WABA id from the entry', () => {
    const parsed = parseWebhook(
      envelope('message_template_status_update', {
        event: 'PAUSED',
        message_template_id: 1304694804498707,
        message_template_name: 'promo_mayo',
        message_template_language: 'es_CO',
        reason: null,
        other_info: { title: 'FIRST_PAUSE' },
      }),
    )
    expect(parsed.templateEvents).toEqual([
      { event: 'PAUSED', templateName: 'promo_mayo', templateId: '1304694804498707', language: 'es_CO', wabaId: '102290129340398', reason: null },
    ])
  })

  it('reads several entries and changes in one POST', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        { id: 'w1', changes: [{ field: 'messages', value: { metadata, statuses: [{ id: 'wamid.1', status: 'delivered', timestamp: '2' }] } }] },
        {
          id: 'w2',
          changes: [
            { field: 'messages', value: { metadata, statuses: [{ id: 'wamid.2', status: 'sent', timestamp: '3' }, { id: 'wamid.3', status: 'read', timestamp: '4' }] } },
            { field: 'phone_number_quality_update', value: { event: 'THROUGHPUT_UPGRADE' } },
          ],
        },
      ],
    }
    expect(parseWebhook(body).statuses.map((s) => s.wamid)).toEqual(['wamid.1', 'wamid.2', 'wamid.3'])
  })

  it('never throws on odd shapes and keeps what it could read', () => {
    const odd: unknown[] = [null, undefined, 42, 'text', [], {}, { entry: 'x' }, { entry: [null, 1, { changes: {} }] }, { entry: [{ changes: [null, { field: 'messages' }, { field: 'messages', value: [] }] }] }]
    for (const body of odd) {
      expect(parseWebhook(body)).toEqual({ statuses: [], inbound: [], optOuts: [], templateEvents: [] })
    }
    const mixed = parseWebhook(
      envelope('messages', {
        metadata: 'not an object',
        statuses: [null, { status: 'sent' }, { id: 'wamid.P', status: 'played' }, { id: 'wamid.OK', status: 'delivered', timestamp: 'soon', errors: 'none' }],
        messages: [{ type: 'text' }, { id: 'wamid.U', type: 'unsupported', errors: [{ code: 131051 }] }],
      }),
      5_000,
    )
    expect(mixed.statuses).toEqual([
      { wamid: 'wamid.OK', callbackId: null, status: 'delivered', at: 5_000, errorCode: null, errorMessage: null, recipientWaId: null, phoneNumberId: null },
    ])
    expect(mixed.inbound).toMatchObject([{ id: 'wamid.U', type: 'unsupported', text: null, payload: null, from: null, at: 5_000 }])
  })
})

describe('parseQualityUpdates', () => {
  const quality = (value: unknown, wabaId: unknown = '102290129340398') => ({
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, time: 1_700_000_000, changes: [{ field: 'phone_number_quality_update', value }] }],
  })

  it('reads a downgrade with its WABA, the number’s digits and the new tier', () => {
    const body = quality({ display_phone_number: '15550783881', event: 'DOWNGRADE', old_limit: 'TIER_1K', current_limit: 'TIER_250' })
    expect(parseQualityUpdates(body)).toEqual([{ wabaId: '102290129340398', displayPhoneNumber: '15550783881', event: 'DOWNGRADE', tier: 'TIER_250' }])
  })

  it('prefers max_daily_conversations_per_business, written as a tier or as a number', () => {
    const named = quality({ display_phone_number: '1 555 078 3881', event: 'ONBOARDING', current_limit: 'TIER_250', max_daily_conversations_per_business: 'TIER_2K' })
    expect(parseQualityUpdates(named)[0]).toMatchObject({ displayPhoneNumber: '15550783881', tier: 'TIER_2K' })
    const numeric = quality({ display_phone_number: '15550783881', event: 'THROUGHPUT_UPGRADE', max_daily_conversations_per_business: 2000 })
    expect(parseQualityUpdates(numeric)[0].tier).toBe('TIER_2K')
    const unlimited = quality({ display_phone_number: '15550783881', event: 'upgrade', max_daily_conversations_per_business: -1 })
    expect(parseQualityUpdates(unlimited)[0]).toMatchObject({ event: 'UPGRADE', tier: 'TIER_UNLIMITED' })
  })

  it('keeps a FLAGGED event without a readable limit, and skips what it cannot read', () => {
    const flagged = quality({ display_phone_number: '15550783881', event: 'FLAGGED', current_limit: 'TIER_NOT_SET' })
    expect(parseQualityUpdates(flagged)).toEqual([{ wabaId: '102290129340398', displayPhoneNumber: '15550783881', event: 'FLAGGED', tier: null }])
    expect(parseQualityUpdates(quality({ display_phone_number: '15550783881' }))).toEqual([])
    expect(parseQualityUpdates(quality('not an object'))).toEqual([])
    expect(parseQualityUpdates({ entry: 'nope' })).toEqual([])
    expect(parseQualityUpdates(null)).toEqual([])
  })

  it('leaves quality updates out of parseWebhook, whose fields are the message flow', () => {
    const body = quality({ display_phone_number: '15550783881', event: 'DOWNGRADE', current_limit: 'TIER_250' })
    expect(parseWebhook(body)).toEqual({ statuses: [], inbound: [], optOuts: [], templateEvents: [] })
  })
})

describe('isStopMessage', () => {
  it.each(['STOP', 'stop', '  Stop  ', 'BAJA', 'baja.', 'No más', 'NO MAS', 'no  más!', 'UNSUBSCRIBE', 'Cancelar', '¡STOP!'])(
    'treats %j as an opt-out',
    (text) => expect(isStopMessage(text)).toBe(true),
  )

  it.each(['', 'Hola', 'stopped', 'cancelar mi pedido', 'quiero más ofertas', 'no, más tarde', null, undefined])(
    'does not treat %j as an opt-out',
    (text) => expect(isStopMessage(text)).toBe(false),
  )

  it('uses the keywords it is given instead of the defaults', () => {
    expect(isStopMessage('PARAR', ['parar'])).toBe(true)
    expect(isStopMessage('STOP', ['parar'])).toBe(false)
  })
})

describe('isStopReply', () => {
  it('treats stop-like quick-reply buttons as opt-outs by text or payload', () => {
    expect(isStopReply({ type: 'button', text: 'Stop promotions', payload: 'Stop promotions' })).toBe(true)
    expect(isStopReply({ type: 'button', text: 'No quiero más', payload: 'STOP_PROMOS' })).toBe(true)
    expect(isStopReply({ type: 'button', text: 'Darme de baja', payload: null })).toBe(true)
    expect(isStopReply({ type: 'interactive', text: 'Unsubscribe me', payload: 'x' })).toBe(true)
  })

  it('does not treat other buttons or longer free text as opt-outs', () => {
    expect(isStopReply({ type: 'button', text: 'Cancelar cita', payload: 'cancel' })).toBe(false)
    expect(isStopReply({ type: 'button', text: 'Ver ofertas', payload: 'offers' })).toBe(false)
    expect(isStopReply({ type: 'text', text: 'please stop sending', payload: null })).toBe(false)
  })
})
