// The start decision: the embedded SQLite by default, a flag or the environment wins, a saved MongoDB is used only
// once it answers — one that does not holds the start (SQLite's data shown, nothing sent), never an empty SQLite sending.

import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSecretBox } from '../../../src/main/store/secrets'
import {
  chooseStartStore,
  readStoreChoice,
  saveStoreChoice,
  startStoreConfig,
  startStoreDecision,
  STORE_CHOICE_FILE,
} from '../../../src/main/app/storeChoice'

const SAVED = 'mongodb://tienda:cl4ve@db.example.com:27017/pregon'
const box = createSecretBox(randomBytes(32))
const folder = () => mkdtempSync(path.join(tmpdir(), 'pregon-choice-'))

describe('the store a start opens', () => {
  it('is SQLite when nothing was chosen', () => {
    expect(startStoreDecision(undefined, null, null)).toEqual({ kind: 'sqlite' })
    expect(startStoreConfig({ kind: 'sqlite' })).toEqual({})
  })

  it('is the flag’s MongoDB whatever was saved, untested (a wrong flag fails the start loudly)', () => {
    expect(startStoreDecision('mongodb://flag/db', SAVED, null)).toEqual({ kind: 'mongodb', uri: 'mongodb://flag/db', source: 'flag' })
  })

  it('is the saved MongoDB once it answers', () => {
    const start = startStoreDecision(undefined, SAVED, { ok: true, target: 'mongodb://…@db.example.com:27017/pregon', serverVersion: '8.0' })
    expect(start).toEqual({ kind: 'mongodb', uri: SAVED, source: 'saved' })
    expect(startStoreConfig(start)).toEqual({ mongodbUri: SAVED })
  })

  it('is held — not sending, credentials left out — when the saved MongoDB does not answer', () => {
    const start = startStoreDecision(undefined, SAVED, { ok: false, target: 'mongodb://…@db.example.com:27017/pregon', reason: 'unreachable', detail: 'connect ECONNREFUSED' })
    expect(start).toEqual({ kind: 'held', target: 'mongodb://…@db.example.com:27017/pregon', detail: 'unreachable: connect ECONNREFUSED' })
    expect(startStoreConfig(start)).toEqual({ mongodbUnreachable: { target: 'mongodb://…@db.example.com:27017/pregon', detail: 'unreachable: connect ECONNREFUSED' } })
    expect(JSON.stringify(start)).not.toContain('cl4ve')
  })
})

describe('the saved choice', () => {
  it('is sealed in a private file of the data folder and removed on going back to SQLite', () => {
    const dir = folder()
    expect(readStoreChoice(dir, box)).toBeNull()
    saveStoreChoice(dir, box, SAVED)
    const file = path.join(dir, STORE_CHOICE_FILE)
    expect(readFileSync(file, 'utf8')).not.toContain('cl4ve')
    expect(statSync(file).mode & 0o077).toBe(0)
    expect(readStoreChoice(dir, box)).toBe(SAVED)
    saveStoreChoice(dir, box, null)
    expect(readStoreChoice(dir, box)).toBeNull()
  })

  it('says which file to delete when it cannot be opened (sealed with another key)', () => {
    const dir = folder()
    saveStoreChoice(dir, createSecretBox(randomBytes(32)), SAVED)
    expect(() => readStoreChoice(dir, box)).toThrow(`The storage choice in ${path.join(dir, STORE_CHOICE_FILE)} cannot be read`)
  })

  it('holds the start when the saved MongoDB is not there (a closed loopback port)', async () => {
    const dir = folder()
    saveStoreChoice(dir, box, 'mongodb://ana:pw@127.0.0.1:9/pregon')
    const start = await chooseStartStore({ dataDir: dir, secrets: box, timeoutMs: 300 })
    expect(start).toMatchObject({ kind: 'held', target: 'mongodb://…@127.0.0.1:9/pregon' })
    expect(JSON.stringify(start)).not.toContain('pw')
  })
})
