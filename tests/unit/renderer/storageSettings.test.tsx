// @vitest-environment jsdom
// Settings → Storage: SQLite stays the store, a MongoDB address is tested and saved for the mirror without
// ever being shown back, the mirror's progress is told as it is, and a bad address is refused in the user's words.

import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen } from '@testing-library/react'
import type { StorageSettings as Storage } from '../../../src/shared/contract'
import { AppError } from '../../../src/shared/errors'
import { StorageSettings } from '../../../src/renderer/src/features/settings/StorageSettings'
import { fakeApi, renderWithApi } from './fakeApi'

const SECRET_URI = 'mongodb://tienda:cl4ve-secreta@db.example.com:27017/pregon'
const base: Storage = {
  backend: 'sqlite',
  dataDir: '/home/ana/.config/pregon',
  mongodb: null,
  chosen: { backend: 'sqlite', target: null },
  unreachable: null,
  mirror: { enabled: false, target: null, fromEnvironment: false, status: null },
}

afterEach(cleanup)

describe('Settings → Storage', () => {
  it('tests an address, saves the mirror with it, and shows only the address without its password', async () => {
    let saved = base
    const api = fakeApi({
      'storage.get': () => saved,
      'storage.test': () => ({ ok: true, target: 'mongodb://…@db.example.com:27017/pregon', serverVersion: '8.0.0' }),
      'storage.setMirror': ({ enabled }) =>
        (saved = {
          ...saved,
          mirror: { enabled, target: 'mongodb://…@db.example.com:27017/pregon', fromEnvironment: false, status: { health: 'caught_up', lastSyncAt: '2026-12-03T08:00:00.000Z', lastError: null, backlog: { sendLogs: 0, events: 0 } } },
        }),
    })
    renderWithApi(<StorageSettings operator />, api, 'es')
    expect(await screen.findByText(/guarda tus campañas.*SQLite.*\/home\/ana\/\.config\/pregon/)).toBeTruthy()

    fireEvent.change(screen.getByTestId('storage-address'), { target: { value: SECRET_URI } })
    fireEvent.click(screen.getByTestId('storage-test'))
    expect(await screen.findByText('Conectado a mongodb://…@db.example.com:27017/pregon (MongoDB 8.0.0): se puede escribir.')).toBeTruthy()

    fireEvent.click(screen.getByTestId('storage-mirror-enabled'))
    fireEvent.submit(screen.getByTestId('storage-form'))
    expect(await screen.findByText(/Al día con mongodb:\/\/…@db\.example\.com:27017\/pregon/)).toBeTruthy()
    expect(api.callsTo('storage.setMirror')).toEqual([{ enabled: true, uri: SECRET_URI }])
    // Once saved the field is empty again; the password is nowhere on the page.
    expect((screen.getByTestId('storage-address') as HTMLInputElement).value).toBe('')
    expect(document.body.innerHTML).not.toContain('cl4ve-secreta')
  })

  it('refuses an address that is not MongoDB’s before sending anything', async () => {
    const api = fakeApi({ 'storage.get': () => base })
    renderWithApi(<StorageSettings operator />, api, 'en')
    await screen.findByTestId('storage-form')
    fireEvent.change(screen.getByTestId('storage-address'), { target: { value: 'postgres://db/pregon' } })
    expect(screen.getByRole('alert').textContent).toBe('A MongoDB address starts with mongodb:// or mongodb+srv://; check what you pasted.')
    expect((screen.getByTestId('storage-test') as HTMLButtonElement).disabled).toBe(true)
    fireEvent.submit(screen.getByTestId('storage-form'))
    expect(api.callsTo('storage.setMirror')).toEqual([])
  })

  it('says in the user’s language why a server refused, and that an unreachable mirror will catch up', async () => {
    const api = fakeApi({
      'storage.get': () => ({
        ...base,
        mirror: { enabled: true, target: 'mongodb://db:27017/pregon', fromEnvironment: false, status: { health: 'unreachable', lastSyncAt: null, lastError: 'connect ECONNREFUSED', backlog: { sendLogs: 3, events: 1 } } },
      }),
      'storage.setMirror': () => {
        throw new AppError('unavailable', 'mongodb://…@db did not answer as it should (auth_failed): Authentication failed.', { problem: 'auth_failed', target: 'mongodb://…@db.example.com:27017/pregon' })
      },
    })
    renderWithApi(<StorageSettings operator />, api, 'es')
    expect((await screen.findByTestId('storage-mirror-status')).textContent).toBe(
      'No se llega a mongodb://db:27017/pregon; se pondrá al día cuando responda, sin perder ni repetir nada. (connect ECONNREFUSED)',
    )
    fireEvent.change(screen.getByTestId('storage-address'), { target: { value: SECRET_URI } })
    fireEvent.submit(screen.getByTestId('storage-form'))
    expect(await screen.findByText('mongodb://…@db.example.com:27017/pregon no aceptó el usuario o la contraseña de la dirección.')).toBeTruthy()
    // What was typed stays in its (masked) field to be corrected; no text on the page repeats it.
    expect(document.body.textContent).not.toContain('cl4ve-secreta')
  })

  it('on a server whose store is MongoDB, says so and offers no mirror', async () => {
    renderWithApi(<StorageSettings operator />, fakeApi({ 'storage.get': () => ({ ...base, backend: 'mongodb', mongodb: 'mongodb://…@db:27017/pregon' }) }), 'en')
    expect(await screen.findByText(/keeps everything in MongoDB \(mongodb:\/\/…@db:27017\/pregon\)/)).toBeTruthy()
    expect(screen.queryByTestId('storage-form')).toBeNull()
  })

  it('is not shown to a tenant of pregon serve, and asks nothing', () => {
    const api = fakeApi({})
    renderWithApi(<StorageSettings operator={false} />, api, 'en')
    expect(screen.queryByTestId('storage-settings')).toBeNull()
    expect(api.calls).toEqual([])
  })
})

describe('Settings → Storage: keeping this installation’s data in MongoDB', () => {
  const REDACTED = 'mongodb://…@db.example.com:27017/pregon'

  it('tests the address, saves it for the next start without showing it back, and offers the way back to SQLite', async () => {
    let saved = base
    const api = fakeApi({
      'storage.get': () => saved,
      'storage.test': () => ({ ok: true, target: REDACTED, serverVersion: '8.0.0' }),
      'storage.choose': (choice) => (saved = { ...saved, chosen: choice.backend === 'mongodb' ? { backend: 'mongodb', target: REDACTED } : { backend: 'sqlite', target: null } }),
    })
    renderWithApi(<StorageSettings operator />, api, 'es')
    expect(await screen.findByText(/con Pregón cerrado, cópialos antes con «pregon store copy --from \/home\/ana\/\.config\/pregon --to <dirección>»/)).toBeTruthy()

    fireEvent.change(screen.getByTestId('storage-choice-address'), { target: { value: SECRET_URI } })
    fireEvent.click(screen.getByTestId('storage-choice-test'))
    expect(await screen.findByText(`Conectado a ${REDACTED} (MongoDB 8.0.0): se puede escribir.`)).toBeTruthy()
    fireEvent.submit(screen.getByTestId('storage-choice-form'))
    expect((await screen.findByTestId('storage-next-start')).textContent).toBe(`Desde el próximo inicio, Pregón guarda sus datos en ${REDACTED}.`)
    expect(api.callsTo('storage.choose')).toEqual([{ backend: 'mongodb', uri: SECRET_URI }])
    expect(document.body.innerHTML).not.toContain('cl4ve-secreta')

    fireEvent.click(screen.getByTestId('storage-back-to-sqlite'))
    expect(await screen.findByText(/^Desde el próximo inicio, Pregón vuelve a guardar sus datos en este equipo \(SQLite\)/)).toBeTruthy()
    expect(api.callsTo('storage.choose')).toEqual([{ backend: 'mongodb', uri: SECRET_URI }, { backend: 'sqlite' }])
    expect(screen.queryByTestId('storage-next-start')).toBeNull()
    expect(screen.getByTestId('storage-choice-form')).toBeTruthy()
  })

  it('says plainly that nothing sends when the chosen MongoDB did not answer at start', async () => {
    const api = fakeApi({
      'storage.get': () => ({ ...base, chosen: { backend: 'mongodb', target: REDACTED }, unreachable: { target: REDACTED, detail: 'unreachable: connect ECONNREFUSED' } }),
    })
    renderWithApi(<StorageSettings operator />, api, 'en')
    expect((await screen.findByTestId('storage-unreachable')).textContent).toBe(
      `MongoDB at ${REDACTED} cannot be reached; campaigns are not sending. Restart Pregón to try again, or go back to SQLite. (unreachable: connect ECONNREFUSED)`,
    )
    expect(screen.getByTestId('storage-back-to-sqlite').textContent).toBe('Go back to SQLite')
    expect(screen.queryByTestId('storage-next-start')).toBeNull()
  })

  it('refuses to save an address that is not MongoDB’s', async () => {
    const api = fakeApi({ 'storage.get': () => base })
    renderWithApi(<StorageSettings operator />, api, 'en')
    fireEvent.change(await screen.findByTestId('storage-choice-address'), { target: { value: 'postgres://db/pregon' } })
    expect((screen.getByTestId('storage-choice-save') as HTMLButtonElement).disabled).toBe(true)
    fireEvent.submit(screen.getByTestId('storage-choice-form'))
    expect(api.callsTo('storage.choose')).toEqual([])
  })
})
