// contacts.import through dispatch, as the UI and the API call it: each refused file says why, in the user's language.

import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../../src/main/app'
import { createLogger } from '../../../src/main/log/logger'
import { createSecretBox } from '../../../src/main/store/secrets'
import { startSimulator, type Simulator } from '../../../src/sim'

const ctx = { userId: 'local' }
let sim: Simulator
let app: App

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64')

beforeAll(async () => {
  sim = await startSimulator()
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pregon-import-'))
  app = await createApp({
    dataDir,
    secrets: createSecretBox(Buffer.alloc(32)),
    mode: 'headless',
    simulatorUrl: sim.url,
    logger: await createLogger({ silent: true }),
    osLanguage: 'es',
    startEngine: false,
  })
  await app.store.users.ensureLocal()
  const demo = await app.dispatch(ctx, 'accounts.addDemo', {})
  expect(demo.ok, JSON.stringify(demo)).toBe(true)
})

afterAll(async () => {
  await app?.close()
  await sim?.stop()
})

describe('contacts.import', () => {
  it('says an empty file is empty, in Spanish, instead of asking for dataBase64', async () => {
    const result = await app.dispatch(ctx, 'contacts.import', { fileName: 'vacio.csv', dataBase64: '' })
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid_args', message: 'vacio.csv: El archivo está vacío.', details: { field: 'dataBase64', reason: 'empty_file' } },
    })
  })

  it('still asks for the file when neither its bytes nor a path came', async () => {
    const result = await app.dispatch(ctx, 'contacts.import', { fileName: 'nada.csv' })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_args', message: expect.stringContaining('dataBase64') } })
  })

  it('says JSON is not a table, in the language the user chose', async () => {
    expect((await app.dispatch(ctx, 'settings.set', { language: 'en' })).ok).toBe(true)
    const json = JSON.stringify([{ numero: '+573001234567', Nombre: 'Ana' }])
    const result = await app.dispatch(ctx, 'contacts.import', { fileName: 'contactos.csv', dataBase64: base64(json) })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_args', message: expect.stringMatching(/^contactos\.csv: This is a JSON file, not a table/) } })
    await app.dispatch(ctx, 'settings.set', { language: 'es' })
  })
})
