// @vitest-environment jsdom
// Review and send: the seed's confirmation for more than 100 contacts, in the UI's language, before campaigns.create;
// and "send later" with a start time sent as ISO with the local offset.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import type { ImportResult } from '../../../src/shared/contract'
import type { ApprovedTemplate } from '../../../src/shared/types'
import { ReviewScreen } from '../../../src/renderer/src/features/review/ReviewScreen'
import { useContactsStore } from '../../../src/renderer/src/features/contacts/contactsStore'
import { useTemplateStore } from '../../../src/renderer/src/features/template/templateStore'
import { resetAppStore, useAppStore } from '../../../src/renderer/src/lib/appStore'
import { toLocalInput } from '../../../src/renderer/src/lib/format'
import { account, fakeApi, renderWithApi } from './fakeApi'

const template: ApprovedTemplate = {
  id: 't1',
  name: 'promo_verano',
  language: 'es',
  status: 'APPROVED',
  category: 'MARKETING',
  parameterFormat: 'POSITIONAL',
  components: [{ type: 'BODY', text: 'Hola {{1}}' }],
}

function contactsWith(valid: number): ImportResult {
  return {
    importId: 'imp_9',
    sheet: null,
    sheets: [],
    columns: ['Telefono', 'Nombre'],
    mapping: { phone: 'Telefono', name: 'Nombre', variables: [] },
    preview: [{ Telefono: '3001234567', Nombre: 'Juan' }],
    summary: { rows: valid + 4, valid, invalid: 3, duplicates: 1, optedOut: 0, fixedLine: 0 },
    rejected: [],
    rejectedCsv: '',
  }
}

function setup(valid: number, lang: 'en' | 'es' = 'en') {
  useContactsStore.getState().setResult(contactsWith(valid))
  const api = fakeApi({
    'campaigns.estimate': ({ recipients }) => ({ recipients, durationSec: 200, tierRemaining: 90, tierLimit: 250, tierSource: 'meta', days: 2 }),
    'campaigns.create': () => ({ ok: true, campaignId: 'c77', status: 'pending', total: valid, willSend: valid, message: 'ok', skipped: {} }),
  })
  renderWithApi(<ReviewScreen />, api, lang)
  return api
}

describe('review and send', () => {
  beforeEach(() => {
    resetAppStore()
    useAppStore.setState({
      accounts: [account()],
      selectedAccountId: 'acc_1',
    })
    useTemplateStore.setState({ templates: [template], templateId: 't1', mapping: { 'body:1': { kind: 'column', column: 'Nombre' } }, headerLink: '' })
  })
  afterEach(cleanup)

  it('shows totals, skipped reasons and the estimate with the daily tier split', async () => {
    const api = setup(150)
    expect(screen.getByTestId('review-recipients').textContent).toContain('150')
    expect(screen.getByTestId('review-skipped-reasons').textContent).toContain('3 with a wrong number')
    await screen.findByTestId('estimate-days')
    expect(screen.getByTestId('estimate').textContent).toContain('3 min')
    expect(api.callsTo('campaigns.estimate')[0]).toEqual({ accountId: 'acc_1', recipients: 150, pacing: { kind: 'seed' } })
  })

  it('says the daily tier is assumed when Meta does not give it, and says nothing when it does', async () => {
    useAppStore.setState({ accounts: [account({ messagingLimitTier: null })] })
    setup(150, 'es')
    expect((await screen.findByTestId('estimate-tier-notice')).textContent).toBe(
      'Límite diario desconocido: se asumen 250 clientes hasta que Meta diga otra cosa; cámbialo en la cuenta.',
    )
    cleanup()
    useAppStore.setState({ accounts: [account({ messagingLimitTier: 'TIER_250' })] })
    setup(150)
    await screen.findByTestId('estimate')
    expect(screen.queryByTestId('estimate-tier-notice')).toBeNull()
  })

  it('asks with the seed text above 100 contacts and creates the campaign only after OK', async () => {
    const api = setup(150)
    fireEvent.click(screen.getByTestId('start-campaign'))
    const dialog = screen.getByTestId('background-dialog')
    expect(dialog.textContent).toContain('You have 150 contacts.')
    expect(dialog.textContent).toContain('Do you want to use BACKGROUND mode?')
    expect(api.callsTo('campaigns.create')).toHaveLength(0)

    fireEvent.click(screen.getByTestId('dialog-cancel'))
    expect(screen.queryByTestId('background-dialog')).toBeNull()
    expect(api.callsTo('campaigns.create')).toHaveLength(0)

    fireEvent.click(screen.getByTestId('start-campaign'))
    fireEvent.click(screen.getByTestId('dialog-ok'))
    await waitFor(() => expect(api.callsTo('campaigns.create')).toHaveLength(1))
    const [args] = api.callsTo('campaigns.create')
    expect(args).toMatchObject({ importId: 'imp_9', accountId: 'acc_1', pacing: { kind: 'seed' } })
    expect(args.template).toMatchObject({ name: 'promo_verano', language: 'es', bodyParams: [{ type: 'text', text: '{{Nombre}}' }], expectedBodyParams: 1 })
    await waitFor(() => expect(useAppStore.getState()).toMatchObject({ screen: 'campaign', campaignId: 'c77' }))
  })

  it('shows the dialog in Spanish with the seed words', () => {
    setup(5000, 'es')
    fireEvent.click(screen.getByTestId('start-campaign'))
    const text = screen.getByTestId('background-dialog').textContent ?? ''
    for (const line of ['Tienes 5000 contactos.', '¿Deseas usar el modo en SEGUNDO PLANO?', 'No requiere mantener el navegador abierto', 'Puedes pausar/reanudar en cualquier momento', 'Reintentos automáticos', 'Monitoreo en tiempo real']) {
      expect(text).toContain(line)
    }
  })

  it('starts at once, without the dialog, for 100 contacts or fewer', async () => {
    const api = setup(100)
    fireEvent.click(screen.getByTestId('start-campaign'))
    expect(screen.queryByTestId('background-dialog')).toBeNull()
    await waitFor(() => expect(api.callsTo('campaigns.create')).toHaveLength(1))
  })

  it('schedules the campaign for a later local time, sent as ISO with the offset', async () => {
    const api = setup(100)
    fireEvent.click(screen.getByTestId('send-later'))
    const start = new Date(Date.now() + 3 * 3_600_000)
    start.setSeconds(0, 0)
    fireEvent.change(screen.getByTestId('send-at'), { target: { value: toLocalInput(start) } })
    expect(screen.getByTestId('start-campaign').textContent).toBe('Schedule 100 messages')
    fireEvent.click(screen.getByTestId('start-campaign'))
    await waitFor(() => expect(api.callsTo('campaigns.create')).toHaveLength(1))
    const { scheduledAt } = api.callsTo('campaigns.create')[0]
    expect(scheduledAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00[+-]\d{2}:\d{2}$/)
    expect(Date.parse(scheduledAt ?? '')).toBe(start.getTime())
  })

  it('refuses a start time in the past or left empty, and sends now without scheduledAt', async () => {
    const api = setup(100)
    fireEvent.click(screen.getByTestId('send-later'))
    fireEvent.click(screen.getByTestId('start-campaign'))
    expect(screen.getByRole('alert').textContent).toBe('Choose the date and time to start.')
    fireEvent.change(screen.getByTestId('send-at'), { target: { value: toLocalInput(new Date(Date.now() - 3_600_000)) } })
    fireEvent.click(screen.getByTestId('start-campaign'))
    expect(screen.getByRole('alert').textContent).toBe('That time has already passed: choose a later one.')
    expect(api.callsTo('campaigns.create')).toHaveLength(0)

    fireEvent.click(screen.getByLabelText('Now'))
    fireEvent.click(screen.getByTestId('start-campaign'))
    await waitFor(() => expect(api.callsTo('campaigns.create')).toHaveLength(1))
    expect(api.callsTo('campaigns.create')[0]).not.toHaveProperty('scheduledAt')
  })
})
