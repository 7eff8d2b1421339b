// `pregon store copy`: a whole installation from one store to another. Both data folders are locked against
// sending while it runs, and the secret key that sealed the access tokens goes with them.

import { chmodSync, copyFileSync, existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { PRIVATE_FILE_MODE, makePrivateDir } from '../fs/privateFiles'
import { SECRET_KEY_FILE } from '../store/secrets'
import { collectionSpec } from '../store/transfer/collections'
import { copyStore, CopyRefused, type CopyOptions, type CopyReport } from '../store/transfer/copy'
import { parseStoreLocation, type StoreLocation } from '../store/transfer/location'
import type { PortableStore } from '../store/transfer/portable'
import { openSqlitePortable } from '../store/transfer/sqlitePortable'
import { openMongoPortable } from '../store/transfer/mongoPortable'
import { ForeignIdError } from '../store/transfer/mongoFields'
import { acquireEngineLock } from './engineLock'

export interface StoreCopyResult extends CopyReport {
  from: string
  to: string
  /** What the person must still do about the secret key, when the copy could not do it. */
  keyNotice: string | null
}

export async function copyInstallation(fromText: string, toText: string, opts: CopyOptions = {}): Promise<StoreCopyResult> {
  const from = parseStoreLocation(fromText)
  const to = parseStoreLocation(toText)
  if (from.label === to.label) throw new AppError('invalid_args', `--from and --to are the same store (${from.label}); give two different ones.`)
  const keyNotice = carrySecretKey(from, to)
  const releases = [from, to].flatMap((loc) => (loc.kind === 'sqlite' && existsSync(loc.dataDir) ? [acquireEngineLock(loc.dataDir)] : []))
  const opened: PortableStore[] = []
  try {
    const source = await openPortable(from, true)
    opened.push(source)
    const target = await openPortable(to, false)
    opened.push(target)
    const report = await copyStore(source, target, opts)
    return { ...report, from: from.label, to: to.label, keyNotice: (await keychainNotice(source)) ?? keyNotice }
  } catch (error) {
    if (error instanceof CopyRefused || error instanceof ForeignIdError) throw new AppError('conflict', error.message)
    throw error
  } finally {
    for (const store of opened) await store.close()
    for (const release of releases) release()
  }
}

async function openPortable(location: StoreLocation, isSource: boolean): Promise<PortableStore> {
  switch (location.kind) {
    case 'sqlite':
      return openSqlitePortable({ dataDir: location.dataDir, mustExist: isSource })
    case 'mongodb':
      return openMongoPortable(location.uri)
  }
}

/** Tokens the desktop sealed with the OS keychain (`ss1:`) open only on that PC, in that user's session. */
async function keychainNotice(source: PortableStore): Promise<string | null> {
  const accounts = await source.read(collectionSpec('accounts'), null, 10_000)
  const sealedByKeychain = accounts.filter((a) => String(a.access_token).startsWith('ss1:')).length
  if (sealedByKeychain === 0) return null
  return `${sealedByKeychain} access token(s) are sealed with this PC's keychain: they open only in the desktop app on this PC. ` +
    'Elsewhere, enter them again (the account\'s "Change access token").'
}

/**
 * Tokens are copied sealed: the target must open them with the key that sealed them. A folder target without a
 * key gets the source's; one with another key is refused before anything is written (its tokens would not open).
 */
function carrySecretKey(from: StoreLocation, to: StoreLocation): string | null {
  if (process.env.PREGON_SECRET_KEY) return 'The access tokens are sealed with PREGON_SECRET_KEY: run the target with the same value.'
  if (from.kind !== 'sqlite') {
    if (to.kind === 'mongodb') return 'The access tokens stay sealed with the key of the server that used the source: give the new one the same key.'
    return `The access tokens are sealed with the key of the server that used this MongoDB: copy its secret.key into ${to.dataDir} ` +
      '(or set PREGON_SECRET_KEY to it) before Pregón opens that folder.'
  }
  const sourceKey = path.join(from.dataDir, SECRET_KEY_FILE)
  if (!existsSync(sourceKey)) return null
  if (to.kind === 'mongodb') {
    return `The access tokens are sealed with ${sourceKey}: give the server that uses this MongoDB the same key ` +
      `(copy the file into its --data-dir, or set PREGON_SECRET_KEY to its contents).`
  }
  const targetKey = path.join(to.dataDir, SECRET_KEY_FILE)
  if (existsSync(targetKey)) {
    if (readFileSync(targetKey, 'utf8').trim() === readFileSync(sourceKey, 'utf8').trim()) return null
    throw new AppError('conflict', `${to.dataDir} already has another secret.key: the copied access tokens could not be opened there. Copy into an empty folder.`)
  }
  makePrivateDir(to.dataDir)
  copyFileSync(sourceKey, targetKey)
  chmodSync(targetKey, PRIVATE_FILE_MODE)
  return null
}
