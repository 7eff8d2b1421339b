// @vitest-environment jsdom
// "Open with Pregón" on the desktop: the shell's app:openFile event opens the importer on that file,
// read from its local path (and read again from it when a column choice changes).

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import type { ApiArgs, ImportResult, Settings } from '../../../src/shared/contract'
import { App } from '../../../src/renderer/src/App'
import { useContactsStore } from '../../../src/renderer/src/features/contacts/contactsStore'
import { resetAppStore } from '../../../src/renderer/src/lib/appStore'
import { account, fakeApi, renderWithApi } from './fakeApi'

const settings: Settings = {
  language: 'en',
  theme: 'system',
  defaultAccountId: null,
  defaultPacing: { kind: 'seed' },
  stopKeywords: [],
  startAtLogin: false,
  autoUpdate: true,
}

function imported(args: ApiArgs<'contacts.import'>): ImportResult {
  return {
    importId: 'imp_1',
    sheet: null,
    sheets: [],
    columns: ['Telefono', 'Nombre'],
    mapping: { phone: args.mapping?.phone ?? 'Telefono', name: args.mapping?.name ?? 'Nombre', variables: [] },
    preview: [{ Telefono: '3001234567', Nombre: 'Juan' }],
    summary: { rows: 1, valid: 1, invalid: 0, duplicates: 0, optedOut: 0, fixedLine: 0 },
    rejected: [],
    rejectedCsv: '',
  }
}

function setup() {
  return fakeApi({
    'app.info': () => ({ version: '0.1.0', mode: 'desktop', simulatorUrl: null, user: { id: 'u1', name: 'local' }, osLanguage: 'en', operator: true }),
    'settings.get': () => settings,
    'accounts.list': () => [account()],
    'campaigns.list': () => [],
    'contacts.import': imported,
  })
}

describe('a spreadsheet opened with Pregón', () => {
  beforeEach(() => {
    resetAppStore()
    useContactsStore.getState().reset()
  })
  afterEach(cleanup)

  it('opens the importer and imports the file from its path on the desktop', async () => {
    const api = setup()
    renderWithApi(<App />, api)
    await waitFor(() => expect(api.callsTo('accounts.list')).toHaveLength(1))
    api.emit('app:openFile', { path: '/home/ana/Clientes Mayo.csv', fileName: 'Clientes Mayo.csv' })
    await screen.findByTestId('import-summary')
    expect(screen.getByText('Clientes Mayo.csv')).toBeTruthy()
    expect(api.callsTo('contacts.import')).toEqual([{ accountId: 'acc_1', fileName: 'Clientes Mayo.csv', lang: 'en', path: '/home/ana/Clientes Mayo.csv' }])
  })

  it('reads the same path again when a column choice changes, and imports it only once per opening', async () => {
    const api = setup()
    renderWithApi(<App />, api)
    await waitFor(() => expect(api.callsTo('accounts.list')).toHaveLength(1))
    api.emit('app:openFile', { path: '/tmp/lista.xlsx', fileName: 'lista.xlsx' })
    await screen.findByTestId('import-summary')
    fireEvent.change(screen.getByTestId('name-column'), { target: { value: '' } })
    await waitFor(() => expect(api.callsTo('contacts.import')).toHaveLength(2))
    expect(api.callsTo('contacts.import')[1]).toMatchObject({ path: '/tmp/lista.xlsx', mapping: { phone: 'Telefono', name: null } })
    expect(api.callsTo('contacts.import')[1]).not.toHaveProperty('dataBase64')
  })
})
