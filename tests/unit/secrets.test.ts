// The SecretBox (AES-256-GCM with a v1: prefix) and the headless key from PREGON_SECRET_KEY or secret.key.
import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSecretBox, loadHeadlessKey } from '../../src/main/store/secrets'

describe('createSecretBox', () => {
  const box = createSecretBox(randomBytes(32))

  it('seals to a versioned base64 string that opens to the original', () => {
    const sealed = box.seal('EAAG-token-ñ')
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/]+=*$/)
    expect(sealed).not.toContain('EAAG')
    expect(box.open(sealed)).toBe('EAAG-token-ñ')
  })

  it('uses a fresh IV, so the same token seals differently each time', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'))
  })

  it('refuses to open with another key, a tampered value or an unknown format', () => {
    const sealed = box.seal('secret')
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow(/secret key is not the one/)
    const raw = Buffer.from(sealed.slice(3), 'base64')
    raw[raw.length - 1] ^= 1
    expect(() => box.open('v1:' + raw.toString('base64'))).toThrow(/Cannot decrypt/)
    expect(() => box.open('plain-token')).toThrow(/unknown format/)
    expect(() => box.open('v1:AAAA')).toThrow(/truncated/)
  })

  it('requires a 32-byte key', () => {
    expect(() => createSecretBox(Buffer.alloc(16))).toThrow(/32 bytes/)
  })
})

describe('loadHeadlessKey', () => {
  let dataDir: string
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pregon-secrets-'))
  })
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

  it('reads a 32-byte key from PREGON_SECRET_KEY as hex or base64', () => {
    const key = randomBytes(32)
    expect(loadHeadlessKey(dataDir, { PREGON_SECRET_KEY: key.toString('hex') })).toEqual(key)
    expect(loadHeadlessKey(dataDir, { PREGON_SECRET_KEY: key.toString('base64') })).toEqual(key)
    expect(loadHeadlessKey(dataDir, { PREGON_SECRET_KEY: key.toString('base64url') })).toEqual(key)
  })

  it('hashes any other PREGON_SECRET_KEY with sha256', () => {
    const expected = createHash('sha256').update('correct horse battery staple').digest()
    expect(loadHeadlessKey(dataDir, { PREGON_SECRET_KEY: 'correct horse battery staple' })).toEqual(expected)
  })

  it('creates secret.key once and reuses it on the next start', () => {
    const dir = join(dataDir, 'new', 'data')
    const first = loadHeadlessKey(dir, {})
    expect(first).toHaveLength(32)
    expect(loadHeadlessKey(dir, {})).toEqual(first)
    if (process.platform !== 'win32') expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toBe(first.toString('base64'))
  })

  it.runIf(process.platform !== 'win32')('refuses a key file that group or others can read', () => {
    loadHeadlessKey(dataDir, {})
    chmodSync(join(dataDir, 'secret.key'), 0o644)
    expect(() => loadHeadlessKey(dataDir, {})).toThrow(/chmod 600/)
  })

  it('refuses a key file that does not hold a 32-byte key', () => {
    writeFileSync(join(dataDir, 'secret.key'), 'too-short\n', { mode: 0o600 })
    expect(() => loadHeadlessKey(dataDir, {})).toThrow(/32-byte base64 key/)
  })
})
