// The desktop SecretBox: Electron's safeStorage (OS keychain) when it really encrypts, else the headless key file.

import type { SecretBox } from '../store/ports'
import { createSecretBox, loadHeadlessKey } from '../store/secrets'

/** Electron's safeStorage, reduced to what we use. */
export interface SafeStoragePort {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only: 'basic_text' means a hard-coded password, no better than plain text. */
  getSelectedStorageBackend?(): string
}

export interface ShellSecretBoxOptions {
  dataDir: string
  log: { warn(msg: string): void }
  env?: NodeJS.ProcessEnv
}

const SAFE_PREFIX = 'ss1:'

export function safeStorageUsable(safe: SafeStoragePort): boolean {
  if (!safe.isEncryptionAvailable()) return false
  return safe.getSelectedStorageBackend?.() !== 'basic_text'
}

/**
 * Seals with safeStorage when usable, else with the key file. Opening follows each secret's own
 * prefix, so tokens sealed either way stay readable when the keychain comes and goes.
 */
export function createShellSecretBox(safe: SafeStoragePort, opts: ShellSecretBoxOptions): SecretBox {
  let fileBox: SecretBox | null = null
  const keyFileBox = (): SecretBox => (fileBox ??= createSecretBox(loadHeadlessKey(opts.dataDir, opts.env)))
  const usable = safeStorageUsable(safe)
  if (!usable) {
    opts.log.warn('The OS keychain (safeStorage) is not available: access tokens are sealed with the key file secret.key in the data folder instead.')
  }
  return {
    seal(plain) {
      if (!usable) return keyFileBox().seal(plain)
      return SAFE_PREFIX + safe.encryptString(plain).toString('base64')
    },
    open(sealed) {
      if (!sealed.startsWith(SAFE_PREFIX)) return keyFileBox().open(sealed)
      if (!safe.isEncryptionAvailable()) {
        throw new Error('This access token was sealed with the OS keychain, which is not available now. Unlock the keychain and restart Pregón, or enter the token again.')
      }
      return safe.decryptString(Buffer.from(sealed.slice(SAFE_PREFIX.length), 'base64'))
    },
  }
}
