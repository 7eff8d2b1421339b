// The SecretBox that seals access tokens at rest (AES-256-GCM), and the headless mode's key: env or key file.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SecretBox } from './ports'
import { makePrivateDir, PRIVATE_FILE_MODE } from '../fs/privateFiles'

const VERSION = 'v1:'
const IV_BYTES = 12
const TAG_BYTES = 16
export const SECRET_KEY_BYTES = 32
export const SECRET_KEY_FILE = 'secret.key'

/** `v1:` + base64(iv ‖ tag ‖ ciphertext); the prefix lets a later format coexist with old rows. */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== SECRET_KEY_BYTES) {
    throw new Error(`The secret key must be ${SECRET_KEY_BYTES} bytes long; got ${key.length}.`)
  }
  const aesKey = Buffer.from(key)
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', aesKey, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
    },
    open(sealed) {
      if (!sealed.startsWith(VERSION)) {
        throw new Error('This secret was not sealed by Pregón (unknown format); enter the access token again.')
      }
      const raw = Buffer.from(sealed.slice(VERSION.length), 'base64')
      if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('This sealed secret is truncated; enter the access token again.')
      const decipher = createDecipheriv('aes-256-gcm', aesKey, raw.subarray(0, IV_BYTES))
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
      try {
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
      } catch {
        throw new Error(
          'Cannot decrypt a stored access token: the secret key is not the one it was sealed with ' +
            '(PREGON_SECRET_KEY or secret.key changed). Restore the old key or enter the token again.',
        )
      }
    },
  }
}

/**
 * The key for headless mode: PREGON_SECRET_KEY when set (32 bytes as hex or base64; any other
 * string is hashed with sha256), else `<dataDir>/secret.key`, created with mode 0600 on first use.
 */
export function loadHeadlessKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env.PREGON_SECRET_KEY?.trim()
  if (fromEnv) return parseEnvKey(fromEnv)
  makePrivateDir(dataDir)
  const file = join(dataDir, SECRET_KEY_FILE)
  try {
    // 'wx' fails when the file exists, so two processes starting together cannot overwrite each other's key.
    writeFileSync(file, randomBytes(SECRET_KEY_BYTES).toString('base64') + '\n', { mode: PRIVATE_FILE_MODE, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  return readKeyFile(file)
}

function parseEnvKey(value: string): Buffer {
  if (/^[0-9a-f]{64}$/i.test(value)) return Buffer.from(value, 'hex')
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const decoded = Buffer.from(value, 'base64')
    if (decoded.length === SECRET_KEY_BYTES) return decoded
  }
  return createHash('sha256').update(value, 'utf8').digest()
}

function readKeyFile(file: string): Buffer {
  if (process.platform !== 'win32') {
    const mode = statSync(file).mode & 0o777
    if (mode & 0o077) {
      throw new Error(
        `Refusing to use ${file}: it is readable or writable by group or others (mode ${mode.toString(8).padStart(4, '0')}). ` +
          `Run \`chmod 600 ${file}\` and start again.`,
      )
    }
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
  if (key.length !== SECRET_KEY_BYTES) {
    throw new Error(
      `${file} does not hold a ${SECRET_KEY_BYTES}-byte base64 key. Restore it from a backup, or delete it ` +
        '(stored access tokens must then be entered again).',
    )
  }
  return key
}
