// Per-recipient template payloads: hydration of {{Field}}, every component kind, and Meta's checks done before sending.

import { describe, expect, it } from 'vitest'
import {
  buildTemplatePayload,
  countPlaceholders,
  placeholderNames,
  templateSpecFromApproved,
  type PayloadContact,
} from '../../../src/main/whatsapp/templatePayload'
import type { ApprovedTemplate, TemplateSpec } from '../../../src/shared/types'

const juan: PayloadContact = {
  phone: '+573001234567',
  name: 'Juan',
  variables: { Nombre: 'Juan', Ciudad: 'Cali', 'Código': 'ABC123', Vacío: '  ' },
}

const spec = (over: Partial<TemplateSpec> = {}): TemplateSpec => ({ name: 'promo_mayo', language: 'es_CO', ...over })

function payloadOf(s: TemplateSpec, contact: PayloadContact = juan) {
  const result = buildTemplatePayload(s, contact)
  if (!result.ok) throw new Error(`expected a payload, got ${result.reason}: ${result.detail}`)
  return result.payload
}

describe('buildTemplatePayload', () => {
  it('sends a template without parameters as just its name and language', () => {
    expect(payloadOf(spec())).toEqual({ name: 'promo_mayo', language: { code: 'es_CO' } })
  })

  it('hydrates positional body parameters from contact fields and literal text', () => {
    const payload = payloadOf(
      spec({ bodyParams: [{ type: 'text', text: 'Hola {{Nombre}}' }, { type: 'text', text: '{{Ciudad}}' }, { type: 'text', text: '20%' }] }),
    )
    expect(payload.components).toEqual([
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Hola Juan' },
          { type: 'text', text: 'Cali' },
          { type: 'text', text: '20%' },
        ],
      },
    ])
  })

  it('matches fields ignoring case and accents when there is no exact match', () => {
    const payload = payloadOf(spec({ bodyParams: [{ type: 'text', text: '{{ciudad}} {{codigo}}' }] }))
    expect(payload.components).toEqual([{ type: 'body', parameters: [{ type: 'text', text: 'Cali ABC123' }] }])
  })

  it('maps {{name}} and {{Nombre}} to the contact name when no such field exists', () => {
    const contact: PayloadContact = { phone: '+1', name: 'Ana', variables: {} }
    const payload = payloadOf(spec({ bodyParams: [{ type: 'text', text: '{{name}}/{{NOMBRE}}' }] }), contact)
    expect(payload.components).toEqual([{ type: 'body', parameters: [{ type: 'text', text: 'Ana/Ana' }] }])
  })

  it('prefers the exact field over a case-insensitive one', () => {
    const contact: PayloadContact = { phone: '+1', name: null, variables: { ciudad: 'bogota', Ciudad: 'Cali' } }
    const payload = payloadOf(spec({ bodyParams: [{ type: 'text', text: '{{Ciudad}}' }] }), contact)
    expect(payload.components).toEqual([{ type: 'body', parameters: [{ type: 'text', text: 'Cali' }] }])
  })

  it('refuses a missing field instead of sending a blank', () => {
    const result = buildTemplatePayload(spec({ bodyParams: [{ type: 'text', text: 'Hola {{Apellido}}' }] }), juan)
    expect(result).toEqual({ ok: false, reason: 'missing_variable', detail: expect.stringContaining('{{Apellido}}') })
  })

  it('refuses a field that is present but blank', () => {
    const result = buildTemplatePayload(spec({ bodyParams: [{ type: 'text', text: '{{Vacío}}' }] }), juan)
    expect(result).toMatchObject({ ok: false, reason: 'missing_variable' })
  })

  it('refuses {{name}} when the contact has no name', () => {
    const result = buildTemplatePayload(spec({ bodyParams: [{ type: 'text', text: '{{name}}' }] }), { phone: '+1', name: null, variables: {} })
    expect(result).toMatchObject({ ok: false, reason: 'missing_variable' })
  })

  it('sends parameter names for NAMED templates', () => {
    const payload = payloadOf(
      spec({
        parameterFormat: 'NAMED',
        bodyParams: [
          { type: 'text', text: '{{Nombre}}', parameterName: 'first_name' },
          { type: 'text', text: '4', parameterName: 'number_of_guests' },
        ],
      }),
    )
    expect(payload.components).toEqual([
      {
        type: 'body',
        parameters: [
          { type: 'text', parameter_name: 'first_name', text: 'Juan' },
          { type: 'text', parameter_name: 'number_of_guests', text: '4' },
        ],
      },
    ])
  })

  it('refuses a NAMED template parameter without a name', () => {
    const result = buildTemplatePayload(spec({ parameterFormat: 'NAMED', bodyParams: [{ type: 'text', text: 'x' }] }), juan)
    expect(result).toMatchObject({ ok: false, reason: 'invalid_parameter', detail: expect.stringContaining('body parameter 1') })
  })

  it('builds a text header', () => {
    const payload = payloadOf(spec({ header: { type: 'text', text: '¡{{Nombre}}!' } }))
    expect(payload.components).toEqual([{ type: 'header', parameters: [{ type: 'text', text: '¡Juan!' }] }])
  })

  it('builds image, video and document headers by link or by uploaded id', () => {
    expect(payloadOf(spec({ header: { type: 'image', link: 'https://shop.example/promo.jpg' } })).components).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://shop.example/promo.jpg' } }] },
    ])
    expect(payloadOf(spec({ header: { type: 'video', id: '1234567890' } })).components).toEqual([
      { type: 'header', parameters: [{ type: 'video', video: { id: '1234567890' } }] },
    ])
    expect(
      payloadOf(spec({ header: { type: 'document', link: 'https://shop.example/f.pdf', filename: 'Factura {{Nombre}}.pdf' } })).components,
    ).toEqual([
      { type: 'header', parameters: [{ type: 'document', document: { link: 'https://shop.example/f.pdf', filename: 'Factura Juan.pdf' } }] },
    ])
  })

  it('hydrates a media link, URL-encoding values inside it and taking a whole-link field as is', () => {
    const contact: PayloadContact = { phone: '+1', name: null, variables: { Foto: 'https://cdn.example/ab.jpg?x=1', Ref: 'a b/c' } }
    expect(payloadOf(spec({ header: { type: 'image', link: '{{Foto}}' } }), contact).components).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example/ab.jpg?x=1' } }] },
    ])
    expect(payloadOf(spec({ header: { type: 'image', link: 'https://cdn.example/{{Ref}}.jpg' } }), contact).components).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example/a%20b%2Fc.jpg' } }] },
    ])
  })

  it('refuses a media header with both or neither of link and id, or a link that is not http(s)', () => {
    expect(buildTemplatePayload(spec({ header: { type: 'image' } }), juan)).toMatchObject({ ok: false, reason: 'invalid_parameter' })
    expect(buildTemplatePayload(spec({ header: { type: 'image', id: '1', link: 'https://x.example/a.jpg' } }), juan)).toMatchObject({
      ok: false,
      reason: 'invalid_parameter',
    })
    expect(buildTemplatePayload(spec({ header: { type: 'image', link: 'ftp://x.example/a.jpg' } }), juan)).toMatchObject({
      ok: false,
      reason: 'invalid_parameter',
      detail: expect.stringContaining('http'),
    })
  })

  it('builds quick-reply, url and copy-code buttons with the index as a string', () => {
    const payload = payloadOf(
      spec({
        buttons: [
          { subType: 'quick_reply', index: 0, value: 'STOP_PROMOS' },
          { subType: 'url', index: 1, value: 'pedido/{{Código}}' },
          { subType: 'copy_code', index: 2, value: 'MAYO20' },
        ],
      }),
    )
    expect(payload.components).toEqual([
      { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'STOP_PROMOS' }] },
      { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'pedido/ABC123' }] },
      { type: 'button', sub_type: 'copy_code', index: '2', parameters: [{ type: 'coupon_code', coupon_code: 'MAYO20' }] },
    ])
  })

  it('refuses a coupon code longer than 15 characters', () => {
    const result = buildTemplatePayload(spec({ buttons: [{ subType: 'copy_code', index: 0, value: 'A'.repeat(16) }] }), juan)
    expect(result).toMatchObject({ ok: false, reason: 'invalid_parameter', detail: expect.stringContaining('15') })
  })

  it.each([
    ['a line break', 'línea 1\nlínea 2'],
    ['a carriage return', 'a\r\nb'],
    ['a tab', 'a\tb'],
    ['five spaces', 'a     b'],
  ])('refuses a parameter value with %s, naming the parameter', (_what, value) => {
    const contact: PayloadContact = { phone: '+1', name: null, variables: { Dirección: value } }
    const result = buildTemplatePayload(spec({ bodyParams: [{ type: 'text', text: 'x' }, { type: 'text', text: '{{Dirección}}' }] }), contact)
    expect(result).toMatchObject({ ok: false, reason: 'invalid_parameter', detail: expect.stringContaining('body parameter 2') })
  })

  it('accepts four consecutive spaces', () => {
    const contact: PayloadContact = { phone: '+1', name: null, variables: { X: 'a    b' } }
    expect(buildTemplatePayload(spec({ bodyParams: [{ type: 'text', text: '{{X}}' }] }), contact).ok).toBe(true)
  })

  it('refuses a campaign that fills a different number of body parameters than the template has', () => {
    const result = buildTemplatePayload(spec({ expectedBodyParams: 2, bodyParams: [{ type: 'text', text: 'x' }] }), juan)
    expect(result).toMatchObject({ ok: false, reason: 'invalid_parameter', detail: expect.stringMatching(/expects 2 .* fills 1/) })
  })

  it('refuses a body that would exceed 1024 characters once hydrated', () => {
    const contact: PayloadContact = { phone: '+1', name: null, variables: { Nota: 'x'.repeat(1010) } }
    const s = spec({ bodyText: 'Hola {{1}}, tu nota: {{2}}', expectedBodyParams: 2, bodyParams: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '{{Nota}}' }] })
    expect(buildTemplatePayload(s, contact)).toMatchObject({ ok: false, reason: 'invalid_parameter', detail: expect.stringContaining('1024') })
    const short: PayloadContact = { phone: '+1', name: null, variables: { Nota: 'x'.repeat(900) } }
    expect(buildTemplatePayload(s, short).ok).toBe(true)
  })

  it('counts named placeholders when checking the hydrated body length', () => {
    const s = spec({
      parameterFormat: 'NAMED',
      bodyText: 'Hola {{first_name}}',
      bodyParams: [{ type: 'text', text: 'y'.repeat(1020), parameterName: 'first_name' }],
    })
    expect(buildTemplatePayload(s, juan)).toMatchObject({ ok: false, reason: 'invalid_parameter' })
  })
})

describe('reading approved templates', () => {
  const approved: ApprovedTemplate = {
    id: '1304694804498707',
    name: 'coupon_expiration_reminder_number_vars',
    language: 'en',
    status: 'APPROVED',
    category: 'MARKETING',
    parameterFormat: 'POSITIONAL',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Act fast, {{1}}!' },
      { type: 'BODY', text: 'Your coupon code, {{1}}, expires in only {{2}} days! Use {{1}} today.' },
      { type: 'FOOTER', text: 'Lucky Shrub Succulents' },
    ],
  }

  it('lists placeholder names once each, in order, for positional and named texts', () => {
    expect(placeholderNames('Your coupon code, {{1}}, expires in {{2}} days! {{1}}')).toEqual(['1', '2'])
    expect(placeholderNames('… for {{number_of_guests}} … on {{ day }} …')).toEqual(['number_of_guests', 'day'])
    expect(countPlaceholders(undefined)).toBe(0)
  })

  it('derives the checkable facts of a campaign spec from an approved template', () => {
    expect(templateSpecFromApproved(approved)).toEqual({
      name: 'coupon_expiration_reminder_number_vars',
      language: 'en',
      parameterFormat: 'POSITIONAL',
      category: 'MARKETING',
      bodyText: 'Your coupon code, {{1}}, expires in only {{2}} days! Use {{1}} today.',
      expectedBodyParams: 2,
    })
  })
})
