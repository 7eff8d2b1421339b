// @vitest-environment jsdom
// "Opted out": the account's opt-out list with each source in plain words, adding a number by hand, and
// removing one only after saying what it means.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import type { ApiResults } from '../../../src/shared/contract'
import { OptOutsScreen } from '../../../src/renderer/src/features/optouts/OptOutsScreen'
import { resetAppStore, useAppStore } from '../../../src/renderer/src/lib/appStore'
import { account, fakeApi, renderWithApi } from './fakeApi'

type Row = ApiResults['suppressions.list'][number]

const at = '2025-10-13T10:00:00.000Z'
const initialRows: Row[] = [
  { phone: '+573001110001', reason: 'STOP', source: 'keyword', createdAt: at },
  { phone: '+573001110002', reason: 'button', source: 'button', createdAt: at },
  { phone: '+573001110003', reason: '131050', source: 'error_131050', createdAt: at },
  { phone: '+573001110004', reason: 'preference', source: 'user_preferences', createdAt: at },
  { phone: '+573001110005', reason: 'added by hand', source: 'manual', createdAt: at },
]

function setup(lang: 'en' | 'es' = 'en') {
  let rows = [...initialRows]
  const api = fakeApi({
    'suppressions.list': () => rows,
    'suppressions.add': ({ phone }) => {
      if (!phone.startsWith('+')) throw new Error('phone: write the number with its country code, like +57 300 123 4567')
      const e164 = phone.replace(/[^\d+]/g, '')
      const added = !rows.some((r) => r.phone === e164)
      if (added) rows = [...rows, { phone: e164, reason: 'added by hand', source: 'manual', createdAt: at }]
      return { added }
    },
    'suppressions.remove': ({ phone }) => {
      const before = rows.length
      rows = rows.filter((r) => r.phone !== phone)
      return { removed: rows.length < before }
    },
  })
  renderWithApi(<OptOutsScreen />, api, lang)
  return api
}

const sourceOf = (phone: string) => within(screen.getAllByTestId('optout-row').find((r) => r.dataset.phone === phone)!).getByTestId('optout-source').textContent

describe('the opt-out list', () => {
  beforeEach(() => {
    resetAppStore()
    useAppStore.setState({
      accounts: [account()],
      selectedAccountId: 'acc_1',
    })
  })
  afterEach(cleanup)

  it('lists the account’s opted-out numbers with how each one asked, in plain words', async () => {
    const api = setup()
    await screen.findByTestId('optouts-table')
    expect(api.callsTo('suppressions.list')).toEqual([{ accountId: 'acc_1' }])
    expect(sourceOf('+573001110001')).toBe('Wrote STOP (or another stop word)')
    expect(sourceOf('+573001110002')).toBe('Tapped the stop button in a message')
    expect(sourceOf('+573001110003')).toBe('WhatsApp: they stopped marketing messages (error 131050)')
    expect(sourceOf('+573001110004')).toBe('Chose in WhatsApp not to receive marketing')
    expect(sourceOf('+573001110005')).toBe('Added by hand')
  })

  it('speaks Spanish, as “No molestar”', async () => {
    setup('es')
    await screen.findByTestId('optouts-table')
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('No molestar')
    expect(sourceOf('+573001110001')).toBe('Escribió STOP (u otra palabra de baja)')
  })

  it('adds a number by hand and shows it in the list', async () => {
    const api = setup()
    await screen.findByTestId('optouts-table')
    fireEvent.change(screen.getByTestId('optout-phone'), { target: { value: '+57 300 999 8877' } })
    fireEvent.click(screen.getByTestId('optout-add'))
    await waitFor(() => expect(screen.getAllByTestId('optout-row').some((r) => r.dataset.phone === '+573009998877')).toBe(true))
    expect(api.callsTo('suppressions.add')).toEqual([{ accountId: 'acc_1', phone: '+57 300 999 8877' }])
    expect(screen.getByTestId('optouts-message').textContent).toBe('+57 300 999 8877 will not receive your campaigns.')
    expect(sourceOf('+573009998877')).toBe('Added by hand')
    expect((screen.getByTestId('optout-phone') as HTMLInputElement).value).toBe('')
  })

  it('says so when the number was already on the list, and shows a refused number’s reason', async () => {
    setup()
    await screen.findByTestId('optouts-table')
    fireEvent.change(screen.getByTestId('optout-phone'), { target: { value: '+573001110001' } })
    fireEvent.click(screen.getByTestId('optout-add'))
    expect((await screen.findByTestId('optouts-message')).textContent).toBe('+573001110001 was already on the list.')
    fireEvent.change(screen.getByTestId('optout-phone'), { target: { value: 'call me' } })
    fireEvent.click(screen.getByTestId('optout-add'))
    expect((await screen.findByRole('alert')).textContent).toContain('write the number with its country code')
  })

  it('removes a number only after warning that the customer will get campaigns again', async () => {
    const api = setup()
    await screen.findByTestId('optouts-table')
    const row = screen.getAllByTestId('optout-row').find((r) => r.dataset.phone === '+573001110002')!
    fireEvent.click(within(row).getByTestId('optout-remove'))
    expect(row.textContent).toContain('This customer will receive your campaigns again')
    expect(api.callsTo('suppressions.remove')).toHaveLength(0)
    fireEvent.click(within(row).getByTestId('optout-remove-confirm'))
    await waitFor(() => expect(screen.getAllByTestId('optout-row').map((r) => r.dataset.phone)).not.toContain('+573001110002'))
    expect(api.callsTo('suppressions.remove')).toEqual([{ accountId: 'acc_1', phone: '+573001110002' }])
  })

  it('says so when nobody has opted out', async () => {
    const api = fakeApi({ 'suppressions.list': () => [] })
    renderWithApi(<OptOutsScreen />, api)
    expect((await screen.findByTestId('optouts-empty')).textContent).toBe('Nobody has asked to stop receiving your messages.')
  })
})
