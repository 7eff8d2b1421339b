// @vitest-environment jsdom
// The contacts step: a picked file goes to contacts.import as base64; column choices re-run it with a mapping.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import type { ApiArgs, ImportResult } from '../../../src/shared/contract'
import { ContactsScreen } from '../../../src/renderer/src/features/contacts/ContactsScreen'
import { useContactsStore } from '../../../src/renderer/src/features/contacts/contactsStore'
import { resetAppStore, useAppStore } from '../../../src/renderer/src/lib/appStore'
import { fakeApi, renderWithApi } from './fakeApi'

const CSV = 'Telefono,Nombre,Ciudad,Codigo\n3001234567,Juan,Cali,A1\nabc,Ana,Bogotá,B2\n3001234567,Juan,Cali,A1\n'

function importResult(mapping: ImportResult['mapping']): ImportResult {
  return {
    importId: 'imp_1',
    sheet: null,
    sheets: [],
    columns: ['Telefono', 'Nombre', 'Ciudad', 'Codigo'],
    mapping,
    preview: [
      { Telefono: '3001234567', Nombre: 'Juan', Ciudad: 'Cali', Codigo: 'A1' },
      { Telefono: 'abc', Nombre: 'Ana', Ciudad: 'Bogotá', Codigo: 'B2' },
    ],
    summary: { rows: 3, valid: 1, invalid: 1, duplicates: 1, optedOut: 0, fixedLine: 0 },
    rejected: [
      { line: 3, value: 'abc', reason: 'letters', message: 'letters in number' },
      { line: 4, value: '3001234567', reason: 'duplicate', message: 'Same number as row 2' },
    ],
    rejectedCsv: 'line,value,reason\n3,abc,letters\n4,3001234567,duplicate\n',
  }
}

function setup() {
  const api = fakeApi({
    'contacts.import': (args: ApiArgs<'contacts.import'>) =>
      importResult(args.mapping ? { phone: args.mapping.phone, name: args.mapping.name ?? null, variables: args.mapping.variables ?? [] } : { phone: 'Telefono', name: 'Nombre', variables: ['Ciudad'] }),
  })
  renderWithApi(<ContactsScreen />, api)
  return api
}

async function pickFile() {
  const file = new File([CSV], 'clientes.csv', { type: 'text/csv' })
  fireEvent.change(screen.getByTestId('file-input'), { target: { files: [file] } })
  await screen.findByTestId('import-summary')
}

describe('the contacts importer', () => {
  beforeEach(() => {
    resetAppStore()
    useAppStore.setState({ selectedAccountId: 'acc_1' })
    useContactsStore.getState().reset()
  })
  afterEach(cleanup)

  it('sends the picked file to contacts.import as base64 with the account, and shows the summary', async () => {
    const api = setup()
    await pickFile()
    const [args] = api.callsTo('contacts.import')
    expect(args.fileName).toBe('clientes.csv')
    expect(args.accountId).toBe('acc_1')
    expect(args.mapping).toBeUndefined()
    expect(Buffer.from(args.dataBase64 ?? '', 'base64').toString('utf8')).toBe(CSV)
    expect(within(screen.getByTestId('summary-valid')).getByText('1')).toBeTruthy()
    expect(within(screen.getByTestId('summary-invalid')).getByText('1')).toBeTruthy()
    expect(within(screen.getByTestId('summary-duplicates')).getByText('1')).toBeTruthy()
    expect(within(screen.getByTestId('preview-table')).getByText('Bogotá')).toBeTruthy()
  })

  it('explains each rejected row in plain words and offers them as a download', async () => {
    setup()
    await pickFile()
    const rejected = screen.getByTestId('rejected-table')
    expect(within(rejected).getByText(/contains letters/)).toBeTruthy()
    // The duplicate's sentence needs the first row, which only the server knows: its message is shown.
    expect(within(rejected).getByText('Same number as row 2')).toBeTruthy()
    expect(screen.getByTestId('download-rejected')).toBeTruthy()
  })

  it('re-runs the import with the chosen phone column, keeping name and variables', async () => {
    const api = setup()
    await pickFile()
    fireEvent.change(screen.getByTestId('phone-column'), { target: { value: 'Codigo' } })
    await waitFor(() => expect(api.callsTo('contacts.import')).toHaveLength(2))
    const second = api.callsTo('contacts.import')[1]
    expect(second.mapping).toEqual({ phone: 'Codigo', name: 'Nombre', variables: ['Ciudad'] })
    expect(second.dataBase64).toBe(api.callsTo('contacts.import')[0].dataBase64)
    await waitFor(() => expect((screen.getByTestId('phone-column') as HTMLSelectElement).value).toBe('Codigo'))
  })

  it('adds and removes variable columns through the import mapping', async () => {
    const api = setup()
    await pickFile()
    fireEvent.click(within(screen.getByTestId('variable-columns')).getByLabelText('Codigo'))
    await waitFor(() => expect(api.callsTo('contacts.import')).toHaveLength(2))
    expect(api.callsTo('contacts.import')[1].mapping?.variables).toEqual(['Ciudad', 'Codigo'])
    await waitFor(() => expect((within(screen.getByTestId('variable-columns')).getByLabelText('Codigo') as HTMLInputElement).checked).toBe(true))
    fireEvent.click(within(screen.getByTestId('variable-columns')).getByLabelText('Ciudad'))
    await waitFor(() => expect(api.callsTo('contacts.import')).toHaveLength(3))
    expect(api.callsTo('contacts.import')[2].mapping?.variables).toEqual(['Codigo'])
  })

  it('offers no sheet choice for a CSV, and for a workbook re-reads the chosen sheet with a fresh mapping', async () => {
    setup()
    await pickFile()
    expect(screen.queryByTestId('sheet')).toBeNull()
    cleanup()
    useContactsStore.getState().reset()

    const sheets = ['Clientes', 'Otros']
    const api = fakeApi({
      'contacts.import': (args: ApiArgs<'contacts.import'>) => ({
        ...importResult(args.mapping ? { phone: args.mapping.phone, name: args.mapping.name ?? null, variables: args.mapping.variables ?? [] } : { phone: 'Telefono', name: 'Nombre', variables: [] }),
        sheet: args.sheet ?? 'Clientes',
        sheets,
      }),
    })
    renderWithApi(<ContactsScreen />, api)
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File(['xlsx bytes'], 'clientes.xlsx')] } })
    const picker = (await screen.findByTestId('sheet')) as HTMLSelectElement
    expect([...picker.options].map((o) => o.value)).toEqual(sheets)
    expect(picker.value).toBe('Clientes')

    fireEvent.change(picker, { target: { value: 'Otros' } })
    await waitFor(() => expect(api.callsTo('contacts.import')).toHaveLength(2))
    expect(api.callsTo('contacts.import')[1]).toMatchObject({ sheet: 'Otros' })
    expect(api.callsTo('contacts.import')[1].mapping).toBeUndefined()
    await waitFor(() => expect((screen.getByTestId('sheet') as HTMLSelectElement).value).toBe('Otros'))

    // Changing a column afterwards keeps reading the chosen sheet.
    fireEvent.change(screen.getByTestId('phone-column'), { target: { value: 'Codigo' } })
    await waitFor(() => expect(api.callsTo('contacts.import')).toHaveLength(3))
    expect(api.callsTo('contacts.import')[2]).toMatchObject({ sheet: 'Otros', mapping: { phone: 'Codigo' } })
  })

  it('shows the import error when the server refuses the file', async () => {
    const api = fakeApi({
      'contacts.import': () => {
        throw new Error('The file has no rows.')
      },
    })
    renderWithApi(<ContactsScreen />, api)
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File([''], 'empty.csv')] } })
    expect((await screen.findByRole('alert')).textContent).toBe('The file has no rows.')
    expect(screen.queryByTestId('contacts-next')).toBeNull()
  })
})
