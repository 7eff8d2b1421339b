import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createShellSecretBox, safeStorageUsable, type SafeStoragePort } from '../../../src/main/shell/secretBox'

/** A stand-in keychain: reversible, visibly not plain text, and switchable. */
function fakeSafeStorage(available: boolean, backend?: string): SafeStoragePort & { available: boolean } {
  const fake = {
    available,
    isEncryptionAvailable: () => fake.available,
    encryptString: (plain: string) => Buffer.from([...Buffer.from(plain, 'utf8')].map((b) => b ^ 0x5a)),
    decryptString: (data: Buffer) => Buffer.from([...data].map((b) => b ^ 0x5a)).toString('utf8'),
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  }
  return fake
}

describe('desktop SecretBox', () => {
  let dataDir: string
  let warnings: string[]
  const log = { warn: (msg: string) => warnings.push(msg) }
  const env = {} as NodeJS.ProcessEnv

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pregon-shell-'))
    warnings = []
  })
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

  it('seals with the OS keychain when it is available, without writing a key file', () => {
    const box = createShellSecretBox(fakeSafeStorage(true), { dataDir, log, env })
    const sealed = box.seal('EAAG-secret-token')
    expect(sealed.startsWith('ss1:')).toBe(true)
    expect(sealed).not.toContain('EAAG')
    expect(box.open(sealed)).toBe('EAAG-secret-token')
    expect(warnings).toEqual([])
  })

  it('falls back to the key file when the keychain is unavailable, and says so in the log', () => {
    const box = createShellSecretBox(fakeSafeStorage(false), { dataDir, log, env })
    const sealed = box.seal('EAAG-secret-token')
    expect(sealed.startsWith('v1:')).toBe(true)
    expect(box.open(sealed)).toBe('EAAG-secret-token')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('secret.key')
  })

  it("treats Linux's basic_text backend as no keychain at all", () => {
    expect(safeStorageUsable(fakeSafeStorage(true, 'basic_text'))).toBe(false)
    expect(safeStorageUsable(fakeSafeStorage(true, 'gnome_libsecret'))).toBe(true)
  })

  it('still opens tokens sealed with the key file after the keychain becomes available', () => {
    const sealedEarlier = createShellSecretBox(fakeSafeStorage(false), { dataDir, log, env }).seal('old-token')
    const box = createShellSecretBox(fakeSafeStorage(true), { dataDir, log, env })
    expect(box.open(sealedEarlier)).toBe('old-token')
  })

  it('explains what to do when a keychain-sealed token cannot be opened', () => {
    const safe = fakeSafeStorage(true)
    const sealed = createShellSecretBox(safe, { dataDir, log, env }).seal('token')
    safe.available = false
    const box = createShellSecretBox(safe, { dataDir, log, env })
    expect(() => box.open(sealed)).toThrow(/keychain.*not available.*enter the token again/)
  })
})
