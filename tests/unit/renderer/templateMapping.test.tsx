// @vitest-environment jsdom
// The template step: parameters found in a template, mapped to columns or fixed text, previewed and turned into a TemplateSpec.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import type { ImportResult } from '../../../src/shared/contract'
import type { ApprovedTemplate } from '../../../src/shared/types'
import { templateSpecSchema } from '../../../src/shared/schemas'
import { TemplateScreen } from '../../../src/renderer/src/features/template/TemplateScreen'
import { chosenTemplate, useTemplateStore } from '../../../src/renderer/src/features/template/templateStore'
import { buildTemplateSpec, templateSlots, templateWarnings } from '../../../src/renderer/src/features/template/templateMapping'
import { useContactsStore } from '../../../src/renderer/src/features/contacts/contactsStore'
import { resetAppStore, useAppStore } from '../../../src/renderer/src/lib/appStore'
import { account, fakeApi, renderWithApi } from './fakeApi'

const promo: ApprovedTemplate = {
  id: 't1',
  name: 'promo_verano',
  language: 'es',
  status: 'APPROVED',
  category: 'MARKETING',
  parameterFormat: 'POSITIONAL',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Ofertas de verano' },
    { type: 'BODY', text: 'Hola {{1}}, tu descuento es {{2}}. Te esperamos en {{1}}-landia.' },
    { type: 'FOOTER', text: 'Responde STOP para no recibir más' },
  ],
}

const named: ApprovedTemplate = {
  id: 't2',
  name: 'pedido_listo',
  language: 'es',
  status: 'PENDING',
  category: 'UTILITY',
  parameterFormat: 'NAMED',
  components: [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: 'Hola {{first_name}}, tu pedido {{order_id}} está listo.' },
    { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Ver pedido', url: 'https://tienda.example/p/{{1}}' }] },
  ],
}

const contacts: ImportResult = {
  importId: 'imp_1',
  sheet: null,
  sheets: [],
  columns: ['Telefono', 'Nombre', 'Descuento'],
  mapping: { phone: 'Telefono', name: 'Nombre', variables: ['Descuento'] },
  preview: [{ Telefono: '+13055550100', Nombre: 'Juan', Descuento: '20 %' }],
  summary: { rows: 1, valid: 1, invalid: 0, duplicates: 0, optedOut: 0, fixedLine: 0 },
  rejected: [],
  rejectedCsv: '',
}

describe('template mapping (pure)', () => {
  it('finds positional body parameters once each, in number order', () => {
    expect(templateSlots(promo).map((s) => s.id)).toEqual(['body:1', 'body:2'])
  })

  it('builds a spec whose body params are {{Column}} references or fixed text, with the count and text', () => {
    const spec = buildTemplateSpec(promo, { 'body:1': { kind: 'column', column: 'Nombre' }, 'body:2': { kind: 'fixed', text: '15 %' } }, '')
    expect(spec).toEqual({
      name: 'promo_verano',
      language: 'es',
      category: 'MARKETING',
      parameterFormat: 'POSITIONAL',
      bodyParams: [
        { type: 'text', text: '{{Nombre}}' },
        { type: 'text', text: '15 %' },
      ],
      expectedBodyParams: 2,
      bodyText: 'Hola {{1}}, tu descuento es {{2}}. Te esperamos en {{1}}-landia.',
    })
    expect(templateSpecSchema.safeParse(spec).success).toBe(true)
  })

  it('names the parameters of a NAMED template, links the media header and fills the URL button', () => {
    const spec = buildTemplateSpec(
      named,
      {
        'body:first_name': { kind: 'column', column: 'Nombre' },
        'body:order_id': { kind: 'column', column: 'Pedido' },
        'button:0': { kind: 'column', column: 'Pedido' },
      },
      ' https://cdn.example/foto.jpg ',
    )
    expect(spec.bodyParams).toEqual([
      { type: 'text', text: '{{Nombre}}', parameterName: 'first_name' },
      { type: 'text', text: '{{Pedido}}', parameterName: 'order_id' },
    ])
    expect(spec.header).toEqual({ type: 'image', link: 'https://cdn.example/foto.jpg' })
    expect(spec.buttons).toEqual([{ subType: 'url', index: 0, value: '{{Pedido}}' }])
    expect(templateSpecSchema.safeParse(spec).success).toBe(true)
  })

  it('warns about marketing to +1 numbers, templates not approved and a missing media link', () => {
    expect(templateWarnings(promo, ['+13055550100'], 'CO', '')).toEqual(['marketing_us'])
    expect(templateWarnings(promo, ['+573001234567', '3001234567'], 'CO', '')).toEqual([])
    expect(templateWarnings(promo, ['3055550100'], 'US', '')).toEqual(['marketing_us'])
    expect(templateWarnings(named, ['+13055550100'], 'CO', '')).toEqual(['not_approved', 'media_link_missing'])
    expect(templateWarnings(named, [], 'CO', 'https://cdn.example/a.jpg')).toEqual(['not_approved'])
  })
})

describe('the template screen', () => {
  beforeEach(() => {
    resetAppStore()
    useTemplateStore.getState().reset()
    useContactsStore.getState().reset()
    useAppStore.getState().setAccounts([account({ displayPhoneNumber: '+57 300 000 0000', messagingLimitTier: 'TIER_1K', throughputLevel: 'STANDARD' })])
    useContactsStore.getState().setResult(contacts)
  })
  afterEach(cleanup)

  it('lists the account templates, refreshes on demand, and previews the first contact as parameters get mapped', async () => {
    const api = fakeApi({ 'templates.list': () => [promo, named] })
    renderWithApi(<TemplateScreen />, api)
    await screen.findByRole('option', { name: /promo_verano/ })
    expect(api.callsTo('templates.list')[0]).toEqual({ accountId: 'acc_1' })

    fireEvent.change(screen.getByTestId('template-select'), { target: { value: 't1' } })
    expect(screen.getByTestId('bubble-body').textContent).toBe('Hola {{1}}, tu descuento es {{2}}. Te esperamos en {{1}}-landia.')
    expect(screen.getByTestId('warning-marketing_us')).toBeTruthy()
    expect((screen.getByTestId('template-next') as HTMLButtonElement).disabled).toBe(true)

    fireEvent.change(screen.getByTestId('slot-source-body:1'), { target: { value: 'Nombre' } })
    fireEvent.change(screen.getByTestId('slot-source-body:2'), { target: { value: '\u0000fixed' } })
    fireEvent.change(screen.getByTestId('slot-fixed-body:2'), { target: { value: '{{Descuento}} hoy' } })
    expect(screen.getByTestId('bubble-body').textContent).toBe('Hola Juan, tu descuento es 20 % hoy. Te esperamos en Juan-landia.')
    expect((screen.getByTestId('template-next') as HTMLButtonElement).disabled).toBe(false)

    const state = useTemplateStore.getState()
    expect(buildTemplateSpec(chosenTemplate(state)!, state.mapping, state.headerLink).bodyParams).toEqual([
      { type: 'text', text: '{{Nombre}}' },
      { type: 'text', text: '{{Descuento}} hoy' },
    ])

    fireEvent.click(screen.getByTestId('templates-refresh'))
    await waitFor(() => expect(api.callsTo('templates.list')).toHaveLength(2))
    expect(api.callsTo('templates.list')[1]).toEqual({ accountId: 'acc_1', refresh: true })
  })

  it('guesses named parameters from matching columns and asks for the media link', async () => {
    const api = fakeApi({ 'templates.list': () => [named] })
    renderWithApi(<TemplateScreen />, api)
    await screen.findByRole('option', { name: /pedido_listo/ })
    act(() => useContactsStore.getState().setResult({ ...contacts, mapping: { ...contacts.mapping, variables: ['First Name'] }, preview: [{ 'First Name': 'Ana' }] }))
    fireEvent.change(screen.getByTestId('template-select'), { target: { value: 't2' } })
    expect((screen.getByTestId('slot-source-body:first_name') as HTMLSelectElement).value).toBe('First Name')
    expect(screen.getByTestId('warning-not_approved').textContent).toContain('waiting for Meta’s review')
    expect(screen.getByTestId('warning-media_link_missing')).toBeTruthy()
    fireEvent.change(screen.getByTestId('header-link'), { target: { value: 'https://cdn.example/a.jpg' } })
    expect(screen.queryByTestId('warning-media_link_missing')).toBeNull()
  })
})
